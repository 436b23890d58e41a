"""Property tests: the text reader, normaliser and tokenizer never crash, whatever a note contains."""

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from biofm.data.datasets import get_dataset
from biofm.modalities import InvalidInput, get_modality
from conftest import check_reader_contract

text = get_modality("text")
FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NOTES = [text.normalise(t) for t in pd.read_csv(get_dataset("hpo_diagnosis").path("train")).text[:300]]
TOKENIZER = text.build_tokenizer(NOTES)
# clinical-looking text: words, digits, punctuation, accents, PHI-shaped pieces
CLINICAL = st.lists(st.sampled_from(["Patient", "Dr.", "Smith", "fever", "3/4/2021", "555-0142", "MRN", "12345",
                                     "née", "naïve", "—", ",", ";", ".", "no", "rash", "Müller", "O'Brien", "\t"]),
                    max_size=30).map(" ".join)


@FUZZ
@given(st.one_of(st.text(max_size=200), CLINICAL))
def test_any_text_is_accepted_or_rejected_with_our_error(raw):
    try:
        note = text.normalise(raw)
    except InvalidInput:
        return
    assert note and note == " ".join(note.split())  # one space between words, no edges
    assert text.normalise(note) == note  # normalising (and de-identifying) twice changes nothing


@FUZZ
@given(st.one_of(st.text(min_size=1, max_size=200), CLINICAL))
def test_the_tokenizer_takes_any_text_and_its_offsets_stay_inside(raw):
    encoded = TOKENIZER(raw, return_offsets_mapping=True, truncation=True, max_length=64)
    assert len(encoded["input_ids"]) <= 64
    assert all(0 <= start <= end <= len(raw) for start, end in encoded["offset_mapping"])


@FUZZ
@given(st.sampled_from(NOTES), st.integers(0, 2**32 - 1))
def test_augmenting_a_note_keeps_a_valid_note_made_of_its_words(note, seed):
    variant = text.augment(note, np.random.default_rng(seed))
    assert text.normalise(variant)
    assert set(variant.split()) <= set(note.split())  # clauses and words dropped, never changed


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_reader_raises_only_data_errors(content):
    check_reader_contract(text, "notes.csv", b"text,label\n" + content, "text", "label")
