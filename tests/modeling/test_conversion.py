"""A checkpoint laid out as rxnfp ships its BERT (pickle weights, config.json without model_type, a bare
vocab.txt) is refused with the command that fixes it, converts to one that computes the same, and fine-tunes."""

import json

import pytest
import torch
from transformers import AutoModel, AutoTokenizer, BertConfig, BertForPreTraining

from biofm import train
from biofm.core.config import ModelConfig
from biofm.core.errors import ConfigError
from biofm.modeling.checkpoint import adopt_checkpoint
from biofm.modeling.conversion import CONVERSION, convert_checkpoint
from conftest import tiny_config

# as rxnfp's vocab.txt begins: [PAD], unused slots, then [UNK] [CLS] [SEP] [MASK], then SMILES units by frequency
VOCAB = ["[PAD]", *(f"[unused{i}]" for i in range(1, 11)), "[UNK]", "[CLS]", "[SEP]", "[MASK]",
         *"cC()O1=N", "2", "n", "3", "F", "Cl", "[nH]", "S", "Br", "[C@@H]", "#", "s", "o", "[O-]", "[N+]", "-", "P",
         "I", "4", "/", "\\", "[C@H]", "."]
SIZE = {"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 37}


@pytest.fixture
def rxnfp_like(tmp_path):
    """The folder, and the network it was saved from (a BERT pretrained with MLM + NSP heads, as rxnfp's)."""
    torch.manual_seed(0)
    model = BertForPreTraining(BertConfig(**SIZE, vocab_size=len(VOCAB))).eval()
    folder = tmp_path / "bert_pretrained"
    folder.mkdir()
    torch.save(model.state_dict(), folder / "pytorch_model.bin")
    config = {k: v for k, v in model.config.to_dict().items() if k not in ("model_type", "architectures")}
    (folder / "config.json").write_text(json.dumps(config))
    (folder / "vocab.txt").write_text("\n".join(VOCAB) + "\n")
    return folder, model


def test_the_pickled_folder_is_refused_with_the_command_that_converts_it(rxnfp_like):
    folder, _ = rxnfp_like
    with pytest.raises(ConfigError, match=r"only pickle weights.*biofm convert-checkpoint"):
        adopt_checkpoint(ModelConfig(pretrained=str(folder)), "molecule")
    with pytest.raises(ConfigError, match=r"names no model_type.*convert-checkpoint"):
        adopt_checkpoint(ModelConfig(pretrained=str(folder), allow_pickle=True), "molecule")
    config = json.loads((folder / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps({**config, "model_type": "bert"}))
    with pytest.raises(ConfigError, match=r"bare vocab\.txt.*lower-casing"):
        adopt_checkpoint(ModelConfig(pretrained=str(folder), allow_pickle=True), "molecule")


def test_the_converted_checkpoint_computes_what_the_pickled_one_did_and_reads_smiles_in_its_units(rxnfp_like,
                                                                                                   tmp_path):
    folder, original = rxnfp_like
    out = tmp_path / "converted"
    record = convert_checkpoint(folder, out, "molecule")
    assert record["model_type"] == "bert" and record["model_type_from"] == "weight names"
    assert record["masked_lm_head"] and "cls.seq_relationship.weight" in record["dropped_weights"]
    assert record["parity_max_abs_difference"] <= 1e-5
    assert json.loads((out / CONVERSION).read_text()) == record
    assert (out / "model.safetensors").is_file() and not list(out.glob("*.bin"))
    tokenizer = AutoTokenizer.from_pretrained(out)
    smiles = "CC(Cl)c1ccc[nH]1Br"
    units = ["[CLS]", "C", "C", "(", "Cl", ")", "c", "1", "c", "c", "c", "[nH]", "1", "Br", "[SEP]"]
    encoded = tokenizer(smiles, return_tensors="pt")
    assert encoded["input_ids"][0].tolist() == [VOCAB.index(u) for u in units]  # the ids the embedding rows had
    assert tokenizer("C[Se]C")["input_ids"][2] == VOCAB.index("[UNK]")  # a unit outside the vocabulary
    with torch.no_grad():  # independent of the converter's own check: the network the test saved, on real SMILES
        before = original.bert(**encoded).last_hidden_state
        after = AutoModel.from_pretrained(out).eval()(**encoded).last_hidden_state
    torch.testing.assert_close(after, before, rtol=0, atol=1e-6)
    adopted = adopt_checkpoint(ModelConfig(pretrained=str(out)), "molecule")  # no flags needed now
    assert adopted.tokenizer == "checkpoint"
    with pytest.raises(ConfigError, match="exists"):
        convert_checkpoint(folder, out, "molecule")


def test_a_checkpoint_converted_by_the_command_fine_tunes_and_a_dna_vocabulary_is_not_guessed(rxnfp_like, tmp_path):
    from typer.testing import CliRunner

    from biofm.cli import app

    folder, _ = rxnfp_like
    shown = CliRunner().invoke(app, ["convert-checkpoint", str(folder), str(tmp_path / "converted"),
                                     "--modality", "molecule"])
    assert shown.exit_code == 0 and "hidden states match" in shown.output, shown.output
    result = train(tiny_config(model={"pretrained": str(tmp_path / "converted")}), tmp_path / "run")
    assert result.metrics["test"]["roc_auc"] is not None and (tmp_path / "run" / "model.safetensors").is_file()
    with pytest.raises(ConfigError, match=r"vocab\.txt.*not written down"):
        convert_checkpoint(folder, tmp_path / "dna", "dna")
    assert not (tmp_path / "dna").exists()
