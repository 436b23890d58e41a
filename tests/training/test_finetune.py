"""Integration: training must actually learn (overfit tiny data), and the run folder is complete."""

import json

import pandas as pd
import pytest

from biofm.core.errors import ConfigError, DataError
from biofm.modeling.loaded_run import load_run
from biofm.training.train import train
from biofm.use.predict import evaluate
from conftest import tiny_config, training_loss_ratio


@pytest.fixture(scope="module")
def thirty_two(tmp_path_factory, data_dir):
    frame = pd.read_csv(data_dir / "bbb_small.csv")
    frame = pd.concat([frame[frame.bbb_permeable == 1].head(16), frame[frame.bbb_permeable == 0].head(16)])
    path = tmp_path_factory.mktemp("d") / "32.csv"
    frame.to_csv(path, index=False)
    return path


def test_overfits_32_molecules(tmp_path, thirty_two):
    cfg = tiny_config(
        thirty_two,
        data={"val": str(thirty_two), "test": str(thirty_two)},
        model={"preset": "mini", "dropout": 0.0, "max_length": 96},
        train={"epochs": 30, "batch_size": 8, "learning_rate": 2e-3, "patience": 30, "warmup_ratio": 0.0},
    )
    result = train(cfg, tmp_path / "run")
    # The kept epoch is the best by the primary metric, ROC-AUC, so accuracy is not what it maximises: the old
    # `accuracy >= 0.9` (15 epochs at 3e-3) failed at 0.875 on another machine and at 0.81 here at seed 3.
    # Seeds 0-4 here, one torch thread (xdist) / two: ROC-AUC 1.0 every time; accuracy 0.844-1.0 / 0.938-1.0;
    # last epoch's training loss 0.001-0.136 / 0.000-0.003 of the first's (a model that learns nothing: ~0.8)
    metrics = result.metrics["test"]
    assert metrics["roc_auc"] >= 0.95 and metrics["accuracy"] >= 0.75, metrics
    assert training_loss_ratio(result.run_dir) < 0.3


def test_regression_overfits_with_missing_labels(tmp_path, data_dir):
    frame = pd.read_csv(data_dir / "solubility_small.csv").head(32)
    frame["copy"] = frame.log_solubility * 2
    frame.loc[::3, "copy"] = None  # gaps must be masked out of the loss
    path = tmp_path / "sol.csv"
    frame.to_csv(path, index=False)
    cfg = tiny_config(
        path,
        data={"val": str(path), "test": str(path), "label_columns": ["log_solubility", "copy"], "task": "regression"},
        model={"preset": "mini", "dropout": 0.0},
        train={"epochs": 20, "batch_size": 8, "learning_rate": 3e-3, "patience": 20, "warmup_ratio": 0.0},
    )
    result = train(cfg, tmp_path / "run")
    spread = frame.log_solubility.std()
    test = result.metrics["test"]  # seeds 0-4 at 15 epochs: R² 0.953-0.984, RMSE 0.15-0.24 of the spread
    assert test["r2"] > 0.8 and test["per_task"]["log_solubility"]["rmse"] < 0.5 * spread
    report = (result.run_dir / "report.html").read_text()
    assert 'alt="parity plot of log_solubility"' in report and 'alt="parity plot of copy"' in report


def test_run_folder_is_complete(trained_run):
    for name in ("config.yaml", "model.safetensors", "tokenizer/tokenizer.json", "labels.json",
                 "metrics.json", "predictions.csv", "splits.json", "state.json", "history.json", "report.html"):
        assert (trained_run / name).exists(), name
    metrics = json.loads((trained_run / "metrics.json").read_text())
    assert {"test", "val", "baseline", "data", "seconds"} <= set(metrics)
    assert metrics["baseline"]["test"]["roc_auc"] is not None
    assert not (trained_run / "checkpoints").exists()
    state = json.loads((trained_run / "state.json").read_text())
    assert state["status"] == "complete"
    report = (trained_run / "report.html").read_text()
    for figure in ("learning curves", "confusion matrix", "reliability diagram", "ROC and PR curves"):
        assert f'alt="{figure}' in report
    assert report.count("data:image/png;base64,") >= 4 and "ECFP4 counts + random forest" in report


def test_same_seed_same_metrics(tmp_path):
    a = train(tiny_config(), tmp_path / "a").metrics
    b = train(tiny_config(), tmp_path / "b").metrics
    assert a["test"] == b["test"] and a["val"] == b["val"]


def test_evaluate_matches_training_test_metrics(trained_run, data_dir):
    run = load_run(trained_run)
    test_rows = json.loads((trained_run / "splits.json").read_text())["test"]["rows"]
    frame = pd.read_csv(data_dir / "bbb_small.csv")
    subset = frame.iloc[[r - 2 for r in test_rows]]
    path = trained_run.parent / "test_only.csv"
    subset.to_csv(path, index=False)
    result = evaluate(trained_run, path)
    expected = json.loads((trained_run / "metrics.json").read_text())["test"]
    assert result["metrics"]["roc_auc"] == pytest.approx(expected["roc_auc"], abs=1e-6)
    assert run.task.classes == ["0", "1"]


def test_failed_run_is_marked(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("smiles,bbb_permeable\nCCO,1\nnot-smiles,0\n")
    with pytest.raises(DataError, match="row 3"):
        train(tiny_config(bad), tmp_path / "run")
    assert json.loads((tmp_path / "run" / "state.json").read_text())["status"] == "failed"


def test_fine_tuning_starts_from_a_local_pretrained_checkpoint(tmp_path, data_dir):
    """``model.pretrained`` loads encoder and tokenizer from a local folder (offline), and training
    really starts from those weights (the embedding matrix of the saved run moves away from them)."""
    from safetensors.torch import load_file
    from transformers import AutoModel

    from biofm.modalities import get_modality
    from biofm.modeling.model import preset_encoder

    tokenizer = get_modality("molecule").build_tokenizer(pd.read_csv(data_dir / "bbb_small.csv").smiles.tolist())
    encoder = preset_encoder("tiny", len(tokenizer), tokenizer.pad_token_id, dropout=0.0)
    checkpoint = tmp_path / "pretrained"
    encoder.save_pretrained(checkpoint)
    tokenizer.save_pretrained(checkpoint)
    original = AutoModel.from_pretrained(checkpoint).embeddings.word_embeddings.weight.detach().clone()

    result = train(tiny_config(model={"pretrained": str(checkpoint)}, train={"epochs": 1}), tmp_path / "run")
    tuned = load_file(result.run_dir / "model.safetensors")["encoder.embeddings.word_embeddings.weight"]
    untouched_rows = tuned[tokenizer.convert_tokens_to_ids("[MASK]")]  # never seen in fine-tuning: unchanged
    assert untouched_rows.allclose(original[tokenizer.convert_tokens_to_ids("[MASK]")], atol=1e-3)
    assert not tuned.allclose(original)  # the others were trained


def test_multitask_classification_with_gaps_overfits(tmp_path, thirty_two):
    """Tox21-shaped data: several binary columns, empty cells masked out of the loss."""
    frame = pd.read_csv(thirty_two)
    frame["second"] = 1 - frame.bbb_permeable
    frame.loc[::4, "second"] = None
    frame.loc[1::4, "bbb_permeable"] = None
    path = tmp_path / "tox.csv"
    frame.to_csv(path, index=False, float_format="%.0f")
    cfg = tiny_config(
        path,
        data={"val": str(path), "test": str(path), "label_columns": ["bbb_permeable", "second"]},
        model={"preset": "mini", "dropout": 0.0, "max_length": 96},
        train={"epochs": 30, "batch_size": 8, "learning_rate": 2e-3, "patience": 30, "warmup_ratio": 0.0},
    )
    result = train(cfg, tmp_path / "run")
    # seeds 0-4 here, one torch thread / two: ROC-AUC 0.951-1.0 / 0.984-1.0, loss ratio 0.001-0.274 / 0.002-0.112
    assert result.metrics["test"]["roc_auc"] >= 0.9, result.metrics["test"]
    assert training_loss_ratio(result.run_dir) < 0.5
    assert set(result.metrics["test"]["per_task"]) == {"bbb_permeable", "second"}
    report = (result.run_dir / "report.html").read_text()
    assert 'alt="ROC and PR curves, bbb_permeable"' in report and 'alt="ROC and PR curves, second"' in report


def test_tensorboard_tracking_writes_event_files_inside_the_run(tmp_path):
    pytest.importorskip("tensorboard")
    run = train(tiny_config(train={"epochs": 1, "track": "tensorboard"}), tmp_path / "tb").run_dir
    assert list((run / "tensorboard").rglob("events.out.tfevents.*"))


def test_missing_tracker_package_is_refused_before_any_work(tmp_path, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "mlflow" else real(name, *a))
    with pytest.raises(ConfigError, match="pip install mlflow"):
        train(tiny_config(train={"track": "mlflow"}), tmp_path / "ml")
    assert not (tmp_path / "ml").exists()


def test_head_learning_rate_applies_to_the_head_only(tmp_path):
    from transformers import TrainingArguments

    from biofm.modeling.model import Predictor, preset_encoder
    from biofm.training.trainer import HeadRateTrainer

    model = Predictor(preset_encoder("tiny", 40, 0, 0.1), 3, "multiclass", "mean", 0.1)
    args = TrainingArguments(output_dir=str(tmp_path), learning_rate=1e-4, weight_decay=0.01, use_cpu=True,
                             report_to="none")
    optimizer = HeadRateTrainer(model=model, args=args, head_learning_rate=3e-3).create_optimizer()
    head = {id(p) for p in model.head.parameters()}
    for group in optimizer.param_groups:
        in_head = {id(p) in head for p in group["params"]}
        assert len(in_head) == 1  # a group is all head or all encoder
        assert group["lr"] == (3e-3 if in_head == {True} else 1e-4)
    assert sum(len(g["params"]) for g in optimizer.param_groups) == len(list(model.parameters()))
