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


def test_no_test_molecule_of_any_set_enters_a_pretraining_corpus(tmp_path):
    from rdkit import Chem

    from biofm.core.config import CorpusConfig
    from biofm.data.corpus import Corpus
    from biofm.data.moleculeace import write_pretraining_lists
    from biofm.modalities import get_modality

    smiles = b3db_smiles(90)
    folder = tmp_path / "benchmark_data"
    folder.mkdir()
    shared = smiles[0]  # one compound, measured on two targets: train in the first set, test in the second
    for name, train, test in (("CHEMBL1_Ki", [shared, *smiles[1:40]], smiles[40:50]),
                              ("CHEMBL2_Ki", smiles[50:80], [shared, *smiles[80:89]])):
        frame = pd.DataFrame({"smiles": train + test, "y": 6.0, "cliff_mol": 0,
                              "split": ["train"] * len(train) + ["test"] * len(test)})
        frame.to_csv(folder / f"{name}.csv", index=False)
    lists = write_pretraining_lists(tmp_path / "lists", folder)
    test_set = set(lists["test"].read_text().split())
    assert shared in test_set and shared not in lists["unlabelled"].read_text().split()
    # a large corpus that happens to hold test molecules, written in another atom order than the benchmark's
    leaked = [Chem.MolToSmiles(Chem.MolFromSmiles(s), doRandom=True) for s in (*smiles[40:45], smiles[85])]
    pd.DataFrame({"smiles": [*smiles[1:30], *leaked]}).to_csv(tmp_path / "zinc.csv", index=False)
    cfg = CorpusConfig(files=[str(tmp_path / "zinc.csv"), str(lists["unlabelled"])], exclude=[str(lists["test"])],
                       val_fraction=0.2)
    corpus = Corpus(cfg, get_modality("molecule"))
    seen = [*corpus.items("train"), *corpus.items("val")]
    assert seen and not set(seen) & test_set
    assert corpus.excluded["train"] + corpus.excluded["val"] == len(leaked)
    assert len(seen) == 29 + len(lists["unlabelled"].read_text().split())
