"""Property tests: the DNA reader and tokenizers never crash and round-trip what they accept."""


from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from biofm.modalities import InvalidInput, get_modality
from biofm.modalities.dna import reverse_complement
from conftest import check_reader_contract

dna = get_modality("dna")
FUZZ = settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TOKENIZERS = {spec: dna.build_tokenizer([], spec) for spec in ("kmer6", "kmer3-disjoint", "nucleotide")}


@FUZZ
@given(st.text(max_size=60))
def test_any_text_is_a_sequence_or_our_error(text):
    try:
        sequence = dna.normalise(text)
    except InvalidInput:
        return
    assert set(sequence) <= set("ACGTN") and dna.normalise(sequence) == sequence


@FUZZ
@given(st.text(alphabet="ACGT", min_size=6, max_size=300), st.sampled_from(sorted(TOKENIZERS)))
def test_tokenizers_round_trip_valid_sequences(sequence, spec):
    tokenizer = TOKENIZERS[spec]
    text = dna.tokenizer_text(sequence, spec)
    ids = tokenizer(text)["input_ids"]
    assert tokenizer.unk_token_id not in ids
    assert tokenizer.decode(ids, skip_special_tokens=True) == text
    assert reverse_complement(reverse_complement(sequence)) == sequence


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200) | st.text(alphabet=">ACGTNacgtx =\nfactor:-1", max_size=200).map(str.encode))
def test_fasta_reader_raises_only_data_errors(content):
    check_reader_contract(dna, "fuzz.fa", content, "sequence", "factor")
