import gzip

import numpy as np
import pytest
from transformers import AutoTokenizer

from biofm.core.errors import ConfigError, DataError
from biofm.data.records import read_records
from biofm.data.splits import group_split
from biofm.modalities import InvalidInput, get_modality
from biofm.modalities.dna import parse_spec, reverse_complement
from biofm.modeling.inference import tokenizer_texts

dna = get_modality("dna")


def fasta(tmp_path, text, name="s.fa"):
    path = tmp_path / name
    if name.endswith(".gz"):
        with gzip.open(path, "wt") as handle:
            handle.write(text)
    else:
        path.write_text(text)
    return path


def read(path, labels=("factor",)):
    return read_records(dna, path, "sequence", list(labels), "classification")


def test_fasta_with_header_labels_multiline_and_soft_masking(tmp_path):
    path = fasta(tmp_path, ">chr1:1-9 factor=A\nacgt\nACGTN\n>chr2:5-12 factor=B note=x\nGGGGCCCC\n", "s.fa.gz")
    records = read(path)
    assert records.inputs == ["ACGTACGTN", "GGGGCCCC"] and list(records.labels[:, 0]) == ["A", "B"]
    assert records.rows == [1, 2] and list(records.extra.id) == ["chr1:1-9", "chr2:5-12"]


def test_invalid_base_names_record_and_position(tmp_path):
    path = fasta(tmp_path, ">a factor=A\nACGT\n>b factor=B\nACGXT\n")
    with pytest.raises(DataError, match=r"s.fa, record 2: character 'X' at position 4 is not A, C, G, T or N"):
        read(path)


def test_empty_record_duplicate_ids_and_missing_label(tmp_path):
    with pytest.raises(DataError, match=r"record 1: empty value in column 'sequence'"):
        read(fasta(tmp_path, ">a factor=A\n>b factor=B\nACGT\n"))
    with pytest.raises(DataError, match=r"duplicate record id 'a' \(records 1 and 2\)"):
        read(fasta(tmp_path, ">a factor=A\nACGT\n>a factor=B\nACGT\n"))
    with pytest.raises(DataError, match=r"missing column\(s\) 'factor'"):
        read(fasta(tmp_path, ">a\nACGT\n>b\nACGT\n"))
    with pytest.raises(DataError, match=r"record 2: label missing"):
        read(fasta(tmp_path, ">a factor=A\nACGT\n>b\nACGT\n"))
    with pytest.raises(DataError, match="no FASTA records"):
        read(fasta(tmp_path, "\n\n"))


def test_sequence_shorter_than_k_is_named(tmp_path):
    records = read(fasta(tmp_path, ">a factor=A\nACGTACGT\n>b factor=B\nACG\n"))
    with pytest.raises(DataError, match=r"row 2: sequence of 3 bases is shorter than k=6"):
        tokenizer_texts(dna, "kmer6", records)


@pytest.mark.parametrize(("spec", "n_tokens"), [("kmer6", 15), ("kmer3-disjoint", 7), ("nucleotide", 20)])
def test_tokenizers_round_trip_and_reload(tmp_path, spec, n_tokens):
    sequence = "ACGTTGCAACGGTTAACCGT"
    tokenizer = dna.build_tokenizer([], spec)
    text = dna.tokenizer_text(sequence, spec)
    ids = tokenizer(text)["input_ids"]
    assert len(ids) == n_tokens + 2 and tokenizer.unk_token_id not in ids
    tokenizer.save_pretrained(tmp_path)
    reloaded = AutoTokenizer.from_pretrained(tmp_path)
    assert reloaded(text)["input_ids"] == ids
    assert reloaded.decode(ids, skip_special_tokens=True) == text


def test_bad_tokenizer_spec():
    with pytest.raises(ConfigError, match=r"model\.tokenizer"):
        parse_spec("bpe")


def test_reverse_complement_and_augment():
    assert reverse_complement("AACGTN") == "NACGTT"
    assert reverse_complement(reverse_complement("ACGGTA")) == "ACGGTA"
    rng = np.random.default_rng(0)
    assert {dna.augment("AAAC", rng) for _ in range(20)} == {"AAAC", "GTTT"}
    assert dna.views("AAC") == ["AAC", "GTT"]


def test_windows_cover_the_whole_sequence():
    sequence = "".join(np.random.default_rng(1).choice(list("ACGT"), 1050))
    pieces = dna.windows(sequence, 200, 100)
    assert all(len(p) == 200 for p in pieces) and pieces[-1] == sequence[-200:]
    assert len(pieces) == 10 and dna.windows("ACGT", 200, 100) == ["ACGT"]


def test_region_split_keeps_chromosomes_apart():
    ids = [f"chr{c}:{i}-{i + 200}" for c in range(1, 11) for i in range(0, 2000, 100)]
    groups = [dna.group_key("ACGT", {"id": i}) for i in ids]
    index = group_split(groups, (0.8, 0.1, 0.1), seed=0)
    chromosomes = [{groups[i] for i in part} for part in index]
    assert not (chromosomes[0] & chromosomes[1]) and not (chromosomes[0] & chromosomes[2])
    with pytest.raises(ConfigError, match="needs record ids like chr1:100-300"):
        dna.group_key("ACGT", {"id": "peak_17"})


def test_baseline_and_csv_input(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("sequence,y\nACGTACGTAC,1\nTTTTGGGGCC,0\n")
    records = read_records(dna, path, "sequence", ["y"], "classification")
    assert records.inputs[0] == "ACGTACGTAC"
    for key, (name, model) in dna.baselines("classification", seed=0).items():
        model.fit(["ACGTACGTAC" * 3, "TTTTGGGGCC" * 3], [1, 0])
        assert model.predict(["ACGTACGTAC" * 3])[0] == 1
        assert ("6-mer" in name) == key.startswith("kmer")


def test_bases_by_position_centres_inputs_and_leaves_unknown_bases_empty():
    from biofm.modalities.dna.modality import bases_by_position

    short, long = bases_by_position(["ACGTN", "TT" + "A" * 8 + "GG"], length=8)
    assert short.reshape(8, 4).tolist() == [[0] * 4, [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1],
                                            [0] * 4, [0] * 4, [0] * 4]
    assert long.reshape(8, 4)[:, 0].sum() == 8  # the centre 8 of 12 bases: the A run, not the TT / GG ends


def test_positional_baseline_sees_what_kmer_counts_cannot():
    """A splice-site-like signal: the label is whether base 20 is a G; counts of k-mers cannot tell."""
    from sklearn.metrics import matthews_corrcoef

    rng = np.random.default_rng(0)
    sequences = ["".join(rng.choice(list("ACGT"), 41)) for _ in range(600)]
    labels = [int(s[20] == "G") for s in sequences]
    candidates = dna.baselines("classification", seed=0)
    scores = {}
    for key in ("kmer6_linear", "onehot_linear"):
        model = candidates[key][1].fit(sequences[:400], labels[:400])
        scores[key] = matthews_corrcoef(labels[400:], model.predict(sequences[400:]))
    assert scores["onehot_linear"] > 0.9 > 0.5 > scores["kmer6_linear"]


def test_normalise_rejects_empty():
    with pytest.raises(InvalidInput, match="empty sequence"):
        dna.normalise("  ")


def test_a_long_sequence_is_depicted_in_part_with_its_length():
    from biofm.modalities import get_modality

    fragment = get_modality("dna").depict("ACGT" * 100)
    assert fragment.count("<span") == 300 and "(400 bases)" in fragment
