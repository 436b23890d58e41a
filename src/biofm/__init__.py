"""biofm: adapt BERT-style foundation models to molecules, DNA and clinical text.

Public API (the CLI wraps exactly these)::

    from biofm import RunConfig, train, evaluate, predict, load_run
    result = train(RunConfig.from_file("configs/b3db.yaml"), "runs/b3db")
    predict("runs/b3db", "drugs.csv", "drugs_predictions.csv")
"""

from biofm.config import DataConfig, ModelConfig, RunConfig, TrainConfig
from biofm.datasets import catalog, get_dataset
from biofm.errors import BiofmError, ConfigError, DataError, RunFolderError
from biofm.predict import evaluate, load_run, predict
from biofm.train import TrainResult, resume, train

__version__ = "0.1.0"
__all__ = [
    "BiofmError", "ConfigError", "DataConfig", "DataError", "ModelConfig", "RunConfig", "RunFolderError",
    "TrainConfig", "TrainResult", "catalog", "evaluate", "get_dataset", "load_run", "predict", "resume", "train",
]
