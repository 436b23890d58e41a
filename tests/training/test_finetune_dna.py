"""DNA end to end: the model learns a planted motif, and a 10 kb sequence is predicted via windows."""

import numpy as np
import pandas as pd
import pytest

from biofm.modeling.loaded_run import load_run
from biofm.use.predict import predict
from conftest import MOTIF


def test_learns_a_planted_motif(motif_run):
    metrics = motif_run.metrics
    # seeds 0-4 here: accuracy 0.958-1.0 (chance 0.5); the motif test in trust/ found it in >= 16 of 20 each time
    assert metrics["test"]["accuracy"] >= 0.85, metrics["test"]
    assert metrics["baseline"]["name"].startswith("6-mer") and metrics["primary_metric"] == "mcc"


def test_long_sequence_is_predicted_through_windows(motif_run, tmp_path):
    rng = np.random.default_rng(5)
    background = "".join(rng.choice(list("ACGT"), 10_000))
    with_motif = background[:5000] + MOTIF + background[5000 + len(MOTIF):]
    path = tmp_path / "long.csv"
    pd.DataFrame({"sequence": [background, with_motif]}).to_csv(path, index=False)
    frame = predict(motif_run.run_dir, path, tmp_path / "out.csv")
    assert len(frame) == 2
    run = load_run(motif_run.run_dir)
    assert run.config.data.window == 40
    # max over windows would flag the motif; the mean still moves towards it
    assert frame.prob_yes[1] > frame.prob_yes[0]


def test_too_short_sequences_get_a_clear_error_at_prediction(motif_run, tmp_path):
    from biofm.core.errors import DataError

    path = tmp_path / "short.csv"
    path.write_text("sequence\nACGTACGTAC\nAC\n")
    with pytest.raises(DataError, match=r"row 3: sequence of 2 bases is shorter than k=3"):
        predict(motif_run.run_dir, path, tmp_path / "out.csv")
