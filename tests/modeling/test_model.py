import json

import pytest
import torch

from biofm.core.config import ModelConfig
from biofm.core.errors import ConfigError, RunFolderError
from biofm.modalities import get_modality
from biofm.modeling.checkpoint import load_predictor, save_predictor
from biofm.modeling.model import build_predictor, task_loss


def test_masked_losses_ignore_missing_labels():
    logits = torch.tensor([[0.0, 5.0], [1.0, -1.0]])
    targets = torch.tensor([[float("nan"), 1.0], [1.0, float("nan")]])
    expected = torch.nn.functional.binary_cross_entropy_with_logits(torch.tensor([5.0, 1.0]), torch.tensor([1.0, 1.0]))
    assert torch.isclose(task_loss("multilabel", logits, targets), expected)
    mse = task_loss("regression", logits, targets)
    assert torch.isclose(mse, torch.tensor(((5.0 - 1.0) ** 2 + 0.0) / 2))
    leaf = logits.clone().requires_grad_(True)
    all_missing = task_loss("regression", leaf, torch.full((2, 2), float("nan")))
    assert all_missing.item() == 0.0 and all_missing.requires_grad  # zero, but it keeps the graph for backward
    all_missing.backward()
    assert torch.equal(leaf.grad, torch.zeros_like(leaf))


def test_save_load_round_trip(tmp_path):
    tokenizer = get_modality("molecule").build_tokenizer(["CCO", "c1ccccc1"])
    model = build_predictor(ModelConfig(preset="tiny"), tokenizer, n_outputs=3, mode="multiclass").eval()
    save_predictor(model, tmp_path)
    loaded = load_predictor(tmp_path)
    batch = tokenizer(["CCO", "c1ccccc1O"], padding=True, return_tensors="pt")
    with torch.no_grad():
        a = model(batch["input_ids"], batch["attention_mask"])["logits"]
        b = loaded(batch["input_ids"], batch["attention_mask"])["logits"]
    assert torch.allclose(a, b)
    assert not list(tmp_path.glob(".*tmp*"))  # atomic writes leave no temporaries


def test_a_wider_head_is_rebuilt_from_its_run_folder_and_an_edited_width_refused(tmp_path):
    tokenizer = get_modality("molecule").build_tokenizer(["CCO", "c1ccccc1"])
    model = build_predictor(ModelConfig(preset="tiny", head_width=48), tokenizer, n_outputs=1, mode="regression")
    assert model.head[1].out_features == 48 != model.encoder.config.hidden_size
    save_predictor(model, tmp_path)
    assert load_predictor(tmp_path).head[1].out_features == 48
    head = tmp_path / "head.json"
    head.write_text(json.dumps({**json.loads(head.read_text()), "head_width": True}))
    with pytest.raises(RunFolderError, match="head_width True is not a layer width"):
        load_predictor(tmp_path)
    with pytest.raises(ConfigError, match=r"model\.head_width: must be at least 1"):
        ModelConfig(head_width=0)
