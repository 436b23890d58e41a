"""A checkpoint from elsewhere made safe and self-describing: pickle weights to safetensors, a bare ``vocab.txt``
to a tokenizer that cuts inputs as the checkpoint was trained to read them.

Why: published chemistry checkpoints such as rxnfp's BERT ship ``pytorch_model.bin`` (pickle, which can run
code), a ``config.json`` without ``model_type`` and only a ``vocab.txt``; loaded as they are, transformers
guesses the architecture from the folder's name and builds a lower-casing WordPiece that reads ``Cl`` as
``cl``.  ``convert_checkpoint`` reads the weights with torch's tensor-only unpickler (nothing else is
unpickled), writes what ``model.pretrained`` then loads with no flags, and checks that both copies compute
the same hidden states before it keeps the result.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import torch
import transformers
from transformers import CONFIG_MAPPING, AutoModel, AutoModelForMaskedLM, AutoTokenizer

from biofm.core.errors import ConfigError, one_line
from biofm.core.io import file_sha256, write_json
from biofm.core.tables import package_path
from biofm.modalities import get_modality
from biofm.modeling.checkpoint import check_checkpoint_folder
from biofm.modeling.foreign import PICKLE_SUFFIXES, TOKENIZER_FILES

CONVERSION = "conversion.json"  # where the converted folder says what it came from and how it was checked
PARITY_TOLERANCE = 1e-5  # largest |difference| of a hidden state between the pickled and the converted copy
PARITY_INPUTS = (4, 48)  # random token sequences compared: how many, how long
transformers.logging.set_verbosity_error()  # its load report lists the dropped NSP head; conversion.json says it


def convert_checkpoint(source: str | Path, out: str | Path, modality: str, overwrite: bool = False) -> dict:
    """Write ``out`` from ``source`` (a folder, or ``pkg:NAME/path`` inside an installed package): its weights as
    safetensors (with its masked-LM head where it has one), a ``config.json`` that names its ``model_type``, its
    tokenizer (built by ``modality`` onto a bare ``vocab.txt``) and ``conversion.json``, which is returned.
    Refuses to replace ``out`` unless asked."""
    spec, out = str(source), Path(out).expanduser()
    source = package_path(spec, "convert-checkpoint").expanduser()  # pkg:rxnfp/models/transformers/bert_pretrained
    check_checkpoint_folder(spec, source)
    if out.exists() and not overwrite:
        raise ConfigError(f"{out} exists; choose another folder or pass --overwrite")
    weights = _pickle_weights(source)
    config = json.loads((source / "config.json").read_text(encoding="utf-8"))
    state = _read_tensors(weights)
    model_type, found_in = _model_type(config, state, source)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=f".{out.name}.") as scratch:
        staged, converted = Path(scratch) / "source", Path(scratch) / "converted"
        staged.mkdir()
        write_json(staged / "config.json", {**config, "model_type": model_type})
        (staged / weights.name).symlink_to(weights.resolve())
        model, head, dropped = _load_staged(staged, source)
        model.save_pretrained(converted, safe_serialization=True)
        tokenizer, tokenizer_from = _tokenizer(source, modality)
        rows = model.get_input_embeddings().num_embeddings
        if len(tokenizer) > rows:
            raise ConfigError(f"{source}: its tokenizer has {len(tokenizer)} tokens but the model embeds {rows}")
        tokenizer.save_pretrained(converted)
        difference = _parity(model.base_model, converted, len(tokenizer))
        record = {"source": str(source.resolve()), "source_weights": weights.name,
                  "source_sha256": file_sha256(weights), "model_type": model_type, "model_type_from": found_in,
                  "masked_lm_head": head, "dropped_weights": dropped, "tokenizer": tokenizer_from, "modality": modality,
                  "parity_max_abs_difference": difference, "parity_tolerance": PARITY_TOLERANCE}
        write_json(converted / CONVERSION, record)
        if out.exists():
            shutil.rmtree(out)
        converted.rename(out)  # the whole folder appears at once: a killed conversion leaves no half of it
    return record


def _pickle_weights(source: Path) -> Path:
    found = sorted(p for p in source.iterdir() if p.suffix in PICKLE_SUFFIXES)
    if any(p.suffix == ".safetensors" for p in source.iterdir()):
        raise ConfigError(f"{source} already has safetensors weights; load it as model.pretrained directly")
    if len(found) != 1:
        named = ", ".join(p.name for p in found) or "none"
        raise ConfigError(f"{source}: expected one pickle weights file ({', '.join(PICKLE_SUFFIXES)}), found {named}")
    return found[0]


def _read_tensors(path: Path) -> dict[str, torch.Tensor]:
    """Only tensors and plain containers are unpickled (``weights_only``): a file that needs more is refused."""
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # the restricted unpickler raises UnpicklingError, RuntimeError …
        raise ConfigError(f"{path}: not plain tensors (torch's weights-only loader refused it: {one_line(exc)}); "
                          "biofm does not run the code a full unpickle would") from None
    if not (isinstance(state, dict) and state and all(isinstance(v, torch.Tensor) for v in state.values())):
        raise ConfigError(f"{path}: holds no name → tensor mapping of model weights")
    return state


def _model_type(config: dict, state: dict, source: Path) -> tuple[str, str]:
    """``config.json``'s own ``model_type``; else the architecture its weight names are prefixed with
    (``bert.encoder…``); never the folder's name, which is what transformers would guess from."""
    if config.get("model_type"):
        return config["model_type"], "config.json"
    prefixes = {name.split(".", 1)[0] for name in state}
    known = sorted(p for p in prefixes if p in CONFIG_MAPPING)
    if len(known) != 1:
        raise ConfigError(f"{source / 'config.json'}: names no model_type, and the weight names do not say which "
                          f"architecture it is (prefixes {', '.join(sorted(prefixes)[:5])}); add \"model_type\"")
    return known[0], "weight names"


def _load_staged(staged: Path, source: Path) -> tuple[torch.nn.Module, bool, list[str]]:
    """The model with its masked-LM head where the weights have one (continued pretraining needs it), else the
    bare encoder; every encoder weight must be in the file.  Also the weights left out (a next-sentence head, a
    pooler biofm never reads)."""
    try:
        model, info = AutoModelForMaskedLM.from_pretrained(staged, use_safetensors=False, output_loading_info=True)
        head = not info["missing_keys"]
        if not head:
            model, info = AutoModel.from_pretrained(staged, use_safetensors=False, output_loading_info=True)
    except (OSError, ValueError, RuntimeError) as exc:
        raise ConfigError(f"{source}: weights do not fit its config.json ({one_line(exc)})") from None
    if info["missing_keys"]:
        raise ConfigError(f"{source}: weights lack {', '.join(info['missing_keys'][:3])} …; not a complete checkpoint")
    return model, head, sorted(info["unexpected_keys"])


def _tokenizer(source: Path, modality: str) -> tuple[object, str]:
    """The checkpoint's own tokenizer files where it has them; else the modality's cut onto its ``vocab.txt``."""
    if any((source / name).is_file() for name in TOKENIZER_FILES):
        return AutoTokenizer.from_pretrained(source), "the checkpoint's own tokenizer files"
    vocab_file = source / "vocab.txt"
    if not vocab_file.is_file():
        raise ConfigError(f"{source}: no tokenizer files and no vocab.txt; the token ids cannot be known")
    vocab = vocab_file.read_text(encoding="utf-8").splitlines()
    try:
        tokenizer = get_modality(modality).vocabulary_tokenizer(vocab)
    except ConfigError as exc:
        raise ConfigError(f"{vocab_file}: {exc}") from None
    return tokenizer, f"{vocab_file.name} ({len(vocab)} tokens, ids in file order) cut by the {modality} modality"


def _parity(pickled: torch.nn.Module, converted: Path, vocab_size: int) -> float:
    """Largest hidden-state difference between the encoder read from the pickle and the converted one reloaded
    from disk, on random token ids."""
    generator = torch.Generator().manual_seed(0)
    count, length = PARITY_INPUTS
    ids = torch.randint(0, vocab_size, (count, length), generator=generator)
    mask = torch.ones_like(ids)
    with torch.no_grad():
        before = pickled.eval()(input_ids=ids, attention_mask=mask)
        after = AutoModel.from_pretrained(converted).eval()(input_ids=ids, attention_mask=mask)
    difference = float((before.last_hidden_state - after.last_hidden_state).abs().max())
    if not difference <= PARITY_TOLERANCE:
        raise ConfigError(f"the converted checkpoint computes other hidden states (max |difference| {difference:.2e}); "
                          "not written")
    return difference
