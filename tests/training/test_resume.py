"""A training process killed with SIGKILL resumes and ends where an uninterrupted run ends."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
import yaml

from biofm.core.errors import RunFolderError
from biofm.training.train import resume, train
from conftest import tiny_config, wait_for_checkpoint

SETTINGS = dict(train={"epochs": 4, "batch_size": 8, "learning_rate": 1e-3, "patience": 4, "threads": 1},
                model={"preset": "mini", "max_length": 96}, data={"augment": True})


@pytest.mark.slow  # ~20 s; `make test` keeps pretraining's SIGKILL-resume test (tests/training/test_pretrain.py)
def test_sigkill_then_resume_matches_uninterrupted(tmp_path):
    cfg = tiny_config(**SETTINGS)
    config_file = tmp_path / "c.yaml"
    config_file.write_text(yaml.safe_dump(cfg.to_dict()))
    killed = tmp_path / "killed"
    process = subprocess.Popen(
        [sys.executable, "-m", "biofm", "train", "--config", str(config_file), "--out", str(killed), "--no-baseline"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    wait_for_checkpoint(killed, process)
    time.sleep(0.4)  # into the next epoch
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert json.loads((killed / "state.json").read_text())["status"] == "running"
    assert not (killed / "metrics.json").exists()

    resumed = resume(killed).metrics
    uninterrupted = train(cfg, tmp_path / "straight", baseline=False).metrics
    assert resumed["epochs_run"] == uninterrupted["epochs_run"]
    for part in ("val", "test"):
        for key, value in uninterrupted[part].items():
            assert resumed[part][key] == pytest.approx(value, abs=1e-6), (part, key)


def test_resume_refuses_complete_runs_and_changed_data(trained_run, tmp_path, data_dir):
    with pytest.raises(RunFolderError, match="already complete"):
        resume(trained_run)
    data = tmp_path / "d.csv"
    data.write_text((data_dir / "bbb_small.csv").read_text())
    cfg = tiny_config(data)
    run = tmp_path / "run"
    train(cfg, run)
    (run / "state.json").write_text(json.dumps({"status": "failed", "format_version": 1}))
    data.write_text(data.read_text() + "CCO,1\n")
    with pytest.raises(RunFolderError, match="changed since the run started"):
        resume(run)
