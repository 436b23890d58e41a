"""FastAPI app over one or more run folders.

Safety by default: binds to localhost, optional bearer token, bounded request size, items and
characters per item, inputs validated by the same modality code as training (clear 4xx, never a
500 for bad input), no file paths from clients, and only safetensors weights are loaded.
"""

from __future__ import annotations

import hmac
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, Field

from biofm.core import layout
from biofm.core.io import read_json
from biofm.modalities import InvalidInput
from biofm.modeling.loaded_run import LoadedRun, load_run
from biofm.trust.domain import nearest_similarity
from biofm.trust.explain import explain_one

STATIC = Path(__file__).parent / "static"
TOKEN_ENV = "BIOFM_API_TOKEN"


@dataclass(frozen=True)
class ServeLimits:
    """What one request may ask for; larger requests get 413 instead of tying up the server."""

    max_items: int = 256
    max_chars: int = 5_000
    max_body_bytes: int = 2_000_000
    max_explain_items: int = 16  # Integrated Gradients costs ~50 forward/backward passes per item


class PredictRequest(BaseModel):
    """The body of ``/predict`` and ``/explain``: the items, and the served model's name."""

    items: list[str] = Field(..., min_length=1, description="SMILES, sequences or texts, per the model's modality")


class ServedModel:
    """A loaded run plus a lock: torch already uses every core, so requests take turns."""

    def __init__(self, name: str, run: LoadedRun):
        self.name, self.run, self.lock = name, run, threading.Lock()
        self.card = _model_card(name, run)

    def predict(self, items: list[str]) -> list[dict]:
        inputs = [self._normalise(i, item) for i, item in enumerate(items)]
        with self.lock:
            outputs = self.run.outputs(inputs)
        domain = nearest_similarity(self.run.modality, self.run.run_dir, inputs)
        task = self.run.task
        results = []
        for index, (item, canonical, row) in enumerate(zip(items, inputs, outputs, strict=True)):
            result = {"input": item, "normalised": canonical}
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
        """Token and per-character attributions (Integrated Gradients) for each item."""
        from dataclasses import asdict

        inputs = [self._normalise(i, item) for i, item in enumerate(items)]
        with self.lock:
            explanations = [explain_one(self.run, item) for item in inputs]
        return [{"input": item, **{k: v for k, v in asdict(e).items() if k != "view"}}
                for item, e in zip(items, explanations, strict=True)]

    def _normalise(self, index: int, item: str) -> str:
        modality = self.run.modality
        try:
            normalised = modality.normalise(item.strip())
            modality.tokenizer_text(normalised, self.run.config.model.tokenizer)  # e.g. shorter than k
            return normalised
        except InvalidInput as exc:
            raise HTTPException(422, f"item {index}: {exc}") from None


def create_app(runs: dict[str, str | Path], token: str | None = None, limits: ServeLimits | None = None) -> FastAPI:
    """An app serving each run folder under its name; the first is also the default model."""
    limits = limits or ServeLimits()
    models = {name: ServedModel(name, load_run(path)) for name, path in runs.items()}
    default = next(iter(models))
    app = FastAPI(title="biofm", description="Predictions from fine-tuned biomedical foundation models.")
    auth = _auth_dependency(token)

    @app.middleware("http")
    async def limit_body(request: Request, call_next):
        size = request.headers.get("content-length")
        if size and size.isdigit() and int(size) > limits.max_body_bytes:
            return JSONResponse({"detail": f"request body over {limits.max_body_bytes} bytes"}, status_code=413)
        return await call_next(request)

    def check(body: PredictRequest) -> list[str]:
        if len(body.items) > limits.max_items:
            raise HTTPException(413, f"{len(body.items)} items; at most {limits.max_items} per request")
        for i, item in enumerate(body.items):
            if len(item) > limits.max_chars:
                raise HTTPException(413, f"item {i}: {len(item)} characters; at most {limits.max_chars}")
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

    @app.get("/models", dependencies=[Depends(auth)])
    def list_models() -> list[dict]:
        return [m.card for m in models.values()]

    @app.get("/model", dependencies=[Depends(auth)])
    def default_card() -> dict:
        return models[default].card

    @app.get("/models/{name}", dependencies=[Depends(auth)])
    def card(name: str) -> dict:
        return lookup(name).card

    @app.post("/predict", dependencies=[Depends(auth)])
    def predict(body: PredictRequest) -> dict:
        return {"model": default, "results": models[default].predict(check(body))}

    @app.post("/models/{name}/predict", dependencies=[Depends(auth)])
    def predict_with(name: str, body: PredictRequest) -> dict:
        return {"model": name, "results": lookup(name).predict(check(body))}

    def check_explain(body: PredictRequest) -> list[str]:
        if len(body.items) > limits.max_explain_items:
            raise HTTPException(413, f"{len(body.items)} items; at most {limits.max_explain_items} per explanation")
        return check(body)

    @app.post("/explain", dependencies=[Depends(auth)])
    def explain(body: PredictRequest) -> dict:
        return {"model": default, "results": models[default].explain(check_explain(body))}

    @app.post("/models/{name}/explain", dependencies=[Depends(auth)])
    def explain_with(name: str, body: PredictRequest) -> dict:
        return {"model": name, "results": lookup(name).explain(check_explain(body))}

    return app


def _auth_dependency(token: str | None):
    """Bearer token check (constant-time compare); no token configured means open on localhost."""

    def verify(authorization: Annotated[str | None, Header()] = None) -> None:
        if token is None:
            return
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPException(401, "missing or wrong API token (send 'Authorization: Bearer <token>')")

    return verify


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

    token = token or os.environ.get(TOKEN_ENV) or None
    uvicorn.run(create_app(runs, token=token, limits=limits), host=host, port=port, log_level="warning")
