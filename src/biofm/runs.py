"""Run folders: the only state biofm keeps.  Atomic writes, a status file, and loading.

A run folder holds ``config.yaml``, ``model.safetensors`` + ``encoder/`` + ``head.json``,
``tokenizer/``, ``labels.json``, ``splits.json``, ``metrics.json``, ``predictions.csv`` and
``state.json``.  ``predict``/``evaluate`` need nothing else.  Every file is written to a temporary
name and renamed, so a crash never leaves a half-written file that a later command accepts.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from biofm.errors import RunFolderError

FORMAT_VERSION = 1  # bump when a run folder written by an older biofm can no longer be read
STATE_FILE = "state.json"


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it into place only if the block succeeds."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_json(path: Path, data: Any) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(data, indent=2, allow_nan=False) + "\n", encoding="utf-8")


def write_yaml(path: Path, data: Any) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def read_json(path: Path) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RunFolderError(f"{path}: missing; is this a biofm run folder?") from None
    except json.JSONDecodeError as exc:
        raise RunFolderError(f"{path}: corrupt JSON ({exc})") from None


def prepare_run_dir(out: Path, overwrite: bool) -> Path:
    """Claim an output folder; refuse to mix two runs in one folder unless asked to overwrite."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        if not overwrite:
            raise RunFolderError(f"{out}: folder exists and is not empty; choose another --out or pass --overwrite")
        if not (out / STATE_FILE).exists() and not (out / "config.yaml").exists():
            raise RunFolderError(f"{out}: not a biofm run folder; refusing to delete it even with --overwrite")
        shutil.rmtree(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RunFolderError(f"{out}: cannot create the run folder ({exc.strerror})") from None
    if not os.access(out, os.W_OK):
        raise RunFolderError(f"{out}: run folder is not writable")
    set_state(out, "running")
    return out


def set_state(run_dir: Path, status: str, **details: Any) -> None:
    write_json(Path(run_dir) / STATE_FILE, {"status": status, "format_version": FORMAT_VERSION,
                                             "updated": time.strftime("%Y-%m-%dT%H:%M:%S"), **details})


def check_run(run_dir: str | Path) -> Path:
    """A complete run folder of a readable format, or a clear error."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise RunFolderError(f"{run_dir}: run folder not found")
    state = read_json(run_dir / STATE_FILE)
    if state.get("format_version") != FORMAT_VERSION:
        raise RunFolderError(
            f"{run_dir}: written by an incompatible biofm (run format {state.get('format_version')!r}, "
            f"this biofm reads {FORMAT_VERSION}); re-train with this version"
        )
    if state.get("status") != "complete":
        raise RunFolderError(
            f"{run_dir}: run is {state.get('status')!r}, not complete; re-run or resume training first"
        )
    return run_dir


def provenance(data_files: list[str]) -> dict[str, Any]:
    """What ``config.yaml`` records beside the config so a run can be reproduced and audited."""
    return {
        "format_version": FORMAT_VERSION,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "versions": _versions(["biofm", "torch", "transformers", "tokenizers", "rdkit", "scikit-learn", "numpy"]),
        "git_revision": _git_revision(),
        "data_sha256": {f: file_sha256(Path(f)) for f in data_files},
    }


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _versions(names: list[str]) -> dict[str, str]:
    found = {}
    for name in names:
        with contextlib.suppress(metadata.PackageNotFoundError):
            found[name] = metadata.version(name)
    return found


def _git_revision() -> str | None:
    try:
        result = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5,
                                cwd=Path(__file__).parent)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() or None
