"""Run folders, the only state biofm keeps: claiming one, its status, its lock, and its life cycle.

Every command that makes a run folder (train, pretrain, federate, federate-server) goes through
``start_run`` or ``resume_run`` here, so each of them refuses the same mistakes (mixing two runs in
one folder, two writers, resuming on changed data) and leaves ``state.json`` saying ``complete`` only
when every file is in place, or ``failed`` with the reason.  File names live in ``biofm.core.layout``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from biofm.core import layout
from biofm.core.config import RunConfig, YamlConfig
from biofm.core.console import console
from biofm.core.errors import ConfigError, RunFolderError
from biofm.core.io import file_sha256, read_json, write_json, write_yaml
from biofm.core.yaml_safe import read_yaml

T = TypeVar("T")

FORMAT_VERSION = 1  # bump when a run folder written by an older biofm can no longer be read
MARKER = "biofm-run"  # state.json's "format": what tells a biofm run folder from anyone else's
STATE_FILE = layout.STATE
LOCK_FILE = layout.LOCK


def _read_state(run_dir: Path) -> dict:
    state = read_json(run_dir / STATE_FILE)
    if not isinstance(state, dict) or state.get("format_version") != FORMAT_VERSION:
        found = state.get("format_version") if isinstance(state, dict) else None
        raise RunFolderError(
            f"{run_dir}: written by an incompatible biofm (run format {found!r}, "
            f"this biofm reads {FORMAT_VERSION}); re-train with this version"
        )
    return state


def prepare_run_dir(out: Path, overwrite: bool) -> Path:
    """Claim an output folder; refuse to mix two runs in one folder unless asked to overwrite."""
    out = Path(out)
    if out.is_symlink():
        raise RunFolderError(f"{out}: is a symbolic link; give the folder it points to as --out")
    if out.exists() and not out.is_dir():
        raise RunFolderError(f"{out}: exists and is not a folder; choose another --out")
    if out.exists() and any(out.iterdir()):
        _refuse_if_locked(out)
        if not overwrite:
            raise RunFolderError(f"{out}: folder exists and is not empty; choose another --out or pass --overwrite")
        _check_deletable(out)
        shutil.rmtree(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RunFolderError(f"{out}: cannot create the run folder ({exc.strerror})") from None
    if not os.access(out, os.W_OK):
        raise RunFolderError(f"{out}: run folder is not writable")
    set_state(out, "running")
    return out


def _check_deletable(out: Path) -> None:
    """``--overwrite`` deletes only what biofm made: a ``state.json`` with biofm's marker, and nothing else
    in the folder that biofm does not write (a user's notes next to a run survive, with the run)."""
    try:
        state = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        state = None
    if not isinstance(state, dict) or state.get("format") != MARKER:
        raise RunFolderError(f"{out}: not a biofm run folder (no biofm state.json); refusing to delete it even "
                             "with --overwrite")
    foreign = sorted(p.name for p in out.iterdir() if p.is_symlink() or not layout.written_by_biofm(p.name))
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise RunFolderError(f"{out}: holds files biofm did not write ({shown}); refusing to delete them even with "
                             "--overwrite: move them out or choose another --out")


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


def _existing(run_dir: str | Path) -> tuple[Path, dict]:
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise RunFolderError(f"{run_dir}: run folder not found")
    return run_dir, _read_state(run_dir)


def check_resumable(run_dir: str | Path) -> Path:
    """A run folder that was interrupted or failed, of a format this biofm reads."""
    run_dir, state = _existing(run_dir)
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
    raw = dict(_raw_config(run_dir))
    raw.pop("provenance", None)
    try:
        return kind.from_dict(raw)
    except ConfigError as exc:
        raise RunFolderError(f"{Path(run_dir) / layout.CONFIG}: {exc} (was it edited?)") from None


def _raw_config(run_dir: Path) -> dict:
    try:
        raw = read_yaml(Path(run_dir) / layout.CONFIG, "config.yaml")
    except ConfigError as exc:
        raise RunFolderError(f"{run_dir}: cannot read its config ({exc})") from None
    if not isinstance(raw, dict):
        raise RunFolderError(f"{Path(run_dir) / layout.CONFIG}: not a biofm run config (expected a mapping)")
    return raw


def check_data_unchanged(run_dir: Path, data_files: list[str]) -> None:
    """Resuming on different data would silently mix two experiments; refuse instead."""
    recorded = (_raw_config(run_dir).get("provenance") or {}).get("data_sha256", {})
    for path in data_files:
        if not Path(path).is_file():
            raise RunFolderError(f"{run_dir}: data file {path} has gone; cannot resume")
        if recorded.get(path) not in (None, file_sha256(Path(path))):
            raise RunFolderError(f"{run_dir}: data file {path} changed since the run started; start a new run")


def set_state(run_dir: Path, status: str, **details: Any) -> None:
    """Record the run's status (running / failed / complete) in ``state.json``, with the format version."""
    write_json(Path(run_dir) / STATE_FILE, {"format": MARKER, "status": status, "format_version": FORMAT_VERSION,
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
    run_dir, state = _existing(run_dir)
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


def start_run(out: str | Path, overwrite: bool, config: YamlConfig, data_files: list[str],
              work: Callable[[Path], T]) -> T:
    """Claim ``out``, write its ``config.yaml`` (with the data files' hashes) and do ``work(run_dir)``
    under the run lock; ``state.json`` says ``complete`` after it, or ``failed`` with the reason."""
    run_dir = prepare_run_dir(Path(out), overwrite)
    with run_lock(run_dir):
        write_run_config(run_dir, config, data_files)
        return finish_run(run_dir, lambda: work(run_dir))


def resume_run(run_dir: str | Path, kind: type[YamlConfig], data_files: Callable[[Any], list[str]],
               work: Callable[[Any, Path], T]) -> T:
    """Continue an interrupted or failed run with the config it was started with: refuses a complete run,
    one of another format, and changed data; then ``work(config, run_dir)`` as in ``start_run``."""
    run_dir = check_resumable(run_dir)
    cfg = read_run_config(run_dir, kind)
    check_data_unchanged(run_dir, data_files(cfg))
    with run_lock(run_dir):
        set_state(run_dir, "running")
        return finish_run(run_dir, lambda: work(cfg, run_dir))


def write_run_config(run_dir: Path, config: YamlConfig, data_files: list[str]) -> None:
    """``config.yaml``: the resolved config, with the data files' hashes so a resume can refuse changed data."""
    write_yaml(Path(run_dir) / layout.CONFIG, {**config.to_dict(), "provenance": provenance(data_files)})


def resume_point(run_dir: Path) -> Path | None:
    """The checkpoint a resumed training continues from (partial ones deleted), said aloud."""
    checkpoint = last_checkpoint(Path(run_dir) / layout.CHECKPOINTS)
    console.print(f"resuming {run_dir} from {checkpoint.name if checkpoint else 'the start (no checkpoint yet)'}")
    return checkpoint
