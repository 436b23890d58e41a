"""Explanations: IG finds a planted motif, maps tokens back to bases and atoms, and writes its views."""

import json

import numpy as np
import pytest

from biofm.core.errors import ConfigError
from biofm.modalities import get_modality
from biofm.modalities.dna import strongest_window
from biofm.modalities.molecule import atom_scores
from biofm.modeling.loaded_run import load_run
from biofm.trust.explain import explain, explain_one
from conftest import MOTIF


def test_top_window_finds_the_planted_motif_in_unseen_sequences(motif_run):
    """The sanity check that can fail: on fresh positives the strongest 8-bp window must overlap the motif."""
    run = load_run(motif_run.run_dir)
    rng = np.random.default_rng(123)
    hits, n = 0, 20
    for _ in range(n):
        sequence = list(rng.choice(list("ACGT"), 40))
        start = int(rng.integers(0, 40 - len(MOTIF)))
        sequence[start : start + len(MOTIF)] = MOTIF
        e = explain_one(run, "".join(sequence), target="yes")
        top, end = strongest_window(np.asarray(e.position_scores), len(MOTIF))
        hits += top < start + len(MOTIF) and end > start
    assert hits / n >= 0.8, f"motif found in {hits}/{n}"


def test_dna_view_matches_jaspar_and_writes_a_track(motif_run, tmp_path):
    sequence = "ACGTTAGCAT" + MOTIF + "GGATCCATGCATGCTAGCA"
    [e] = explain(motif_run.run_dir, [sequence], tmp_path)
    assert (tmp_path / "input-0000.png").stat().st_size > 2000
    assert len(e.position_scores) == len(sequence)
    assert e.view.details["motifs"] and e.view.details["motifs"][0]["relative_score"] > 0.5
    record = json.loads((tmp_path / "explanations.jsonl").read_text())
    assert record["explained_output"] in ("prob_yes", "prob_no") and "JASPAR" in (tmp_path / "index.html").read_text()


def test_molecule_view_scores_every_atom(trained_run, tmp_path):
    [e] = explain(trained_run, ["CC(=O)Oc1ccccc1C(=O)O"], tmp_path, steps=16)
    assert len(e.view.details["atom_scores"]) == 13  # aspirin's heavy atoms
    svg = (tmp_path / "input-0000.svg").read_text()
    assert svg.startswith("<?xml") and "<path" in svg
    # integrated gradients is complete: token attributions sum to logit(input) - logit(baseline)
    assert e.convergence_delta < 0.05 * max(1e-3, abs(sum(e.token_scores)))


def test_characters_map_back_to_bases():
    dna = get_modality("dna")
    assert dna.char_map("ACGTAC", "kmer3-disjoint") == [0, 1, 2, -1, 3, 4, 5]
    assert dna.char_map("ACGTA", "kmer3")[:8] == [0, 1, 2, -1, 1, 2, 3, -1]


def test_atom_scores_follow_rdkit_atom_order():
    scores = np.arange(len("C[C@@H](Cl)O"), dtype=float)
    assert atom_scores("C[C@@H](Cl)O", scores) == [0.0, sum(range(1, 7)), 8 + 9, 11.0]


def test_unknown_target_is_a_clear_error(trained_run):
    with pytest.raises(ConfigError, match="not an output of this run"):
        explain_one(load_run(trained_run), "CCO", target="nope")


def test_training_explains_examples_into_the_report(tmp_path):
    from biofm.training.train import train
    from conftest import tiny_config

    run = train(tiny_config(explain_examples=2, train={"epochs": 1}), tmp_path / "run").run_dir
    lines = (run / "explanations" / "explanations.jsonl").read_text().splitlines()
    assert len(lines) == 2
    report = (run / "report.html").read_text()
    assert "Explained examples" in report and report.count("<svg") >= 1
