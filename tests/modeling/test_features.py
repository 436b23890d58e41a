"""Extra features beside the embedding (``model.extra_features: [rdkit2d]``): fitted on train only, and the
same numbers in training, predict, serve and ONNX."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from biofm.core.errors import ConfigError, RunFolderError
from biofm.data.splits import load_splits
from biofm.modalities import get_modality
from biofm.modeling.features import ExtraFeatures
from biofm.modeling.loaded_run import load_run
from biofm.serve import create_app
from biofm.training.train import train
from biofm.use.export import export
from biofm.use.predict import predict
from conftest import DATA, THREADS, tiny_config

MOLECULE = get_modality("molecule")


def run_with(features: list[str], out: Path) -> Path:
    cfg = tiny_config(model={"preset": "tiny", "max_length": 96, "extra_features": features},
                      train={"epochs": 2, "batch_size": 16, "learning_rate": 1e-3, "patience": 2, "threads": THREADS,
                             "precision": "fp32"},
                      data={"train": str(DATA / "bbb_small.csv"), "label_columns": ["bbb_permeable"],
                            "task": "classification", "augment": True})
    return train(cfg, out).run_dir


@pytest.fixture(scope="module")
def descriptor_run(tmp_path_factory):
    return run_with(["rdkit2d"], tmp_path_factory.mktemp("runs") / "descriptors")


@pytest.fixture(scope="module")
def fast_descriptor_run(tmp_path_factory):
    return run_with(["rdkit2d_fast"], tmp_path_factory.mktemp("runs") / "fast")


def test_the_cheaper_sets_are_columns_of_the_full_set_with_the_same_numbers():
    from biofm.modalities.molecule.features import COSTLY, DESCRIPTOR_NAMES, DESCRIPTOR_SETS

    inputs = [*pd.read_csv(DATA / "bbb_small.csv").smiles.tolist()[:20], "[Na+].[Cl-]", "C"]
    full = MOLECULE.extra_features("rdkit2d", inputs)
    for name in ("rdkit2d_fast", "physchem"):  # the VSA families come from one RDKit call each: same numbers
        cheaper = MOLECULE.extra_features(name, inputs)
        kept = [DESCRIPTOR_NAMES.index(column) for column in DESCRIPTOR_SETS[name]]
        np.testing.assert_array_equal(cheaper, full[:, kept])
        assert "qed" not in DESCRIPTOR_SETS[name] and "PEOE_VSA14" in DESCRIPTOR_SETS[name]
    assert len(DESCRIPTOR_SETS["rdkit2d_fast"]) == len(DESCRIPTOR_NAMES) - len(COSTLY)
    assert not set(DESCRIPTOR_SETS["physchem"]) & set(COSTLY) and "MolLogP" in DESCRIPTOR_SETS["physchem"]


def test_statistics_come_from_the_training_inputs_only(descriptor_run):
    run = load_run(descriptor_run)
    splits = load_splits(run.config.data, run.modality)
    refit = ExtraFeatures.fit(MOLECULE, ["rdkit2d"], splits.train.inputs)
    np.testing.assert_allclose(run.features.mean, refit.mean, rtol=1e-6)
    np.testing.assert_allclose(run.features.scale, refit.scale, rtol=1e-6)
    everything = ExtraFeatures.fit(MOLECULE, ["rdkit2d"], splits.train.inputs + splits.val.inputs + splits.test.inputs)
    assert not np.allclose(run.features.mean, everything.mean)  # val/test would move them: they were left out
    saved = json.loads((descriptor_run / "features.json").read_text())
    assert saved["names"] == ["rdkit2d"] and len(saved["mean"]) == run.model.n_extra > 100


def test_features_are_finite_and_on_one_scale():
    inputs = [MOLECULE.normalise(s) for s in ("CCO", "c1ccccc1", "CC(=O)Oc1ccccc1C(=O)O", "[Na+].[Cl-]", "C" * 60)]
    features = ExtraFeatures.fit(MOLECULE, ["rdkit2d"], inputs)
    values = features(inputs)
    assert values.dtype == np.float32 and np.isfinite(values).all() and np.abs(values).max() <= 6.0
    assert np.allclose(values.mean(axis=0), 0, atol=1e-4)


def test_fingerprint_counts_stack_after_the_descriptors_in_the_order_named():
    inputs = [MOLECULE.normalise(s) for s in ("CCO", "c1ccccc1", "c1ccccc1c1ccccc1", "CC(=O)Oc1ccccc1C(=O)O")]
    both = ExtraFeatures.fit(MOLECULE, ["rdkit2d", "ecfp4"], inputs)
    descriptors = ExtraFeatures.fit(MOLECULE, ["rdkit2d"], inputs)
    values = both(inputs)
    assert both.width == descriptors.width + 2048
    np.testing.assert_allclose(values[:, : descriptors.width], descriptors(inputs), atol=1e-6)
    counts = MOLECULE.extra_features("ecfp4", inputs)
    assert counts[2].sum() > counts[1].sum()  # biphenyl has twice benzene's atoms: counts, not bits
    stranger = both([MOLECULE.normalise("FC(F)(F)C(F)(F)F")])  # substructures no training input had
    assert np.isfinite(stranger).all() and np.abs(stranger).max() <= 6.0 and np.isfinite(values).all()


def test_the_model_reads_the_features(descriptor_run):
    run = load_run(descriptor_run)
    inputs = pd.read_csv(DATA / "bbb_small.csv").smiles.tolist()[:8]
    inputs = [MOLECULE.normalise(s) for s in inputs]
    honest = run.outputs(inputs)
    real = run.features
    run.features = ExtraFeatures(MOLECULE, real.names, real.mean + 3 * real.scale, real.scale)  # shifted inputs
    assert not np.allclose(run.outputs(inputs), honest)


def test_the_full_set_is_still_rdkits_own_calculation_so_older_runs_predict_as_before():
    from rdkit import Chem
    from rdkit.Chem import Descriptors

    inputs = pd.read_csv(DATA / "bbb_small.csv").smiles.tolist()[:20]
    names = [name for name, _ in Descriptors._descList]
    rows = [[Descriptors.CalcMolDescriptors(Chem.MolFromSmiles(s), missingVal=np.nan)[n] for n in names]
            for s in inputs]
    expected = np.clip(np.nan_to_num(np.array(rows, dtype=np.float64), nan=0.0, posinf=1e6, neginf=-1e6), -1e6, 1e6)
    np.testing.assert_array_equal(MOLECULE.extra_features("rdkit2d", inputs), expected.astype(np.float32))


@pytest.mark.parametrize("which", ["descriptor_run", "fast_descriptor_run"])
def test_predict_serve_and_onnx_give_the_training_numbers(which, request, tmp_path):
    descriptor_run = request.getfixturevalue(which)
    predictions = pd.read_csv(descriptor_run / "predictions.csv")  # written by training, on test
    test_file = tmp_path / "test.csv"
    predictions[["input"]].rename(columns={"input": "smiles"}).to_csv(test_file, index=False)
    again = predict(descriptor_run, test_file, tmp_path / "again.csv")
    columns = [c for c in predictions.columns if c.startswith("prob_")]
    np.testing.assert_allclose(again[columns].to_numpy(), predictions[columns].to_numpy(), atol=1e-5)

    client = TestClient(create_app({"m": descriptor_run}))
    response = client.post("/predict", json={"items": predictions.input.tolist()[:4]})
    assert response.status_code == 200, response.text
    served_probs = [[row["probabilities"][c.removeprefix("prob_")] for c in columns]
                    for row in response.json()["results"]]
    np.testing.assert_allclose(served_probs, predictions[columns].to_numpy()[:4], atol=1e-5)

    parity = export(descriptor_run)
    assert parity["onnx"]["max_abs_output_difference"] < 1e-4
    onnx = load_run(descriptor_run, engine="onnx")
    np.testing.assert_allclose(onnx.outputs(predictions.input.tolist()), predictions[columns].to_numpy(), atol=1e-4)


def test_repeated_inputs_are_described_once_and_get_their_own_rows(descriptor_run, monkeypatch):
    run = load_run(descriptor_run)
    inputs = ["CCO", "c1ccccc1O", "CCO", "CCN", "c1ccccc1O"]
    described = []
    real = MOLECULE.extra_features
    monkeypatch.setattr(MOLECULE, "extra_features", lambda name, items: described.append(items) or real(name, items))
    rows = run.features(inputs)
    assert described == [["CCO", "c1ccccc1O", "CCN"]]
    np.testing.assert_array_equal(rows, np.stack([run.features([x])[0] for x in inputs]))


def test_remembering_describes_each_input_once_across_calls(descriptor_run, monkeypatch):
    """An ensemble's members ask for the same inputs one after another: they are described only once."""
    run = load_run(descriptor_run)
    described = []
    real = MOLECULE.extra_features
    monkeypatch.setattr(MOLECULE, "extra_features", lambda name, items: described.append(items) or real(name, items))
    remembered = run.features.remembering()
    first, again = remembered(["CCO", "CCN", "CCO"]), remembered(["CCN", "c1ccccc1O"])
    assert described == [["CCO", "CCN"], ["c1ccccc1O"]]
    np.testing.assert_array_equal(np.vstack([first, again]), run.features(["CCO", "CCN", "CCO", "CCN", "c1ccccc1O"]))
    assert remembered([]).shape == (0, run.features.width)


def test_test_time_views_are_averaged_with_the_molecules_own_features(descriptor_run, tmp_path):
    """With data.tta each molecule is predicted in several atom orders, every view reading the molecule's
    descriptors (as in training), and the outputs averaged; ``predict --views`` asks for it on any run."""
    run = load_run(descriptor_run, views=True)
    inputs = ["CC(=O)Oc1ccccc1C(=O)O", "CN1CCC[C@H]1c1cccnc1"]
    averaged = run.outputs(inputs)
    one_view = load_run(descriptor_run)
    for item, row in zip(inputs, averaged, strict=True):
        views = MOLECULE.views(item)
        one_by_one = np.stack([one_view.outputs([v])[0] for v in views])
        np.testing.assert_allclose(row, one_by_one.mean(axis=0), atol=1e-5)
    path = tmp_path / "two.csv"
    pd.DataFrame({"smiles": inputs}).to_csv(path, index=False)
    frame = predict(descriptor_run, path, tmp_path / "out.csv", views=True)
    np.testing.assert_allclose(frame[["prob_0", "prob_1"]].to_numpy(), averaged, atol=1e-5)


def test_unknown_feature_sets_are_refused_before_work(tmp_path):
    with pytest.raises(ConfigError, match="offers no feature set 'maccs'"):
        train(tiny_config(model={"preset": "tiny", "extra_features": ["maccs"]}), tmp_path / "run")
    dna = get_modality("dna")
    with pytest.raises(ConfigError, match="offered: none"):
        ExtraFeatures.fit(dna, ["rdkit2d"], ["ACGT"])


def test_an_edited_feature_file_is_refused(descriptor_run, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(descriptor_run, copy)
    saved = json.loads((copy / "features.json").read_text())
    saved["mean"] = saved["mean"][:-1]
    (copy / "features.json").write_text(json.dumps(saved))
    with pytest.raises(RunFolderError, match=r"features\.json"):
        load_run(copy)
    (copy / "features.json").unlink()
    with pytest.raises(RunFolderError, match="missing"):
        load_run(copy)


def test_explanations_hold_the_features_fixed(descriptor_run):
    from biofm.trust.explain import explain_one

    run = load_run(descriptor_run)
    explanation = explain_one(run, MOLECULE.normalise("CC(=O)Oc1ccccc1C(=O)O"), steps=8)
    assert len(explanation.position_scores) == len("CC(=O)Oc1ccccc1C(=O)O")
    assert any(abs(s) > 0 for s in explanation.token_scores)
