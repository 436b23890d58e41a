"""Robustness: perturbations keep the meaning, and evaluate reports the metric and the flips under each."""

import numpy as np
from typer.testing import CliRunner

from biofm.cli import app
from biofm.modalities import get_modality
from biofm.modalities.dna import reverse_complement
from biofm.use.predict import evaluate

runner = CliRunner()


def test_molecule_perturbations_are_the_same_molecule():
    molecule = get_modality("molecule")
    rng = np.random.default_rng(0)
    for smiles in ("CC(=O)Oc1ccccc1C(=O)O", "Cn1cnc2c1c(=O)n(C)c(=O)n2C", "C[C@H](N)C(=O)O"):
        for text in molecule.perturbations(smiles, rng).values():
            assert molecule.normalise(text) == molecule.normalise(smiles)


def test_dna_perturbations_keep_the_sequence():
    dna = get_modality("dna")
    sequence = "ACGTTGCAAGGCTTACGATCGGATCCAATTGGCCAA" * 3
    views = dna.perturbations(sequence, np.random.default_rng(0))
    assert reverse_complement(views["reverse complement"]) == sequence  # twice is identity
    assert sequence.endswith(views["shifted window"]) and 0 < len(sequence) - len(views["shifted window"]) <= 3


def test_text_perturbations_change_little():
    text = get_modality("text")
    note = "Patient reports fever and a painful rash on both arms with itching at night"
    views = text.perturbations(note, np.random.default_rng(0))
    assert "pyrexia" in views["synonym swaps"] and len(views["dropped words"].split()) < len(note.split()) + 1
    assert len(views["typos"]) == len(note)


def test_evaluate_reports_each_perturbation(trained_run, data_dir):
    result = evaluate(trained_run, data_dir / "bbb_small.csv", robust=True)
    assert set(result["robustness"]) == {"randomised SMILES", "Kekulé SMILES"}
    for found in result["robustness"].values():
        assert 0 <= found["flipped"] <= 1 and found["metrics"]["roc_auc"] is not None
    cli = runner.invoke(app, ["evaluate", str(trained_run), "--data", str(data_dir / "bbb_small.csv"), "--robustness"])
    assert cli.exit_code == 0 and "under randomised SMILES: roc_auc" in " ".join(cli.output.split())
