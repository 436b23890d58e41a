"""Atomic file writes and tolerant reads: a crash never leaves a half-written file a later command accepts."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from biofm.core.errors import BiofmError, RunFolderError


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it into place only if the block succeeds."""
    target = Path(target)
    refuse_unusual_target(target)
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


def refuse_unusual_target(target: Path) -> None:
    """An output that exists must be a regular file: renaming over a device (``/dev/full``), a FIFO, a
    socket, a folder or a symbolic link would replace it with a file, so refuse before writing."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise BiofmError(f"{target}: cannot write ({exc.strerror or exc})") from None
    if stat.S_ISREG(mode):
        return
    kind = ("a symbolic link" if stat.S_ISLNK(mode) else "a folder" if stat.S_ISDIR(mode) else
            "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a FIFO" if stat.S_ISFIFO(mode) else
            "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
    raise BiofmError(f"{target}: exists and is {kind}, not a regular file; choose another output path")


def write_json(path: Path, data: Any) -> None:
    """Write ``data`` as indented JSON, atomically; NaN/inf are refused (JSON has none)."""
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(data, indent=2, allow_nan=False) + "\n", encoding="utf-8")


def write_yaml(path: Path, data: Any) -> None:
    """Write ``data`` as YAML in key order, atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def write_figure(fig, path: Path) -> None:
    """Save a matplotlib figure as PNG, atomically, and close it (figures left open leak memory)."""
    import matplotlib.pyplot as plt  # only where a figure is drawn: most commands never need it

    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    with atomic_path(path) as tmp:
        tmp.write_bytes(buffer.getvalue())


def shown_path(location: str) -> str:
    """A path as a user would type it: relative to the working folder where it lies inside it (summaries
    and tables stay short); anything else (a relative path, a hub id, ``pkg:…``) as given."""
    path = Path(location)
    return str(path.relative_to(Path.cwd())) if path.is_absolute() and path.is_relative_to(Path.cwd()) else location


def read_json(path: Path) -> Any:
    """Read a JSON file of a run folder; a missing or corrupt one is a ``RunFolderError`` naming it."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RunFolderError(f"{path}: missing; is this a biofm run folder?") from None
    except json.JSONDecodeError as exc:
        raise RunFolderError(f"{path}: corrupt JSON ({exc})") from None


def file_sha256(path: Path) -> str:
    """The file's SHA-256, read in 1 MiB blocks (data files may be far larger than memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
