"""Domain adaptation (``train.adapt_steps``): continued pretraining on the training inputs only, then fine-tuning."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from transformers import AutoModel

from biofm.core.errors import ConfigError
from biofm.data.splits import load_splits
from biofm.modeling.loaded_run import load_run
from biofm.training.train import train
from conftest import THREADS, tiny_config

TRAIN = {"epochs": 1, "batch_size": 16, "learning_rate": 1e-3, "patience": 2, "threads": THREADS,
         "adapt_steps": 4, "adapt_objective": "mlm+mtr"}


def test_adaptation_reads_only_the_training_inputs(tmp_path):
    cfg = tiny_config(model={"pretrained": "models/smiles-mini", "max_length": 96}, train=TRAIN)
    result = train(cfg, tmp_path / "run")
    run = load_run(tmp_path / "run")
    splits = load_splits(run.config.data, run.modality)
    read = pd.read_csv(tmp_path / "run" / "adapted_data" / "train_inputs.csv")["item"].tolist()
    assert sorted(read) == sorted(splits.train.inputs)
    assert not set(read) & (set(splits.val.inputs) | set(splits.test.inputs))  # never val or test
    adaptation = result.metrics["domain_adaptation"]
    assert adaptation["steps"] == 4 and adaptation["objective"] == "mlm+mtr"
    assert AutoModel.from_pretrained(tmp_path / "run" / "adapted").config.hidden_size == 128
    assert json.loads((tmp_path / "run" / "adapted" / "metrics.json").read_text())["objective"] == "mlm+mtr"


def test_adaptation_needs_a_pretrained_checkpoint(tmp_path):
    with pytest.raises(ConfigError, match=r"train\.adapt_steps"):
        train(tiny_config(train=TRAIN), tmp_path / "run")
