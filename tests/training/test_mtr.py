"""MTR pretraining (``train.objective: mtr | mlm+mtr``): normalised, NaN-safe descriptor targets, cached on
disk, both losses reported, and a checkpoint that loads as a plain encoder."""

from __future__ import annotations

import json
import sqlite3

import numpy as np
import pytest
from transformers import AutoModel

from biofm.core.errors import ConfigError
from biofm.data.corpus import Corpus
from biofm.modalities import get_modality
from biofm.training.mtr import DescriptorTargets, FeatureCache, fill_cache, items_to_see
from biofm.training.pretrain import pretrain
from conftest import b3db_smiles, smiles_config

MOLECULE = get_modality("molecule")


def test_targets_are_standardised_on_the_sample_and_nan_safe(tmp_path):
    sample = b3db_smiles(200)
    targets = DescriptorTargets(FeatureCache(tmp_path / "cache.sqlite", MOLECULE, "rdkit2d"), sample)
    values = targets(sample)
    assert values.shape == (200, targets.width) and np.isfinite(values).all()
    informative = values.std(axis=0) > 0.1
    assert informative.sum() > 100
    np.testing.assert_allclose(values.mean(axis=0)[informative], 0, atol=0.15)  # clipping moves means a little
    raw = targets.cache.raw(sample[:3]).copy()
    raw[0, :5] = np.nan
    raw[1, 5] = np.inf
    scaled = targets.scaler.standardise(raw)
    assert np.isfinite(scaled).all() and np.all(scaled[0, :5] == 0) and scaled[1, 5] == 0  # missing = the mean


def test_the_cache_is_reused_by_a_second_reader(tmp_path, monkeypatch):
    path = tmp_path / "cache.sqlite"
    first = FeatureCache(path, MOLECULE, "rdkit2d").raw(["CCO", "c1ccccc1"])
    assert sqlite3.connect(path).execute("SELECT COUNT(*) FROM features").fetchone()[0] == 2
    monkeypatch.setattr(MOLECULE, "extra_features", lambda *a: pytest.fail("computed again"))
    np.testing.assert_array_equal(FeatureCache(path, MOLECULE, "rdkit2d").raw(["c1ccccc1", "CCO"]), first[::-1])


def test_targets_are_computed_before_training_once(tmp_path, monkeypatch):
    """The run's first-pass items are described up front (on every core); a second fill computes nothing."""
    cfg = smiles_config(tmp_path, objective="mtr")
    corpus = Corpus(cfg.corpus, MOLECULE)
    cache = FeatureCache(tmp_path / "cache.sqlite", MOLECULE, "rdkit2d")
    n_items = min(items_to_see(cfg), 40)
    fill_cache(cache, corpus, n_items)
    first = list(corpus.items("train"))[:n_items]
    assert sqlite3.connect(cache.path).execute("SELECT COUNT(*) FROM features").fetchone()[0] == len(set(first))
    monkeypatch.setattr(MOLECULE, "extra_features", lambda *a: pytest.fail("computed again"))
    fill_cache(cache, corpus, n_items)
    assert cache.raw(first).shape[0] == n_items
    cfg.corpus.max_items = 7
    assert items_to_see(cfg) == 7


@pytest.mark.parametrize("objective", ["mtr", "mlm+mtr"])
def test_mtr_pretraining_logs_both_losses_and_loads_as_an_encoder(tmp_path, objective):
    cfg = smiles_config(tmp_path, objective=objective)
    out = pretrain(cfg, tmp_path / "checkpoint").out_dir
    history = json.loads((out / "history.json").read_text())
    logged = [h for h in history if "loss" in h and "eval_loss" not in h]
    assert logged and all("mtr_loss" in h for h in logged)
    assert all(("mlm_loss" in h) == ("mlm" in objective) for h in logged)
    assert (tmp_path / "corpus.smi.features.sqlite").is_file()  # beside the corpus, for the next run
    encoder = AutoModel.from_pretrained(out)
    assert encoder.config.hidden_size == 32
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["objective"] == objective and np.isfinite(metrics["val_loss"])


def test_mtr_needs_descriptors(tmp_path):
    cfg = smiles_config(tmp_path)
    with pytest.raises(ConfigError, match=r"train\.objective"):
        pretrain(type(cfg).from_dict({**cfg.to_dict(), "modality": "dna", "train": {**cfg.to_dict()["train"],
                                                                                   "objective": "mtr"}}),
                 tmp_path / "x")
