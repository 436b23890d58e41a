"""How robust is a prediction?  The same inputs under the modality's meaning-preserving perturbations.

Why: a molecule model that changes its mind when the same molecule is written in another atom
order, or a DNA model that reads one strand only, has learned the notation, not the biology.  Each
perturbation (supplied by the modality: randomised SMILES, reverse complement, typos …) is applied
to every input; the metric under it and the fraction of predictions that flip are reported.
"""

from __future__ import annotations

import numpy as np

from biofm.data.records import Records
from biofm.modalities import InvalidInput
from biofm.modeling.loaded_run import LoadedRun
from biofm.modeling.metrics import compute_metrics


def robustness(run: LoadedRun, records: Records, reference: np.ndarray, seed: int = 0) -> dict:
    """Per perturbation: its metrics on ``records`` and how many predictions move away from ``reference``."""
    rng = np.random.default_rng(seed)
    variants: dict[str, list[str]] = {}
    for item in records.inputs:
        for name, text in _perturbed(run, item, rng).items():
            variants.setdefault(name, []).append(text)
    targets = run.task.encode(records)
    result = {}
    for name, inputs in variants.items():
        outputs = run.outputs(inputs)
        result[name] = {"metrics": compute_metrics(run.task, targets, outputs)[0], **_changes(run, reference, outputs)}
    return result


def _perturbed(run: LoadedRun, item: str, rng: np.random.Generator) -> dict[str, str]:
    """The modality's perturbations of ``item``; one the model cannot read (e.g. DNA now shorter than k)
    falls back to the item itself, so every perturbation covers every row."""
    out = {}
    for name, text in run.modality.perturbations(item, rng).items():
        try:
            run.modality.tokenizer_text(text, run.config.model.tokenizer)
            out[name] = text
        except InvalidInput:
            out[name] = item
    return out


def _changes(run: LoadedRun, reference: np.ndarray, outputs: np.ndarray) -> dict:
    if run.task.mode == "multiclass":
        return {"flipped": round(float(np.mean(reference.argmax(1) != outputs.argmax(1))), 5)}
    if run.task.mode == "multilabel":
        return {"flipped": round(float(np.mean((reference > 0.5) != (outputs > 0.5))), 5)}
    return {"mean_abs_change": round(float(np.nanmean(np.abs(reference - outputs))), 5)}
