"""Every malformed input in tests/bad_inputs gets one clear message and exit code 2, never a traceback."""

import errno
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from biofm.cli import app

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text())
runner = CliRunner()


@pytest.fixture(scope="module")
def huge_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("huge") / "huge_line.csv"
    path.write_text("smiles,bbb_permeable\nCCO,1\n" + "C" * 2_000_000 + ",0\n")
    return path


def test_corpus_is_large_and_every_case_is_well_formed():
    """A case with a typo in its file name, no expected text or a duplicate name would test nothing."""
    assert len(CASES) >= 40
    names = [c["name"] for c in CASES]
    assert len(set(names)) == len(names), "duplicate case names"
    used = set()
    for case in CASES:
        assert case["expect"].strip() and case["args"], case["name"]
        for arg in case["args"]:
            for part in arg.split("="):
                if part.startswith("{files}/"):
                    name = part.removeprefix("{files}/")
                    if name.startswith("absent."):  # the cases about a missing file name one on purpose
                        continue
                    first = name.split("/")[0]  # "base.yaml/p.csv": an output under a file, on purpose
                    assert (CORPUS / "files" / first).exists(), f"{case['name']}: no file {first}"
                    used.add(first)
    unused = {p.name for p in (CORPUS / "files").iterdir()} - used
    assert not unused, f"files no case uses: {sorted(unused)}"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_input_gets_a_clear_error(case, tmp_path, trained_run, huge_file):
    places = {"files": CORPUS / "files", "runs": CORPUS / "runs", "run": trained_run, "tmp": tmp_path,
              "huge": huge_file}
    args = [arg.format(**places) for arg in case["args"]]
    result = runner.invoke(app, args)
    output = " ".join(result.output.split())  # undo the console's line wrapping
    assert result.exit_code == 2, f"{case['name']}: exit {result.exit_code}\n{result.output}\n{result.exception!r}"
    assert case["expect"] in output, output
    assert "Traceback" not in result.output


def test_disk_full_while_writing_predictions(trained_run, tmp_path, monkeypatch):
    """A full disk during the final rename must give a clear error and leave no partial file."""
    def no_space(*_args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("biofm.core.io.os.replace", no_space)
    out = tmp_path / "p.csv"
    result = runner.invoke(app, ["predict", str(trained_run), "--input", str(CORPUS / "files" / "unlabelled.csv"),
                                 "--output", str(out)])
    assert result.exit_code == 2 and "No space left on device" in result.output
    assert not out.exists() and not list(tmp_path.iterdir())
