import numpy as np
import pytest

from biofm.core.errors import DataError
from biofm.data.records import Records
from biofm.data.tasks import Task
from biofm.modeling.metrics import compute_metrics


def records(labels, kind=object):
    labels = np.array(labels, dtype=kind)
    return Records("f.csv", [f"x{i}" for i in range(len(labels))], list(range(2, 2 + len(labels))), labels)


def test_classes_sorted_and_unseen_label_names_row():
    task = Task.fit("classification", ["y"], records([["b"], ["a"], ["b"]]))
    assert task.classes == ["a", "b"] and task.mode == "multiclass"
    assert task.encode(records([["a"], ["b"]])).tolist() == [0, 1]
    with pytest.raises(DataError, match=r"f.csv, row 3: label 'c' was not seen in training"):
        task.encode(records([["a"], ["c"]]))


def test_single_class_training_data_is_an_error():
    with pytest.raises(DataError, match="only one class"):
        Task.fit("classification", ["y"], records([["a"], ["a"]]))


def test_regression_scaling_round_trip():
    train = records([[1.0, 10.0], [3.0, np.nan]], kind=float)
    task = Task.fit("regression", ["a", "b"], train)
    encoded = task.encode(train)
    assert np.isnan(encoded[1, 1])
    assert np.allclose(task.decode(np.nan_to_num(encoded))[:, 0], [1.0, 3.0])
    assert Task.from_json(task.to_json()) == task


def test_multilabel_requires_binary():
    with pytest.raises(DataError, match="must be 0, 1 or empty"):
        Task.fit("classification", ["a", "b"], records([["1", "2"], ["0", None]]))


def test_multilabel_metrics_skip_missing():
    task = Task.fit("classification", ["a", "b"], records([["1", "0"], ["0", None], ["1", "1"], ["0", "0"]]))
    targets = task.encode(records([["1", "0"], ["0", None], ["1", "1"], ["0", "0"]]))
    perfect = np.nan_to_num(targets, nan=0.5)
    metrics, notes = compute_metrics(task, targets, perfect)
    assert metrics["roc_auc"] == 1.0 and set(metrics["per_task"]) == {"a", "b"} and not notes


def test_single_class_test_set_gives_none_with_a_note():
    task = Task("classification", ["y"], classes=["0", "1"])
    metrics, notes = compute_metrics(task, np.array([1, 1, 1]), np.array([[0.2, 0.8]] * 3))
    assert metrics["roc_auc"] is None and metrics["accuracy"] == 1.0
    assert "only one class" in notes[0]


@pytest.mark.parametrize(("task", "summary"), [
    (Task("classification", ["bbb"], classes=["0", "1"]), "binary classification"),
    (Task("classification", ["site"], classes=["a", "d", "n"]), "3-class classification"),
    (Task("classification", ["a", "b"]), "multi-label classification (2 columns)"),
    (Task("regression", ["y"]), "regression"),
    (Task("regression", ["y", "z"]), "regression (2 targets)"),
])
def test_summary_calls_a_task_what_it_is(task, summary):
    assert task.summary == summary
