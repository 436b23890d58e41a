"""The checkpoints shipped in models/ load offline with plain transformers and read their modality."""

import json
from pathlib import Path

import pytest
from transformers import AutoModel, AutoTokenizer

from biofm.modalities import get_modality

MODELS = Path(__file__).parents[2] / "models"
EXAMPLES = {"smiles-mini": ["CC(=O)Oc1ccccc1C(=O)O", "CN1C=NC2=C1C(=O)N(C)C(=O)N2C", "Clc1ccc(Br)c[nH+]1"],
            "dna-human-k6": ["ACGTTGACTCAGCATGCATGCAAATGACGTACGATCGATCG"],
            "dna-human-nt": ["ACGTTGACTCAGCATGCATGCAAATGACGTACGATCGATCGA"]}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_shipped_checkpoint_loads_offline_and_knows_its_inputs(name):
    folder = MODELS / name
    model, tokenizer = AutoModel.from_pretrained(folder), AutoTokenizer.from_pretrained(folder)
    info = json.loads((folder / "biofm.json").read_text())
    modality = get_modality(info["modality"])
    for item in EXAMPLES[name]:
        text = modality.tokenizer_text(modality.normalise(item), info["tokenizer"])
        ids = tokenizer(text)["input_ids"]
        assert tokenizer.unk_token_id not in ids, (name, item)
        assert max(ids) < model.config.vocab_size
    card = (folder / "README.md").read_text()
    for section in ("## Data", "## Recipe", "## Results", "## Licence", "loss_curve.png"):
        assert section in card, section
    assert (folder / "model.safetensors").stat().st_size < 25 * 2**20
    metrics = json.loads((folder / "metrics.json").read_text())
    # better than guessing uniformly, and not below the ~0.10 a model copying its (unmasked 10 %) input gets
    assert metrics["val_perplexity"] < model.config.vocab_size / 2
    assert metrics["val_masked_accuracy"] >= 0.1
