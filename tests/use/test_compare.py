"""Many runs at a glance: one row per finished run, from its folder alone; everything else listed as left out."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from typer.testing import CliRunner

from biofm.cli import app
from biofm.core.errors import ConfigError
from biofm.use.compare import compare_runs, write_comparison


@pytest.fixture
def two_runs(trained_run, tmp_path):
    """The shared run, and a copy whose metrics say it did better and took longer."""
    better = tmp_path / "better"
    shutil.copytree(trained_run, better)
    metrics = json.loads((better / "metrics.json").read_text())
    metrics["test"]["roc_auc"] = 0.99
    metrics["seconds"]["total"] = 1e4
    (better / "metrics.json").write_text(json.dumps(metrics))
    return trained_run, better


def test_one_row_per_run_with_the_baseline_and_verdict_beside_it(two_runs, tmp_path):
    plain, better = two_runs
    (tmp_path / "notes").mkdir()
    result = compare_runs([plain, better, tmp_path / "notes"], sort="model_test")
    table = result.table
    assert list(table.run) == [str(better), str(plain)]  # ROC-AUC: best first
    metrics = json.loads((plain / "metrics.json").read_text())
    row = table.iloc[1]
    assert (row.modality, row.data, row.metric) == ("molecule", "bbb_small.csv", "roc_auc")
    assert row.model_test == pytest.approx(metrics["test"]["roc_auc"])
    assert row.baseline_test == pytest.approx(metrics["baseline"]["test"]["roc_auc"])
    assert row.blend_test == pytest.approx(metrics["blend"]["test"]["roc_auc"])
    assert row.blend_verdict == metrics["blend"]["verdict"]["verdict"]
    assert row.verdict == metrics["verdict"]["verdict"] and row.adaptation == "full"
    assert list(result.left_out) == [str(tmp_path / "notes")]
    assert list(compare_runs([plain, better], sort="seconds").table.run) == [str(plain), str(better)]


def test_another_metric_and_what_a_run_lacks(two_runs):
    plain, _ = two_runs
    assert compare_runs([plain], metric="accuracy").table.metric.tolist() == ["accuracy"]
    result = compare_runs([plain], metric="rmse")
    assert result.table.empty and "no test metric 'rmse'" in result.left_out[str(plain)]
    with pytest.raises(ConfigError, match="--sort: no column 'speed'"):
        compare_runs([plain], sort="speed")


def test_the_table_is_written_as_csv_and_html_and_the_command_prints_it(two_runs, tmp_path):
    plain, better = two_runs
    table = compare_runs([plain, better]).table
    assert pd.read_csv(write_comparison(table, tmp_path / "runs.csv")).shape == (2, len(table.columns))
    page = write_comparison(table, tmp_path / "runs.html").read_text()
    assert "<table" in page and "bbb_small.csv" in page
    with pytest.raises(ConfigError, match=r"\.csv or \.html"):
        write_comparison(table, tmp_path / "runs.xlsx")
    result = CliRunner().invoke(app, ["compare", str(plain), str(better), "--sort", "model_test",
                                      "--output", str(tmp_path / "c.csv")], env={"COLUMNS": "220"})
    assert result.exit_code == 0, result.output
    assert "roc_auc" in result.output and (tmp_path / "c.csv").exists()
