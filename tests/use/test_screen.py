"""Streaming screens: the same scores as an in-memory predict, flat memory, resume after a kill, top N, shards,
invalid rows set aside."""

from __future__ import annotations

import gzip
import tracemalloc

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from biofm.cli import app
from biofm.core.errors import ConfigError
from biofm.use import screen as screening
from biofm.use.predict import predict
from biofm.use.screen import merge_scores, screen


@pytest.fixture(scope="module")
def library(tmp_path_factory, data_dir):
    """bbb_small's molecules (names kept) with three invalid rows among them."""
    frame = pd.read_csv(data_dir / "bbb_small.csv").drop(columns="bbb_permeable")
    bad = pd.DataFrame({"name": ["bad1", "bad2", "bad3"], "smiles": ["C1CC(", "not a smiles", "c1cccc1"]})
    frame = pd.concat([frame.iloc[:50], bad.iloc[:1], frame.iloc[50:120], bad.iloc[1:], frame.iloc[120:]],
                      ignore_index=True)
    path = tmp_path_factory.mktemp("library") / "library.csv"
    frame.to_csv(path, index=False)
    return path


def scores(path) -> pd.DataFrame:
    return pd.read_parquet(path) if str(path).endswith(".parquet") else pd.read_csv(path)


def test_a_streamed_screen_scores_what_predict_scores_and_sets_invalid_rows_aside(trained_run, library, tmp_path):
    result = screen(trained_run, library, tmp_path / "scores.parquet", chunk_rows=37)
    streamed = scores(result.output)
    whole = predict(trained_run, library, tmp_path / "whole.csv", skip_invalid=True)
    assert list(streamed.row) == list(whole.row) and list(streamed.name) == list(whole.name)
    np.testing.assert_allclose(streamed.prob_1, whole.prob_1, atol=1e-6)
    assert (result.rows_read, result.scored, result.invalid) == (203, 200, 3)
    invalid = pd.read_csv(result.invalid_file)
    assert list(invalid.row) == [52, 123, 124] and invalid.reason.str.contains("SMILES|molecule").all()


def test_top_n_equals_sorting_everything_and_taking_n(trained_run, library, tmp_path):
    everything = scores(screen(trained_run, library, tmp_path / "all.csv.gz", chunk_rows=25).output)
    expected = everything.sort_values(["prob_1", "row"], ascending=[False, True], kind="stable").head(15)
    top = scores(screen(trained_run, library, tmp_path / "top.csv", top=15, chunk_rows=25).output)
    assert list(top.row) == list(expected.row)
    lowest = scores(screen(trained_run, library, tmp_path / "low.csv", top=5, ascending=True, chunk_rows=25).output)
    assert list(lowest.row) == list(everything.sort_values(["prob_1", "row"], kind="stable").head(5).row)
    with gzip.open(tmp_path / "all.csv.gz", "rt") as handle:
        assert handle.readline().startswith("row,name,input")


def test_shards_cover_the_library_once_and_their_tops_merge_into_the_top(trained_run, library, tmp_path):
    whole = scores(screen(trained_run, library, tmp_path / "whole.csv").output)
    shards = [scores(screen(trained_run, library, tmp_path / f"shard{k}.csv", shard=f"{k}/3", chunk_rows=40).output)
              for k in (1, 2, 3)]
    joined = pd.concat(shards).sort_values("row")
    assert list(joined.row) == list(whole.row)  # every row once, none twice
    tops = [screen(trained_run, library, tmp_path / f"top{k}.parquet", shard=f"{k}/3", top=10).output
            for k in (1, 2, 3)]
    assert merge_scores(tops, tmp_path / "merged.csv", 10, "prob_1") == 10
    expected = whole.sort_values(["prob_1", "row"], ascending=[False, True], kind="stable").head(10)
    assert list(scores(tmp_path / "merged.csv").row) == list(expected.row)
    with pytest.raises(ConfigError, match="--shard: expected K/N"):
        screen(trained_run, library, tmp_path / "x.csv", shard="4/3")


def test_a_killed_screen_resumes_without_losing_or_repeating_rows(trained_run, library, tmp_path, monkeypatch):
    reference = scores(screen(trained_run, library, tmp_path / "reference.csv", chunk_rows=30).output)
    finish = screening._score_part
    calls = {"n": 0}

    def killed_at_the_fourth_part(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt
        return finish(*args, **kwargs)

    monkeypatch.setattr(screening, "_score_part", killed_at_the_fourth_part)
    output = tmp_path / "scores.csv"
    with pytest.raises(KeyboardInterrupt):
        screen(trained_run, library, output, chunk_rows=30)
    monkeypatch.setattr(screening, "_score_part", finish)
    assert not output.exists() and len(list((tmp_path / "scores.csv.parts").glob("part-*.json"))) == 3
    with pytest.raises(ConfigError, match="interrupted screen: continue it with --resume"):
        screen(trained_run, library, output, chunk_rows=30)
    with pytest.raises(ConfigError, match="other settings \\(chunk_rows\\)"):
        screen(trained_run, library, output, chunk_rows=31, resume=True)
    result = screen(trained_run, library, output, chunk_rows=30, resume=True)
    resumed = scores(output)
    assert list(resumed.row) == list(reference.row) and result.invalid == 3
    np.testing.assert_allclose(resumed.prob_1, reference.prob_1, atol=1e-6)
    assert not (tmp_path / "scores.csv.parts").exists()


def test_memory_stays_flat_as_the_library_grows(trained_run, data_dir, tmp_path):
    smiles = pd.read_csv(data_dir / "bbb_small.csv").smiles

    def peak(copies: int) -> int:
        path = tmp_path / f"lib{copies}.smi"
        path.write_text("".join(f"{s} mol{i}\n" for i, s in enumerate(list(smiles) * copies)))
        tracemalloc.start()
        screen(trained_run, path, tmp_path / f"out{copies}.parquet", chunk_rows=500)
        _, highest = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return highest

    small, large = peak(5), peak(20)  # 1,000 vs 4,000 molecules, 500 a chunk: held rows would show 4x
    assert large < 1.5 * small, (small, large)


def test_the_command_streams_when_asked_and_refuses_what_needs_memory(trained_run, library, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["predict", str(trained_run), "--input", str(library), "--output",
                                 str(tmp_path / "top.parquet"), "--top", "5"])
    assert result.exit_code == 0, result.output
    assert "203 rows read, 200 scored, 3 invalid" in " ".join(result.output.split())
    result = runner.invoke(app, ["predict", str(trained_run), "--input", str(library), "--output",
                                 str(tmp_path / "x.parquet"), "--show"])
    assert result.exit_code == 2 and "stream" in result.output
    result = runner.invoke(app, ["merge-scores", str(tmp_path / "top.parquet"), "--output", str(tmp_path / "m.csv"),
                                 "--top", "3", "--rank-by", "prob_1"])
    assert result.exit_code == 0 and len(pd.read_csv(tmp_path / "m.csv")) == 3


def test_the_progress_bar_knows_a_library_size_where_it_is_cheap(library, tmp_path):
    assert screening.row_count(library) == 203  # CSV: lines less the header
    smi = tmp_path / "lib.smi.gz"
    with gzip.open(smi, "wt") as handle:
        handle.write("# a comment\nCCO ethanol\n\nc1ccccc1\n")
    assert screening.row_count(smi) == 2
    frame = pd.read_csv(library)
    frame.to_parquet(tmp_path / "lib.parquet")
    assert screening.row_count(tmp_path / "lib.parquet") == 203
    assert screening.row_count(tmp_path / "x.sdf") is None  # only reading every record would tell
