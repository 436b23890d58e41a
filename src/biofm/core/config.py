"""Typed run configuration: YAML in, YAML out, ``--set a.b=value`` overrides in between.

Why hand-rolled dataclasses rather than a config framework: the whole schema is four small
classes, and a wrong key or type must fail with a message that names the key
(``train.epochs: expected an integer, got 'three'``) before any work starts.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from biofm.core.errors import ConfigError
from biofm.core.yaml_safe import apply_overrides, read_yaml

SPLIT_NAMES = ("random", "stratified", "scaffold", "region", "group")
ADAPTATIONS = ("full", "lora", "probe")
TRACKERS = ("none", "tensorboard", "mlflow")
FEDERATED_PARTITIONS = ("iid", "label", "group")


@dataclass
class DataConfig:
    """Where the data comes from and how it is split; a bundled ``dataset``'s defaults yield to any field set here."""

    dataset: str | None = None  # a bundled dataset (biofm datasets list); fills files, columns and task
    train: str | None = None  # the labelled file; split three ways unless val/test are given
    val: str | None = None  # a given validation file (else carved from train by data.split)
    test: str | None = None  # a given test file (else carved from train by data.split)
    input_column: str | None = None  # None: the modality's default (e.g. "smiles")
    label_columns: list[str] = field(default_factory=list)  # what is predicted; several: multi-task
    task: str | None = None  # "classification" | "regression"
    split: str | None = None  # "scaffold" | "random" | "stratified"; None: modality default
    split_sizes: list[float] = field(default_factory=lambda: [0.8, 0.1, 0.1])  # train, val, test fractions
    split_seed: int | None = 0  # seeds random/balanced-group splits; null: deterministic largest-first scaffold split
    skip_invalid: bool = False  # skip unparseable rows (counted in metrics.json) instead of failing
    # other columns carried into predictions.csv; clinical text carries none unless named here (they may hold PHI)
    keep_columns: list[str] = field(default_factory=list)
    # columns whose groups (sex, site, series …) get their own test metrics in metrics.json and the report
    group_columns: list[str] = field(default_factory=list)
    augment: bool = False  # modality augmentation during training (e.g. randomised SMILES, reverse complement)
    tta: bool = False  # average predictions over the modality's views (DNA: both strands; molecules: atom orders)
    window: int | None = None  # predict longer inputs as windows of this many characters (DNA: bases)
    window_stride: int | None = None  # None: half a window
    window_aggregate: str = "mean"  # "mean" | "max" over an input's windows

    def __post_init__(self) -> None:
        if self.split not in (None, *SPLIT_NAMES):
            raise ConfigError(f"data.split: unknown split {self.split!r} (known: {', '.join(SPLIT_NAMES)})")
        if self.window_aggregate not in ("mean", "max"):
            raise ConfigError(f"data.window_aggregate: expected 'mean' or 'max', got {self.window_aggregate!r}")
        if self.window is not None and (self.window < 1 or (self.window_stride or 1) < 1):
            raise ConfigError("data.window and data.window_stride must be positive")
        if self.task not in (None, "classification", "regression"):
            raise ConfigError(f"data.task: expected 'classification' or 'regression', got {self.task!r}")
        if len(self.split_sizes) != 3 or abs(sum(self.split_sizes) - 1) > 1e-6:
            raise ConfigError(f"data.split_sizes: expected three fractions summing to 1, got {self.split_sizes}")
        if any(s < 0 for s in self.split_sizes):
            raise ConfigError(f"data.split_sizes: fractions must be >= 0, got {self.split_sizes}")
        if self.split_seed is not None and self.split_seed < 0:
            raise ConfigError(f"data.split_seed: must be >= 0 (or null), got {self.split_seed}")
        repeated = sorted({c for c in self.label_columns if self.label_columns.count(c) > 1})
        if repeated:
            raise ConfigError(f"data.label_columns: {', '.join(map(repr, repeated))} listed twice")


@dataclass
class ModelConfig:
    """Which encoder: a size preset trained from scratch, or a pretrained checkpoint."""

    preset: str = "small"  # see biofm.modeling.model.PRESETS
    pretrained: str | None = None  # local path or hub id; when set, preset is ignored
    max_length: int = 128  # longer inputs are truncated, and the count is reported
    dropout: float = 0.1  # before the head, and inside a preset encoder (a pretrained one keeps its own)
    pooling: str = "mean"  # "mean" over tokens, or "cls" (the first token)
    tokenizer: str | None = None  # modality-specific; DNA: kmer6 (overlapping), kmer6-disjoint, nucleotide
    adaptation: str = "full"  # "full" fine-tuning, "lora" adapters (peft), or "probe" (frozen encoder, head only)
    lora_rank: int = 8  # LoRA: rank of each adapter
    lora_alpha: int = 16  # LoRA: scaling (alpha / rank multiplies the adapter output)
    # module names inside the encoder; empty: the attention's query and value projections, found per architecture
    lora_targets: list[str] = field(default_factory=list)
    lora_merge: bool = False  # fold the adapters into the weights when saving (a plain model; no base needed)
    # the modality's whole-input features concatenated to the pooled embedding (molecules: rdkit2d, ecfp4)
    extra_features: list[str] = field(default_factory=list)
    head_width: int | None = None  # the head's hidden layer; None: the encoder's width
    trust_remote_code: bool = False  # run a checkpoint's own Python files (auto_map: DNABERT-2, MoLFormer …)
    allow_pickle: bool = False  # load pickle (.bin) weights when a checkpoint has no safetensors (pickle runs code)

    def __post_init__(self) -> None:
        if self.adaptation not in ADAPTATIONS:
            raise ConfigError(f"model.adaptation: expected one of {', '.join(ADAPTATIONS)}, got {self.adaptation!r}")
        if self.adaptation == "lora" and self.lora_rank < 1:
            raise ConfigError(f"model.lora_rank: must be at least 1, got {self.lora_rank}")
        if self.max_length < 8:
            raise ConfigError(f"model.max_length: must be at least 8, got {self.max_length}")
        if not 0 <= self.dropout < 1:
            raise ConfigError(f"model.dropout: must be in [0, 1), got {self.dropout}")
        if self.head_width is not None and self.head_width < 1:
            raise ConfigError(f"model.head_width: must be at least 1, got {self.head_width} (null: encoder's width)")


@dataclass
class TrainConfig:
    """Optimisation settings; defaults chosen on validation splits, never on test."""

    epochs: int = 30  # at most; early stopping (patience) usually ends sooner
    batch_size: int = 32  # examples per optimiser step
    learning_rate: float = 3e-4  # peak AdamW rate, after linear warm-up, then linear decay
    # the task head's own rate; None: learning_rate.  A head for many classes starts random while the
    # encoder starts pretrained, so it can need a far larger step than the encoder tolerates.
    head_learning_rate: float | None = None
    weight_decay: float = 0.01  # AdamW decoupled weight decay
    warmup_ratio: float = 0.06  # share of the steps the learning rate warms up over
    patience: int = 6  # epochs without validation improvement before stopping
    seed: int = 0  # initialisation, batch order and augmentation (the split has data.split_seed)
    precision: str = "auto"  # "auto" (bf16 where the CPU/GPU supports it) | "bf16" | "fp32"
    threads: int | None = None  # torch intra-op threads; None: all cores
    track: str = "none"  # experiment tracking: "tensorboard" (run/tensorboard/) or "mlflow" (run/mlruns/)
    dp_epsilon: float | None = None  # differential privacy (DP-SGD on the head of a probe): ε budget; None: off
    dp_delta: float | None = None  # None: min(1e-5, 1 / (10 × training examples))
    dp_max_grad_norm: float = 1.0  # per-example gradient clipping bound
    # domain adaptation: this many steps of continued pretraining on the training inputs (no labels) first
    adapt_steps: int = 0
    adapt_objective: str = "mlm"  # mlm | mtr | mlm+mtr (see PretrainSchedule.objective)
    adapt_learning_rate: float = 1e-4  # peak rate of the domain-adaptation steps
    ensemble: int = 1  # members trained from seeds seed, seed+1, …; their mean predicts, their spread is uncertainty

    def __post_init__(self) -> None:
        if self.track not in TRACKERS:
            raise ConfigError(f"train.track: expected one of {', '.join(TRACKERS)}, got {self.track!r}")
        if self.precision not in ("auto", "bf16", "fp32"):
            raise ConfigError(f"train.precision: expected auto, bf16 or fp32, got {self.precision!r}")
        if self.adapt_steps < 0:
            raise ConfigError(f"train.adapt_steps: must be >= 0, got {self.adapt_steps}")
        if not 1 <= self.ensemble <= 32:
            raise ConfigError(f"train.ensemble: must be from 1 to 32 members, got {self.ensemble}")
        for name in ("epochs", "batch_size", "patience"):
            if getattr(self, name) < 1:
                raise ConfigError(f"train.{name}: must be at least 1, got {getattr(self, name)}")
        for name in ("learning_rate", "head_learning_rate", "dp_epsilon", "dp_delta", "dp_max_grad_norm",
                     "adapt_learning_rate"):
            if getattr(self, name) is not None and getattr(self, name) <= 0:
                raise ConfigError(f"train.{name}: must be positive, got {getattr(self, name)}")
        if not 0 <= self.warmup_ratio < 1:
            raise ConfigError(f"train.warmup_ratio: must be in [0, 1), got {self.warmup_ratio}")
        if self.weight_decay < 0:
            raise ConfigError(f"train.weight_decay: must be >= 0, got {self.weight_decay}")
        if not 0 <= self.seed < 2**32:
            raise ConfigError(f"train.seed: must be from 0 to 2**32 - 1, got {self.seed}")
        if self.threads is not None and self.threads < 1:
            raise ConfigError(f"train.threads: must be at least 1 (or null: all cores), got {self.threads}")


class YamlConfig:
    """YAML in, typed dataclass out: shared by run and pretraining configs."""

    @classmethod
    def from_dict(cls, raw: dict[str, Any]):
        return _build(cls, raw, prefix="")

    @classmethod
    def from_file(cls, path: str | Path, overrides: list[str] | None = None):
        """Load YAML, apply ``key.path=value`` overrides, validate."""
        path = Path(path)
        raw = read_yaml(path, "config file") or {}
        if not isinstance(raw, dict):
            raise ConfigError(f"{path}: expected a mapping at the top level, got {type(raw).__name__}")
        try:
            return cls.from_dict(apply_overrides(raw, overrides or []))
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}") from None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class SelfTrainingConfig:
    """Semi-supervised fine-tuning by pseudo-labelling (off unless ``unlabelled`` names a file).

    A teacher trained on the labelled data labels the pool; only items it is sure of (mean probability
    ≥ ``threshold``) *and* consistent about across ``views`` random augmentations (randomised SMILES,
    reverse complement, word dropout) join the student's training set.
    """

    unlabelled: str | None = None  # a file with the same input column; labels in it are ignored
    threshold: float = 0.9  # least mean probability for a pseudo-label to be kept
    views: int = 4  # augmented copies of each pool item that must agree with the original

    def __post_init__(self) -> None:
        if not 0.5 <= self.threshold < 1:
            raise ConfigError(f"self_training.threshold: must be in [0.5, 1), got {self.threshold}")
        if self.views < 0:
            raise ConfigError(f"self_training.views: must be at least 0, got {self.views}")


@dataclass
class FederatedConfig:
    """Federated fine-tuning with Flower (``biofm federate``): sites train locally, a server averages.

    The simulation splits the training part into ``sites`` partitions: ``iid``; ``label`` skew (each
    class shared out by Dirichlet(``label_skew``) proportions: smaller is more skewed, as when one
    hospital sees mostly positives); or ``group`` (scaffold/region groups never shared between sites).
    """

    sites: int = 3  # simulated hospitals / labs, each with its own partition
    partition: str = "label"  # "iid" | "label" | "group"
    label_skew: float = 0.5  # Dirichlet concentration α of the label partition
    rounds: int = 10  # server rounds: sites train, the server averages
    local_epochs: int = 1  # epochs each site trains per round
    clients_per_round: int | None = None  # None: every site every round
    strategy: str = "fedavg"  # "fedavg" | "fedprox" (a proximal term keeps local weights near the global ones)
    proximal_mu: float = 0.01  # fedprox: weight of the proximal term
    round_timeout: float = 1800.0  # seconds a round waits for its sites

    def __post_init__(self) -> None:
        if self.partition not in FEDERATED_PARTITIONS:
            raise ConfigError(f"federated.partition: expected one of {', '.join(FEDERATED_PARTITIONS)}, "
                              f"got {self.partition!r}")
        if self.strategy not in ("fedavg", "fedprox"):
            raise ConfigError(f"federated.strategy: expected fedavg or fedprox, got {self.strategy!r}")
        for name in ("sites", "rounds", "local_epochs"):
            if getattr(self, name) < 1:
                raise ConfigError(f"federated.{name}: must be at least 1, got {getattr(self, name)}")
        if self.clients_per_round is not None and not 1 <= self.clients_per_round <= self.sites:
            raise ConfigError(f"federated.clients_per_round: must be between 1 and sites ({self.sites}), "
                              f"got {self.clients_per_round}")
        for name in ("label_skew", "round_timeout"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"federated.{name}: must be positive, got {getattr(self, name)}")
        if self.proximal_mu < 0:
            raise ConfigError(f"federated.proximal_mu: must be >= 0, got {self.proximal_mu}")


@dataclass
class RunConfig(YamlConfig):
    """Everything a training run needs; ``config.yaml`` in a run folder is this, resolved."""

    modality: str | None = None  # None: taken from data.dataset
    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    train: TrainConfig = field(default_factory=TrainConfig)
    # fit the modality's classical baselines on the same split and keep the best on validation;
    # a key pins one (e.g. rdkit2d_rf: see each modality's ``baselines``); false: none
    baseline: bool | str = True
    explain_examples: int = 3  # test inputs explained (Integrated Gradients) for report.html; 0: none
    self_training: SelfTrainingConfig = field(default_factory=SelfTrainingConfig)
    federated: FederatedConfig = field(default_factory=FederatedConfig)  # used by `biofm federate` only

    def __post_init__(self) -> None:
        if self.explain_examples < 0:
            raise ConfigError(f"explain_examples: must be >= 0, got {self.explain_examples}")


@dataclass
class CorpusConfig:
    """Unlabelled data for masked-LM pretraining, streamed so it may be far larger than memory.

    ``files`` (and ``exclude``): CSV/TSV (one item per row, ``input_column``), text (one item per line) or FASTA
    (records cut into ``window``-character pieces); gzip allowed; ``pkg:NAME/path`` is inside a package.
    """

    files: list[str] = field(default_factory=list)
    input_column: str | None = None  # None: the modality's default column, else the first column
    window: int | None = None  # FASTA: piece length in characters; None: whole records
    val_fraction: float = 0.01  # held out by a stable hash of the item (or genome block), never trained on
    max_val: int = 2000  # validation items kept (read from the start of the stream)
    vocab_sample: int = 200_000  # items read to build a from-scratch vocabulary
    shuffle_buffer: int = 20_000  # items shuffled together while streaming
    augment: bool = False  # modality augmentation (randomised SMILES, reverse complement)
    description: str | None = None  # what the corpus is, for the model card
    licence: str | None = None  # the corpus's licence, for the model card
    max_items: int | None = None  # train on the first N training items only (each pass reads them again)
    # MTR targets computed once, kept here (SQLite); None: beside the first corpus file, or in the run
    # folder where that one cannot be written
    feature_cache: str | None = None
    exclude: list[str] = field(default_factory=list)  # files of items kept out (a benchmark's test molecules)

    def __post_init__(self) -> None:
        if not 0 < self.val_fraction < 0.5:
            raise ConfigError(f"corpus.val_fraction: must be in (0, 0.5), got {self.val_fraction}")
        if self.window is not None and self.window < 8:
            raise ConfigError(f"corpus.window: must be at least 8, got {self.window}")
        for name in ("max_val", "vocab_sample", "shuffle_buffer", "max_items"):
            if getattr(self, name) is not None and getattr(self, name) < 1:
                raise ConfigError(f"corpus.{name}: must be at least 1, got {getattr(self, name)}")


@dataclass
class PretrainSchedule:
    """Optimisation for masked-LM pretraining, counted in steps (a corpus may never be seen whole)."""

    steps: int = 10_000
    batch_size: int = 64
    learning_rate: float = 5e-4
    weight_decay: float = 0.01
    warmup_ratio: float = 0.05
    mask_probability: float = 0.15
    # "mlm" (masked tokens), "mtr" (regress the modality's descriptors, e.g. ~210 RDKit 2D) or "mlm+mtr"
    objective: str = "mlm"
    mtr_weight: float = 1.0  # the descriptor loss's weight beside the masked-LM loss (mlm+mtr)
    # first steps that train the masked-LM head alone (encoder frozen): a checkpoint shipped without one
    # (sentence encoders such as all-MiniLM) gets a head before that head's random gradients move the encoder
    head_steps: int = 0
    eval_every: int = 500  # steps between validation passes (masked-token loss and accuracy)
    save_every: int = 500  # steps between checkpoints (a killed run resumes from the last one)
    seed: int = 0
    precision: str = "auto"
    threads: int | None = None

    def __post_init__(self) -> None:
        TrainConfig(precision=self.precision, learning_rate=self.learning_rate, warmup_ratio=self.warmup_ratio,
                    weight_decay=self.weight_decay, seed=self.seed, threads=self.threads)
        for name in ("steps", "batch_size", "eval_every", "save_every"):
            if getattr(self, name) < 1:
                raise ConfigError(f"train.{name}: must be at least 1, got {getattr(self, name)}")
        if self.mtr_weight <= 0:
            raise ConfigError(f"train.mtr_weight: must be positive, got {self.mtr_weight}")
        if not 0 <= self.head_steps < self.steps:
            raise ConfigError(f"train.head_steps: must be in [0, train.steps={self.steps}), got {self.head_steps}")
        if not 0 < self.mask_probability < 1:
            raise ConfigError(f"train.mask_probability: must be in (0, 1), got {self.mask_probability}")


@dataclass
class PretrainConfig(YamlConfig):
    """A masked-LM pretraining run: corpus, encoder (preset, or a checkpoint to continue) and schedule."""

    modality: str | None = None
    corpus: CorpusConfig = field(default_factory=CorpusConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    train: PretrainSchedule = field(default_factory=PretrainSchedule)

    def __post_init__(self) -> None:
        if self.modality is None:
            raise ConfigError("modality: required for pretraining (e.g. molecule, dna)")
        if not self.corpus.files:
            raise ConfigError("corpus.files: list at least one unlabelled data file")


def _build(cls: type, raw: Any, prefix: str) -> Any:
    if not isinstance(raw, dict):
        raise ConfigError(f"{prefix.rstrip('.') or 'config'}: expected a mapping, got {raw!r}")
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(f"unknown config key {prefix + unknown[0]!r} (known: {', '.join(sorted(known))})")
    values = {name: _coerce(value, hints[name], f"{prefix}{name}") for name, value in raw.items()}
    return cls(**values)


def _coerce(value: Any, hint: Any, key: str) -> Any:
    """Check ``value`` against a field's type hint; the error names the key."""
    if dataclasses.is_dataclass(hint):
        return _build(hint, value if value is not None else {}, f"{key}.")
    args = typing.get_args(hint)
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        if value is None and type(None) in args:
            return None
        options = [a for a in args if a is not type(None)]
        for option in options[:-1]:  # the first type the value fits (``bool | str``: true, or a key)
            with contextlib.suppress(ConfigError):
                return _coerce(value, option, key)
        return _coerce(value, options[-1], key)
    if typing.get_origin(hint) is list:
        if not isinstance(value, list):
            value = [value] if isinstance(value, str | int | float) else value
        if not isinstance(value, list):
            raise ConfigError(f"{key}: expected a list, got {value!r}")
        return [_coerce(v, args[0], f"{key}[{i}]") for i, v in enumerate(value)]
    return _scalar(value, hint, key)


def _scalar(value: Any, hint: type, key: str) -> Any:
    if hint is float and isinstance(value, str):  # YAML 1.1 reads "5e-4" (no dot) as a string
        with contextlib.suppress(ValueError):
            value = float(value)
    if hint is float and isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(f"{key}: expected a finite number, got {value!r}")
    expected = {bool: "true or false", int: "an integer", float: "a number", str: "a string"}[hint]
    ok = (
        (hint is bool and isinstance(value, bool))
        or (hint is int and isinstance(value, int) and not isinstance(value, bool))
        or (hint is float and isinstance(value, int | float) and not isinstance(value, bool))
        or (hint is str and isinstance(value, str))
    )
    if not ok:
        raise ConfigError(f"{key}: expected {expected}, got {value!r}")
    return float(value) if hint is float else value
