"""The DNA pretraining corpus script: assembly gaps cut, coordinates kept (run on a tiny genome, no package)."""

from __future__ import annotations

import gzip
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def corpus_script():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        spec = importlib.util.spec_from_file_location("dna_corpus", ROOT / "scripts" / "dna_corpus.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "scripts"))


def test_contigs_are_cut_at_gaps_with_one_based_coordinates(tmp_path):
    script = corpus_script()
    script.MIN_CONTIG = 4
    genome = "NNNN" + "acgtac" + "N" * 12 + "GGN" + "TTTTCCCC" + "N" * 10 + "AC"
    source = tmp_path / "x.fa.gz"
    with gzip.open(source, "wt") as handle:
        handle.write(">X  some description\n" + "\n".join(genome[i:i + 7] for i in range(0, len(genome), 7)) + "\n")
    count, bases = script.write_corpus(source, tmp_path / "out" / "corpus.fa.gz")
    with gzip.open(tmp_path / "out" / "corpus.fa.gz", "rt") as handle:
        records = handle.read().split(">")[1:]
    assert [r.split("\n")[0] for r in records] == ["chrX:5-10", "chrX:23-33"]
    assert records[0].split("\n")[1] == "ACGTAC"  # upper-cased
    assert "".join(records[1].split("\n")[1:]) == "GGNTTTTCCCC"  # a single N inside a contig stays
    assert genome[22:33] == "GGNTTTTCCCC" and (count, bases) == (2, 17)  # the short tail "AC" is dropped
