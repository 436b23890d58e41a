"""FastAPI app over one or more run folders.

Safety by default: binds to localhost, optional bearer token, bounded request size, items and
characters per item, inputs validated by the same modality code as training (clear 4xx, never a
500 for bad input), no file paths from clients, and only safetensors weights are loaded.
"""

from __future__ import annotations

import os
import socket
import tempfile
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from biofm.core import layout
from biofm.core.errors import ConfigError
from biofm.core.io import read_json
from biofm.modalities import InvalidInput
from biofm.modeling.loaded_run import LoadedRun, load_run
from biofm.serve.guard import LOOPBACK_HOSTS, Guard
from biofm.trust.explain import explain_one, inline_view

STATIC = Path(__file__).parent / "static"
TOKEN_ENV = "BIOFM_API_TOKEN"


@dataclass(frozen=True)
class ServeLimits:
    """What one request may ask for; larger requests get 413 instead of tying up the server."""

    max_items: int = 256
    max_chars: int = 5_000
    max_body_bytes: int = 2_000_000
    max_explain_items: int = 16  # Integrated Gradients costs ~50 forward/backward passes per item

    def __post_init__(self) -> None:
        for name in ("max_items", "max_chars", "max_body_bytes", "max_explain_items"):
            if getattr(self, name) < 1:
                raise ConfigError(f"--{name.replace('_', '-')}: must be at least 1, got {getattr(self, name)}")


class PredictRequest(BaseModel):
    """The body of ``/predict`` and ``/explain``: the items, and the served model's name."""

    items: list[str] = Field(..., min_length=1, description="SMILES, sequences or texts, per the model's modality")
    depict: bool = Field(False, description="add each input drawn as HTML (a molecule's structure as an SVG image, "
                                            "coloured bases, the text): what the web page shows")


class ServedModel:
    """A loaded run plus a lock: torch already uses every core, so requests take turns."""

    def __init__(self, name: str, run: LoadedRun):
        self.name, self.run, self.lock = name, run, threading.Lock()
        self.card = _model_card(name, run)

    def predict(self, items: list[str], depict: bool = False) -> list[dict]:
        inputs = [self._normalise(i, item) for i, item in enumerate(items)]
        with self.lock:
            outputs = self.run.outputs(inputs)
        domain = self.run.domain.check(self.run.modality, inputs) if self.run.domain else None
        task = self.run.task
        results = []
        for index, (item, canonical, row) in enumerate(zip(items, inputs, outputs, strict=True)):
            result = {"input": item, "normalised": canonical}
            if depict:
                result["depiction"] = self.run.modality.depict(canonical)
            if domain is not None:
                result["domain_similarity"] = round(float(domain.similarity[index]), 4)
                result["out_of_domain"] = bool(domain.out_of_domain[index])
            if task.mode == "multiclass":
                result["prediction"] = task.classes[int(row.argmax())]
            names = task.classes if task.mode == "multiclass" else task.columns
            key = "values" if task.mode == "regression" else "probabilities"
            result[key] = {str(n): float(v) for n, v in zip(names, row, strict=True)}
            results.append(result)
        return results

    def explain(self, items: list[str]) -> list[dict]:
        """Token and per-character attributions (Integrated Gradients) for each item, with the modality's
        view of them as one HTML fragment (atoms coloured on the structure, a base track, shaded words)."""
        inputs = [self._normalise(i, item) for i, item in enumerate(items)]
        with self.lock:
            explanations = [explain_one(self.run, item) for item in inputs]
        results = []
        with tempfile.TemporaryDirectory(prefix="biofm-explain-") as folder:
            for number, (item, e) in enumerate(zip(items, explanations, strict=True)):
                view = self.run.modality.render_explanation(e.input, np.asarray(e.position_scores),
                                                            Path(folder) / f"input-{number}")
                results.append({"input": item, **{k: v for k, v in asdict(e).items() if k != "view"},
                                "view_html": inline_view(view), "findings": view.findings})
        return results

    def _normalise(self, index: int, item: str) -> str:
        modality = self.run.modality
        try:
            normalised = modality.normalise(item.strip())
            modality.tokenizer_text(normalised, self.run.config.model.tokenizer)  # e.g. shorter than k
            return normalised
        except InvalidInput as exc:
            raise HTTPException(422, f"item {index}: {exc}") from None


def create_app(runs: dict[str, str | Path], token: str | None = None, limits: ServeLimits | None = None,
               allowed_hosts: frozenset[str] | None = None) -> FastAPI:
    """An app serving each run folder under its name; the first is also the default model.

    ``token``: every endpoint but the page, ``/health`` and the docs needs ``Authorization: Bearer
    <token>``.  ``allowed_hosts``: Host headers answered (``serve`` on a loopback address passes the
    loopback names, so a web page elsewhere cannot reach the API by DNS rebinding); None: any.
    """
    if token is not None and not token.strip():
        raise ConfigError("--token: an empty token would leave the API open; give a secret, or leave --token out")
    limits = limits or ServeLimits()
    models = {name: ServedModel(name, load_run(path)) for name, path in runs.items()}
    default = next(iter(models))
    app = FastAPI(title="biofm", description="Predictions from fine-tuned biomedical foundation models.")
    app.add_middleware(Guard, token=token, max_body_bytes=limits.max_body_bytes, allowed_hosts=allowed_hosts)

    def check(body: PredictRequest) -> list[str]:
        if len(body.items) > limits.max_items:
            raise HTTPException(413, f"{len(body.items)} items; at most {limits.max_items} per request")
        for i, item in enumerate(body.items):
            if len(item) > limits.max_chars:
                raise HTTPException(413, f"item {i}: {len(item)} characters; at most {limits.max_chars}")
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise HTTPException(422, f"item {i}: not valid Unicode text (a lone surrogate at character "
                                         f"{exc.start + 1})") from None
        return body.items

    def lookup(name: str) -> ServedModel:
        if name not in models:
            raise HTTPException(404, f"no model {name!r}; served: {', '.join(models)}")
        return models[name]

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.get("/health")
    def health() -> dict:
        return {"status": "ok", "models": list(models)}

    @app.get("/models")
    def list_models() -> list[dict]:
        return [m.card for m in models.values()]

    @app.get("/model")
    def default_card() -> dict:
        return models[default].card

    @app.get("/models/{name}")
    def card(name: str) -> dict:
        return lookup(name).card

    @app.post("/predict")
    def predict(body: PredictRequest) -> dict:
        return {"model": default, "results": models[default].predict(check(body), body.depict)}

    @app.post("/models/{name}/predict")
    def predict_with(name: str, body: PredictRequest) -> dict:
        return {"model": name, "results": lookup(name).predict(check(body), body.depict)}

    def check_explain(body: PredictRequest) -> list[str]:
        if len(body.items) > limits.max_explain_items:
            raise HTTPException(413, f"{len(body.items)} items; at most {limits.max_explain_items} per explanation")
        return check(body)

    @app.post("/explain")
    def explain(body: PredictRequest) -> dict:
        return {"model": default, "results": models[default].explain(check_explain(body))}

    @app.post("/models/{name}/explain")
    def explain_with(name: str, body: PredictRequest) -> dict:
        return {"model": name, "results": lookup(name).explain(check_explain(body))}

    return app


def _model_card(name: str, run: LoadedRun) -> dict:
    metrics = read_json(run.run_dir / layout.METRICS)
    data = run.config.data
    return {
        "name": name,
        "modality": run.config.modality,
        "task": run.task.kind,
        "mode": run.task.mode,
        "label_columns": run.task.columns,
        "classes": run.task.classes,
        "input": {"column": data.input_column, "max_length_tokens": run.config.model.max_length},
        "metrics": {"test": metrics.get("test"), "val": metrics.get("val"),
                    "baseline": metrics.get("baseline", {}).get("test"),
                    "baseline_name": metrics.get("baseline", {}).get("name")},
        "data": {"dataset": data.dataset, "split": data.split, **{k: metrics["data"].get(k) for k in
                 ("n_train", "n_val", "n_test", "skipped_rows")}},
        "model": {"preset": run.config.model.preset, "pretrained": run.config.model.pretrained},
    }


def serve(runs: dict[str, str | Path], host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          limits: ServeLimits | None = None) -> None:
    """Run the app with uvicorn until interrupted."""
    import uvicorn

    if not 1 <= port <= 65535:
        raise ConfigError(f"--port: expected a TCP port from 1 to 65535, got {port}")
    if token is None:
        token = os.environ.get(TOKEN_ENV) or None
    loopback = host in ("127.0.0.1", "localhost", "::1")
    app = create_app(runs, token=token, limits=limits, allowed_hosts=LOOPBACK_HOSTS if loopback else None)
    _check_port_free(host, port)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _check_port_free(host: str, port: int) -> None:
    """uvicorn reports a taken port in a log line and exits; say it as one line, before starting."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        raise ConfigError(f"--host {host} --port {port}: cannot listen there ({exc.strerror or exc})") from None
