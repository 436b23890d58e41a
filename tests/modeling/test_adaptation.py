"""LoRA and frozen-probe fine-tuning of a pretrained encoder."""

import json

import numpy as np
import pandas as pd
import pytest
import torch
from safetensors.torch import load_file

from biofm.core.errors import ConfigError
from biofm.modeling.loaded_run import load_run
from biofm.training.pretrain import pretrain
from biofm.training.train import train
from conftest import smiles_config, tiny_config


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    folder = tmp_path_factory.mktemp("base")
    return pretrain(smiles_config(folder, steps=6, eval_every=6, save_every=6), folder / "smiles-tiny").out_dir


def test_lora_run_stores_only_adapters_and_head(base, tmp_path):
    cfg = tiny_config(model={"pretrained": str(base), "adaptation": "lora", "lora_rank": 2},
                      train={"precision": "fp32"})  # fp32: the reload must reproduce the run's outputs exactly
    result = train(cfg, tmp_path / "lora")
    run = result.run_dir
    assert 0 < result.metrics["adaptation"]["trainable_fraction"] < 0.5
    stored = load_file(run / "model.safetensors")
    assert stored and all(k.startswith("head.") for k in stored)
    assert json.loads((run / "head.json").read_text())["base"] == str(base)
    adapter = json.loads((run / "adapter" / "adapter_config.json").read_text())
    assert adapter["r"] == 2 and sorted(adapter["target_modules"]) == ["query", "value"]
    loaded = load_run(run)  # base + adapters + head reproduce the run's own test predictions
    written = pd.read_csv(run / "predictions.csv")
    probabilities = written[[f"prob_{c}" for c in loaded.task.classes]].to_numpy()
    reloaded = loaded.outputs(written["input"].tolist())
    assert np.allclose(reloaded, probabilities, atol=1e-5)
    with loaded.model.encoder.disable_adapter():  # without its adapters the model would predict otherwise
        assert np.abs(loaded.outputs(written["input"].tolist()) - reloaded).max() > 1e-5


def test_lora_merge_writes_a_plain_model(base, tmp_path):
    cfg = tiny_config(model={"pretrained": str(base), "adaptation": "lora", "lora_merge": True})
    run = train(cfg, tmp_path / "merged").run_dir
    assert not (run / "adapter").exists()
    assert any(k.startswith("encoder.") for k in load_file(run / "model.safetensors"))
    assert load_run(run).outputs(["CCO"]).shape == (1, 2)


def test_probe_leaves_the_encoder_untouched(base, tmp_path):
    cfg = tiny_config(model={"pretrained": str(base), "adaptation": "probe"}, train={"epochs": 3})
    result = train(cfg, tmp_path / "probe")
    stored = load_file(result.run_dir / "model.safetensors")
    pretrained = load_file(base / "model.safetensors")
    name = "encoder.embeddings.word_embeddings.weight"
    assert torch.equal(stored[name], pretrained["bert.embeddings.word_embeddings.weight"])
    assert result.metrics["adaptation"]["trainable_fraction"] < 0.5
    assert result.metrics["epochs_run"] == 3


def test_adapters_need_a_pretrained_encoder(tmp_path):
    with pytest.raises(ConfigError, match="adapts a pretrained encoder"):
        train(tiny_config(model={"adaptation": "lora"}), tmp_path / "run")
    assert not (tmp_path / "run").exists()  # refused before any folder is made
    with pytest.raises(ConfigError, match=r"model\.adaptation"):
        tiny_config(model={"adaptation": "prefix"})
