"""Streaming corpora: pieces, hold-out, bounded memory."""

import tracemalloc

import numpy as np
import pytest

from biofm.core.config import CorpusConfig
from biofm.core.errors import ConfigError, DataError
from biofm.data.corpus import Corpus, is_held_out, read_pieces, resolve_corpus_path, shuffled
from biofm.modalities import get_modality
from conftest import write_genome


@pytest.mark.parametrize("phase", [0, 7, 123])
def test_fasta_pieces_tile_each_record_from_the_phase(tmp_path, phase):
    genome = write_genome(tmp_path / "g.fa.gz", [1000, 130])
    pieces = list(read_pieces(tmp_path / "g.fa.gz", None, window=100, phase=phase))
    chr1 = [p.text for p in pieces if "chr1" in p.where]
    assert all(len(t) == 100 for t in chr1[:-1]) and len(chr1[-1]) >= 50
    shift = phase % 100  # a phase beyond one window is the same as its remainder
    assert "".join(chr1) == genome["chr1"][shift : shift + len("".join(chr1))]
    chr2 = [p.text for p in pieces if "chr2" in p.where]
    assert chr2[0] == genome["chr2"][shift : shift + 100]


def test_short_records_come_whole(tmp_path):
    genome = write_genome(tmp_path / "g.fa", [40, 30])
    assert [p.text for p in read_pieces(tmp_path / "g.fa", None, window=200)] == list(genome.values())


def test_holdout_is_stable_and_disjoint(tmp_path):
    (tmp_path / "m.csv").write_text("smiles\n" + "\n".join(f"C{'C' * (i % 40)}O" for i in range(400)) + "\n")
    corpus = Corpus(CorpusConfig(files=[str(tmp_path / "m.csv")], val_fraction=0.2), get_modality("molecule"))
    train, val = set(corpus.items("train")), set(corpus.items("val"))
    assert train and val and not train & val
    assert set(corpus.items("val")) == val


def test_max_items_keeps_the_first_training_items_and_leaves_validation_whole(tmp_path):
    (tmp_path / "m.csv").write_text("smiles\n" + "\n".join("C" * (i % 50 + 1) + "O" * (i // 50) for i in range(300)))
    files, molecule = [str(tmp_path / "m.csv")], get_modality("molecule")
    whole = Corpus(CorpusConfig(files=files, val_fraction=0.2), molecule)
    capped = Corpus(CorpusConfig(files=files, val_fraction=0.2, max_items=25), molecule)
    assert list(capped.items("train")) == list(whole.items("train"))[:25]
    assert list(capped.items("val")) == list(whole.items("val"))
    with pytest.raises(ConfigError, match=r"corpus\.max_items"):
        CorpusConfig(files=files, max_items=0)


def test_genome_windows_never_straddle_train_and_validation(tmp_path):
    write_genome(tmp_path / "g.fa", [200_000])
    cfg = CorpusConfig(files=[str(tmp_path / "g.fa")], window=500, val_fraction=0.2)
    corpus = Corpus(cfg, get_modality("dna"))
    val = list(read_pieces(tmp_path / "g.fa", None, 500))
    val_blocks = {k for p in val if is_held_out(p, 0.2) for k in p.holdout_keys}
    for piece in read_pieces(tmp_path / "g.fa", None, 500, phase=321):
        if not is_held_out(piece, 0.2):
            assert not set(piece.holdout_keys) & val_blocks
    assert 0 < len(corpus.sample("val", 10_000)) < len(corpus.sample("train", 10_000))


def test_invalid_items_are_counted_not_hidden(tmp_path):
    (tmp_path / "m.smi").write_text("CCO name1\nnot_a_smiles\nc1ccccc1\n")
    corpus = Corpus(CorpusConfig(files=[str(tmp_path / "m.smi")], val_fraction=0.01), get_modality("molecule"))
    items = list(corpus.items("train"))
    assert len(items) + corpus.skipped["train"] == corpus.read["train"]
    assert corpus.skipped["train"] == 1 and "m.smi, line 2" in corpus.examples[0]


def test_streaming_memory_stays_below_a_cap_far_smaller_than_the_corpus(tmp_path):
    """A 10 MB genome and a 10 MB table stream through in under 3 MB of Python memory (measured: ~1 MB)."""
    write_genome(tmp_path / "big.fa", [5_000_000, 5_000_000], line=80)
    rows = "\n".join(f"C{'C' * (i % 60)}N{'O' * (i % 3)}" for i in range(320_000))
    (tmp_path / "big.csv").write_text("smiles\n" + rows + "\n")
    cap = 3 * 2**20
    for name, window in (("big.fa", 256), ("big.csv", None)):
        assert (tmp_path / name).stat().st_size > 3 * cap
        pieces = read_pieces(tmp_path / name, "smiles" if window is None else None, window)
        tracemalloc.start()
        count = sum(1 for _ in shuffled((p.text for p in pieces), 1000, np.random.default_rng(0)))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert count > 30_000
        assert peak < cap, f"{name}: {peak / 2**20:.1f} MB"


def test_shuffled_keeps_every_item_once():
    out = list(shuffled(iter(range(1000)), 64, np.random.default_rng(1)))
    assert sorted(out) == list(range(1000)) and out != list(range(1000))


def test_package_paths_and_missing_files_are_clear(tmp_path):
    with pytest.raises(ConfigError, match="not installed"):
        resolve_corpus_path("pkg:no_such_package_xyz/data.csv")
    with pytest.raises(DataError, match="file not found"):
        resolve_corpus_path(str(tmp_path / "missing.csv"))
    assert resolve_corpus_path("pkg:biofm/data/bundled/catalog.yaml").is_file()


def test_table_without_the_column_names_the_file(tmp_path):
    (tmp_path / "t.csv").write_text("a,b\n1,2\n")
    with pytest.raises(DataError, match="no column 'smiles'"):
        list(read_pieces(tmp_path / "t.csv", "smiles", None))
