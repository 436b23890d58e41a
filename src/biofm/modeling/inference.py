"""From validated inputs to decoded outputs: tokenizer text, windows, views, aggregation.

Shared by training (validation/test metrics) and prediction, so a run is scored exactly the way
it later predicts.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from transformers import PreTrainedTokenizerBase

from biofm.core.config import RunConfig
from biofm.core.errors import DataError
from biofm.data.records import Records
from biofm.data.tasks import Task
from biofm.modalities import InvalidInput, Modality
from biofm.modeling.encoding import predict_logits


def tokenizer_texts(modality: Modality, spec: str | None, records: Records) -> list[str]:
    """The modality's tokenizer text for each record; a rejected item names its file and row."""
    texts = []
    for item, row in zip(records.inputs, records.rows, strict=True):
        try:
            texts.append(modality.tokenizer_text(item, spec))
        except InvalidInput as exc:
            raise DataError(records.source, str(exc), row=row) from None
    return texts


def predict_outputs(model, tokenizer: PreTrainedTokenizerBase, task: Task, modality: Modality, cfg: RunConfig,
                    inputs: list[str], bf16: bool,
                    features: Callable[[list[str]], np.ndarray] | None = None) -> np.ndarray:
    """Probabilities or values per input.

    Each input is expanded into its views (with ``data.tta``) and, when ``data.window`` is set, its
    windows; the pieces are predicted in one batched pass and their decoded outputs averaged (or
    max-pooled, ``data.window_aggregate``) back to one row per input.  ``features``: the run's extra
    features (``ExtraFeatures`` or its ``remembering()``), as in training: of the input for each of its
    views, of each window for a window.
    """
    data = cfg.data
    pieces, raw, owner = [], [], []
    for index, item in enumerate(inputs):
        for view in modality.views(item) if data.tta else [item]:
            parts = modality.windows(view, data.window, data.window_stride or max(1, data.window // 2)) \
                if data.window else [view]
            for part in parts:
                pieces.append(modality.tokenizer_text(part, cfg.model.tokenizer))
                raw.append(part if data.window else item)  # a view is the same input: its features, as trained
                owner.append(index)
    extra = features(raw) if features is not None else None
    outputs = task.decode(predict_logits(model, pieces, tokenizer, cfg.model.max_length, bf16=bf16, extra=extra))
    owner = np.asarray(owner)
    if len(pieces) == len(inputs):
        return outputs
    pool = np.max if data.window_aggregate == "max" else np.mean
    return np.stack([pool(outputs[owner == i], axis=0) for i in range(len(inputs))])
