"""Where a loaded run's forward pass runs: the PyTorch module, or its exported ONNX graph.

Both take the same inputs and return the same ``{"logits": …}``, so every caller (predict, evaluate,
serve, bench) picks an engine by name and never asks which one it has.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from biofm.core import layout
from biofm.core.errors import BiofmError, ConfigError
from biofm.modeling.adaptation import is_adapter

ENGINES = ("torch", "onnx", "onnx-int8")
EXPORT_DIR = layout.EXPORT
ONNX_FILES = {"onnx": "model.onnx", "onnx-int8": "model.int8.onnx"}


class LogitsOnly(torch.nn.Module):
    """ONNX graphs return tensors, not dicts."""

    def __init__(self, model: torch.nn.Module):
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                extra: torch.Tensor | None = None) -> torch.Tensor:
        return self.model(input_ids, attention_mask, extra)["logits"]


def plain_model(model: torch.nn.Module) -> torch.nn.Module:
    """fp32, eval mode, LoRA adapters folded in (an adapter graph exports as plain matmuls anyway)."""
    if is_adapter(model):
        model.encoder = model.encoder.merge_and_unload()
    return model.float().eval()


class OnnxPredictor:
    """Runs an exported graph where a ``Predictor`` would run (same inputs, same ``{"logits": …}``)."""

    device = torch.device("cpu")

    def __init__(self, path: Path, threads: int | None = None):
        import onnxruntime as ort

        if not path.is_file():
            raise BiofmError(f"{path}: not exported yet; run `biofm export {path.parent.parent}` first")
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def __call__(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                 extra: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        feed = {"input_ids": input_ids.numpy().astype(np.int64),
                "attention_mask": attention_mask.numpy().astype(np.int64)}
        if extra is not None:  # a head that reads extra features (the graph then has a third input)
            feed["extra"] = extra.numpy().astype(np.float32)
        return {"logits": torch.from_numpy(self.session.run(None, feed)[0])}


def engine_model(run_dir: Path, model: torch.nn.Module, engine: str):
    """The model ``engine`` names for a run: its PyTorch module, or the exported ONNX graph."""
    if engine not in ENGINES:
        raise ConfigError(f"--engine: expected one of {', '.join(ENGINES)}, got {engine!r}")
    if engine == "torch":
        return model
    return OnnxPredictor(Path(run_dir) / EXPORT_DIR / ONNX_FILES[engine])
