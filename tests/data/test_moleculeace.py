"""MoleculeACE sets keep their given split: test exactly as published, validation carved from train only."""

import pandas as pd
import pytest

from biofm.core.errors import DataError
from biofm.data.moleculeace import read_set, write_parts
from conftest import b3db_smiles


@pytest.fixture
def ace_file(tmp_path):
    """A set in MoleculeACE's layout (its own extra columns too), 60 train + 20 test rows, cliffs in both."""
    smiles = b3db_smiles(80)
    frame = pd.DataFrame({"smiles": smiles, "exp_mean [nM]": 10.0, "y": [5 + i / 40 for i in range(80)],
                          "cliff_mol": [int(i % 4 == 0) for i in range(80)],
                          "split": ["train"] * 60 + ["test"] * 20})
    path = tmp_path / "CHEMBL0000_Ki.csv"
    frame.sample(frac=1.0, random_state=0).to_csv(path, index=False)  # the package's files interleave the parts
    return path


def test_the_given_test_split_is_kept_and_validation_comes_from_train(ace_file, tmp_path):
    frame = read_set(ace_file)
    paths = write_parts(frame, tmp_path / "parts", fraction=0.2, seed=1)
    parts = {name: pd.read_csv(path) for name, path in paths.items()}
    given = pd.read_csv(ace_file)
    assert set(parts["test"].smiles) == set(given[given.split == "test"].smiles)
    assert set(parts["train"].smiles) | set(parts["val"].smiles) == set(given[given.split == "train"].smiles)
    assert not set(parts["train"].smiles) & set(parts["val"].smiles)
    assert len(parts["val"]) == 12 and parts["val"].cliff_mol.sum() == 3  # 20 % of 45 non-cliffs and of 15 cliffs
    again = write_parts(frame, tmp_path / "again", fraction=0.2, seed=1)
    assert pd.read_csv(again["val"]).equals(parts["val"])  # the seed fixes the draw …
    other = pd.read_csv(write_parts(frame, tmp_path / "other", fraction=0.2, seed=2)["val"])
    assert set(other.smiles) != set(parts["val"].smiles)  # … and changes it


def test_a_bad_split_value_names_the_file_and_row(ace_file):
    frame = pd.read_csv(ace_file)
    frame.loc[6, "split"] = "validation"
    frame.to_csv(ace_file, index=False)
    with pytest.raises(DataError, match=r"CHEMBL0000_Ki.csv, row 8: split is neither train nor test"):
        read_set(ace_file)


def test_a_missing_column_is_named(ace_file):
    pd.read_csv(ace_file).drop(columns="cliff_mol").to_csv(ace_file, index=False)
    with pytest.raises(DataError, match=r"missing column.*cliff_mol"):
        read_set(ace_file)
