"""Bundled text datasets (hpo_diagnosis, drug_reviews) and the pure core of the synthetic one's builder.

Reads the files and catalog.yaml directly (no biofm import): what is checked is the data as shipped.
"""

from __future__ import annotations

import importlib.util
import sys
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "src" / "biofm" / "data" / "bundled"
CATALOG = yaml.safe_load((BUNDLED / "catalog.yaml").read_text(encoding="utf-8"))
TEXT_DATASETS = ("hpo_diagnosis", "drug_reviews")
DRUG_REVIEW_COUNTS = {
    "train": {"Birth Control": 117, "Depression": 28, "Pain": 27, "Acne": 24, "Bipolar Disorder": 18,
              "Insomnia": 18, "Anxiety": 17, "Obesity": 17, "ADHD": 14, "Diabetes, Type 2": 10},
    "test": {"Birth Control": 75, "Depression": 25, "Acne": 18, "Pain": 17, "Anxiety": 11, "Diabetes, Type 2": 11,
             "Obesity": 10, "Bipolar Disorder": 9, "ADHD": 9, "Insomnia": 3},
}


@pytest.fixture(scope="module")
def builder():
    """scripts/build_datasets.py as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("build_datasets", ROOT / "scripts" / "build_datasets.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


def read(name: str) -> dict[str, pd.DataFrame]:
    return {part: pd.read_csv(BUNDLED / file) for part, file in CATALOG[name]["files"].items()}


def tiny_ontology(builder) -> dict:
    """Three diseases over eight phenotypes, two shared: enough combinations for a few texts each."""
    phenotype = builder.Phenotype
    terms = {f"HP:{i:07d}": (f"Finding {i}", f"finding number {i}") for i in range(1, 9)}
    annotated = {"OMIM:1": (1, 2, 3, 4, 5, 6), "OMIM:2": (3, 4, 5, 6, 7, 8), "OMIM:3": (1, 2, 5, 6, 7, 8)}
    return {
        disease: builder.Disease(
            f"Disease {disease[-1]}",
            tuple(phenotype(f"HP:{i:07d}", terms[f"HP:{i:07d}"], 0.2 + 0.1 * i) for i in ids),
            absent=("fever",),
        )
        for disease, ids in annotated.items()
    }


@pytest.mark.parametrize("name", TEXT_DATASETS)
def test_bundled_text_datasets_have_texts_and_labels(name):
    card = CATALOG[name]
    assert card["modality"] == "text" and card["task"] == "classification" and card["licence"]
    for part, frame in read(name).items():
        assert {card["input_column"], *card["label_columns"]} <= set(frame.columns), part
        texts = frame[card["input_column"]]
        assert texts.notna().all() and (texts.str.strip() != "").all(), part
        assert frame[card["label_columns"]].notna().all().all(), part
        assert not texts.str.contains("&#|&amp;|&quot;").any(), part  # HTML entities were unescaped


def test_hpo_diagnosis_class_counts_and_unseen_combinations():
    frames = read("hpo_diagnosis")
    for part, per_disease in {"train": 40, "val": 8, "test": 8}.items():
        counts = frames[part]["diagnosis"].value_counts()
        assert len(counts) == 200 and set(counts) == {per_disease}, part
    combos = {part: set(frame["hpo_ids"]) for part, frame in frames.items()}
    assert sum(map(len, combos.values())) == sum(map(len, frames.values()))  # every combination used once
    for first, second in combinations(combos, 2):
        assert not combos[first] & combos[second], (first, second)
    assert set(frames["train"]["disease_id"]) == set(frames["test"]["disease_id"])


def test_drug_reviews_class_counts_match_the_card():
    for part, frame in read("drug_reviews").items():
        assert frame["condition"].value_counts().to_dict() == DRUG_REVIEW_COUNTS[part]
    assert "10 conditions" in CATALOG["drug_reviews"]["recipe"] and "290/188" in CATALOG["drug_reviews"]["recipe"]


def test_diagnosis_texts_never_reuse_a_phenotype_combination(builder):
    sizes = {"train": 10, "val": 3, "test": 3}
    texts = builder.diagnosis_texts(tiny_ontology(builder), sizes, np.random.default_rng(0))
    frame = pd.DataFrame(texts)
    assert frame.groupby(["disease_id", "split"]).size().to_dict() == {
        (disease, split): n for disease in ("OMIM:1", "OMIM:2", "OMIM:3") for split, n in sizes.items()
    }
    assert frame["hpo_ids"].is_unique  # so no val/test combination appears in train, nor test in val
    findings = frame["hpo_ids"].str.split(";").str.len()
    assert findings.between(3, 6).all()
    for text, ids in zip(frame["text"], frame["hpo_ids"], strict=True):
        for hpo_id in ids.split(";"):
            number = int(hpo_id[3:])
            assert f"finding {number}" in text or f"finding number {number}" in text  # lower-cased label or synonym


def test_diagnosis_texts_are_deterministic_for_a_seed(builder):
    diseases, sizes = tiny_ontology(builder), {"train": 6, "val": 2, "test": 2}
    first = builder.diagnosis_texts(diseases, sizes, np.random.default_rng(7))
    assert builder.diagnosis_texts(diseases, sizes, np.random.default_rng(7)) == first
    assert builder.diagnosis_texts(diseases, sizes, np.random.default_rng(8)) != first


def test_diagnosis_texts_say_when_combinations_run_out(builder):
    pair = builder.Disease("Tiny", (builder.Phenotype("HP:1", ("A",), 1.0), builder.Phenotype("HP:2", ("B",), 1.0)))
    with pytest.raises(ValueError, match="no unused phenotype combination"):
        builder.diagnosis_texts({"OMIM:9": pair}, {"train": 2}, np.random.default_rng(0))


def test_denied_findings_never_contradict_the_disease(builder):
    names = {"HP:0001250": ("Seizure",), "HP:0007359": ("Focal-onset seizure",), "HP:0001945": ("Fever",)}
    parents = {"HP:0007359": ("HP:0001250",)}
    disease = builder.make_disease("Epilepsy X", {"HP:0007359": 0.9, "HP:0001945": 0.0}, names, parents)
    assert [p.hpo_id for p in disease.phenotypes] == ["HP:0007359"]  # frequency 0: excluded, left out
    assert "seizures" not in disease.absent and "fever" in disease.absent


def test_frequencies_wording_and_disease_families(builder):
    assert [builder.parse_frequency(v) for v in ("HP:0040281", "3/4", "25%", "", "2/1")] == [0.895, 0.75, 0.25, 0.5, 1]
    assert builder.as_phrase("Abnormal EEG") == "abnormal EEG" and builder.as_phrase("Vitamin A deficiency") == (
        "vitamin A deficiency")
    assert builder.family_key("Cockayne syndrome, type A") == builder.family_key("Cockayne syndrome, type B")
    assert builder.family_key("Cornelia de Lange syndrome 1") == builder.family_key("Cornelia de Lange syndrome 2")
    assert builder.family_key("Chromosome 1p36 deletion syndrome") == "chromosome 1p36 deletion syndrome"
