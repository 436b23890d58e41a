"""Tanimoto similarity of binary fingerprints: one matrix product, shared by the applicability domain (how
like the training set is a new input?) and the molecular SVM baseline (a Tanimoto kernel), which sit on
different layers and must measure similarity the same way."""

from __future__ import annotations

import numpy as np


def tanimoto(a: np.ndarray, b: np.ndarray, b_counts: np.ndarray | None = None) -> np.ndarray:
    """Tanimoto similarity |a∧b| / |a∨b| of every row of ``a`` to every row of ``b`` (0/1 float matrices);
    ``b_counts`` are ``b``'s row sums where the caller keeps them, as the domain index does.  Also a valid
    kernel for scikit-learn's SVMs (``kernel=tanimoto``): it is positive semi-definite on binary vectors."""
    common = a @ b.T  # (len(a), len(b))
    union = a.sum(1, keepdims=True) + (b.sum(1) if b_counts is None else b_counts) - common
    return common / np.maximum(union, 1.0)
