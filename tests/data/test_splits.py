import contextlib

import numpy as np
import pandas as pd
import pytest

from biofm.core.errors import ConfigError
from biofm.data.datasets import get_dataset
from biofm.data.splits import group_split, random_split, split_indices, stratified_split
from biofm.modalities import InvalidInput, get_modality

molecule = get_modality("molecule")


@pytest.fixture(scope="module")
def smiles() -> list[str]:
    out = []
    for s in pd.read_csv(get_dataset("b3db").path("train")).smiles[:1500]:
        with contextlib.suppress(InvalidInput):
            out.append(molecule.normalise(s))
    return out


def parts_are_a_partition(index, n):
    joined = np.concatenate(index)
    assert sorted(joined.tolist()) == list(range(n))


@pytest.mark.parametrize("seed", [None, 0, 1])
def test_no_scaffold_in_two_splits(smiles, seed):
    groups = [molecule.group_key(s, {}) for s in smiles]
    index = group_split(groups, (0.8, 0.1, 0.1), seed)
    parts_are_a_partition(index, len(smiles))
    scaffolds = [{groups[i] for i in part} for part in index]
    assert not scaffolds[0] & scaffolds[1] and not scaffolds[0] & scaffolds[2] and not scaffolds[1] & scaffolds[2]
    assert abs(len(index.train) - 0.8 * len(smiles)) <= 0.02 * len(smiles)


def test_scaffold_split_is_deterministic_and_seed_matters(smiles):
    groups = [molecule.group_key(s, {}) for s in smiles]
    a, b = group_split(groups, (0.8, 0.1, 0.1), 3), group_split(groups, (0.8, 0.1, 0.1), 3)
    c = group_split(groups, (0.8, 0.1, 0.1), 4)
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    assert not np.array_equal(a.test, c.test)


def test_random_split_sizes_and_seed():
    index = random_split(100, (0.8, 0.1, 0.1), seed=0)
    assert [len(p) for p in index] == [80, 10, 10]
    parts_are_a_partition(index, 100)
    assert not np.array_equal(index.test, random_split(100, (0.8, 0.1, 0.1), seed=1).test)


def test_stratified_keeps_proportions():
    labels = ["a"] * 80 + ["b"] * 20
    index = stratified_split(labels, (0.6, 0.2, 0.2), seed=0)
    for part in index:
        share = np.mean([labels[i] == "b" for i in part])
        assert share == pytest.approx(0.2, abs=0.05)


def test_unknown_split_name():
    with pytest.raises(ConfigError, match="unknown split"):
        split_indices("cluster", 10, (0.8, 0.1, 0.1), 0)


def test_stratified_with_parts_given_as_files():
    labels = ["a"] * 40 + ["b"] * 20
    only_val = stratified_split(labels, (0.8, 0.2, 0.0), seed=0)
    only_test = stratified_split(labels, (0.8, 0.0, 0.2), seed=0)
    assert len(only_val.val) == 12 and len(only_val.test) == 0
    assert len(only_test.test) == 12 and len(only_test.val) == 0
    assert len(stratified_split(labels, (1.0, 0.0, 0.0), seed=0).train) == 60


def test_no_test_share_leaves_no_rounding_leftover_in_test():
    index = random_split(1025, (0.9, 0.1, 0.0), seed=0)  # e.g. a given test file took the test share
    assert (len(index.train), len(index.val), len(index.test)) == (922, 103, 0)
