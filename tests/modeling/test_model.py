import torch

from biofm.core.config import ModelConfig
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
