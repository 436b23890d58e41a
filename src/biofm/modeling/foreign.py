"""Checkpoints from elsewhere: what a field's own model may bring that biofm must not run blindly.

Why a module of its own: a user's ChemBERTa, DNABERT-2 or Nucleotide Transformer checkpoint can ship
Python files (``auto_map`` + ``trust_remote_code``) and pickle weights, both of which run code on load;
custom code written for GPUs (DNABERT-2's Triton flash attention) crashes on a CPU; and an older checkpoint
(rxnfp's BERT) may name no ``model_type`` and bring only a bare ``vocab.txt``, which transformers would read
with a guessed architecture and a lower-casing tokenizer.  Each is checked here, before any work, with one
line that names the flag to set or the command that fixes it (``conversion.convert_checkpoint``).
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import torch
from transformers import CONFIG_MAPPING

from biofm.core.errors import ConfigError

# The families the test-suite takes through train (full, LoRA, probe) → predict → explain → ONNX → serve, each
# from a tiny random checkpoint with a tokenizer of its kind (tests/modeling/test_checkpoint_families.py)
VERIFIED_FAMILIES = {
    "roberta": ("ChemBERTa / ChemBERTa-2", "DeepChem/ChemBERTa-77M-MTR", "molecule", "byte-level BPE on SMILES"),
    "esm": ("Nucleotide Transformer v2", "InstaDeepAI/nucleotide-transformer-v2-50m-multi-species", "dna",
            "6-mers cut from raw DNA by its own tokenizer"),
    "bert-characters": ("HyenaDNA-style character tokens (on BERT)", "LongSafari/hyenadna-tiny-1k-seqlen-hf", "dna",
                        "one token per base; HyenaDNA itself needs its custom code"),
    "bert": ("Bio_ClinicalBERT / PubMedBERT / BioBERT", "emilyalsentzer/Bio_ClinicalBERT", "text", "WordPiece"),
    "modernbert": ("ModernBERT", "answerdotai/ModernBERT-base", "text", "fused Wqkv projection (LoRA target)"),
    "deberta-v2": ("DeBERTa-v3", "microsoft/deberta-v3-small", "text", "query_proj / value_proj"),
    "electra": ("ELECTRA", "google/electra-small-discriminator", "text", "embedding width below hidden width"),
    "mpnet": ("MPNet", "microsoft/mpnet-base", "text", "q / v projections"),
    "custom-code": ("DNABERT-2 / MoLFormer-style custom code", "zhihan1996/DNABERT-2-117M", "dna",
                    "auto_map + trust_remote_code; Triton hidden on CPU; the code is copied into the run"),
}
GPU_ONLY_MODULES = ("triton", "flash_attn")  # hidden on CPU: custom code then takes its plain PyTorch path
PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".ckpt")
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json")  # a tokenizer that says how it cuts its inputs


def check_checkpoint_code(local: Path, spec: str, trust_remote_code: bool, allow_pickle: bool) -> None:
    """Refuse what would run a checkpoint's code unless the user asked: its own Python files, pickle weights."""
    if not (local / "config.json").is_file():
        return  # a hub id: from_pretrained applies the same two flags itself
    config = json.loads((local / "config.json").read_text(encoding="utf-8"))
    if needs_remote_code(config) and not trust_remote_code:
        files = ", ".join(sorted(p.name for p in local.glob("*.py"))) or "files named in its auto_map"
        raise ConfigError(f"model.pretrained: {spec} ships its own model code ({files}); biofm runs it only with "
                          "model.trust_remote_code: true — read those files first")
    convert = f"convert it once with `biofm convert-checkpoint {spec} NEW_FOLDER --modality MODALITY`"
    weights = [p for p in local.iterdir() if p.suffix == ".safetensors"]
    pickles = [p.name for p in local.iterdir() if p.suffix in PICKLE_SUFFIXES]
    if not weights and pickles and not allow_pickle:
        raise ConfigError(f"model.pretrained: {spec} has only pickle weights ({', '.join(sorted(pickles))}), which "
                          f"can run code when loaded; {convert} (safetensors; it unpickles tensors only), or set "
                          "model.allow_pickle: true")
    if not config.get("model_type"):
        raise ConfigError(f"model.pretrained: {spec}/config.json names no model_type, so transformers would guess "
                          f"the architecture from the folder's name; {convert}, which reads it from the weights")
    if (local / "vocab.txt").is_file() and not any((local / f).is_file() for f in TOKENIZER_FILES):
        raise ConfigError(f"model.pretrained: {spec} has a bare vocab.txt, which transformers reads as a lower-casing "
                          f"WordPiece (Cl becomes cl); {convert}, which builds the modality's tokenizer onto it")


def needs_remote_code(config: dict) -> bool:
    """Whether a ``config.json`` names model classes transformers does not have (only its own files do)."""
    return bool(config.get("auto_map")) and config.get("model_type") not in CONFIG_MAPPING


def load_options(trust_remote_code: bool, allow_pickle: bool) -> dict:
    """Keyword arguments of ``from_pretrained`` that keep the two promises above."""
    return {"trust_remote_code": trust_remote_code, "use_safetensors": None if allow_pickle else True}


@contextlib.contextmanager
def plain_pytorch() -> Iterator[None]:
    """On a machine without a GPU, make ``import triton`` / ``import flash_attn`` fail while custom code loads,
    so code written like DNABERT-2's (``try: import triton … except ImportError``) takes its PyTorch path
    instead of crashing in a GPU kernel."""
    if torch.cuda.is_available():
        yield
        return
    saved = {name: sys.modules.get(name) for name in GPU_ONLY_MODULES}
    sys.modules.update(dict.fromkeys(GPU_ONLY_MODULES))  # None in sys.modules: the import raises ImportError
    try:
        yield
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
