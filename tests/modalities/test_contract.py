"""One contract, run over every registered modality: what shared code may rely on, whatever the data is.

A new modality (protein, say) is checked by these tests as soon as it registers: it only has to ship
a bundled dataset (or add a sample below) for the contract to run on real inputs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.base import BaseEstimator

from biofm.core.config import RunConfig
from biofm.core.errors import ConfigError
from biofm.data.datasets import catalog
from biofm.data.records import read_records
from biofm.modalities import ExplanationView, InvalidInput, Modality, get_modality, modality_names
from biofm.modeling.metrics import GREATER_IS_BETTER

SAMPLE = 60  # items per modality: enough for a tokenizer, fast enough for every run of the suite


def sample(name: str) -> tuple[Modality, list[str], list[object]]:
    """The first bundled dataset of the modality, read with its own validation."""
    card = next(c for c in catalog().values() if c.modality == name)
    modality = get_modality(name)
    records = read_records(modality, card.path("train"), card.input_column, card.label_columns[:1], card.task,
                           skip_invalid=True)
    return modality, records.inputs[:SAMPLE], list(records.labels[:SAMPLE, 0])


@pytest.fixture(scope="module", params=modality_names())
def registered(request):
    return sample(request.param)


def test_the_registry_lists_every_modality_with_the_protocol(registered):
    modality, _, _ = registered
    assert isinstance(modality, Modality) and get_modality(modality.name) is modality
    assert modality.default_split in ("random", "stratified", "scaffold", "region", "group")


def test_reading_gives_normalised_inputs_and_a_unit_for_messages(registered, tmp_path):
    modality, inputs, labels = registered
    assert len(inputs) == len(labels) == SAMPLE and all(isinstance(x, str) and x for x in inputs)
    assert all(modality.normalise(x) == x for x in inputs)  # read() already normalised: a fixed point
    assert modality.record_unit(tmp_path / "data.csv") == "row"
    with pytest.raises(InvalidInput):
        modality.normalise("")


def test_the_tokenizer_covers_every_character_of_its_training_inputs(registered):
    modality, inputs, _ = registered
    texts = [modality.tokenizer_text(x, None) for x in inputs]
    tokenizer = modality.build_tokenizer(texts)
    encoded = tokenizer(texts, return_offsets_mapping=True)
    unknown = sum(ids.count(tokenizer.unk_token_id) for ids in encoded["input_ids"])
    assert unknown <= 0.01 * sum(map(len, encoded["input_ids"]))  # built from these texts: (almost) no [UNK]
    for item, text, offsets in zip(inputs, texts, encoded["offset_mapping"], strict=True):
        char_map = modality.char_map(item, None)
        assert len(char_map) == len(text) and all(-1 <= c < len(item) for c in char_map)
        assert max(end for _, end in offsets) <= len(text)  # offsets point into the tokenizer text


def test_augmenting_keeps_a_valid_input_of_the_same_group(registered):
    modality, inputs, _ = registered
    for i, item in enumerate(inputs[:20]):
        variant = modality.augment(item, np.random.default_rng(i))
        assert variant == modality.augment(item, np.random.default_rng(i))  # seeded: reproducible
        assert modality.normalise(variant)  # still a valid input
        if modality.name == "molecule":  # label-preserving: the same molecule in another atom order
            assert modality.normalise(variant) == item
        perturbed = modality.perturbations(item, np.random.default_rng(i))
        assert perturbed and all(isinstance(text, str) and text for text in perturbed.values())


def test_views_and_windows_are_valid_inputs_that_cover_the_item(registered):
    modality, inputs, _ = registered
    for item in inputs[:20]:
        views = modality.views(item)
        assert views and all(modality.normalise(v) for v in views)
        assert modality.windows(item, 10**6, 10**6) == [item]  # short enough: the item itself
        pieces = modality.windows(item, 8, 4)
        assert pieces and all(isinstance(p, str) and p for p in pieces)


def test_explanations_come_back_as_a_view_with_the_files_it_names(registered, tmp_path):
    modality, inputs, _ = registered
    item = inputs[0]
    view = modality.render_explanation(item, np.linspace(-1, 1, len(item)), tmp_path / "e")
    assert isinstance(view, ExplanationView)
    assert all(Path(f).is_file() for f in view.files) and all(isinstance(line, str) for line in view.findings)


def test_an_input_is_depicted_as_html_that_cannot_run_script(registered):
    modality, inputs, _ = registered
    fragment = modality.depict(inputs[0])
    assert isinstance(fragment, str) and fragment.startswith("<") and "<script" not in fragment.lower()


def test_a_modality_recognises_its_own_inputs_and_says_where_a_new_dataset_starts(registered):
    modality, inputs, _ = registered
    assert sum(map(modality.recognises, inputs)) >= 0.95 * len(inputs)
    assert not modality.recognises("") and isinstance(modality.recognition_rank, int)
    for kind in ("classification", "regression"):
        starter = modality.starter(kind)
        assert set(starter) <= {"data", "model", "train"}
        RunConfig.from_dict({**starter, "modality": modality.name})  # every key a real, valid config key


def test_domain_baseline_metric_and_groups(registered):
    modality, inputs, _ = registered
    features = modality.domain_features(inputs[:5])
    assert (features is None) == (modality.out_of_domain_below is None)
    if features is not None:
        assert features.shape[0] == 5 and set(np.unique(features)) <= {0, 1}
    for kind in ("classification", "regression"):
        candidates = modality.baselines(kind, seed=0)
        assert candidates and all(name and isinstance(estimator, BaseEstimator) for name, estimator in
                                  candidates.values())
        assert modality.primary_metric(kind) in GREATER_IS_BETTER
    try:  # a group key may need the record's metadata (DNA: the region in its id); asking without it is an error
        keys = [modality.group_key(x, {}) for x in inputs[:5]]
    except ConfigError as exc:
        assert "data.split" in str(exc)  # names the setting to change
    else:
        assert all(isinstance(k, str) for k in keys)


def test_extra_features_are_one_row_per_input_and_unknown_sets_are_refused(registered):
    modality, inputs, _ = registered
    for name in modality.feature_sets:
        values = modality.extra_features(name, inputs[:5])
        assert values.shape[0] == 5 and values.shape[1] >= 1 and np.isfinite(values).all()
        assert np.array_equal(modality.extra_features(name, inputs[:5]), values)  # deterministic
    with pytest.raises(ConfigError, match=r"model\.extra_features"):
        modality.extra_features("no-such-set", inputs[:1])
