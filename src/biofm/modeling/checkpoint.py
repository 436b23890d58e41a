"""A trained predictor on disk, and a pretrained checkpoint's own description of itself.

Why apart from ``model.py``: the network is one thing, its file format another.  A run folder stores
safetensors weights, the encoder's ``config.json`` and ``head.json`` (so loading needs no network and
no pickle); a LoRA run stores only its adapters and head, and points at the base checkpoint.  A
checkpoint written by ``biofm pretrain`` carries ``biofm.json`` (modality, tokenizer spec), which
fine-tuning adopts so the two cannot disagree.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import torch
from peft import PeftModel
from safetensors.torch import load_file, save_file
from transformers import AutoConfig, AutoModel, AutoTokenizer, PreTrainedTokenizerBase

from biofm.core import layout
from biofm.core.config import ModelConfig
from biofm.core.errors import ConfigError, RunFolderError, one_line
from biofm.core.io import atomic_path
from biofm.core.tables import package_path
from biofm.modalities.base import OWN_TOKENIZER
from biofm.modeling.adaptation import is_adapter
from biofm.modeling.ensemble import Ensemble, members
from biofm.modeling.foreign import check_checkpoint_code, load_options, needs_remote_code, plain_pytorch
from biofm.modeling.model import POOLINGS, Predictor

CHECKPOINT_INFO = layout.CHECKPOINT_INFO
MAX_MEMBERS = 32  # train.ensemble's ceiling (a larger number in head.json is an edit, not a run)
MAX_HEAD_WIDTH = 65_536  # likewise for a head's hidden layer


def save_predictor(model: Predictor, run_dir: Path, adaptation: str = "full", base: str | None = None) -> None:
    """Weights as safetensors plus the encoder's config, so loading needs no network and no code.

    A LoRA run (adapters not merged) stores only the adapters and the head, plus a pointer to the
    base checkpoint (``base``) they apply to.
    """
    adapter = is_adapter(model)
    encoder_config = model.encoder.get_base_model().config if adapter else model.encoder.config
    encoder_config.save_pretrained(run_dir / layout.ENCODER)
    remote = needs_remote_code(encoder_config.to_dict())
    if remote:  # the checkpoint's own model code travels with the run, so the run folder reloads on its own
        for source in Path(encoder_config._name_or_path).glob("*.py"):
            shutil.copyfile(source, run_dir / layout.ENCODER / source.name)
    head = {"n_outputs": model.head[-1].out_features, "mode": model.mode, "pooling": model.pooling,
            "dropout": model.head[0].p, "n_extra": model.n_extra, "head_width": model.head[1].out_features,
            "members": len(members(model)),
            "adaptation": adaptation, "base": base if adapter else None, "trust_remote_code": remote}
    with atomic_path(run_dir / layout.HEAD) as tmp:
        tmp.write_text(json.dumps(head, indent=2))
    state = save_adapter(model, run_dir) if adapter else {
        k: v.detach().contiguous() for k, v in model.state_dict().items()}
    with atomic_path(run_dir / layout.WEIGHTS) as tmp:
        save_file(state, str(tmp), metadata={"format": "biofm-predictor"})


def load_predictor(run_dir: Path) -> Predictor | Ensemble:
    """The trained predictor of a run folder (base + adapters for a LoRA run; all members of an ensemble);
    a mismatch is a clear error."""
    head = read_head(run_dir)
    adapter = head.get("base") is not None
    built = [_predictor(run_dir, head, adapter) for _ in range(head.get("members", 1))]
    model = built[0] if len(built) == 1 else Ensemble(built)
    try:
        weights = load_file(run_dir / layout.WEIGHTS)
    except Exception as exc:  # safetensors raises its own type for a truncated file
        raise RunFolderError(f"{run_dir / layout.WEIGHTS}: unreadable, truncated or not safetensors "
                             f"({one_line(exc)}); re-train or restore the file") from None
    try:
        missing, unexpected = model.load_state_dict(weights, strict=False)
    except RuntimeError as exc:  # a tensor of the wrong shape
        raise RunFolderError(f"{run_dir / layout.WEIGHTS}: weights do not fit the model ({one_line(exc)})") from None
    if adapter:  # the encoder came from the base + adapters; the file holds the head
        missing = [k for k in missing if k.startswith("head.")]
    if missing or unexpected:
        raise RunFolderError(
            f"{run_dir}: weights do not match the model (missing {missing[:3]}, unexpected {unexpected[:3]})"
        )
    return model.eval()


def _predictor(run_dir: Path, head: dict, adapter: bool) -> Predictor:
    try:
        trust = head.get("trust_remote_code") is True  # the run was trained with model.trust_remote_code: true
        with plain_pytorch():
            encoder = (load_adapter_encoder(run_dir, head["base"], trust) if adapter else AutoModel.from_config(
                AutoConfig.from_pretrained(run_dir / layout.ENCODER, trust_remote_code=trust), trust_remote_code=trust))
    except RunFolderError:
        raise
    except Exception as exc:  # transformers raises many types for a damaged config.json
        raise RunFolderError(f"{run_dir / layout.ENCODER}: not a loadable encoder config ({one_line(exc)})") from None
    return Predictor(encoder, head["n_outputs"], head["mode"], head["pooling"], head["dropout"], head.get("n_extra", 0),
                     head.get("head_width"))


def read_head(run_dir: Path) -> dict:
    """``head.json``, checked field by field (an edited one would fail deep inside torch otherwise)."""
    path = run_dir / layout.HEAD
    try:
        head = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RunFolderError(f"{path}: missing; is this a biofm run folder?") from None
    except (OSError, ValueError) as exc:
        raise RunFolderError(f"{path}: unreadable ({one_line(exc)})") from None
    problems = [] if isinstance(head, dict) else ["expected a JSON object"]
    if not problems:
        if not (isinstance(head.get("n_outputs"), int) and head["n_outputs"] >= 1):
            problems.append(f"n_outputs {head.get('n_outputs')!r} is not a positive integer")
        if head.get("mode") not in ("multiclass", "multilabel", "regression"):
            problems.append(f"mode {head.get('mode')!r} is unknown")
        if head.get("pooling") not in POOLINGS:
            problems.append(f"pooling {head.get('pooling')!r} is unknown")
        if not (isinstance(head.get("dropout"), int | float) and 0 <= head["dropout"] < 1):
            problems.append(f"dropout {head.get('dropout')!r} is not in [0, 1)")
        n_extra = head.get("n_extra", 0)
        if not (_is_int(n_extra) and 0 <= n_extra <= 100_000):
            problems.append(f"n_extra {n_extra!r} is not a feature count")
        width = head.get("head_width")
        if not (width is None or (_is_int(width) and 1 <= width <= MAX_HEAD_WIDTH)):
            problems.append(f"head_width {width!r} is not a layer width from 1 to {MAX_HEAD_WIDTH}")
        if head.get("trust_remote_code", False) not in (True, False):
            problems.append(f"trust_remote_code {head.get('trust_remote_code')!r} is not true or false")
        count = head.get("members", 1)
        if not (_is_int(count) and 1 <= count <= MAX_MEMBERS):
            problems.append(f"members {count!r} is not an ensemble size from 1 to {MAX_MEMBERS}")
    if problems:
        raise RunFolderError(f"{path}: {'; '.join(problems)}; was it edited?")
    return head


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)  # JSON true is no count


def save_adapter(model: Predictor, run_dir: Path) -> dict[str, torch.Tensor]:
    """Write the adapters (``adapter/``, which names the base checkpoint) and return the head's weights."""
    model.encoder.save_pretrained(str(run_dir / layout.ADAPTER))
    return {k: v.detach().contiguous() for k, v in model.state_dict().items() if k.startswith("head.")}


def load_adapter_encoder(run_dir: Path, base: str, trust_remote_code: bool = False) -> PeftModel:
    """The base checkpoint the run points to, with the run's adapters on top."""
    try:
        encoder = AutoModel.from_pretrained(base, **load_options(trust_remote_code, allow_pickle=False))
        return PeftModel.from_pretrained(encoder, str(run_dir / layout.ADAPTER))
    except (OSError, ValueError) as exc:
        raise RunFolderError(f"{run_dir}: cannot load the LoRA adapter or its base checkpoint {base!r} "
                             f"({one_line(exc)}); the base must stay where it was when the run was trained") from None


def pretrained_tokenizer(name_or_path: str, trust_remote_code: bool = False) -> PreTrainedTokenizerBase:
    """A checkpoint's own tokenizer (fine-tuning and continued pretraining keep its vocabulary)."""
    try:
        return AutoTokenizer.from_pretrained(name_or_path, trust_remote_code=trust_remote_code)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"model.pretrained: cannot load a tokenizer from {name_or_path!r} ({one_line(exc)})") \
            from None


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


def check_checkpoint_folder(spec: str, local: Path) -> None:
    """A local checkpoint must be a folder with a HuggingFace ``config.json``; say which part is wrong.
    A hub id (``org/name``, not a local path) is left to ``from_pretrained``."""
    looks_local = spec.startswith(("pkg:", "/", ".", "~")) or spec.count("/") > 1 or local.exists()
    if not looks_local:
        return
    if not local.exists():
        raise ConfigError(f"model.pretrained: {spec!r}: no such checkpoint folder ({local})")
    if not local.is_dir():
        raise ConfigError(f"model.pretrained: {spec!r} is a file; expected a checkpoint folder")
    if not (local / "config.json").is_file():
        raise ConfigError(f"model.pretrained: {spec!r} is a folder but not a model checkpoint (no config.json)")


def adopt_checkpoint(cfg: ModelConfig, modality: str) -> ModelConfig:
    """Take the tokenizer spec a biofm checkpoint was pretrained with; refuse a contradicting one.

    A DNA checkpoint pretrained on disjoint 6-mers reads garbage if fine-tuned on overlapping ones,
    and a SMILES checkpoint cannot read DNA: both are config mistakes, reported before any work.
    """
    if not cfg.pretrained:
        return cfg
    local = package_path(cfg.pretrained, "model.pretrained")
    check_checkpoint_folder(cfg.pretrained, local)
    pretrained = str(local.absolute()) if local.is_dir() else cfg.pretrained  # still found from another cwd
    check_checkpoint_code(local, cfg.pretrained, cfg.trust_remote_code, cfg.allow_pickle)
    info = checkpoint_info(pretrained)
    if info.get("modality") not in (None, modality):
        raise ConfigError(f"model.pretrained: {cfg.pretrained} was pretrained on {info['modality']}, not {modality}")
    spec = info.get("tokenizer")
    if spec is not None and cfg.tokenizer not in (None, spec):
        raise ConfigError(f"model.tokenizer: {cfg.tokenizer!r} contradicts {cfg.pretrained}, which was "
                          f"pretrained with {spec!r}; leave model.tokenizer unset")
    own = None if info else OWN_TOKENIZER  # not pretrained by biofm: the checkpoint's tokenizer reads raw inputs
    return replace(cfg, pretrained=pretrained, tokenizer=cfg.tokenizer or spec or own)
