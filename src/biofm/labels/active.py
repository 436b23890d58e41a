"""Active learning: which unlabelled items are worth labelling next.

Why: a label costs an assay or an expert's hour.  The model already says where it is unsure
(class probabilities, or Monte-Carlo dropout spread for values) and where the data is new (distance
in its embedding space to everything it was trained on).  Ranking a pool by those — and picking a
batch that is not 96 near-duplicates — is the cheapest way to spend a labelling budget.

Strategies (batch-aware where it matters):
- ``uncertainty``: highest predictive entropy (classification) or MC-dropout spread (regression);
- ``margin``: smallest gap between the two most probable classes;
- ``diversity``: greedy k-center in embedding space, seeded by the labelled set (Sener & Savarese 2018);
- ``hybrid``: the most uncertain ``HYBRID_POOL_FACTOR × n`` items, thinned to ``n`` by k-center;
- ``random``: the baseline every other strategy must beat.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from biofm.core.console import console
from biofm.core.errors import ConfigError
from biofm.core.io import atomic_path
from biofm.core.tables import spreadsheet_safe
from biofm.data.splits import load_splits
from biofm.data.tasks import Task
from biofm.modeling.adaptation import embed_all
from biofm.modeling.encoding import use_bf16
from biofm.modeling.loaded_run import LoadedRun, load_run

STRATEGIES = ("uncertainty", "margin", "diversity", "hybrid", "random")
HYBRID_POOL_FACTOR = 5  # hybrid thins the top 5n uncertain items: uncertain first, then spread out
MC_SAMPLES = 10  # dropout passes for the spread of regression outputs


@dataclass
class PoolScores:
    """What the model says about each pool item: how unsure, how close to a decision, how novel."""

    uncertainty: np.ndarray
    margin: np.ndarray  # higher = closer to the decision boundary (1 - gap between the top two)
    novelty: np.ndarray  # distance to the nearest labelled (training) item, unit-normalised embeddings
    embeddings: np.ndarray
    labelled_embeddings: np.ndarray
    outputs: np.ndarray


def uncertainty(task: Task, outputs: np.ndarray, spread: np.ndarray | None = None) -> np.ndarray:
    """Entropy of the class probabilities, scaled to [0, 1] (binary tasks: mean over tasks), or the
    mean MC-dropout spread for regression."""
    if task.mode == "regression":
        if spread is None:
            raise ConfigError("uncertainty of a regression model needs Monte-Carlo dropout spread")
        return spread.mean(axis=1)
    p = np.clip(outputs, 1e-12, 1.0)
    if task.mode == "multiclass":
        return -(p * np.log(p)).sum(axis=1) / np.log(max(p.shape[1], 2))
    q = np.clip(1 - outputs, 1e-12, 1.0)
    return (-(p * np.log2(p)) - q * np.log2(q)).mean(axis=1)


def margin(task: Task, outputs: np.ndarray, spread: np.ndarray | None = None) -> np.ndarray:
    """1 − (top-1 − top-2 probability); for binary tasks 1 − |2p − 1|; regression falls back to spread."""
    if task.mode == "regression":
        return uncertainty(task, outputs, spread)
    if task.mode == "multiclass":
        top = np.sort(outputs, axis=1)
        return 1 - (top[:, -1] - top[:, -2])
    return (1 - np.abs(2 * outputs - 1)).mean(axis=1)


def k_center(embeddings: np.ndarray, anchors: np.ndarray, n: int, candidates: np.ndarray | None = None) -> list[int]:
    """Greedy k-center: repeatedly take the candidate farthest from everything already chosen or labelled."""
    candidates = np.arange(len(embeddings)) if candidates is None else np.asarray(candidates)
    points = embeddings[candidates]
    nearest = nearest_distance(points, anchors)
    chosen: list[int] = []
    for _ in range(min(n, len(points))):
        best = int(np.argmax(nearest))
        chosen.append(int(candidates[best]))
        nearest = np.minimum(nearest, _distances(points, points[best : best + 1]))
        nearest[best] = -np.inf
    return chosen


def nearest_distance(points: np.ndarray, anchors: np.ndarray) -> np.ndarray:
    """Distance from each point to its nearest anchor (inf without anchors), in memory-bounded chunks."""
    if not len(anchors):
        return np.full(len(points), np.inf)
    chunks = np.array_split(anchors, max(1, len(anchors) // 2048))
    return np.min([_distances(points, chunk) for chunk in chunks], axis=0)


def _distances(points: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Euclidean distance from each point to its nearest row of ``others``."""
    squared = (points**2).sum(1)[:, None] - 2 * points @ others.T + (others**2).sum(1)[None, :]
    return np.sqrt(np.clip(squared, 0, None)).min(axis=1)


def check_strategy(strategy: str) -> None:
    """Fail before any work when ``strategy`` is not one ``suggest`` knows."""
    if strategy not in STRATEGIES:
        raise ConfigError(f"--strategy: expected one of {', '.join(STRATEGIES)}, got {strategy!r}")


def random_pick(size: int, n: int, seed: int) -> list[int]:
    """The baseline: ``n`` of ``size`` items, seeded, needing no model scores."""
    return [int(i) for i in np.random.default_rng(seed).choice(size, min(n, size), replace=False)]


def select(strategy: str, n: int, scores: PoolScores, seed: int = 0) -> list[int]:
    """Indices of the ``n`` pool items ``strategy`` would label next, best first."""
    check_strategy(strategy)
    size = len(scores.uncertainty)
    n = min(n, size)
    if strategy == "random":
        return random_pick(size, n, seed)
    if strategy in ("uncertainty", "margin"):
        values = scores.uncertainty if strategy == "uncertainty" else scores.margin
        return [int(i) for i in np.argsort(-values, kind="stable")[:n]]
    candidates = None
    if strategy == "hybrid":
        candidates = np.argsort(-scores.uncertainty, kind="stable")[: HYBRID_POOL_FACTOR * n]
    return k_center(scores.embeddings, scores.labelled_embeddings, n, candidates)


def score_pool(run: LoadedRun, pool: list[str], labelled: list[str], mc_samples: int = 0) -> PoolScores:
    """Model outputs, uncertainty, margin and embedding novelty of every pool item."""
    spread = None
    if run.task.mode == "regression":
        outputs, spread = run.outputs_with_spread(pool, mc_samples or MC_SAMPLES)
    else:
        outputs = run.outputs(pool)
    embeddings = embed(run, pool)
    anchors = embed(run, labelled) if labelled else np.zeros((0, embeddings.shape[1]), dtype=embeddings.dtype)
    return PoolScores(uncertainty(run.task, outputs, spread), margin(run.task, outputs, spread),
                      nearest_distance(embeddings, anchors),
                      embeddings, anchors, outputs)


def embed(run: LoadedRun, inputs: list[str]) -> np.ndarray:
    """Unit-length pooled encoder embeddings, so distances compare directions, not magnitudes."""
    texts = [run.modality.tokenizer_text(x, run.config.model.tokenizer) for x in inputs]
    vectors = embed_all(run.model, texts, run.tokenizer, run.config.model.max_length,
                        use_bf16(run.config.train.precision)).numpy()
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def suggest(run_dir: str | Path, pool_path: str | Path, n: int, output: str | Path, strategy: str = "hybrid",
            seed: int = 0, skip_invalid: bool = True) -> pd.DataFrame:
    """Rank the unlabelled items of ``pool_path`` to label next and write them, with reasons, to ``output``.

    The run's own training set counts as labelled (diversity is measured against it).  Invalid pool
    rows are skipped and counted (``skip_invalid=False`` makes them an error instead).
    """
    check_strategy(strategy)
    if n < 1:
        raise ConfigError(f"--n: must be at least 1, got {n}")
    run = load_run(run_dir)
    if not hasattr(run.model, "embed"):
        raise ConfigError("suggest needs the PyTorch model (it uses the encoder's embeddings)")
    records = run.read(pool_path, with_labels=False, skip_invalid=skip_invalid)
    if len(records) == 0:
        raise ConfigError(f"{pool_path}: no valid items to rank")
    labelled = load_splits(run.config.data, run.modality).train.inputs
    console.print(f"scoring {len(records)} pool items against {len(labelled)} labelled ones ({strategy}) …")
    scores = score_pool(run, records.inputs, labelled)
    chosen = select(strategy, n, scores, seed)
    frame = _suggestion_frame(run.task, records, scores, chosen, strategy)
    with atomic_path(Path(output)) as tmp:
        spreadsheet_safe(frame).to_csv(tmp, index=False)
    if records.skipped:
        console.print(f"[yellow]warning:[/] skipped {len(records.skipped)} invalid pool row(s): "
                      + "; ".join(f"row {s.row}: {s.reason}" for s in records.skipped[:5]))
    return frame


def _suggestion_frame(task: Task, records, scores: PoolScores, chosen: list[int], strategy: str) -> pd.DataFrame:
    frame = pd.DataFrame({"rank": np.arange(1, len(chosen) + 1), "row": [records.rows[i] for i in chosen],
                          "input": [records.inputs[i] for i in chosen]})
    for j, name in enumerate(task.output_names()):
        frame[name] = np.round(scores.outputs[chosen, j], 4)
    frame["uncertainty"] = np.round(scores.uncertainty[chosen], 4)
    frame["margin"] = np.round(scores.margin[chosen], 4)
    frame["novelty"] = np.round(np.where(np.isfinite(scores.novelty), scores.novelty, np.nan)[chosen], 4)
    high_novelty = np.quantile(scores.novelty, 0.9)  # inf (never "unlike") when nothing is labelled
    high_uncertainty = np.quantile(scores.uncertainty, 0.9)
    frame["reason"] = [_reason(strategy, scores.uncertainty[i], scores.novelty[i], high_uncertainty, high_novelty)
                       for i in chosen]
    return frame


def _reason(strategy: str, unsure: float, novelty: float, high_unsure: float, high_novelty: float) -> str:
    parts = []
    if unsure >= high_unsure:
        parts.append(f"model unsure (uncertainty {unsure:.2f}, top 10 % of the pool)")
    if novelty >= high_novelty:
        parts.append(f"unlike the labelled data (distance {novelty:.2f}, top 10 % of the pool)")
    if not parts:
        parts.append("random pick (baseline)" if strategy == "random" else "adds variety to the batch")
    return "; ".join(parts)
