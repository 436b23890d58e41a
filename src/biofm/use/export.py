"""ONNX export (optionally int8-quantised) of a finished run, checked against PyTorch on validation.

Why ONNX Runtime: on these CPUs it runs the same BERT 2-3x faster at batch 1 than eager PyTorch,
and dynamic int8 quantisation (weights int8, activations quantised on the fly) shrinks the model
~4x.  Quantisation can cost accuracy, so every export writes ``export/parity.json``: the largest
logit difference and the change of every validation metric, next to the files it measured.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import torch

from biofm.core import layout
from biofm.core.errors import BiofmError, ConfigError, one_line
from biofm.core.io import atomic_path, write_json
from biofm.data.splits import load_splits
from biofm.modeling.encoding import predict_logits
from biofm.modeling.engines import EXPORT_DIR, ONNX_FILES, LogitsOnly, engine_model, plain_model
from biofm.modeling.inference import predict_outputs, tokenizer_texts
from biofm.modeling.loaded_run import LoadedRun, load_run
from biofm.modeling.metrics import compute_metrics


def export(run_dir: str | Path, quantize: str | None = None) -> dict:
    """Write ``export/model.onnx`` (and ``model.int8.onnx`` with ``quantize="int8"``) plus ``parity.json``."""
    if quantize not in (None, "int8"):
        raise ConfigError(f"--quantize: only int8 is supported, got {quantize!r}")
    run = load_run(run_dir)
    folder = run.run_dir / EXPORT_DIR
    model = plain_model(run.model)
    fp32 = folder / ONNX_FILES["onnx"]
    _export_onnx(model, fp32)
    engines = ["onnx"]
    if quantize:
        _quantize(fp32, folder / ONNX_FILES["onnx-int8"])
        engines.append("onnx-int8")
    parity = check_parity(run, engines)
    write_json(folder / layout.PARITY, parity)
    return parity


def _export_onnx(model: torch.nn.Module, path: Path) -> None:
    """torch.export-based exporter with dynamic batch and length (the traced exporter baked shapes in)."""
    ids = torch.tensor([[2, 5, 6, 7, 8, 3], [2, 5, 6, 3, 0, 0]])
    mask = (torch.arange(6) < torch.tensor([[6], [4]])).long()  # one padded row, so masking is in the graph
    batch, length = torch.export.Dim("batch", min=1, max=65536), torch.export.Dim("length", min=2, max=4096)
    shapes = {"input_ids": {0: batch, 1: length}, "attention_mask": {0: batch, 1: length}}
    args, names = (ids, mask), ["input_ids", "attention_mask"]
    if model.n_extra:  # the head's extra features are a third input, computed outside the graph
        args, names = (*args, torch.zeros(2, model.n_extra)), [*names, "extra"]
        shapes["extra"] = {0: batch}
    with atomic_path(path) as tmp:
        try:
            program = torch.onnx.export(LogitsOnly(model).eval(), args, input_names=names, output_names=["logits"],
                                        dynamic_shapes=shapes, dynamo=True, optimize=True, verbose=False)
        except Exception as exc:  # the exporter raises many types for unsupported operators
            root = exc
            while root.__cause__ is not None:  # the exporter wraps what went wrong ("step 1/3 …") several times
                root = root.__cause__
            raise BiofmError(f"ONNX export failed for this model ({one_line(root)}); predict, serve and explain "
                             "run on PyTorch (--engine torch) as before") from None
        program.save(str(tmp))


def _quantize(source: Path, target: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with atomic_path(target) as tmp:
        quantize_dynamic(str(source), str(tmp), weight_type=QuantType.QInt8)


def check_parity(run: LoadedRun, engines: list[str]) -> dict:
    """Validation-set outputs of each exported engine against PyTorch fp32: logits and metrics."""
    val = load_splits(run.config.data, run.modality).val
    targets = run.task.encode(val)
    reference_model = plain_model(run.model)
    started = time.perf_counter()
    reference = predict_outputs(reference_model, run.tokenizer, run.task, run.modality, run.config, val.inputs,
                                bf16=False, features=run.features)
    texts = tokenizer_texts(run.modality, run.config.model.tokenizer, val)
    max_length = run.config.model.max_length
    extra = run.features(val.inputs) if run.features else None
    reference_logits = predict_logits(reference_model, texts, run.tokenizer, max_length, extra=extra)
    report = {"n_validation": len(val), "reference": "pytorch fp32",
              "torch_seconds": round(time.perf_counter() - started, 3),
              "metrics": {"torch": compute_metrics(run.task, targets, reference)[0]}}
    for engine in engines:
        model = engine_model(run.run_dir, run.model, engine)
        started = time.perf_counter()
        outputs = predict_outputs(model, run.tokenizer, run.task, run.modality, run.config, val.inputs, bf16=False,
                                  features=run.features)
        metrics = compute_metrics(run.task, targets, outputs)[0]
        report[engine] = {
            "file": f"{EXPORT_DIR}/{ONNX_FILES[engine]}",
            "megabytes": round((run.run_dir / EXPORT_DIR / ONNX_FILES[engine]).stat().st_size / 2**20, 2),
            "max_abs_logit_difference": float(np.max(np.abs(
                predict_logits(model, texts, run.tokenizer, max_length, extra=extra) - reference_logits))),
            "max_abs_output_difference": float(np.max(np.abs(outputs - reference))),
            "metric_delta": {k: round(v - report["metrics"]["torch"][k], 6) for k, v in metrics.items()
                             if isinstance(v, float) and isinstance(report["metrics"]["torch"].get(k), float)},
            "seconds": round(time.perf_counter() - started, 3),
        }
        report["metrics"][engine] = metrics
    return report
