"""The errors a user sees.

Why one small hierarchy: the CLI turns any ``BiofmError`` into a one-line message and a non-zero
exit, so every check in the library raises one of these instead of letting a deep library
(pandas, RDKit, torch) fail with a traceback the user cannot act on.
"""

from __future__ import annotations

from pathlib import Path


class BiofmError(Exception):
    """A problem the user can fix: bad input, bad config, an unusable run folder."""


class ConfigError(BiofmError):
    """A config value or override that cannot be used."""


class DataError(BiofmError):
    """A data file, or one record in it, that cannot be used.

    The message always names the file and, where one is to blame, the row (1-based, counting
    the header as row 1 so it matches what a spreadsheet shows) or record.
    """

    def __init__(self, path: str | Path, problem: str, row: int | None = None, unit: str = "row"):
        self.path, self.problem, self.row = str(path), problem, row
        where = f"{self.path}" if row is None else f"{self.path}, {unit} {row}"
        super().__init__(f"{where}: {problem}")


class RunFolderError(BiofmError):
    """A run folder that is missing, incomplete, or from an incompatible version."""


def one_line(exc: BaseException, limit: int = 300) -> str:
    """A library's exception as one short line: its type and the first line of its message.

    Why: errors from deep libraries (transformers, safetensors, RDKit) span many lines; a user is
    promised one line that names the file, and the type is what to search for.
    """
    first = next((line.strip() for line in str(exc).splitlines() if line.strip()), "")
    text = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"
