"""Unlabelled corpora streamed from disk: memory stays flat however large the files are.

Why not ``read_records``: pretraining corpora (1.6 M SMILES, whole genomes) are read many times
and would not fit in memory on the machines our users have.  Items come one at a time from CSV/TSV
rows, text lines or FASTA pieces; a stable hash holds a fraction out for validation, so the same
item (or genome block) is never both trained on and used to measure.
"""

from __future__ import annotations

import gzip
import itertools
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from biofm.core.config import CorpusConfig
from biofm.core.errors import DataError
from biofm.core.tables import FASTA_SUFFIXES, base_suffix, check_readable, package_path
from biofm.modalities.base import InvalidInput, Modality

DELIMITED_SUFFIXES = (".csv", ".tsv", ".tab")
HOLDOUT_BLOCK = 10_000  # FASTA: validation is decided per block of this many bases, so windows never straddle
CSV_CHUNK_ROWS = 50_000


def resolve_corpus_path(spec: str) -> Path:
    """A file path, or ``pkg:NAME/inner/path`` inside an installed package (found without importing it)."""
    return check_readable(package_path(spec, "corpus.files"))


@dataclass
class Piece:
    """One raw item plus the keys that decide whether it is held out for validation."""

    text: str
    holdout_keys: tuple[str, ...]
    where: str  # file and row/record, for error messages and skip counts


def read_pieces(path: Path, column: str | None, window: int | None, phase: int = 0) -> Iterator[Piece]:
    """Stream raw items from one file; FASTA records are cut into ``window``-sized pieces."""
    suffix = base_suffix(path)
    if suffix in FASTA_SUFFIXES:
        yield from _fasta_pieces(path, window, phase)
    elif suffix in DELIMITED_SUFFIXES:
        yield from _table_pieces(path, column, "\t" if suffix in (".tsv", ".tab") else ",")
    else:
        yield from _line_pieces(path)


def _open_text(path: Path):
    return gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8")


def _line_pieces(path: Path) -> Iterator[Piece]:
    """One item per line: the first whitespace-separated field (``.smi`` files carry a name after it)."""
    with _open_text(path) as handle:
        for number, line in enumerate(handle, start=1):
            fields = line.split()
            if fields:
                yield Piece(fields[0], (fields[0],), f"{path}, line {number}")


def _table_pieces(path: Path, column: str | None, sep: str) -> Iterator[Piece]:
    try:
        chunks = pd.read_csv(path, sep=sep, dtype=str, chunksize=CSV_CHUNK_ROWS, keep_default_na=False)
        row = 1
        for chunk in chunks:
            name = column if column is not None else chunk.columns[0]
            if name not in chunk.columns:
                raise DataError(path, f"no column {name!r} (columns: {', '.join(map(str, chunk.columns))})")
            for value in chunk[name]:
                row += 1
                if value:
                    yield Piece(value, (value,), f"{path}, row {row}")
    except (pd.errors.ParserError, UnicodeDecodeError, OSError, EOFError) as exc:
        raise DataError(path, f"cannot be read as a table ({exc})") from None


def _fasta_pieces(path: Path, window: int | None, phase: int) -> Iterator[Piece]:
    """Pieces of each record, starting ``phase`` bases in, so every pass sees new window boundaries.

    Lines are consumed as they come: a chromosome is never held in memory whole.  A record's tail
    shorter than half a window is dropped, unless it is the whole record.
    """
    name, buffer, start, first, to_skip = None, "", 0, 0, 0
    with _open_text(path) as handle:
        for line in handle:
            line = line.strip()
            if line.startswith(">"):
                if name is not None and _keep_tail(buffer, start == first, window):
                    yield _fasta_piece(path, name, start, buffer)
                words = line[1:].split()
                name, buffer = (words[0] if words else "?"), ""
                start = first = to_skip = (phase % window) if window else 0
                continue
            if name is None:
                if line:
                    raise DataError(path, "sequence before the first '>' header; is this FASTA?")
                continue
            if to_skip:
                dropped = min(to_skip, len(line))
                line, to_skip = line[dropped:], to_skip - dropped
            buffer += line
            while window and len(buffer) >= window:
                yield _fasta_piece(path, name, start, buffer[:window])
                buffer, start = buffer[window:], start + window
    if name is not None and _keep_tail(buffer, start == first, window):
        yield _fasta_piece(path, name, start, buffer)


def _keep_tail(buffer: str, whole_record: bool, window: int | None) -> bool:
    return bool(buffer) and (whole_record or not window or len(buffer) >= window // 2)


def _fasta_piece(path: Path, name: str, start: int, sequence: str) -> Piece:
    blocks = {f"{name}:{start // HOLDOUT_BLOCK}", f"{name}:{(start + len(sequence) - 1) // HOLDOUT_BLOCK}"}
    return Piece(sequence, tuple(sorted(blocks)), f"{path}, record {name} at {start + 1}")


def is_held_out(piece: Piece, fraction: float) -> bool:
    """Stable across runs and machines (CRC32, not Python's salted hash)."""
    cut = int(fraction * 10_000)
    return any(zlib.crc32(key.encode()) % 10_000 < cut for key in piece.holdout_keys)


class Corpus:
    """The files of a ``CorpusConfig`` read through one modality, split into train and validation."""

    def __init__(self, cfg: CorpusConfig, modality: Modality):
        self.cfg, self.modality = cfg, modality
        self.paths = [resolve_corpus_path(f) for f in cfg.files]
        self.column = cfg.input_column or None
        # per split, on its latest pass: items read and invalid items dropped (reported, never silent)
        self.read = {"train": 0, "val": 0}
        self.skipped = {"train": 0, "val": 0}
        self.excluded = {"train": 0, "val": 0}  # items dropped because ``cfg.exclude`` lists them
        self.examples: list[str] = []  # the first few skip reasons, for the model card
        self.forbidden = self._forbidden()

    def items(self, split: str, phase: int = 0) -> Iterator[str]:
        """Normalised items of ``split`` ("train" or "val"), in file order; training stops at ``max_items``."""
        self.read[split] = self.skipped[split] = self.excluded[split] = 0
        items = self._items(split, phase)
        yield from itertools.islice(items, self.cfg.max_items) if split == "train" and self.cfg.max_items else items

    def _items(self, split: str, phase: int) -> Iterator[str]:
        for path in self.paths:
            column = self.column if self.column is not None else self._default_column(path)
            for piece in read_pieces(path, column, self.cfg.window, phase):
                if is_held_out(piece, self.cfg.val_fraction) != (split == "val"):
                    continue
                self.read[split] += 1
                try:
                    item = self.modality.normalise(piece.text)
                except InvalidInput as exc:
                    self.skipped[split] += 1
                    if len(self.examples) < 5:
                        self.examples.append(f"{piece.where}: {exc}")
                    continue
                if item in self.forbidden:
                    self.excluded[split] += 1
                    continue
                yield item

    def _forbidden(self) -> frozenset[str]:
        """The normalised items of ``cfg.exclude`` (a benchmark's test set: small, held in memory); one that does
        not parse is an error, since an exclusion list that silently misses a molecule promises nothing."""
        forbidden = set()
        for spec in self.cfg.exclude:
            path = resolve_corpus_path(spec)
            column = self.column if self.column is not None else self._default_column(path)
            for piece in read_pieces(path, column, None):
                try:
                    forbidden.add(self.modality.normalise(piece.text))
                except InvalidInput as exc:
                    raise DataError(path, f"corpus.exclude: {piece.where.split(', ', 1)[-1]}: {exc}") from None
        return frozenset(forbidden)

    def _default_column(self, path: Path) -> str | None:
        """The modality's column when the table has it (``smiles``, any case), else the first column."""
        if base_suffix(path) not in DELIMITED_SUFFIXES:
            return None
        with _open_text(path) as handle:
            header = handle.readline().strip().split("\t" if base_suffix(path) != ".csv" else ",")
        wanted = self.modality.input_column.lower()
        return next((h for h in header if h.lower() == wanted), header[0] if header else None)

    def sample(self, split: str, n: int) -> list[str]:
        """The first ``n`` items of a split (validation set, vocabulary sample)."""
        out = []
        for item in self.items(split):
            out.append(item)
            if len(out) >= n:
                break
        return out


def shuffled(items: Iterator[str], buffer_size: int, rng: np.random.Generator) -> Iterator[str]:
    """Approximate shuffle in bounded memory: a random item of a ``buffer_size`` buffer leaves at a time."""
    buffer: list[str] = []
    for item in items:
        if len(buffer) < buffer_size:
            buffer.append(item)
            continue
        i = int(rng.integers(buffer_size))
        buffer[i], item = item, buffer[i]
        yield item
    rng.shuffle(buffer)
    yield from buffer
