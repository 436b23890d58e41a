"""The REST API: predictions, model cards, and the right 4xx for every kind of bad request."""

import pytest
from fastapi.testclient import TestClient

from biofm.serve import ServeLimits, create_app


@pytest.fixture(scope="module")
def client(trained_run):
    app = create_app({"bbb": trained_run, "again": trained_run}, token="s3cret", limits=ServeLimits(max_items=4,
                     max_chars=200, max_body_bytes=5_000))
    return TestClient(app, headers={"Authorization": "Bearer s3cret"})


def test_predict_returns_one_result_per_item(client):
    response = client.post("/predict", json={"items": ["OCC", "Cn1cnc2c1c(=O)n(C)c(=O)n2C"]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["model"] == "bbb" and len(body["results"]) == 2
    first = body["results"][0]
    assert first["normalised"] == "CCO" and first["prediction"] in ("0", "1")
    assert sum(first["probabilities"].values()) == pytest.approx(1.0, abs=1e-5)
    assert "depiction" not in first  # drawings only when asked: an API client scoring many items pays nothing


def test_depict_draws_each_input_as_an_image(client):
    body = client.post("/predict", json={"items": ["OCC"], "depict": True}).json()
    depiction = body["results"][0]["depiction"]
    assert depiction.startswith('<img alt="structure of CCO" src="data:image/svg+xml;base64,')


def test_named_models_and_cards(client):
    assert client.get("/health").json() == {"status": "ok", "models": ["bbb", "again"]}
    card = client.get("/models/again").json()
    assert card["task"] == "classification" and card["classes"] == ["0", "1"]
    assert card["metrics"]["test"]["roc_auc"] is not None and card["metrics"]["baseline_name"].startswith("ECFP4")
    assert client.post("/models/again/predict", json={"items": ["CCO"]}).json()["model"] == "again"
    assert client.get("/models/nope").status_code == 404


def test_page_and_openapi_are_served(client):
    assert "<title>biofm" in client.get("/").text
    assert "/predict" in client.get("/openapi.json").json()["paths"]


@pytest.mark.parametrize(
    ("request_kwargs", "status", "message"),
    [
        ({"content": b"{not json", "headers": {"Content-Type": "application/json"}}, 422, "JSON"),
        ({"json": {"items": "CCO"}}, 422, "list"),
        ({"json": {"items": [1, 2]}}, 422, "string"),
        ({"json": {"items": []}}, 422, "at least 1"),
        ({"json": {"things": ["CCO"]}}, 422, "items"),
        ({"json": {"items": ["CCO"] * 5}}, 413, "at most 4 per request"),
        ({"json": {"items": ["C" * 201]}}, 413, "at most 200"),
        ({"json": {"items": ["CCO", "C1CC"]}}, 422, "item 1: not a valid SMILES"),
        ({"content": b'{"items": ["' + b"C" * 6000 + b'"]}', "headers": {"Content-Type": "application/json"}},
         413, "request body over"),
    ],
)
def test_bad_requests_get_4xx_and_the_server_keeps_serving(client, request_kwargs, status, message):
    response = client.post("/predict", **request_kwargs)
    assert response.status_code == status and message in response.text
    assert client.post("/predict", json={"items": ["CCO"]}).status_code == 200


def test_token_is_required(trained_run):
    app = create_app({"bbb": trained_run}, token="s3cret")
    anonymous = TestClient(app)
    assert anonymous.post("/predict", json={"items": ["CCO"]}).status_code == 401
    wrong = anonymous.post("/predict", json={"items": ["CCO"]}, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and "API token" in wrong.text
    assert anonymous.get("/health").status_code == 200


def test_explain_returns_attributions_per_token(client):
    response = client.post("/explain", json={"items": ["CCO", "c1ccccc1O"]})
    assert response.status_code == 200, response.text
    first = response.json()["results"][0]
    assert first["input"] == "CCO" and len(first["position_scores"]) == 3
    assert len(first["tokens"]) == len(first["token_scores"]) and "integrated gradients" in first["method"]
    assert first["view_html"].startswith("<img") and "data:image/svg+xml;base64," in first["view_html"]
    too_many = client.post("/explain", json={"items": ["CCO"] * 17})
    assert too_many.status_code == 413 and "at most 16" in too_many.text


def test_dna_is_depicted_as_bases_and_explained_as_a_base_track(motif_run):
    client = TestClient(create_app({"dna": motif_run.run_dir}))
    sequence = "ACGTTGACTCAGGATCCAGTACGTTGACCATGCAAGTC"
    result = client.post("/predict", json={"items": [sequence], "depict": True}).json()["results"][0]
    assert result["depiction"].startswith('<code class="bases"') and result["depiction"].count("<span") == len(sequence)
    explained = client.post("/explain", json={"items": [sequence]}).json()["results"][0]
    assert explained["view_html"].startswith('<img alt="attributions" src="data:image/png;base64,')
    assert isinstance(explained["findings"], list)
