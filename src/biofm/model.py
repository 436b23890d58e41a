"""Encoder + prediction head: any HuggingFace encoder, or a size preset trained from scratch.

``Predictor = encoder + pooling + head + task loss``.  The encoder is whatever ``AutoModel``
loads (so a user's ChemBERTa, DNABERT or BioBERT checkpoint works by path or hub id); the head
and loss depend only on the task's ``mode`` and number of outputs, never on the modality.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import torch
import transformers
from safetensors.torch import load_file, save_file
from torch import nn
from transformers import AutoConfig, AutoModel, BertConfig, PreTrainedModel

from biofm.config import ModelConfig
from biofm.errors import ConfigError, RunFolderError
from biofm.runs import atomic_path
from biofm.tables import package_path

transformers.utils.logging.disable_progress_bar()  # Rich reports progress; no tqdm bars on load/save

# Small BERTs for training from scratch on CPU (width, layers, heads).  "small" is the 4-layer,
# 256-wide model whose throughput is measured in FACTS.md; "tiny" exists for tests.
PRESETS = {
    "tiny": dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64),
    "mini": dict(hidden_size=128, num_hidden_layers=4, num_attention_heads=4, intermediate_size=512),
    "small": dict(hidden_size=256, num_hidden_layers=4, num_attention_heads=4, intermediate_size=1024),
    "base": dict(hidden_size=512, num_hidden_layers=6, num_attention_heads=8, intermediate_size=2048),
}
POOLINGS = ("mean", "cls")
CHECKPOINT_INFO = "biofm.json"  # written by `biofm pretrain` beside config.json


def preset_config(preset: str, vocab_size: int, pad_token_id: int, dropout: float) -> BertConfig:
    if preset not in PRESETS:
        raise ConfigError(f"model.preset: unknown preset {preset!r} (known: {', '.join(PRESETS)})")
    return BertConfig(
        vocab_size=vocab_size,
        pad_token_id=pad_token_id,
        max_position_embeddings=512,
        hidden_dropout_prob=dropout,
        attention_probs_dropout_prob=dropout,
        **PRESETS[preset],
    )


def preset_encoder(preset: str, vocab_size: int, pad_token_id: int, dropout: float) -> PreTrainedModel:
    return AutoModel.from_config(preset_config(preset, vocab_size, pad_token_id, dropout))


def checkpoint_info(name_or_path: str) -> dict:
    """What a biofm-pretrained checkpoint says about itself (``biofm.json``: modality, tokenizer spec).

    Other checkpoints (a hub id, a user's own model) carry no such file: an empty dict.
    """
    path = Path(name_or_path) / CHECKPOINT_INFO
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"model.pretrained: {path} is unreadable ({exc})") from None


def pretrained_encoder(name_or_path: str) -> PreTrainedModel:
    """Load an encoder by local path (offline) or hub id (needs network or a local cache)."""
    try:
        return AutoModel.from_pretrained(name_or_path)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"model.pretrained: cannot load {name_or_path!r}: {exc}") from None


class Predictor(nn.Module):
    """Encoder → pooled vector → 2-layer head → one output per class / task."""

    def __init__(self, encoder: PreTrainedModel, n_outputs: int, mode: str, pooling: str, dropout: float):
        super().__init__()
        if pooling not in POOLINGS:
            raise ConfigError(f"model.pooling: expected one of {POOLINGS}, got {pooling!r}")
        self.encoder, self.mode, self.pooling = encoder, mode, pooling
        width = encoder.config.hidden_size
        self.head = nn.Sequential(
            nn.Dropout(dropout), nn.Linear(width, width), nn.GELU(), nn.Dropout(dropout), nn.Linear(width, n_outputs)
        )

    def forward(self, input_ids, attention_mask, labels=None, **_unused) -> dict[str, torch.Tensor]:
        logits = self.head(self.embed(input_ids, attention_mask))  # (batch, n_outputs)
        out = {"logits": logits}
        if labels is not None:
            out["loss"] = task_loss(self.mode, logits.float(), labels)
        return out

    def embed(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state  # (b, t, h)
        if self.pooling == "cls":
            return hidden[:, 0]
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)


def task_loss(mode: str, logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Cross-entropy, or masked BCE / MSE where missing labels (NaN) drop out of the loss."""
    if mode == "multiclass":
        return nn.functional.cross_entropy(logits, targets.long())
    known = ~torch.isnan(targets)
    if not known.any():
        return logits.sum() * 0.0  # a batch with no labels: zero loss that keeps the graph
    if mode == "multilabel":
        return nn.functional.binary_cross_entropy_with_logits(logits[known], targets[known])
    return nn.functional.mse_loss(logits[known], targets[known])


def build_predictor(cfg: ModelConfig, tokenizer, n_outputs: int, mode: str) -> Predictor:
    if cfg.pretrained:
        encoder = pretrained_encoder(cfg.pretrained)
    else:
        encoder = preset_encoder(cfg.preset, len(tokenizer), tokenizer.pad_token_id, cfg.dropout)
    return Predictor(encoder, n_outputs, mode, cfg.pooling, cfg.dropout)


def save_predictor(model: Predictor, run_dir: Path, adaptation: str = "full", base: str | None = None) -> None:
    """Weights as safetensors plus the encoder's config, so loading needs no network and no code.

    A LoRA run (adapters not merged) stores only the adapters and the head, plus a pointer to the
    base checkpoint (``base``) they apply to.
    """
    from biofm.adaptation import is_adapter, save_adapter

    adapter = is_adapter(model)
    encoder_config = model.encoder.get_base_model().config if adapter else model.encoder.config
    encoder_config.save_pretrained(run_dir / "encoder")
    head = {"n_outputs": model.head[-1].out_features, "mode": model.mode, "pooling": model.pooling,
            "dropout": model.head[0].p, "adaptation": adaptation, "base": base if adapter else None}
    with atomic_path(run_dir / "head.json") as tmp:
        tmp.write_text(json.dumps(head, indent=2))
    state = save_adapter(model, run_dir) if adapter else {
        k: v.detach().contiguous() for k, v in model.state_dict().items()}
    with atomic_path(run_dir / "model.safetensors") as tmp:
        save_file(state, str(tmp), metadata={"format": "biofm-predictor"})


def load_predictor(run_dir: Path) -> Predictor:
    from biofm.adaptation import load_adapter_encoder

    try:
        head = json.loads((run_dir / "head.json").read_text())
        adapter = head.get("base") is not None
        encoder = (load_adapter_encoder(run_dir, head["base"]) if adapter
                   else AutoModel.from_config(AutoConfig.from_pretrained(run_dir / "encoder")))
        model = Predictor(encoder, head["n_outputs"], head["mode"], head["pooling"], head["dropout"])
        missing, unexpected = model.load_state_dict(load_file(run_dir / "model.safetensors"), strict=False)
    except (OSError, KeyError, ValueError, json.JSONDecodeError) as exc:
        raise RunFolderError(f"{run_dir}: cannot load the model ({exc})") from None
    if adapter:  # the encoder came from the base + adapters; the file holds the head
        missing = [k for k in missing if k.startswith("head.")]
    if missing or unexpected:
        raise RunFolderError(
            f"{run_dir}: weights do not match the model (missing {missing[:3]}, unexpected {unexpected[:3]})"
        )
    return model.eval()


def adopt_checkpoint(cfg: ModelConfig, modality: str) -> ModelConfig:
    """Take the tokenizer spec a biofm checkpoint was pretrained with; refuse a contradicting one.

    A DNA checkpoint pretrained on disjoint 6-mers reads garbage if fine-tuned on overlapping ones,
    and a SMILES checkpoint cannot read DNA: both are config mistakes, reported before any work.
    """
    if not cfg.pretrained:
        return cfg
    local = package_path(cfg.pretrained, "model.pretrained")
    if cfg.pretrained.startswith("pkg:") and not local.is_dir():
        raise ConfigError(f"model.pretrained: {cfg.pretrained!r}: no checkpoint folder at {local}")
    pretrained = str(local.absolute()) if local.is_dir() else cfg.pretrained  # still found from another cwd
    info = checkpoint_info(pretrained)
    if info.get("modality") not in (None, modality):
        raise ConfigError(f"model.pretrained: {cfg.pretrained} was pretrained on {info['modality']}, not {modality}")
    spec = info.get("tokenizer")
    if spec is not None and cfg.tokenizer not in (None, spec):
        raise ConfigError(f"model.tokenizer: {cfg.tokenizer!r} contradicts {cfg.pretrained}, which was "
                          f"pretrained with {spec!r}; leave model.tokenizer unset")
    return replace(cfg, pretrained=pretrained, tokenizer=cfg.tokenizer or spec)
