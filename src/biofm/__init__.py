"""biofm: adapt BERT-style foundation models to molecules, DNA and clinical text.

Public API (the CLI wraps exactly these)::

    from biofm import RunConfig, train, evaluate, predict, load_run
    result = train(RunConfig.from_file("configs/b3db.yaml"), "runs/b3db")
    predict("runs/b3db", "drugs.csv", "drugs_predictions.csv")

    from biofm import infer_config, FineTuner, compare_runs
    train(infer_config("my_assay.csv", ["active"]).config, "runs/assay")   # biofm train FILE --label COL
    FineTuner(epochs=10).fit(frame, input="smiles", label="active").predict_proba(other_frame)
    compare_runs(["runs/assay", "runs/b3db"]).table                          # biofm compare
"""

import importlib

# Imported on first use (PEP 562): ``import biofm.core.config`` or a benchmark's worker process need not
# load torch, transformers, RDKit and FastAPI just to reach one module.
_HOMES = {
    "DataConfig": "biofm.core.config", "ModelConfig": "biofm.core.config", "RunConfig": "biofm.core.config",
    "TrainConfig": "biofm.core.config", "BiofmError": "biofm.core.errors", "ConfigError": "biofm.core.errors",
    "DataError": "biofm.core.errors", "RunFolderError": "biofm.core.errors", "infer_config": "biofm.data.autoconfig",
    "catalog": "biofm.data.datasets", "get_dataset": "biofm.data.datasets", "load_run": "biofm.modeling.loaded_run",
    "TrainResult": "biofm.training.finetune", "resume": "biofm.training.train", "train": "biofm.training.train",
    "compare_runs": "biofm.use.compare", "FineTuner": "biofm.use.estimator", "evaluate": "biofm.use.predict",
    "predict": "biofm.use.predict",
}

__version__ = "0.1.0"
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> object:
    """A public name, imported from its home module the first time it is asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'biofm' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
