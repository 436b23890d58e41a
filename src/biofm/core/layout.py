"""Every file and folder name inside a run folder (and a pretrained checkpoint), in one place.

A run folder is biofm's only state: every command reads or writes one, so the names below are the
contract between them.  Written by ``biofm train`` (and ``federate``), in the order a run fills it:

===========================  ==============================================================
``state.json``               status (running / failed / complete) + run format version
``run.lock``                 the pid of the process writing the folder (removed after)
``config.yaml``              the resolved config + provenance (versions, git, data hashes)
``checkpoints/``             Trainer checkpoints while training (ensemble: ``member-K/`` + finished
                             ``member-K.safetensors``); removed when complete
``encoder/``                 the encoder's HuggingFace ``config.json``
``head.json``                task head: outputs, mode, pooling, adaptation, LoRA base
``features.json``            extra features beside the embedding: names + train statistics
``model.safetensors``        weights (a LoRA run: the head only; adapters in ``adapter/``)
``adapter/``                 LoRA adapters (peft), pointing at their base checkpoint
``tokenizer/``               the HuggingFace tokenizer
``labels.json``              the task: columns, classes or target scaling
``splits.json``              which source rows went to train / val / test
``predictions.csv``          test-set predictions
``metrics.json``             val/test metrics, baseline, data summary, timings
``domain.npz``               training-set features for the applicability domain
``baseline.skops``           the classical baseline chosen on validation, fitted (skops, not pickle)
``explanations/``            explained test examples (``explanations.jsonl``, pictures)
``history.json``             the Trainer's log history (learning curves)
``report.html``              the self-contained report
===========================  ==============================================================

Written later by other commands: ``calibration.json`` (calibrate), ``export/`` (export),
``evaluations/`` (evaluate).  Add-ons keep their own sub-folder: ``teacher/`` and
``self_training/`` (self-training), ``federated/`` (federated runs), ``adapted/`` and
``adapted_data/`` (domain adaptation, ``train.adapt_steps``).  A pretraining run writes the
HuggingFace layout at its top plus ``biofm.json``, ``metrics.json``, ``history.json``, a
model card (``README.md``) and, for MTR from a read-only corpus, its descriptor cache.

``--overwrite`` deletes a folder only when its ``state.json`` carries biofm's marker and every entry
in it is one of the names below (``written_by_biofm``): a user's own file beside a run survives.
"""

STATE = "state.json"
LOCK = "run.lock"
CONFIG = "config.yaml"
CHECKPOINTS = "checkpoints"
ENCODER = "encoder"
HEAD = "head.json"
FEATURES = "features.json"  # model.extra_features: which sets, and their training-set mean / scale
WEIGHTS = "model.safetensors"
ADAPTER = "adapter"
TOKENIZER = "tokenizer"
LABELS = "labels.json"
SPLITS = "splits.json"
PREDICTIONS = "predictions.csv"
METRICS = "metrics.json"
DOMAIN = "domain.npz"
BASELINE = "baseline.skops"  # the chosen classical baseline, fitted (skops: no pickle)
EXPLANATIONS = "explanations"
EXPLANATIONS_FILE = "explanations.jsonl"  # one JSON explanation per line, inside any explanations folder
HISTORY = "history.json"
REPORT = "report.html"
CALIBRATION = "calibration.json"
EXPORT = "export"
PARITY = "parity.json"  # inside export/: exported engines against PyTorch on validation
EVALUATIONS = "evaluations"
CHECKPOINT_INFO = "biofm.json"  # a biofm-pretrained checkpoint: modality + tokenizer spec
MODEL_CARD = "README.md"
FEATURE_CACHE = "features.sqlite"  # MTR pretraining: descriptor targets, when the corpus folder is read-only
LOSS_CURVE = "loss_curve.png"  # the model card's picture
ADAPTED = "adapted"  # train.adapt_steps: the checkpoint pretrained further on the training inputs
ADAPT_DATA = "adapted_data"  # … and the training inputs it read (plus MTR's descriptor cache)
ADD_ONS = ("teacher", "self_training", "federated", "tensorboard", "mlruns", ADAPTED, ADAPT_DATA)
# what `save_pretrained` writes at the top of a pretraining run (model and tokenizer)
HF_FILES = ("config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "vocab.txt", "vocab.json", "merges.txt", "added_tokens.json")
WRITTEN = (STATE, LOCK, CONFIG, CHECKPOINTS, ENCODER, HEAD, FEATURES, WEIGHTS, ADAPTER, TOKENIZER, LABELS, SPLITS,
           PREDICTIONS, METRICS, DOMAIN, BASELINE, EXPLANATIONS, HISTORY, REPORT, CALIBRATION, EXPORT, EVALUATIONS,
           CHECKPOINT_INFO, MODEL_CARD, FEATURE_CACHE, LOSS_CURVE, *ADD_ONS, *HF_FILES)


def written_by_biofm(name: str) -> bool:
    """Whether a top-level entry of a run folder is one biofm writes (or its atomic-write temporary),
    so ``--overwrite`` can refuse to delete anything else."""
    return name in WRITTEN or name == ".saving" or (name.startswith(".") and ".tmp-" in name)
