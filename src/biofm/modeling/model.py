"""Encoder + prediction head: any HuggingFace encoder, or a size preset trained from scratch.

``Predictor = encoder + pooling + head + task loss``.  The encoder is whatever ``AutoModel``
loads (so a user's ChemBERTa, DNABERT or BioBERT checkpoint works by path or hub id); the head
and loss depend only on the task's ``mode`` and number of outputs, never on the modality.
"""

from __future__ import annotations

import torch
import transformers
from torch import nn
from transformers import AutoConfig, AutoModel, BertConfig, PreTrainedModel

from biofm.core.config import ModelConfig
from biofm.core.errors import ConfigError, one_line
from biofm.modeling.foreign import load_options, plain_pytorch

transformers.utils.logging.disable_progress_bar()  # Rich reports progress; no tqdm bars on load/save

# Small BERTs for training from scratch on CPU (width, layers, heads).  "small" is the 4-layer,
# 256-wide model whose throughput `biofm bench` measures; "tiny" exists for tests.
PRESETS = {
    "tiny": dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64),
    "mini": dict(hidden_size=128, num_hidden_layers=4, num_attention_heads=4, intermediate_size=512),
    "small": dict(hidden_size=256, num_hidden_layers=4, num_attention_heads=4, intermediate_size=1024),
    "base": dict(hidden_size=512, num_hidden_layers=6, num_attention_heads=8, intermediate_size=2048),
}
POOLINGS = ("mean", "cls")
PRESET_POSITIONS = 512  # position table of a preset trained from scratch


def preset_config(preset: str, vocab_size: int, pad_token_id: int, dropout: float) -> BertConfig:
    """The BERT config of a size preset (``PRESETS``) for training from scratch."""
    if preset not in PRESETS:
        raise ConfigError(f"model.preset: unknown preset {preset!r} (known: {', '.join(PRESETS)})")
    return BertConfig(
        vocab_size=vocab_size,
        pad_token_id=pad_token_id,
        max_position_embeddings=PRESET_POSITIONS,
        hidden_dropout_prob=dropout,
        attention_probs_dropout_prob=dropout,
        **PRESETS[preset],
    )


def preset_encoder(preset: str, vocab_size: int, pad_token_id: int, dropout: float) -> PreTrainedModel:
    """A randomly initialised encoder of a size preset."""
    return AutoModel.from_config(preset_config(preset, vocab_size, pad_token_id, dropout))


def pretrained_encoder(name_or_path: str, trust_remote_code: bool = False,
                       allow_pickle: bool = False) -> PreTrainedModel:
    """Load an encoder by local path (offline) or hub id (needs network or a local cache): safetensors only and
    no checkpoint code unless allowed (``foreign``); custom code loads its plain PyTorch path on a CPU."""
    try:
        with plain_pytorch():
            return AutoModel.from_pretrained(name_or_path, **load_options(trust_remote_code, allow_pickle))
    except (OSError, ValueError, ImportError) as exc:
        raise ConfigError(f"model.pretrained: cannot load {name_or_path!r} ({one_line(exc)})") from None


def check_max_length(cfg: ModelConfig) -> None:
    """Before any work: ``model.max_length`` must fit the encoder's position table, or every input
    longer than the table fails deep inside torch with a size mismatch."""
    if cfg.pretrained:
        try:
            encoder = AutoConfig.from_pretrained(cfg.pretrained, trust_remote_code=cfg.trust_remote_code)
        except (OSError, ValueError):
            return  # not loadable here: loading the encoder says why, clearly
        positions = getattr(encoder, "max_position_embeddings", None)
        positions = positions - 2 if positions and encoder.model_type in ("roberta", "xlm-roberta", "camembert") \
            else positions  # RoBERTa's table starts at position 2
    else:
        positions = PRESET_POSITIONS
    if positions and cfg.max_length > positions:
        raise ConfigError(f"model.max_length: {cfg.max_length} is beyond the encoder's {positions} positions; "
                          f"use at most {positions} (longer inputs: data.window)")


class Predictor(nn.Module):
    """Encoder → pooled vector (+ ``n_extra`` whole-input features) → 2-layer head → one output per class / task."""

    def __init__(self, encoder: PreTrainedModel, n_outputs: int, mode: str, pooling: str, dropout: float,
                 n_extra: int = 0, head_width: int | None = None):
        super().__init__()
        if pooling not in POOLINGS:
            raise ConfigError(f"model.pooling: expected one of {POOLINGS}, got {pooling!r}")
        self.encoder, self.mode, self.pooling, self.n_extra = encoder, mode, pooling, n_extra
        width = encoder.config.hidden_size
        hidden = head_width or width
        self.head = nn.Sequential(nn.Dropout(dropout), nn.Linear(width + n_extra, hidden), nn.GELU(),
                                  nn.Dropout(dropout), nn.Linear(hidden, n_outputs))

    def forward(self, input_ids, attention_mask, extra=None, labels=None, **_unused) -> dict[str, torch.Tensor]:
        logits = self.head(self.head_input(input_ids, attention_mask, extra))  # (batch, n_outputs)
        out = {"logits": logits}
        if labels is not None:
            out["loss"] = task_loss(self.mode, logits.float(), labels)
        return out

    def head_input(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                   extra: torch.Tensor | None = None) -> torch.Tensor:
        """What the head reads: the pooled embedding, and the extra features when the model has them."""
        pooled = self.embed(input_ids, attention_mask)
        if not self.n_extra:
            return pooled
        if extra is None or extra.shape[-1] != self.n_extra:
            raise ValueError(f"this model reads {self.n_extra} extra features per input; got "
                             f"{'none' if extra is None else extra.shape[-1]}")
        return torch.cat([pooled, extra.to(pooled.dtype)], dim=-1)

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


def build_predictor(cfg: ModelConfig, tokenizer, n_outputs: int, mode: str, n_extra: int = 0) -> Predictor:
    """Encoder (pretrained, or a preset from scratch) + pooling + a head for the task (and ``n_extra`` features)."""
    if cfg.pretrained:
        encoder = pretrained_encoder(cfg.pretrained, cfg.trust_remote_code, cfg.allow_pickle)
    else:
        encoder = preset_encoder(cfg.preset, len(tokenizer), tokenizer.pad_token_id, cfg.dropout)
    return Predictor(encoder, n_outputs, mode, cfg.pooling, cfg.dropout, n_extra, cfg.head_width)


