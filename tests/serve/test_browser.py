"""End to end in headless Chromium: load the page, submit a molecule, see it drawn beside its prediction,
explain it."""

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))

from serve_load import BackgroundServer, free_port

from biofm.serve import create_app

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER), reason="needs Debian chromium + chromium-driver (make test installs them when root)"
)


def test_page_predicts_a_molecule(trained_run, tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    hostile = "<img src=x onerror=document.title='pwned'>"  # a model name is shown as text, never run as HTML
    with BackgroundServer(create_app({"bbb": trained_run, hostile: trained_run}), free_port()) as server:
        driver = webdriver.Chrome(service=Service(DRIVER), options=options)
        try:
            driver.get(server.url + "/")
            wait = WebDriverWait(driver, 30)
            wait.until(ready.text_to_be_present_in_element((By.ID, "model"), "bbb"))
            assert hostile in [o.text for o in driver.find_elements(By.CSS_SELECTOR, "#model option")]
            assert driver.title != "pwned" and not driver.find_elements(By.CSS_SELECTOR, "#model img")
            driver.find_element(By.ID, "items").send_keys("Cn1cnc2c1c(=O)n(C)c(=O)n2C")
            driver.find_element(By.ID, "go").click()
            wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, "#results tbody tr")))
            row = driver.find_element(By.CSS_SELECTOR, "#results tbody tr").text
            drawing = wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, "td.depiction img")))
            wait.until(lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", drawing))
            assert drawing.get_attribute("src").startswith("data:image/svg+xml;base64,")
            structure = drawing.screenshot_as_png  # the drawing is really on screen: ink on a white card
            driver.find_element(By.CSS_SELECTOR, "button.explain").click()
            view = wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, "tr.explanation .view img")))
            wait.until(lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", view))
            explained = driver.find_element(By.CSS_SELECTOR, "tr.explanation").text
            driver.save_screenshot(str(tmp_path / "page.png"))
        finally:
            driver.quit()
    assert "Cn1cnc2c1c(=O)n(C)c(=O)n2C" in row and ("0" in row or "1" in row)
    assert dark_share(structure) > 0.01 and "Attributions for" in explained


def dark_share(png: bytes) -> float:
    """The share of a picture's pixels that are clearly not background (bonds, atom labels)."""
    import io

    from PIL import Image

    pixels = list(Image.open(io.BytesIO(png)).convert("L").getdata())
    return sum(p < 160 for p in pixels) / len(pixels)
