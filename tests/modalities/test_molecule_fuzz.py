"""Property tests: the SMILES reader and tokenizer never crash, and round-trip what they accept."""

import contextlib

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from biofm.data.datasets import get_dataset
from biofm.modalities import InvalidInput, get_modality
from conftest import check_reader_contract

molecule = get_modality("molecule")
SMILES_ALPHABET = "CNOSPFIBrlcnosp()[]=#-+@H123456789%/\\.*:"
FUZZ = settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _real_molecules() -> list[str]:
    out = []
    for s in pd.read_csv(get_dataset("b3db").path("train")).smiles[:400]:
        with contextlib.suppress(InvalidInput):
            out.append(molecule.normalise(s))
    return out


REAL = _real_molecules()
TOKENIZER = molecule.build_tokenizer(REAL)


def round_trips(smiles: str) -> bool:
    ids = TOKENIZER(smiles)["input_ids"]
    return TOKENIZER.unk_token_id in ids or TOKENIZER.decode(ids, skip_special_tokens=True) == smiles


@FUZZ
@given(st.text(max_size=80))
def test_any_text_is_accepted_or_rejected_with_our_error(text):
    try:
        canonical = molecule.normalise(text)
    except InvalidInput:
        return
    assert molecule.normalise(canonical) == canonical  # canonical form is a fixed point


@FUZZ
@given(st.text(alphabet=SMILES_ALPHABET, min_size=1, max_size=40))
def test_smiles_like_strings_tokenize_losslessly(text):
    assert round_trips(text)  # the tokenizer never drops characters silently: exact, or an explicit [UNK]
    try:
        canonical = molecule.normalise(text)
    except InvalidInput:
        return
    assert round_trips(canonical)


@FUZZ
@given(st.sampled_from(REAL), st.integers(0, 2**32 - 1))
def test_randomised_smiles_is_the_same_molecule_and_round_trips(smiles, seed):
    variant = molecule.augment(smiles, np.random.default_rng(seed))
    assert molecule.normalise(variant) == smiles
    assert round_trips(variant)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300) | st.text(alphabet="smile,s\n\"'CcO1=;\t \\x", max_size=200).map(str.encode))
def test_reader_raises_only_data_errors(content):
    check_reader_contract(molecule, "fuzz.csv", content, "smiles", "s")
