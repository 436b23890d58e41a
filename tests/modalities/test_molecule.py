import contextlib

import numpy as np
import pandas as pd
import pytest
from rdkit import Chem
from transformers import AutoTokenizer

from biofm.data.datasets import get_dataset
from biofm.modalities import InvalidInput, get_modality

molecule = get_modality("molecule")


@pytest.fixture(scope="module")
def real_smiles() -> list[str]:
    frame = pd.read_csv(get_dataset("b3db").path("train")).sample(400, random_state=0)
    out = []
    for s in frame.smiles:
        with contextlib.suppress(InvalidInput):
            out.append(molecule.normalise(s))
    return out[:300]


def test_tokenizer_round_trip_on_real_smiles(real_smiles, tmp_path):
    tokenizer = molecule.build_tokenizer(real_smiles)
    tokenizer.save_pretrained(tmp_path)
    reloaded = AutoTokenizer.from_pretrained(tmp_path)
    for smiles in real_smiles:
        ids = reloaded(smiles)["input_ids"]
        assert ids == tokenizer(smiles)["input_ids"]
        assert reloaded.unk_token_id not in ids
        assert reloaded.decode(ids, skip_special_tokens=True) == smiles


def test_unseen_molecules_rarely_hit_unknown_tokens(real_smiles):
    tokenizer = molecule.build_tokenizer(real_smiles[:150])
    unknown = sum(tokenizer.unk_token_id in tokenizer(s)["input_ids"] for s in real_smiles[150:])
    assert unknown <= 3  # the base vocabulary covers common atoms beyond the training set


def test_multi_character_atoms_are_single_tokens():
    tokenizer = molecule.build_tokenizer(["CCl"])
    assert tokenizer.tokenize("ClC(Br)c1cc[nH]c1[C@@H](N)O") == [
        "Cl", "C", "(", "Br", ")", "c", "1", "c", "c", "[nH]", "c", "1", "[C@@H]", "(", "N", ")", "O",
    ]


def test_normalise_is_canonical_and_rejects_bad_chemistry():
    assert molecule.normalise("OCC") == molecule.normalise("C(O)C") == "CCO"
    with pytest.raises(InvalidInput, match="valence"):
        molecule.normalise("C(C)(C)(C)(C)C")
    with pytest.raises(InvalidInput, match="syntax"):
        molecule.normalise("not a molecule")


def test_augment_keeps_the_molecule(real_smiles):
    rng = np.random.default_rng(0)
    variants = {molecule.augment(real_smiles[0], rng) for _ in range(10)}
    assert len(variants) > 1
    assert {molecule.normalise(v) for v in variants} == {real_smiles[0]}


def test_views_are_the_molecule_in_several_atom_orders_and_the_same_every_time(real_smiles):
    from biofm.modalities.molecule.modality import TTA_VIEWS

    item = real_smiles[1]
    views = molecule.views(item)
    assert len(views) == TTA_VIEWS and views[0] == item and len(set(views)) > 1
    assert {molecule.normalise(v) for v in views} == {item}
    assert molecule.views(item) == views  # seeded by the SMILES: the same prediction in every process


def test_scaffold_key():
    assert molecule.group_key("CCc1ccccc1", {}) == molecule.group_key("OCc1ccccc1", {}) == "c1ccccc1"


def test_reads_sdf(tmp_path):
    path = tmp_path / "m.sdf"
    writer = Chem.SDWriter(str(path))
    for smiles, value in [("CCO", 1.5), ("c1ccccc1", -2.0)]:
        mol = Chem.MolFromSmiles(smiles)
        mol.SetProp("SOL", str(value))
        writer.write(mol)
    writer.close()
    frame = molecule.read_table(path)
    assert list(frame.smiles) == ["CCO", "c1ccccc1"] and list(frame.SOL) == ["1.5", "-2.0"]


def test_baseline_fits_on_smiles():
    candidates = molecule.baselines("classification", seed=0)
    assert set(candidates) == {"ecfp4_rf", "rdkit2d_rf", "ecfp4_rdkit2d_rf"}
    for name, model in candidates.values():
        model.fit(["CCO", "CCN", "c1ccccc1", "c1ccncc1"], [0, 0, 1, 1])
        assert "forest" in name and model.predict_proba(["c1ccccc1"]).shape == (1, 2)
    assert "ECFP4" in candidates["ecfp4_rf"][0] and "RDKit 2D" in candidates["rdkit2d_rf"][0]


def test_descriptors_from_worker_processes_equal_those_computed_here(monkeypatch):
    from biofm.modalities.molecule import features
    from conftest import b3db_smiles

    smiles = b3db_smiles(80, seed=3)
    monkeypatch.setattr(features, "PARALLEL_FROM", 10)  # the pool, on few molecules
    for item in smiles:
        features._DESCRIBED["rdkit2d"].pop(item, None)
    pooled = features.rdkit2d(smiles)
    assert features._POOL, "the worker processes were not used"
    np.testing.assert_array_equal(pooled, np.stack([features._descriptors(s) for s in smiles]))
