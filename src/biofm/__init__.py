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

from biofm.core.config import DataConfig, ModelConfig, RunConfig, TrainConfig
from biofm.core.errors import BiofmError, ConfigError, DataError, RunFolderError
from biofm.data.autoconfig import infer_config
from biofm.data.datasets import catalog, get_dataset
from biofm.modeling.loaded_run import load_run
from biofm.training.finetune import TrainResult
from biofm.training.train import resume, train
from biofm.use.compare import compare_runs
from biofm.use.estimator import FineTuner
from biofm.use.predict import evaluate, predict

__version__ = "0.1.0"
__all__ = [
    "BiofmError", "ConfigError", "DataConfig", "DataError", "FineTuner", "ModelConfig", "RunConfig", "RunFolderError",
    "TrainConfig", "TrainResult", "catalog", "compare_runs", "evaluate", "get_dataset", "infer_config", "load_run",
    "predict", "resume", "train",
]
