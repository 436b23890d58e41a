"""Where the checkpoints that ship with biofm live (``models/`` at the top of the repository).

Why a lookup rather than a relative path: a config inferred for a user's own file must find
``models/smiles-mini`` from whatever folder the user runs ``biofm`` in.
"""

from __future__ import annotations

from pathlib import Path

REPOSITORY_MODELS = Path(__file__).resolve().parents[3] / "models"  # src/biofm/core/shipped.py → repo/models


def shipped_model(name: str) -> str:
    """The absolute path of shipped checkpoint ``name``: in the repository beside the package (an editable
    install), else ``models/NAME`` under the working folder; training names the path if neither exists."""
    for folder in (REPOSITORY_MODELS, Path.cwd() / "models"):
        if (folder / name / "config.json").is_file():
            return str(folder / name)
    return str(Path("models") / name)
