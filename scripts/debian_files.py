"""Read a file out of a Debian package without installing it: ``apt-get download`` + ``dpkg-deb -x``.

Why not ``apt-get install``: a data builder should not need root nor change the machine; the package
is unpacked into a folder the caller owns (and usually deletes).
"""

from __future__ import annotations

import subprocess
from pathlib import Path


def unpacked(package: str, member: str, folder: Path) -> Path:
    """Download ``package`` into ``folder``, unpack it there; the path of ``member`` inside it."""
    subprocess.run(["apt-get", "download", package], cwd=folder, check=True, capture_output=True)
    deb = next(Path(folder).glob(f"{package}_*.deb"))
    subprocess.run(["dpkg-deb", "-x", str(deb), str(Path(folder) / "root")], check=True)
    path = Path(folder) / "root" / member
    if not path.is_file():
        raise SystemExit(f"{package}: no {member} inside; has the package changed?")
    return path
