"""DNA sequences: FASTA/CSV reading, IUPAC validation, k-mer tokenizers, reverse complement, windows."""

from __future__ import annotations

import gzip
import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, MaxAbsScaler
from tokenizers import pre_tokenizers
from transformers import PreTrainedTokenizerFast

from biofm.core.errors import ConfigError, DataError
from biofm.core.io import write_figure
from biofm.core.tables import FASTA_SUFFIXES, base_suffix, check_readable, iter_table, read_table, table_pieces
from biofm.modalities.base import OWN_TOKENIZER, ExplanationView, InvalidInput, register
from biofm.modalities.dna.motifs import best_matches
from biofm.modalities.tokenizers import word_level_tokenizer

BASES = "ACGT"
ALLOWED = set("ACGTN")
IUPAC = set("ACGTURYSWKMBDHVN")
MIN_SEQUENCE = 8
BASE_COLOURS = {"A": "#2e7d32", "C": "#1565c0", "G": "#b26a00", "T": "#c62828"}
DEPICTED_BASES = 300
_COMPLEMENT = str.maketrans("ACGTN", "TGCAN")
_REGION = re.compile(r"^(?P<chrom>[^:\s]+):(?P<start>\d+)-(?P<end>\d+)")
_SPEC = re.compile(r"^(?:kmer(?P<k>\d)(?P<disjoint>-disjoint)?|nucleotide)$")
DEFAULT_SPEC = "kmer6"
MOTIF_WINDOW = 20  # bases matched against JASPAR: most vertebrate TF motifs are 6-20 bp


def reverse_complement(sequence: str) -> str:
    """The other strand, read 5'→3' (N stays N)."""
    return sequence.translate(_COMPLEMENT)[::-1]


def parse_spec(spec: str | None) -> tuple[int, bool]:
    """``kmer6`` → (6, overlapping), ``kmer3-disjoint`` → (3, not overlapping), ``nucleotide`` → (1, …)."""
    match = _SPEC.match(spec or DEFAULT_SPEC)
    if not match:
        raise ConfigError(f"model.tokenizer: expected kmerK, kmerK-disjoint (K = 1-8) or nucleotide, got {spec!r}")
    if match["k"] is None:
        return 1, False
    k = int(match["k"])
    if not 1 <= k <= 8:
        raise ConfigError(f"model.tokenizer: k must be 1 to 8, got {k}")
    return k, match["disjoint"] is None


def kmer_text(sequence: str, k: int, overlapping: bool) -> str:
    """Space-separated k-mers: the DNABERT convention, so a word-level tokenizer can read them."""
    step = 1 if overlapping else k
    last = len(sequence) - k + 1 if overlapping else len(sequence)
    return " ".join(sequence[i : i + k] for i in range(0, last, step))


class DnaModality:
    """DNA sequences: FASTA or tables, k-mer or nucleotide tokens, both strands as views, region splits."""

    name = "dna"
    input_column = "sequence"
    default_split = "region"
    out_of_domain_below = None
    feature_sets = ()  # no whole-input features beside the embedding yet
    file_formats = FASTA_SUFFIXES
    recognition_rank = 0  # the narrowest alphabet: asked first

    def recognises(self, value: str) -> bool:
        """Only IUPAC nucleotide codes, at least ``MIN_SEQUENCE`` of them (a grade "A" or "C" is not DNA)."""
        sequence = "".join(value.split()).upper()
        return len(sequence) >= MIN_SEQUENCE and set(sequence) <= IUPAC

    def starter(self, task_kind: str) -> dict:
        """A ``mini`` encoder from scratch on disjoint 6-mers, both strands, as validation chose on TF binding:
        starting from ``models/dna-human-k6`` (66 Mb of human DNA) lowered its validation MCC (0.848 vs 0.878,
        3 seeds), so the shipped DNA checkpoints are offered, not the starting point."""
        return {"data": {"augment": True, "tta": True},
                "model": {"preset": "mini", "tokenizer": "kmer6-disjoint", "max_length": 64},
                "train": {"epochs": 20, "batch_size": 32, "learning_rate": 5e-4, "patience": 5}}

    def record_unit(self, path: Path) -> str:
        return "record" if base_suffix(Path(path)) in FASTA_SUFFIXES else "row"

    def read_table(self, path: Path) -> pd.DataFrame:
        if base_suffix(path) in FASTA_SUFFIXES:
            return read_fasta(check_readable(path))
        return read_table(path)

    def read_chunks(self, path: Path, rows: int) -> Iterator[pd.DataFrame]:
        """Tables stream; a FASTA file is read whole (its duplicate-id check needs every header), then cut."""
        if base_suffix(path) in FASTA_SUFFIXES:
            yield from table_pieces(self.read_table(path), rows)
        else:
            yield from iter_table(path, rows)

    def normalise(self, item: str) -> str:
        sequence = "".join(item.split()).upper()  # soft-masked lowercase is accepted
        for position, base in enumerate(sequence):
            if base not in ALLOWED:
                raise InvalidInput(f"character {base!r} at position {position + 1} is not A, C, G, T or N")
        if not sequence:
            raise InvalidInput("empty sequence")
        return sequence

    def protect_columns(self, frame: pd.DataFrame, keep: list[str]) -> pd.DataFrame:
        return frame  # ids, names, assay notes: nothing personal

    def group_key(self, item: str, meta: Mapping[str, object]) -> str:
        """The chromosome in a ``chr1:100-300`` record id: overlapping windows never straddle splits."""
        record = str(meta.get("id", ""))
        match = _REGION.match(record)
        if not match:
            raise ConfigError(
                f"data.split: 'region' needs record ids like chr1:100-300, got {record!r}; use split: stratified"
            )
        return match["chrom"]

    def build_tokenizer(self, corpus: list[str], spec: str | None = None) -> PreTrainedTokenizerFast:
        k, _ = parse_spec(spec)
        units = ["".join(p) for p in itertools.product(BASES, repeat=k)]  # every k-mer: ids never depend on data
        if k > 1:  # disjoint k-mers end with a shorter remainder
            units += ["".join(p) for n in range(1, k) for p in itertools.product(BASES, repeat=n)]
        return word_level_tokenizer(units, pre_tokenizers.WhitespaceSplit(), model_max_length=2048)

    def vocabulary_tokenizer(self, vocab: list[str]) -> PreTrainedTokenizerFast:
        """Not offered: a bare ``vocab.txt`` of k-mers does not say how bases were cut (overlapping 6-mers as in
        DNABERT, disjoint ones, single bases), and a wrong guess reads every sequence as other words."""
        raise ConfigError("a DNA checkpoint with only a vocab.txt: its cut of the bases (overlapping or disjoint "
                          "k-mers, single bases) is not written down; add its tokenizer.json or "
                          "tokenizer_config.json, or fine-tune with model.tokenizer set")

    def tokenizer_text(self, item: str, spec: str | None) -> str:
        if spec == OWN_TOKENIZER:  # DNABERT-2's BPE, a 6-mer or character tokenizer of its own: raw bases
            return item
        k, overlapping = parse_spec(spec)
        if len(item) < k:
            raise InvalidInput(f"sequence of {len(item)} bases is shorter than k={k}")
        return kmer_text(item, k, overlapping)

    def char_map(self, item: str, spec: str | None) -> list[int]:
        """``kmer_text`` writes k-mer j as k characters then a space; k-mer j starts at base j (overlapping)
        or j·k (disjoint)."""
        if spec == OWN_TOKENIZER:
            return list(range(len(item)))
        k, overlapping = parse_spec(spec)
        text = kmer_text(item, k, overlapping)
        out = []
        for c in range(len(text)):
            j, within = divmod(c, k + 1)
            out.append(-1 if within == k else (j if overlapping else j * k) + within)
        return out

    def depict(self, item: str) -> str:
        """The bases in the colours sequence viewers use (A green, C blue, G amber, T red), the first
        ``DEPICTED_BASES`` of a long one."""
        shown = "".join(f'<span style="color:{BASE_COLOURS.get(b, "#666")}">{b}</span>' for b in item[:DEPICTED_BASES])
        more = f" … ({len(item):,} bases)" if len(item) > DEPICTED_BASES else ""
        return f'<code class="bases" style="word-break:break-all">{shown}{more}</code>'

    def render_explanation(self, item: str, scores: np.ndarray, stem: Path) -> ExplanationView:
        """A per-base track; the strongest window is matched against JASPAR motifs."""
        start, end = strongest_window(scores, MOTIF_WINDOW)
        motifs = [asdict(m) for m in best_matches(item[start:end])]
        path = stem.with_suffix(".png")
        plot_track(item, scores, (start, end), motifs[:1], path)
        matches = ", ".join(f"{m['name']} ({m['matrix_id']}) {m['relative_score']:.2f}" for m in motifs[:3])
        findings = [f"strongest window {item[start:end]}: best JASPAR matches {matches}"] if motifs else []
        return ExplanationView(files=[str(path)], findings=findings,
                               details={"top_window": [start, end], "window_sequence": item[start:end],
                                        "motifs": motifs})

    def domain_features(self, items: list[str]) -> None:
        return None  # no accepted similarity-based domain for sequences yet

    def extra_features(self, name: str, items: list[str]) -> np.ndarray:
        raise ConfigError(f"model.extra_features: {self.name} offers no extra features ({name!r} asked for)")

    def augment(self, item: str, rng: np.random.Generator) -> str:
        return reverse_complement(item) if rng.random() < 0.5 else item

    def views(self, item: str) -> list[str]:
        return [item, reverse_complement(item)]

    def perturbations(self, item: str, rng: np.random.Generator) -> dict[str, str]:
        """The other strand, and the window moved a few bases (2 %, at least one: the flank is lost, not invented)."""
        shift = max(1, len(item) // 50) if len(item) > 1 else 0
        return {"reverse complement": reverse_complement(item), "shifted window": item[shift:] or item}

    def windows(self, item: str, size: int, stride: int) -> list[str]:
        if len(item) <= size:
            return [item]
        starts = list(range(0, len(item) - size + 1, stride))
        if starts[-1] + size < len(item):
            starts.append(len(item) - size)  # the tail is always covered
        return [item[s : s + size] for s in starts]

    def baselines(self, task_kind: str, seed: int) -> dict[str, tuple[str, BaseEstimator]]:
        """Linear models on k-mer counts (6-mers alone, the field's standard, and 4- to 6-mers together), and on
        the bases by position, which counts cannot see: where a splice site's GT or AG sits is the signal."""
        def linear():
            return (LogisticRegression(max_iter=2000, C=1.0, random_state=seed) if task_kind == "classification"
                    else Ridge(alpha=1.0))
        kind = "logistic" if task_kind == "classification" else "ridge"
        return {"kmer6_linear": (f"6-mer counts + {kind} regression", make_pipeline(
                    CountVectorizer(analyzer="char", ngram_range=(6, 6), lowercase=False), MaxAbsScaler(), linear())),
                "kmer4to6_linear": (f"4- to 6-mer counts + {kind} regression", make_pipeline(
                    CountVectorizer(analyzer="char", ngram_range=(4, 6), lowercase=False), MaxAbsScaler(), linear())),
                "onehot_linear": (f"one-hot bases by position + {kind} regression", make_pipeline(
                    FunctionTransformer(bases_by_position), linear()))}

    def primary_metric(self, task_kind: str) -> str:
        return "mcc" if task_kind == "classification" else "rmse"


POSITIONS = 256  # bases one-hot encoded by ``bases_by_position``: the centre of longer inputs
_BASE_INDEX = np.full(256, 4, dtype=np.int64)
_BASE_INDEX[[ord(b) for b in BASES]] = np.arange(4)


def bases_by_position(items: list[str], length: int = POSITIONS) -> np.ndarray:
    """Each input centred in ``length`` positions, one-hot by base (N and padding all zero): a classical
    model then sees *where* each base is, as position weight matrices do."""
    out = np.zeros((len(items), length, 5), dtype=np.float32)
    for row, item in enumerate(items):
        cut = max(0, (len(item) - length) // 2)
        codes = _BASE_INDEX[np.frombuffer(item[cut:cut + length].encode("ascii"), dtype=np.uint8)]
        start = (length - len(codes)) // 2
        out[row, start + np.arange(len(codes)), codes] = 1.0
    return out[:, :, :4].reshape(len(items), 4 * length)


def strongest_window(scores: np.ndarray, width: int) -> tuple[int, int]:
    """The ``width``-base window with the largest summed positive attribution."""
    if len(scores) <= width:
        return 0, len(scores)
    sums = np.convolve(np.clip(scores, 0, None), np.ones(width), mode="valid")
    start = int(np.argmax(sums))
    return start, start + width


def plot_track(sequence: str, scores: np.ndarray, window: tuple[int, int], motifs: list[dict], path: Path) -> None:
    """A per-base attribution track with the strongest window shaded and its best motif named (PNG)."""

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(min(14, 3 + len(sequence) / 25), 2.6), dpi=110)
    ax.bar(range(len(scores)), scores, width=1.0, color=np.where(scores >= 0, "#c0392b", "#2c7fb8"))
    ax.axvspan(window[0] - 0.5, window[1] - 0.5, color="#f1c40f", alpha=0.25, label="strongest window")
    title = f"best JASPAR match: {motifs[0]['name']} ({motifs[0]['relative_score']:.2f})" if motifs else ""
    ax.set(xlabel="position (bp)", ylabel="attribution", title=title, xlim=(-1, len(scores)))
    if len(sequence) <= 80:
        ax.set_xticks(range(len(sequence)), list(sequence), fontsize=7, family="monospace")
    ax.legend(loc="upper right", fontsize=8)
    write_figure(fig, path)


def read_fasta(path: Path) -> pd.DataFrame:
    """One row per record: ``id`` (first header word), ``key=value`` header fields, ``sequence``."""
    opener = gzip.open if path.suffix == ".gz" else open
    records: list[dict] = []
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            for line_number, line in enumerate(handle, start=1):
                line = line.strip()
                if line.startswith(">"):
                    records.append(_header_fields(line[1:], path, line_number) | {"sequence": []})
                elif line and not records:
                    raise DataError(path, "sequence before the first '>' header; is this FASTA?", row=line_number)
                elif line:
                    records[-1]["sequence"].append(line)
    except (UnicodeDecodeError, OSError, EOFError) as exc:
        raise DataError(path, f"cannot be read as FASTA text ({exc})") from None
    if not records:
        raise DataError(path, "no FASTA records (no '>' header lines)")
    _refuse_duplicate_ids(records, path)
    frame = pd.DataFrame([{**r, "sequence": "".join(r["sequence"])} for r in records], dtype=object)
    return frame


def _header_fields(header: str, path: Path, line_number: int) -> dict:
    words = header.split()
    if not words:
        raise DataError(path, "empty FASTA header", row=line_number)
    fields = {"id": words[0]}
    for word in words[1:]:
        key, sep, value = word.partition("=")
        if sep:
            if key in fields:
                raise DataError(path, f"header field {key!r} given twice ({fields[key]!r} and {value!r})",
                                row=line_number, unit="line")
            fields[key] = value
    return fields


def _refuse_duplicate_ids(records: list[dict], path: Path) -> None:
    seen: dict[str, int] = {}
    for number, record in enumerate(records, start=1):
        if record["id"] in seen:
            raise DataError(path, f"duplicate record id {record['id']!r} (records {seen[record['id']]} and {number})")
        seen[record["id"]] = number


register(DnaModality())
