"""biofm: adapt BERT-style foundation models to molecules, DNA and clinical text.

Public API (the CLI wraps exactly these)::

    from biofm import RunConfig, train, evaluate, predict, load_run
    result = train(RunConfig.from_file("configs/b3db.yaml"), "runs/b3db")
    predict("runs/b3db", "drugs.csv", "drugs_predictions.csv")
"""

from biofm.core.config import DataConfig, ModelConfig, RunConfig, TrainConfig
from biofm.core.errors import BiofmError, ConfigError, DataError, RunFolderError
from biofm.data.datasets import catalog, get_dataset
from biofm.modeling.loaded_run import load_run
from biofm.training.finetune import TrainResult
from biofm.training.train import resume, train
from biofm.use.predict import evaluate, predict

__version__ = "0.1.0"
__all__ = [
    "BiofmError", "ConfigError", "DataConfig", "DataError", "ModelConfig", "RunConfig", "RunFolderError",
    "TrainConfig", "TrainResult", "catalog", "evaluate", "get_dataset", "load_run", "predict", "resume", "train",
]
