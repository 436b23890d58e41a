"""Self-training: the teacher's confident, consistent labels join the student's data, nothing leaks."""

import json

import pandas as pd
import pytest

from biofm.core.errors import ConfigError
from biofm.training.train import train
from conftest import tiny_config


@pytest.fixture(scope="module")
def labelled_and_pool(tmp_path_factory, data_dir):
    frame = pd.read_csv(data_dir / "bbb_small.csv")
    folder = tmp_path_factory.mktemp("st")
    frame.head(120).to_csv(folder / "labelled.csv", index=False)
    pool = frame.iloc[120:][["smiles"]]
    pool = pd.concat([pool, frame.head(3)[["smiles"]], pd.DataFrame({"smiles": ["not-a-molecule"]})])
    pool.to_csv(folder / "pool.csv", index=False)
    return folder / "labelled.csv", folder / "pool.csv"


def test_student_trains_on_labels_plus_consistent_pseudo_labels(tmp_path, labelled_and_pool):
    labelled, pool = labelled_and_pool
    cfg = tiny_config(labelled, self_training={"unlabelled": str(pool), "threshold": 0.5, "views": 2})
    result = train(cfg, tmp_path / "run")
    run = result.run_dir
    summary = result.metrics["self_training"]
    assert summary["invalid_skipped"] == 1 and summary["duplicates_or_labelled_dropped"] >= 3
    assert summary["scored"] + summary["duplicates_or_labelled_dropped"] == 83
    pseudo = pd.read_csv(run / "self_training" / "pseudo_labels.csv")
    used = pseudo[pseudo.used]
    assert len(used) == summary["pseudo_labelled"] > 0
    assert used.views_agree.all() and (used.confidence >= 0.5).all()
    teacher = json.loads((run / "teacher" / "metrics.json").read_text())
    assert teacher["data"]["n_train"] + len(used) == result.metrics["data"]["n_train"]
    # the student is scored on exactly the teacher's held-out items
    assert teacher["data"]["n_val"] == result.metrics["data"]["n_val"]
    assert teacher["test"] == summary["teacher"]["test"]
    student_test = pd.read_csv(run / "self_training" / "test.csv")
    assert len(student_test) == teacher["data"]["n_test"]
    assert not set(used.input) & set(student_test.smiles)


def test_pseudo_labelling_a_regression_task_is_refused_before_any_work(tmp_path, data_dir, labelled_and_pool):
    cfg = tiny_config(data_dir / "solubility_small.csv",
                      data={"label_columns": ["log_solubility"], "task": "regression"},
                      self_training={"unlabelled": str(labelled_and_pool[1])})
    with pytest.raises(ConfigError, match="classification"):
        train(cfg, tmp_path / "run")
    assert not (tmp_path / "run").exists()
