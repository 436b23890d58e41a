"""Ensembles (``train.ensemble: N``): members differ, their mean is what every command serves, a killed
run keeps its finished members."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch
from fastapi.testclient import TestClient
from safetensors.torch import load_file

from biofm.core.errors import ConfigError
from biofm.modalities import get_modality
from biofm.modeling.ensemble import Ensemble, mean_as_logits, members
from biofm.modeling.inference import predict_outputs
from biofm.modeling.loaded_run import load_run
from biofm.serve import create_app
from biofm.training.train import train
from biofm.use.export import export
from biofm.use.predict import predict
from conftest import DATA, THREADS, tiny_config

MOLECULE = get_modality("molecule")
TRAIN = {"epochs": 2, "batch_size": 16, "learning_rate": 1e-3, "patience": 2, "threads": THREADS, "precision": "fp32",
         "ensemble": 3}


@pytest.fixture(scope="module")
def ensemble_run(tmp_path_factory):
    return train(tiny_config(train=TRAIN), tmp_path_factory.mktemp("runs") / "ensemble").run_dir


def _inputs(n: int = 12) -> list[str]:
    return [MOLECULE.normalise(s) for s in pd.read_csv(DATA / "bbb_small.csv").smiles.tolist()[:n]]


@pytest.mark.parametrize("mode", ["multiclass", "multilabel", "regression"])
def test_the_combined_logits_decode_to_the_members_mean(mode):
    from biofm.data.tasks import Task

    task = {"multiclass": Task("classification", ["a"], classes=["x", "y"]),
            "multilabel": Task("classification", ["a", "b"]),
            "regression": Task("regression", ["a", "b"], mean=[1.0, -2.0], std=[2.0, 0.5])}[mode]
    member_logits = torch.randn(5, 4, 2)
    combined = task.decode(mean_as_logits(mode, member_logits).numpy())
    each = np.stack([task.decode(member_logits[:, k].numpy()) for k in range(4)], axis=1)
    np.testing.assert_allclose(combined, each.mean(axis=1), atol=1e-5)


def test_members_differ_and_their_mean_is_served(ensemble_run, tmp_path):
    run = load_run(ensemble_run)
    assert isinstance(run.model, Ensemble) and len(members(run.model)) == 3
    weights = [m.head[-1].weight.detach() for m in members(run.model)]
    assert not torch.allclose(weights[0], weights[1]) and not torch.allclose(weights[1], weights[2])
    inputs = _inputs()
    each = np.stack([predict_outputs(m, run.tokenizer, run.task, run.modality, run.config, inputs, bf16=False)
                     for m in members(run.model)])
    assert np.abs(each[0] - each[1]).max() > 1e-4
    np.testing.assert_allclose(run.outputs(inputs), each.mean(axis=0), atol=1e-5)

    source = tmp_path / "in.csv"
    pd.DataFrame({"smiles": inputs}).to_csv(source, index=False)
    frame = predict(ensemble_run, source, tmp_path / "out.csv")
    np.testing.assert_allclose(frame[["prob_0", "prob_1"]].to_numpy(), each.mean(axis=0), atol=1e-5)
    np.testing.assert_allclose(frame["prob_1_std"].to_numpy(), each.std(axis=0)[:, 1], atol=1e-5)

    response = TestClient(create_app({"m": ensemble_run})).post("/predict", json={"items": inputs[:3]})
    served = [r["probabilities"]["1"] for r in response.json()["results"]]
    np.testing.assert_allclose(served, each.mean(axis=0)[:3, 1], atol=1e-5)

    parity = export(ensemble_run)
    assert parity["onnx"]["max_abs_output_difference"] < 1e-4
    np.testing.assert_allclose(load_run(ensemble_run, engine="onnx").outputs(inputs), each.mean(axis=0), atol=1e-4)


def test_metrics_name_the_members(ensemble_run):
    import json

    metrics = json.loads((ensemble_run / "metrics.json").read_text())
    assert metrics["ensemble"]["members"] == 3 and metrics["ensemble"]["seeds"] == [0, 1, 2]
    history = json.loads((ensemble_run / "history.json").read_text())
    assert {entry["member"] for entry in history} == {0, 1, 2}


def test_a_killed_ensemble_keeps_its_finished_members(tmp_path, monkeypatch):
    """Member 0 finishes, member 1 dies: resuming keeps member 0's weights and trains the rest."""
    from biofm.training import members as members_module
    from biofm.training.train import resume

    cfg = tiny_config(train={**TRAIN, "ensemble": 2})
    original = members_module.make_trainer
    calls = []

    def dies_on_the_second(member_cfg, run_dir, s, checkpoints):
        calls.append(member_cfg.train.seed)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return original(member_cfg, run_dir, s, checkpoints)

    monkeypatch.setattr(members_module, "make_trainer", dies_on_the_second)
    with pytest.raises(KeyboardInterrupt):
        train(cfg, tmp_path / "run")
    kept = load_file(tmp_path / "run" / "checkpoints" / "member-0.safetensors")
    monkeypatch.setattr(members_module, "make_trainer", original)
    calls.clear()
    monkeypatch.setattr(members_module, "make_trainer", lambda *a: calls.append(a[0].train.seed) or original(*a))
    resume(tmp_path / "run")
    assert calls == [1]  # member 0 was not trained again
    final = load_run(tmp_path / "run").model
    for name, tensor in kept.items():
        torch.testing.assert_close(final.members[0].state_dict()[name], tensor)


def test_lora_ensembles_are_refused_before_work(tmp_path):
    cfg = tiny_config(model={"preset": "tiny", "pretrained": "models/smiles-mini", "adaptation": "lora"},
                      train=TRAIN)
    with pytest.raises(ConfigError, match=r"train\.ensemble"):
        train(cfg, tmp_path / "run")
