"""From validated inputs to padded token-id batches; batched inference.

This is where modality-specific data stops: after this module everything is token ids.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch.utils.data import Dataset
from transformers import PreTrainedTokenizerBase

Augment = Callable[[str, np.random.Generator], str]


class EncodedDataset(Dataset):
    """Inputs (and optional targets) tokenised once, or on the fly when augmenting.

    Augmented copies are tokenised per access so each epoch sees a new variant.  Their randomness
    is drawn from torch's global RNG, which the Trainer seeds and saves in every checkpoint, so a
    resumed run augments exactly as an uninterrupted one would.
    """

    def __init__(self, inputs: list[str], targets: np.ndarray | None, tokenizer: PreTrainedTokenizerBase,
                 max_length: int, augment: Augment | None = None, extra: np.ndarray | None = None):
        self.inputs, self.targets, self.extra = inputs, targets, extra  # extra: features per input (fixed)
        self.tokenizer, self.max_length = tokenizer, max_length
        self.augment = augment
        self.encoded = None if augment else self._tokenize(inputs)

    def _tokenize(self, texts: list[str]) -> list[list[int]]:
        return self.tokenizer(texts, truncation=True, max_length=self.max_length)["input_ids"]

    def __len__(self) -> int:
        return len(self.inputs)

    def __getitem__(self, i: int) -> dict:
        if self.encoded is not None:
            ids = self.encoded[i]
        else:
            rng = np.random.default_rng(int(torch.randint(0, 2**62, ()).item()))
            ids = self._tokenize([self.augment(self.inputs[i], rng)])[0]
        item = {"input_ids": ids}
        if self.extra is not None:
            item["extra"] = self.extra[i]
        if self.targets is not None:
            item["labels"] = self.targets[i]
        return item


def count_truncated(inputs: list[str], tokenizer: PreTrainedTokenizerBase, max_length: int) -> int:
    """How many inputs are longer than the model sees (reported, never silent)."""
    lengths = [len(ids) for ids in tokenizer(inputs, truncation=False)["input_ids"]]
    return int(sum(n > max_length for n in lengths))


class Collator:
    """Pad to the longest item in the batch (dynamic padding), stack targets."""

    def __init__(self, pad_token_id: int):
        self.pad_token_id = pad_token_id

    def __call__(self, items: list[dict]) -> dict[str, torch.Tensor]:
        width = max(len(item["input_ids"]) for item in items)
        ids = torch.full((len(items), width), self.pad_token_id, dtype=torch.long)
        mask = torch.zeros((len(items), width), dtype=torch.long)
        for row, item in enumerate(items):
            ids[row, : len(item["input_ids"])] = torch.tensor(item["input_ids"])
            mask[row, : len(item["input_ids"])] = 1
        batch = {"input_ids": ids, "attention_mask": mask}
        if "extra" in items[0]:
            batch["extra"] = torch.as_tensor(np.stack([item["extra"] for item in items]))
        if "labels" in items[0]:
            batch["labels"] = torch.as_tensor(np.stack([item["labels"] for item in items]))
        return batch


def use_bf16(precision: str) -> bool:
    """bf16 autocast where the hardware runs it natively (AVX-512 BF16 / AMX CPUs, Ampere+ GPUs).

    Elsewhere bf16 is emulated and slower than fp32, so "auto" falls back to fp32.
    """
    if precision != "auto":
        return precision == "bf16"
    if torch.cuda.is_available():
        return torch.cuda.is_bf16_supported()
    native = getattr(torch.cpu, "_is_avx512_bf16_supported", None)  # no public API for this yet
    return bool(native and native())


@torch.inference_mode()
def predict_logits(model: torch.nn.Module, inputs: list[str], tokenizer: PreTrainedTokenizerBase,
                   max_length: int, batch_size: int = 64, bf16: bool = False,
                   extra: np.ndarray | None = None) -> np.ndarray:
    """Raw outputs in input order; batches are formed from similar lengths to waste less padding.

    ``extra``: the whole-input features of each input, for a model whose head reads them.
    """
    dataset = EncodedDataset(inputs, None, tokenizer, max_length, extra=extra)
    order = np.argsort([len(ids) for ids in dataset.encoded], kind="stable")
    collate = Collator(tokenizer.pad_token_id)
    device = getattr(model, "device", None) or next(model.parameters()).device  # ONNX graphs name theirs
    chunks = []
    for start in range(0, len(order), batch_size):
        batch = collate([dataset[i] for i in order[start : start + batch_size]])
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=bf16):
            extras = {"extra": batch["extra"].to(device)} if "extra" in batch else {}
            logits = model(batch["input_ids"].to(device), batch["attention_mask"].to(device), **extras)["logits"]
        chunks.append(logits.float().cpu().numpy())
    out = np.empty((len(inputs), chunks[0].shape[1]), dtype=np.float32)
    out[order] = np.concatenate(chunks)
    return out
