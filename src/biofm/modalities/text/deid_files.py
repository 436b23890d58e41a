"""De-identify whole files (``biofm deid``): every text column of a table, or every line of a text file.

The rules themselves live in ``deid.py``; this module only reads, scrubs and writes atomically.
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from biofm.core.errors import DataError
from biofm.core.io import atomic_path
from biofm.core.tables import base_suffix, check_readable
from biofm.modalities.text.deid import KINDS, find_phi, replace_spans

_SEPARATORS = {".csv": ",", ".tsv": "\t", ".tab": "\t"}

def deidentify_file(path: str | Path, output: str | Path, column: str | None = None) -> dict:
    """De-identify a CSV/TSV table (optionally ``.gz``) or a plain-text file (``.txt``, one record a line).

    Parameters
    ----------
    path, output : path
        Input and output files; the output is written beside its final name, then renamed into place,
        so a crash never leaves half a file.  A table keeps its columns and row order.
    column : str, optional
        The table column to de-identify.  Default: every column that holds text, and every column whose
        name says it identifies a person (``patient_name``, ``MRN``, ``DOB``, ``phone`` …), which is
        replaced whole by its placeholder.  Other purely numeric columns (a dose, a score) stay as they are.

    Returns
    -------
    dict
        ``rows`` processed, ``columns`` de-identified, ``counts`` of spans per PHI kind found (kinds
        never found are left out), ``input`` and ``output`` paths.
    """
    path, output = check_readable(path), Path(output)
    counts: Counter[str] = Counter()

    def scrub(text: str) -> str:
        spans = find_phi(text)
        counts.update(s.kind for s in spans)
        return replace_spans(text, spans)

    suffix = base_suffix(path)
    if suffix == ".txt":
        rows, columns = _scrub_lines(path, output, scrub), []
    elif suffix in _SEPARATORS:
        rows, columns = _scrub_table(path, output, column, scrub)
    else:
        raise DataError(path, f"unsupported file type {suffix!r} for de-identification (use .csv, .tsv or .txt)")
    return {"input": str(path), "output": str(output), "rows": rows, "columns": columns,
            "counts": {kind: counts[kind] for kind in KINDS if counts[kind]}}


def _open_text(path: Path, mode: str, gz: bool):
    """Text mode, UTF-8, untouched line ends; through gzip for ``.gz`` files."""
    if gz:
        return gzip.open(path, mode + "t", encoding="utf-8", newline="")
    return path.open(mode, encoding="utf-8", newline="")


def _gzipped(path: Path) -> bool:
    return path.suffix.lower() == ".gz"


def _scrub_lines(path: Path, output: Path, scrub: Callable[[str], str]) -> int:
    try:
        with _open_text(path, "r", _gzipped(path)) as handle:
            lines = handle.read().splitlines(keepends=True)
    except UnicodeDecodeError as exc:
        raise DataError(path, f"not UTF-8 text (byte {exc.start}); re-save the file as UTF-8") from None
    except (EOFError, OSError) as exc:
        raise DataError(path, f"cannot be read ({exc})") from None
    with atomic_path(output) as tmp, _open_text(tmp, "w", _gzipped(output)) as handle:
        for line in lines:
            body = line.rstrip("\r\n")
            handle.write(scrub(body) + line[len(body):])
    return len(lines)


def _scrub_table(path: Path, output: Path, column: str | None,
                 scrub: Callable[[str], str]) -> tuple[int, list[str]]:
    frame = _read_strings(path)
    if column is not None and column not in frame.columns:
        raise DataError(path, f"no column {column!r} to de-identify; the columns are {', '.join(frame.columns)}",
                        row=1)
    identifying = {c: kind for c in frame.columns if (kind := identifier_kind(c))} if column is None else {}
    columns = [column] if column is not None else \
        [c for c in frame.columns if _holds_text(frame[c]) or c in identifying]
    for name in columns:
        if name in identifying:  # a patient-name or MRN column is PHI whole, whatever its cells look like
            frame[name] = [f"[{identifying[name]}]" if cell.strip() else cell for cell in frame[name]]
        else:
            frame[name] = frame[name].map(scrub)
    out_sep = _SEPARATORS.get(base_suffix(output), _SEPARATORS[base_suffix(path)])
    with atomic_path(output) as tmp:
        frame.to_csv(tmp, sep=out_sep, index=False, compression="gzip" if _gzipped(output) else None)
    return len(frame), columns


# column names that say the whole column is an identifier, whatever its cells look like (a bare "48213377"
# or "John Smith" out of context escapes the text rules); matched on the lower-cased name, words split on _ - space
_IDENTIFIER_COLUMNS = [
    ("NAME", re.compile(r"^(patient|person|subject|client|name|full name|first name|last name|given name|family name|"
                        r"middle name|surname|maiden name|patient name|next of kin|guardian|physician|doctor)$")),
    ("ID", re.compile(r"^(patient )?(mrn|ssn|nhs( number)?|mr (number|no)|medical record( number)?|record number|"
                      r"insurance( number| id)?|account( number)?|patient id|subject id|national id|passport)$")),
    ("PHONE", re.compile(r"^(phone|telephone|tel|mobile|cell|fax|contact number)( number)?$")),
    ("EMAIL", re.compile(r"^(e ?mail|email address)$")),
    ("DATE", re.compile(r"^(dob|date of birth|birth ?date|birthday|admission date|discharge date|date of death)$")),
    ("ADDRESS", re.compile(r"^(address|street|home address|zip|zip code|post ?code|postal code|city)$")),
]


def identifier_kind(column: str) -> str | None:
    """The PHI kind a column's name announces (``patient_name`` → NAME, ``MRN`` → ID), or None."""
    name = " ".join(re.split(r"[_\-\s.]+", column.strip().lower())).strip()
    return next((kind for kind, pattern in _IDENTIFIER_COLUMNS if pattern.match(name)), None)


def _read_strings(path: Path) -> pd.DataFrame:
    """Every cell as the exact string in the file ("NA" stays "NA", an empty cell stays empty)."""
    try:
        return pd.read_csv(path, sep=_SEPARATORS[base_suffix(path)], dtype=str, keep_default_na=False)
    except UnicodeDecodeError as exc:
        raise DataError(path, f"not UTF-8 text (byte {exc.start}); re-save the file as UTF-8") from None
    except pd.errors.EmptyDataError:
        raise DataError(path, "no header row and no data") from None
    except (pd.errors.ParserError, EOFError, OSError, ValueError) as exc:
        raise DataError(path, f"could not be parsed as a table: {exc}") from None


def _holds_text(values: pd.Series) -> bool:
    filled = values[values.str.strip() != ""]
    return bool(pd.to_numeric(filled, errors="coerce").isna().any())
