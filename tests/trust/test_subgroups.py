"""Metrics per group: a planted group effect shows up, sizes are counted, small groups flagged."""

import numpy as np
import pandas as pd
import pytest

from biofm.core.errors import DataError
from biofm.data.records import Records
from biofm.data.tasks import Task
from biofm.training.train import train
from biofm.trust.subgroups import subgroup_metrics
from conftest import tiny_config


def test_a_planted_group_effect_shows_in_the_table():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    site = np.where(np.arange(200) < 180, "north", "south")
    model = np.where(site == "north", y, rng.integers(0, 2, 200)).astype(float)  # right in north, a coin in south
    outputs = np.stack([1 - model, model], axis=1) * 0.8 + 0.1
    test = Records("toy", [f"x{i}" for i in range(200)], list(range(200)),
                   labels=np.array([[str(v)] for v in y], dtype=object), extra=pd.DataFrame({"site": site}))
    task = Task("classification", ["y"], classes=["0", "1"])
    found = subgroup_metrics(task, test, outputs, None, ["site"], "accuracy")["site"]
    by_site = {g["group"]: g for g in found["groups"]}
    assert by_site["north"]["n"] == 180 and by_site["south"]["n"] == 20
    assert by_site["north"]["model"] == 1.0 and by_site["south"]["model"] < 0.8
    assert by_site["south"]["small"] and not by_site["north"]["small"] and found["smallest"] == "south"
    assert by_site["north"]["baseline"] is None


def test_group_columns_reach_metrics_json_and_a_missing_one_is_named(data_dir, tmp_path):
    frame = pd.read_csv(data_dir / "bbb_small.csv")
    frame["site"] = ["a" if i % 4 else "b" for i in range(len(frame))]
    frame.to_csv(tmp_path / "bbb.csv", index=False)
    result = train(tiny_config(tmp_path / "bbb.csv", data={"group_columns": ["site"]}, baseline=True),
                   tmp_path / "run")
    groups = result.metrics["groups"]["site"]["groups"]
    assert {g["group"] for g in groups} == {"a", "b"}
    assert sum(g["n"] for g in groups) == result.metrics["data"]["n_test"]
    assert all(g["baseline"] is not None or g["n"] < 2 for g in groups)
    assert "For whom does it work?" in (result.run_dir / "report.html").read_text()
    with pytest.raises(DataError, match=r"data\.group_columns: no column 'ward'"):
        train(tiny_config(tmp_path / "bbb.csv", data={"group_columns": ["ward"]}), tmp_path / "bad")
