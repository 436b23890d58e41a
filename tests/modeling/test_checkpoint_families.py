"""Bring your own checkpoint: each family the field uses, as a tiny random checkpoint with a tokenizer of its
kind (built here: nothing downloads), through train (full, LoRA, probe) → predict → explain → ONNX → serve.

``biofm models`` lists ``VERIFIED_FAMILIES``; the first test keeps that list and this file in step.
"""

from __future__ import annotations

import itertools
import json
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest
import torch
import yaml
from fastapi.testclient import TestClient
from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
from transformers import (
    AutoConfig,
    AutoModel,
    BertConfig,
    DebertaV2Config,
    ElectraConfig,
    EsmConfig,
    ModernBertConfig,
    MPNetConfig,
    PreTrainedTokenizerFast,
    RobertaConfig,
)

from biofm.core.config import RunConfig
from biofm.core.errors import ConfigError
from biofm.data.datasets import get_dataset
from biofm.modeling.foreign import VERIFIED_FAMILIES
from biofm.modeling.loaded_run import load_run
from biofm.serve import create_app
from biofm.training.train import train
from biofm.trust.explain import explain
from biofm.use.export import export
from biofm.use.predict import predict
from conftest import THREADS

SIZE = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
            max_position_embeddings=160)
BERT_SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def framed(core: Tokenizer, cls: str, sep: str, **special) -> PreTrainedTokenizerFast:
    core.post_processor = processors.TemplateProcessing(
        single=f"{cls} $A {sep}", special_tokens=[(cls, core.token_to_id(cls)), (sep, core.token_to_id(sep))])
    return PreTrainedTokenizerFast(tokenizer_object=core, model_max_length=128, cls_token=cls, sep_token=sep,
                                   **special)


def wordpiece(texts: list[str]) -> PreTrainedTokenizerFast:
    core = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    core.normalizer = normalizers.BertNormalizer(lowercase=True)
    core.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    core.decoder = decoders.WordPiece()
    core.train_from_iterator(texts, trainers.WordPieceTrainer(vocab_size=400, special_tokens=BERT_SPECIAL,
                                                              show_progress=False))
    return framed(core, "[CLS]", "[SEP]", pad_token="[PAD]", unk_token="[UNK]", mask_token="[MASK]")


def smiles_bpe(smiles: list[str]) -> PreTrainedTokenizerFast:
    """ChemBERTa's kind: byte-level BPE learned on SMILES, RoBERTa's <s> … </s> frame."""
    core = Tokenizer(models.BPE(unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    core.decoder = decoders.ByteLevel()
    core.train_from_iterator(smiles, trainers.BpeTrainer(vocab_size=300, show_progress=False,
                                                         special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"]))
    return framed(core, "<s>", "</s>", pad_token="<pad>", unk_token="<unk>", mask_token="<mask>")


def raw_dna(pattern: str, units: list[str], special: list[str]) -> PreTrainedTokenizerFast:
    """A tokenizer that cuts raw DNA itself (Nucleotide Transformer: 6-mers then single bases; HyenaDNA: bases)."""
    core = Tokenizer(models.WordLevel({t: i for i, t in enumerate(special + units)}, unk_token=special[1]))
    core.pre_tokenizer = pre_tokenizers.Split(Regex(pattern), behavior="isolated")
    return framed(core, special[2], special[3], pad_token=special[0], unk_token=special[1], mask_token=special[4])


def six_mers() -> PreTrainedTokenizerFast:
    kmers = ["".join(p) for p in itertools.product("ACGT", repeat=6)]
    return raw_dna("[ACGT]{6}|[ACGTN]", kmers + list("ACGTN"), ["<pad>", "<unk>", "<cls>", "<eos>", "<mask>"])


def characters() -> PreTrainedTokenizerFast:
    return raw_dna(".", list("ACGTN"), BERT_SPECIAL)


FAMILIES = {  # family → (modality, encoder config, tokenizer)
    "roberta": ("molecule", lambda: RobertaConfig(**{**SIZE, "max_position_embeddings": 162}), "smiles_bpe"),
    "esm": ("dna", lambda: EsmConfig(**SIZE, position_embedding_type="rotary", mask_token_id=4), "six_mers"),
    "bert-characters": ("dna", lambda: BertConfig(**SIZE), "characters"),
    "bert": ("text", lambda: BertConfig(**SIZE), "wordpiece"),
    "modernbert": ("text", lambda: ModernBertConfig(**SIZE, global_attn_every_n_layers=1, local_attention=32),
                   "wordpiece"),
    "deberta-v2": ("text", lambda: DebertaV2Config(**SIZE), "wordpiece"),
    "electra": ("text", lambda: ElectraConfig(embedding_size=16, **SIZE), "wordpiece"),
    "mpnet": ("text", lambda: MPNetConfig(**SIZE), "wordpiece"),
}

PROBED = ("roberta", "esm", "modernbert")

CUSTOM_CONFIG = '''
from transformers import PretrainedConfig


class TinyDnaConfig(PretrainedConfig):
    model_type = "tiny-dna"

    def __init__(self, vocab_size=16, hidden_size=32, max_position_embeddings=512, **kwargs):
        super().__init__(**kwargs)
        self.vocab_size, self.hidden_size = vocab_size, hidden_size
        self.max_position_embeddings = max_position_embeddings
'''
CUSTOM_MODEL = '''
from torch import nn
from transformers import PreTrainedModel
from transformers.modeling_outputs import BaseModelOutput

from .configuration_tiny import TinyDnaConfig

try:  # as DNABERT-2 does: a Triton kernel where Triton imports, which then fails on a CPU
    import triton  # noqa: F401
    TRITON = True
except ImportError:
    TRITON = False


class TinyDnaModel(PreTrainedModel):
    config_class = TinyDnaConfig

    def __init__(self, config):
        super().__init__(config)
        self.embeddings = nn.Embedding(config.vocab_size, config.hidden_size)
        self.mix = nn.Linear(config.hidden_size, config.hidden_size)
        self.post_init()

    def get_input_embeddings(self):
        return self.embeddings

    def set_input_embeddings(self, value):
        self.embeddings = value

    def forward(self, input_ids=None, attention_mask=None, inputs_embeds=None, **kwargs):
        if TRITON:
            raise RuntimeError("the Triton flash-attention kernel cannot run on a CPU")
        hidden = self.embeddings(input_ids) if inputs_embeds is None else inputs_embeds
        return BaseModelOutput(last_hidden_state=self.mix(hidden).tanh())
'''


def save_checkpoint(folder, config, tokenizer) -> str:
    config.vocab_size, config.pad_token_id = len(tokenizer), tokenizer.pad_token_id
    AutoModel.from_config(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return str(folder)


def custom_checkpoint(folder) -> str:
    """A checkpoint with its own model code (``auto_map``), like DNABERT-2's."""
    folder.mkdir(parents=True)
    (folder / "configuration_tiny.py").write_text(textwrap.dedent(CUSTOM_CONFIG))
    (folder / "modeling_tiny.py").write_text(textwrap.dedent(CUSTOM_MODEL))
    tokenizer = characters()
    (folder / "config.json").write_text(json.dumps({
        "model_type": "tiny-dna", "vocab_size": len(tokenizer), "pad_token_id": tokenizer.pad_token_id,
        "auto_map": {"AutoConfig": "configuration_tiny.TinyDnaConfig", "AutoModel": "modeling_tiny.TinyDnaModel"}}))
    config = AutoConfig.from_pretrained(folder, trust_remote_code=True)
    AutoModel.from_config(config, trust_remote_code=True).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return str(folder)


@pytest.fixture(scope="module")
def sources(tmp_path_factory, motif_fasta, data_dir):
    """Labelled data per modality (small), and the texts / SMILES the tokenizers learn from."""
    folder = tmp_path_factory.mktemp("family-data")
    reviews = pd.read_csv(get_dataset("drug_reviews").path("train")).head(120)
    reviews.to_csv(folder / "reviews.csv", index=False)
    return {"molecule": (str(data_dir / "bbb_small.csv"), "smiles", "bbb_permeable"),
            "dna": (str(motif_fasta), "sequence", "label"),
            "text": (str(folder / "reviews.csv"), "text", "condition"),
            "texts": reviews.text.tolist(), "smiles": pd.read_csv(data_dir / "bbb_small.csv").smiles.tolist()}


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory, sources):
    folder = tmp_path_factory.mktemp("checkpoints")
    makers = {"smiles_bpe": lambda: smiles_bpe(sources["smiles"]), "six_mers": six_mers, "characters": characters,
              "wordpiece": lambda: wordpiece(sources["texts"])}
    built = {name: save_checkpoint(folder / name, config(), makers[tokenizer]())
             for name, (_, config, tokenizer) in FAMILIES.items()}
    built["custom-code"] = custom_checkpoint(folder / "custom-code")
    return built


def run_config(family: str, sources: dict, checkpoint: str, **model) -> RunConfig:
    modality = "dna" if family == "custom-code" else FAMILIES[family][0]
    path, column, label = sources[modality]
    return RunConfig.from_dict({
        "modality": modality,
        "data": {"train": path, "input_column": column, "label_columns": [label], "task": "classification",
                 "split": "random"},
        "model": {"pretrained": checkpoint, "max_length": 96, **model},
        "train": {"epochs": 1, "batch_size": 16, "threads": THREADS}, "baseline": False, "explain_examples": 0})


def test_the_listed_families_are_the_ones_tested_here():
    assert set(VERIFIED_FAMILIES) == {*FAMILIES, "custom-code"}


ONE_PER_MODALITY = {"roberta", "esm", "bert"}  # `make test`; the other families' full round runs in `make test-full`


@pytest.mark.parametrize("family", [f if f in ONE_PER_MODALITY else pytest.param(f, marks=pytest.mark.slow)
                                    for f in sorted(FAMILIES)])
def test_a_family_trains_predicts_explains_exports_and_serves(family, sources, checkpoints, tmp_path):
    run = train(run_config(family, sources, checkpoints[family]), tmp_path / "run").run_dir
    saved = yaml.safe_load((run / "config.yaml").read_text())
    assert saved["model"]["tokenizer"] == "checkpoint"  # its own tokenizer reads the raw input
    path, _, _ = sources[run_config(family, sources, checkpoints[family]).modality]
    frame = predict(run, path, tmp_path / "predictions.csv")
    assert len(frame) > 0 and frame.filter(like="prob_").sum(axis=1).sub(1).abs().max() < 1e-5
    first = str(frame["input"].iloc[0])
    explanation = explain(run, [first], tmp_path / "explained")[0]
    assert len(explanation.position_scores) == len(first) and np.abs(explanation.position_scores).sum() > 0
    parity = export(run)
    assert parity["onnx"]["max_abs_logit_difference"] < 1e-3
    served = TestClient(create_app({"m": run})).post("/predict", json={"items": [first]})
    assert served.status_code == 200, served.text


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_lora_finds_the_attention_projections_and_a_probe_freezes_the_encoder(family, sources, checkpoints,
                                                                            tmp_path):
    lora = train(run_config(family, sources, checkpoints[family], adaptation="lora"), tmp_path / "lora")
    targets = json.loads((lora.run_dir / "adapter" / "adapter_config.json").read_text())["target_modules"]
    assert targets and lora.metrics["adaptation"]["trainable_fraction"] < 1.0
    if family in PROBED:  # a probe freezes whatever encoder it gets: one family per modality shows it
        probe = train(run_config(family, sources, checkpoints[family], adaptation="probe"), tmp_path / "probe")
        assert probe.metrics["adaptation"]["trainable_fraction"] < lora.metrics["adaptation"]["trainable_fraction"]


def test_a_dna_checkpoint_reads_raw_bases_and_long_inputs_go_through_windows(sources, checkpoints, tmp_path):
    cfg = run_config("esm", sources, checkpoints["esm"])
    cfg.data.window, cfg.data.window_stride = 40, 20
    run = train(cfg, tmp_path / "run").run_dir
    loaded = load_run(run)
    sequence = "ACGTTGACTCAG" * 10
    assert loaded.modality.tokenizer_text(sequence, loaded.config.model.tokenizer) == sequence
    tokens = loaded.tokenizer.tokenize(sequence[:12])
    assert tokens == ["ACGTTG", "ACTCAG"]  # its 6-mers, not biofm's spaced k-mer text
    long_file = tmp_path / "long.csv"
    long_file.write_text(f"sequence\n{sequence}\n")
    assert len(predict(run, long_file, tmp_path / "p.csv")) == 1


def test_custom_code_runs_only_when_trusted_and_takes_its_cpu_path(sources, checkpoints, tmp_path, monkeypatch):
    with pytest.raises(ConfigError, match=r"ships its own model code \(configuration_tiny.py, modeling_tiny.py\);"
                                          r" biofm runs it only with model.trust_remote_code: true"):
        train(run_config("custom-code", sources, checkpoints["custom-code"]), tmp_path / "refused")
    fake = tmp_path / "site"  # an importable triton, as on a machine with the GPU stack installed
    (fake / "triton").mkdir(parents=True)
    (fake / "triton" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(fake))
    cfg = run_config("custom-code", sources, checkpoints["custom-code"], trust_remote_code=True)
    run = train(cfg, tmp_path / "run").run_dir
    assert (run / "encoder" / "modeling_tiny.py").is_file()  # the run folder carries the code it needs
    frame = predict(run, sources["dna"][0], tmp_path / "p.csv")
    assert len(frame) > 0
    assert len(explain(run, [frame["input"].iloc[0]], tmp_path / "explained")) == 1
    monkeypatch.undo()  # torch's exporter itself imports triton: give it the machine without the fake one
    sys.modules.pop("triton", None)
    assert export(run)["onnx"]["max_abs_logit_difference"] < 1e-3  # plain PyTorch code traces to ONNX too


def test_pickle_weights_are_refused_unless_allowed(sources, tmp_path):
    folder = tmp_path / "pickled"
    tokenizer = characters()
    config = BertConfig(**SIZE, vocab_size=len(tokenizer), pad_token_id=tokenizer.pad_token_id)
    model = AutoModel.from_config(config)
    model.save_pretrained(folder)
    (folder / "model.safetensors").unlink()  # as older checkpoints on the hub ship: pickle only
    torch.save(model.state_dict(), folder / "pytorch_model.bin")
    tokenizer.save_pretrained(folder)
    with pytest.raises(ConfigError, match=r"only pickle weights \(pytorch_model.bin\).*model.allow_pickle: true"):
        train(run_config("bert-characters", sources, str(folder)), tmp_path / "refused")
    run = train(run_config("bert-characters", sources, str(folder), allow_pickle=True), tmp_path / "run")
    assert (run.run_dir / "model.safetensors").is_file()  # what the run keeps is safetensors again
