"""How much of a pretrained encoder fine-tuning changes: all of it, LoRA adapters, or nothing (probe).

Why three: full fine-tuning is the most accurate; LoRA (via ``peft``) trains ~2 % of the weights and
stores only those, so one base checkpoint serves many tasks; a frozen probe costs one encoder pass
per input, after which epochs train only the head on cached embeddings.
"""

from __future__ import annotations

import numpy as np
import torch
from peft import LoraConfig, PeftModel, get_peft_model
from torch import nn
from torch.utils.data import Dataset

from biofm.core.config import ModelConfig
from biofm.core.errors import ConfigError
from biofm.modeling.encoding import Collator, EncodedDataset
from biofm.modeling.model import Predictor, task_loss


def check_adaptation(cfg: ModelConfig) -> None:
    """Before any work: LoRA and probes adapt a pretrained encoder, they cannot start from random weights."""
    if cfg.adaptation != "full" and not cfg.pretrained:
        raise ConfigError(f"model.adaptation: {cfg.adaptation!r} adapts a pretrained encoder; set model.pretrained "
                          "(e.g. models/smiles-mini) or use adaptation: full")


def adapt(model: Predictor, cfg: ModelConfig) -> Predictor:
    """Wrap or freeze the encoder as ``cfg.adaptation`` asks; the head always trains."""
    if cfg.adaptation == "full":
        return model
    if cfg.adaptation == "probe":
        model.encoder.requires_grad_(False)
        return model
    targets = list(cfg.lora_targets) or attention_targets(model.encoder)
    lora = LoraConfig(r=cfg.lora_rank, lora_alpha=cfg.lora_alpha, target_modules=targets, lora_dropout=0.05,
                      bias="none")
    try:
        model.encoder = get_peft_model(model.encoder, lora)
    except ValueError as exc:  # peft names the missing target modules
        raise ConfigError(f"model.lora_targets: {exc}") from None
    return model


# query and value projections (or the fused projection holding them) as each architecture names them, as in
# the LoRA paper: BERT / RoBERTa / ELECTRA / ESM, DeBERTa-v2, Llama-style and MoLFormer, MPNet, ModernBERT, GPT-2
ATTENTION_PROJECTIONS = (("query", "value"), ("query_proj", "value_proj"), ("q_proj", "v_proj"), ("q", "v"),
                         ("Wqkv",), ("qkv",), ("c_attn",))


def attention_targets(encoder: nn.Module) -> list[str]:
    """The LoRA targets of ``encoder``: the first set of ``ATTENTION_PROJECTIONS`` all present as linear layers."""
    linear = {name.rsplit(".", 1)[-1] for name, module in encoder.named_modules() if isinstance(module, nn.Linear)}
    for names in ATTENTION_PROJECTIONS:
        if set(names) <= linear:
            return list(names)
    raise ConfigError(f"model.lora_targets: no query/value projections found in {type(encoder).__name__} (its linear "
                      f"layers: {', '.join(sorted(linear)[:12])}); name the modules to adapt in model.lora_targets")


def trainable_fraction(model: nn.Module) -> float:
    """The share of parameters that train: 1.0 (full), a few percent (LoRA), the head (probe)."""
    total = sum(p.numel() for p in model.parameters())
    return sum(p.numel() for p in model.parameters() if p.requires_grad) / max(total, 1)


def finish(model: Predictor, cfg: ModelConfig) -> Predictor:
    """Before saving: fold LoRA adapters into the weights when ``lora_merge`` asks for a plain model."""
    if cfg.adaptation == "lora" and cfg.lora_merge:
        model.encoder = model.encoder.merge_and_unload()
    return model


def is_adapter(model: Predictor) -> bool:
    """Whether the encoder carries LoRA adapters (peft) that are not merged."""
    return isinstance(model.encoder, PeftModel)


class CachedFeatures(Dataset):
    """What the head reads, computed once by the frozen encoder, with their targets (probe training):
    the pooled embedding, and beside it the extra features where the model has them."""

    def __init__(self, model: Predictor, texts: list[str], targets: np.ndarray, tokenizer, max_length: int,
                 bf16: bool, extra: np.ndarray | None = None):
        self.features = embed_all(model, texts, tokenizer, max_length, bf16)
        if extra is not None:
            self.features = torch.cat([self.features, torch.as_tensor(extra, dtype=self.features.dtype)], dim=1)
        self.targets = targets

    def __len__(self) -> int:
        return len(self.features)

    def __getitem__(self, i: int) -> dict:
        return {"features": self.features[i], "labels": self.targets[i]}


@torch.inference_mode()
def embed_all(model: Predictor, texts: list[str], tokenizer, max_length: int, bf16: bool,
              batch_size: int = 128) -> torch.Tensor:
    """Pooled embeddings of ``texts`` in batches, under bf16 autocast where asked (probe training)."""
    dataset = EncodedDataset(texts, None, tokenizer, max_length)
    collate = Collator(tokenizer.pad_token_id)
    chunks = []
    for start in range(0, len(dataset), batch_size):
        batch = collate([dataset[i] for i in range(start, min(start + batch_size, len(dataset)))])
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            chunks.append(model.embed(batch["input_ids"], batch["attention_mask"]).float())
    return torch.cat(chunks)


class HeadOnly(nn.Module):
    """The predictor's head (shared, not copied) trained on cached features."""

    def __init__(self, model: Predictor):
        super().__init__()
        self.head, self.mode = model.head, model.mode

    def forward(self, features, labels=None, **_unused) -> dict[str, torch.Tensor]:
        logits = self.head(features)
        out = {"logits": logits}
        if labels is not None:
            out["loss"] = task_loss(self.mode, logits.float(), labels)
        return out


def stack_features(items: list[dict]) -> dict[str, torch.Tensor]:
    """Collate cached embeddings and their targets into one batch."""
    return {"features": torch.stack([i["features"] for i in items]),
            "labels": torch.as_tensor(np.stack([i["labels"] for i in items]))}
