"""For whom does it work?  The primary metric per group of the test set, for model and baseline.

Why: one overall figure hides a model that fails one hospital site, one sex, or one chemical
series; a clinical fairness check and a chemist's per-scaffold review both start from this table.
Small groups are flagged, because a metric on a dozen items is mostly noise.
"""

from __future__ import annotations

import numpy as np

from biofm.data.records import Records
from biofm.data.tasks import Task
from biofm.modeling.metrics import compute_metrics

SMALL_GROUP = 30  # fewer test items than this: the group's figure is flagged as unreliable


def subgroup_metrics(task: Task, test: Records, model: np.ndarray, baseline: np.ndarray | None,
                     columns: list[str], primary: str) -> dict:
    """Per column in ``columns`` (carried in ``test.extra``): each group's size and ``primary`` for both."""
    targets = task.encode(test)
    result = {}
    for column in columns:
        values = np.array(["(missing)" if v is None or v != v or str(v).strip() == "" else str(v)
                           for v in test.extra[column]], dtype=object)
        groups = []
        for value in sorted(set(values)):
            index = np.flatnonzero(values == value)
            groups.append({"group": value, "n": len(index), "small": len(index) < SMALL_GROUP,
                           "model": _metric(task, targets[index], model[index], primary),
                           "baseline": None if baseline is None else _metric(task, targets[index], baseline[index],
                                                                              primary)})
        smallest = min(groups, key=lambda g: g["n"])
        result[column] = {"metric": primary, "groups": groups, "smallest": smallest["group"]}
    return result


def _metric(task: Task, targets: np.ndarray, outputs: np.ndarray, metric: str) -> float | None:
    value = compute_metrics(task, targets, outputs)[0].get(metric)
    return None if value is None else round(value, 5)
