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
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

import yaml

from biofm.config import RunConfig, YamlConfig
from biofm.errors import BiofmError, RunFolderError

T = TypeVar("T")

FORMAT_VERSION = 1  # bump when a run folder written by an older biofm can no longer be read
STATE_FILE = "state.json"
LOCK_FILE = "run.lock"


def _read_state(run_dir: Path) -> dict:
    state = read_json(run_dir / STATE_FILE)
    if not isinstance(state, dict) or state.get("format_version") != FORMAT_VERSION:
        found = state.get("format_version") if isinstance(state, dict) else None
        raise RunFolderError(
            f"{run_dir}: written by an incompatible biofm (run format {found!r}, "
            f"this biofm reads {FORMAT_VERSION}); re-train with this version"
        )
    return state


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it into place only if the block succeeds."""
    target = Path(target)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        yield tmp
        os.replace(tmp, target)
    except OSError as exc:
        raise BiofmError(
            f"{target}: cannot write ({exc.strerror or exc}); check free disk space and that the folder is writable"
        ) from None
    finally:
        with contextlib.suppress(OSError):
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
        _refuse_if_locked(out)
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


@contextlib.contextmanager
def run_lock(run_dir: Path) -> Iterator[None]:
    """Hold ``run.lock`` while writing a run, so two processes never write one folder.

    The lock names its process; a lock left by a process that no longer exists (a killed run)
    is stale and taken over, which is what ``--resume`` needs.
    """
    lock = Path(run_dir) / LOCK_FILE
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        _refuse_if_locked(run_dir)
        lock.unlink(missing_ok=True)  # stale
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


def _refuse_if_locked(run_dir: Path) -> None:
    try:
        pid = int((Path(run_dir) / LOCK_FILE).read_text().strip() or 0)
    except (OSError, ValueError):
        return
    if pid and pid != os.getpid() and _process_alive(pid):
        raise RunFolderError(f"{run_dir}: another biofm process (pid {pid}) is writing this run folder")


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def check_resumable(run_dir: str | Path) -> Path:
    """A run folder that was interrupted or failed, of a format this biofm reads."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise RunFolderError(f"{run_dir}: run folder not found")
    state = _read_state(run_dir)
    if state.get("status") == "complete":
        raise RunFolderError(f"{run_dir}: run is already complete; nothing to resume")
    return run_dir


def last_checkpoint(folder: Path) -> Path | None:
    """The newest checkpoint that was written to the end (``trainer_state.json`` is written last).

    A checkpoint cut short by a kill is deleted, so it can never be resumed from.
    """
    candidates = sorted(folder.glob("checkpoint-*"), key=lambda p: int(p.name.rsplit("-", 1)[-1]), reverse=True)
    for candidate in candidates:
        if (candidate / "trainer_state.json").is_file():
            return candidate
        shutil.rmtree(candidate, ignore_errors=True)
    return None


def read_run_config(run_dir: Path, kind: type[YamlConfig] = RunConfig) -> Any:
    """The run's resolved config, a ``RunConfig`` unless ``kind`` says otherwise (provenance stripped)."""
    try:
        raw = yaml.safe_load((Path(run_dir) / "config.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RunFolderError(f"{run_dir}: cannot read config.yaml ({exc})") from None
    raw.pop("provenance", None)
    return kind.from_dict(raw)


def check_data_unchanged(run_dir: Path, data_files: list[str]) -> None:
    """Resuming on different data would silently mix two experiments; refuse instead."""
    raw = yaml.safe_load((Path(run_dir) / "config.yaml").read_text(encoding="utf-8"))
    recorded = raw.get("provenance", {}).get("data_sha256", {})
    for path in data_files:
        if not Path(path).is_file():
            raise RunFolderError(f"{run_dir}: data file {path} has gone; cannot resume")
        if recorded.get(path) not in (None, file_sha256(Path(path))):
            raise RunFolderError(f"{run_dir}: data file {path} changed since the run started; start a new run")


def set_state(run_dir: Path, status: str, **details: Any) -> None:
    write_json(Path(run_dir) / STATE_FILE, {"status": status, "format_version": FORMAT_VERSION,
                                             "updated": time.strftime("%Y-%m-%dT%H:%M:%S"), **details})


def finish_run(run_dir: Path, work: Callable[[], T]) -> T:
    """Do a run folder's work: its state says ``complete`` after it, or ``failed`` with the reason, so
    later commands refuse a half-written folder and ``--resume`` knows where to continue."""
    try:
        result = work()
    except BaseException as exc:
        set_state(run_dir, "failed", error=f"{type(exc).__name__}: {exc}")
        raise
    set_state(run_dir, "complete")
    return result


def check_run(run_dir: str | Path) -> Path:
    """A complete run folder of a readable format, or a clear error."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise RunFolderError(f"{run_dir}: run folder not found")
    state = _read_state(run_dir)
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
