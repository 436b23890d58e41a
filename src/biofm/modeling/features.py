"""Whole-input features read beside the pooled embedding (``model.extra_features``).

Why: a chemist's forest on RDKit descriptors beats most pretrained molecular encoders on
physicochemical endpoints, and Chemprop + descriptors was the best model on TDC BBB_Martins.  So the
head may read the modality's own features (molecules: ``rdkit2d``) next to the encoder's summary.
The modality computes them (this module never asks which modality it has); the statistics that put
them on one scale come from the training inputs only, are stored in the run folder
(``features.json``), and are applied identically in training, prediction, serving and ONNX export.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from biofm.core import layout
from biofm.core.errors import ConfigError, RunFolderError
from biofm.core.io import read_json, write_json
from biofm.modalities import Modality

CLIP = 6.0  # standardised values beyond ±CLIP (a rare molecule's odd descriptor) are cut there


def check_extra_features(modality: Modality, names: list[str]) -> None:
    """Before any work: every named feature set is one the modality offers, each named once."""
    for name in names:
        if name not in modality.feature_sets:
            offered = ", ".join(modality.feature_sets) or "none"
            raise ConfigError(f"model.extra_features: {modality.name} offers no feature set {name!r} "
                              f"(offered: {offered})")
    if len(set(names)) != len(names):
        raise ConfigError(f"model.extra_features: a feature set is named twice in {names}")


def _squash(raw: np.ndarray) -> np.ndarray:
    """Signed log: descriptor values span many orders of magnitude (counts vs. Ipc); ranks are kept.
    A missing value (NaN, ±inf) stays NaN here and becomes the training mean when standardised."""
    raw = raw.astype(np.float64)
    raw[~np.isfinite(raw)] = np.nan
    return np.sign(raw) * np.log1p(np.abs(raw))


@dataclass
class ExtraFeatures:
    """The named feature sets of a modality, standardised with statistics of the training inputs."""

    modality: Modality
    names: list[str]
    mean: np.ndarray
    scale: np.ndarray

    @property
    def width(self) -> int:
        return len(self.mean)

    @classmethod
    def fit(cls, modality: Modality, names: list[str], train_inputs: list[str]) -> ExtraFeatures | None:
        """Statistics from the training inputs only (None when no features are asked for)."""
        if not names:
            return None
        check_extra_features(modality, names)
        return cls.from_raw(modality, names, _raw(modality, names, train_inputs))

    @classmethod
    def from_raw(cls, modality: Modality, names: list[str], raw: np.ndarray) -> ExtraFeatures:
        """Statistics of raw feature rows already computed (pretraining reads them from its cache)."""
        squashed = _squash(raw)
        known = np.isfinite(squashed).any(axis=0)  # a column missing everywhere: mean 0, scale 1
        mean = np.where(known, np.nanmean(np.where(known, squashed, 0.0), axis=0), 0.0)
        scale = np.where(known, np.nanstd(np.where(known, squashed, 0.0), axis=0), 1.0)
        return cls(modality, list(names), mean, np.where(scale > 1e-8, scale, 1.0))

    def __call__(self, inputs: list[str]) -> np.ndarray:
        """(len(inputs), width) float32, finite: what the head reads.  Each distinct input is described once
        (prediction repeats an input per view, and descriptors cost more than the model's forward pass)."""
        if not inputs:
            return np.zeros((0, self.width), dtype=np.float32)
        row_of = {item: row for row, item in enumerate(dict.fromkeys(inputs))}
        rows = self.standardise(_raw(self.modality, self.names, list(row_of)))
        return rows if len(row_of) == len(inputs) else rows[[row_of[item] for item in inputs]]

    def remembering(self) -> Callable[[list[str]], np.ndarray]:
        """These features, each distinct input described once across calls: an ensemble's members read the same
        inputs one after another, and describing them again per member cost as much as the members' passes."""
        seen: dict[str, np.ndarray] = {}

        def describe(inputs: list[str]) -> np.ndarray:
            new = [item for item in inputs if item not in seen]  # a repeat among them is described once by self()
            seen.update(zip(new, self(new), strict=True))
            return np.stack([seen[item] for item in inputs]) if inputs else self(inputs)
        return describe

    def standardise(self, raw: np.ndarray) -> np.ndarray:
        """Raw feature rows on the training scale: signed log, standardised, clipped; NaN becomes the mean."""
        if raw.shape[1] != self.width:
            raise RunFolderError(f"{', '.join(self.names)}: this run was trained on {self.width} features but "
                                 f"{raw.shape[1]} are computed here (another RDKit / library release?); re-train")
        standard = np.nan_to_num((_squash(raw) - self.mean) / self.scale, nan=0.0)
        return np.clip(standard, -CLIP, CLIP).astype(np.float32)

    def save(self, run_dir: Path) -> None:
        write_json(Path(run_dir) / layout.FEATURES, {"names": self.names, "mean": self.mean.tolist(),
                                                     "scale": self.scale.tolist()})


def _raw(modality: Modality, names: list[str], inputs: list[str]) -> np.ndarray:
    return np.hstack([modality.extra_features(name, inputs) for name in names])


def load_features(run_dir: Path, modality: Modality, width: int) -> ExtraFeatures | None:
    """The run's ``features.json`` (None for a run without extra features), checked against the head's width."""
    path = Path(run_dir) / layout.FEATURES
    if not path.is_file():
        if width:
            raise RunFolderError(f"{path}: missing, but the model's head reads {width} extra features")
        return None
    data = read_json(path)
    try:
        features = ExtraFeatures(modality, list(data["names"]), np.asarray(data["mean"], dtype=np.float64),
                                 np.asarray(data["scale"], dtype=np.float64))
        check_extra_features(modality, features.names)
    except (KeyError, TypeError, ValueError, ConfigError) as exc:
        raise RunFolderError(f"{path}: not a biofm feature file ({exc}); was it edited?") from None
    if features.width != width or features.scale.shape != features.mean.shape or not np.all(features.scale > 0):
        raise RunFolderError(f"{path}: describes {features.width} features but the model's head reads {width}; "
                             "was it edited or copied from another run?")
    return features
