"""Masked-LM pretraining: masking, a loadable checkpoint, exact resume, and fine-tuning from it."""

import json
import os
import signal
import subprocess
import sys

import pytest
import torch
import yaml
from safetensors.torch import load_file
from transformers import AutoModel, AutoModelForMaskedLM, AutoTokenizer, TrainerState

from biofm.core.config import ModelConfig, PretrainConfig
from biofm.core.errors import ConfigError
from biofm.modeling.checkpoint import adopt_checkpoint
from biofm.modeling.model import build_predictor
from biofm.training.pretrain import HeadFirst, TokenCounter, pretrain, resume_pretraining
from biofm.training.train import train
from conftest import b3db_smiles, smiles_config, tiny_config, wait_for_checkpoint, write_genome


@pytest.fixture(scope="module")
def smiles_checkpoint(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pretrained")
    return pretrain(smiles_config(folder), folder / "smiles-tiny").out_dir


def test_masking_follows_bert_and_never_touches_special_tokens(smiles_checkpoint):
    tokenizer = AutoTokenizer.from_pretrained(smiles_checkpoint)
    items = [{"input_ids": ids} for ids in tokenizer(b3db_smiles(200))["input_ids"]]
    batch = TokenCounter(tokenizer, 0.15, seed=3)(items)
    again = TokenCounter(tokenizer, 0.15, seed=3)(items)
    assert torch.equal(batch["input_ids"], again["input_ids"])  # seeded: resume masks the same way
    scored = batch["labels"] != -100
    real = batch["attention_mask"].bool()
    special = torch.isin(batch["labels"].where(scored, 0), torch.tensor(tokenizer.all_special_ids)) & scored
    assert not special.any() and not (scored & ~real).any()
    fraction = scored.sum() / real.sum()
    assert 0.10 < fraction < 0.17  # 15 % of the non-special tokens
    masked = (batch["input_ids"] == tokenizer.mask_token_id) & scored
    assert 0.7 < masked.sum() / scored.sum() < 0.9  # 80 % become [MASK]


def test_checkpoint_loads_offline_with_plain_transformers(smiles_checkpoint):
    model = AutoModel.from_pretrained(smiles_checkpoint)
    tokenizer = AutoTokenizer.from_pretrained(smiles_checkpoint)
    assert model.config.hidden_size == 32 and len(tokenizer) == model.config.vocab_size
    assert tokenizer.tokenize("CC(=O)Cl") == ["C", "C", "(", "=", "O", ")", "Cl"]
    info = json.loads((smiles_checkpoint / "biofm.json").read_text())
    assert info["modality"] == "molecule"
    metrics = json.loads((smiles_checkpoint / "metrics.json").read_text())
    assert metrics["steps"] == 12 and metrics["tokens_per_second"] > 0 and metrics["peak_memory_mb"] > 0
    card = (smiles_checkpoint / "README.md").read_text()
    assert "## Results" in card and "loss_curve.png" in card and "smiles-tiny" in card
    assert (smiles_checkpoint / "loss_curve.png").stat().st_size > 1000
    assert not (smiles_checkpoint / "checkpoints").exists()


def test_fine_tuning_starts_from_the_pretrained_weights(smiles_checkpoint, tmp_path):
    cfg = tiny_config(model={"pretrained": str(smiles_checkpoint)})
    predictor = build_predictor(cfg.model, AutoTokenizer.from_pretrained(smiles_checkpoint), 2, "multiclass")
    saved = load_file(smiles_checkpoint / "model.safetensors")
    for name, tensor in predictor.encoder.state_dict().items():
        if f"bert.{name}" in saved:
            assert torch.equal(tensor, saved[f"bert.{name}"]), name
    assert sum(f"bert.{n}" in saved for n in predictor.encoder.state_dict()) >= 20
    run = train(tiny_config(model={"pretrained": str(smiles_checkpoint)}, train={"epochs": 1}), tmp_path / "ft").run_dir
    assert yaml.safe_load((run / "config.yaml").read_text())["model"]["pretrained"] == str(smiles_checkpoint)


def test_dna_fine_tuning_adopts_the_checkpoint_tokenizer(tmp_path):
    write_genome(tmp_path / "g.fa", [200_000])
    cfg = PretrainConfig.from_dict({
        "modality": "dna",
        "corpus": {"files": [str(tmp_path / "g.fa")], "window": 120, "val_fraction": 0.2, "augment": True},
        "model": {"preset": "tiny", "max_length": 64, "tokenizer": "kmer3-disjoint"},
        "train": {"steps": 4, "batch_size": 8, "eval_every": 4, "save_every": 4, "threads": 1},
    })
    out = pretrain(cfg, tmp_path / "dna").out_dir
    adopted = adopt_checkpoint(ModelConfig(pretrained=str(out)), "dna")
    assert adopted.tokenizer == "kmer3-disjoint"
    with pytest.raises(ConfigError, match="contradicts"):
        adopt_checkpoint(ModelConfig(pretrained=str(out), tokenizer="kmer6"), "dna")
    with pytest.raises(ConfigError, match="pretrained on dna, not molecule"):
        adopt_checkpoint(ModelConfig(pretrained=str(out)), "molecule")


def test_sigkill_then_resume_matches_uninterrupted(tmp_path):
    cfg = smiles_config(tmp_path, steps=30, save_every=10, eval_every=10)
    config_file = tmp_path / "p.yaml"
    config_file.write_text(yaml.safe_dump(cfg.to_dict()))
    killed = tmp_path / "killed"
    process = subprocess.Popen(
        [sys.executable, "-m", "biofm", "pretrain", "--config", str(config_file), "--out", str(killed)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    wait_for_checkpoint(killed, process)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert json.loads((killed / "state.json").read_text())["status"] == "running"
    resumed = resume_pretraining(killed)
    straight = pretrain(cfg, tmp_path / "straight")
    assert resumed.metrics["steps"] == straight.metrics["steps"] == 30
    a, b = load_file(killed / "model.safetensors"), load_file(tmp_path / "straight" / "model.safetensors")
    for name in b:
        assert torch.allclose(a[name], b[name], atol=1e-6), name


def test_config_errors_name_the_key():
    with pytest.raises(ConfigError, match=r"corpus\.files"):
        PretrainConfig.from_dict({"modality": "molecule"})
    with pytest.raises(ConfigError, match="mask_probability"):
        PretrainConfig.from_dict({"modality": "molecule", "corpus": {"files": ["x"]},
                                  "train": {"mask_probability": 1.5}})


def test_head_steps_train_the_masked_lm_head_alone_then_everything(smiles_checkpoint):
    model = AutoModelForMaskedLM.from_pretrained(smiles_checkpoint)
    encoder_before = {n: p.detach().clone() for n, p in model.base_model.named_parameters()}
    head_before = model.cls.predictions.transform.dense.weight.detach().clone()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)  # made before freezing, as the Trainer does
    ids = torch.tensor([[0, 5, 6, 7, 2]])
    head_first = HeadFirst(model, steps=2)

    def step(global_step: int) -> None:
        head_first.on_step_begin(None, TrainerState(global_step=global_step), None)
        optimizer.zero_grad(set_to_none=True)
        model(input_ids=ids, labels=ids).loss.backward()
        optimizer.step()

    step(0)
    step(1)
    assert all(torch.equal(p, encoder_before[n]) for n, p in model.base_model.named_parameters())
    assert not torch.equal(model.cls.predictions.transform.dense.weight, head_before)  # the head learned
    step(2)  # from head_steps on, the encoder trains too
    assert not all(torch.equal(p, encoder_before[n]) for n, p in model.base_model.named_parameters())
    with pytest.raises(ConfigError, match=r"train\.head_steps"):
        PretrainConfig.from_dict({"modality": "text", "corpus": {"files": ["x"]},
                                  "train": {"steps": 10, "head_steps": 10}})
