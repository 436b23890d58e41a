"""Two real processes under torchrun (gloo on CPU): both train, gradients are averaged, one folder is written."""

import json
import os
import subprocess
import sys

import pytest
import yaml


@pytest.mark.slow  # two torchrun processes, ~11 s
def test_torchrun_two_processes_share_one_run(tmp_path, data_dir):
    config = tmp_path / "tiny.yaml"
    config.write_text(yaml.safe_dump({
        "modality": "molecule",
        "data": {"train": str(data_dir / "bbb_small.csv"), "label_columns": ["bbb_permeable"],
                 "task": "classification"},
        "model": {"preset": "tiny", "max_length": 96},
        "train": {"epochs": 2, "batch_size": 16, "threads": 1},
        "baseline": False, "explain_examples": 0,
    }))
    run = tmp_path / "run"
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
               "-m", "biofm", "train", "--config", str(config), "--out", str(run)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert done.returncode == 0, done.stderr[-3000:]
    metrics = json.loads((run / "metrics.json").read_text())
    shared = metrics["distributed"]
    assert shared["world_size"] == 2 and shared["per_process_batch_size"] == 8  # 16 stays the global batch
    first, second = shared["ranks"]
    assert (first["rank"], second["rank"]) == (0, 1)
    assert first["steps"] == second["steps"] == 2 * 10  # 160 training rows / 16 per step, 2 epochs
    assert first["first_batch"] != second["first_batch"]  # each process read its own shard
    assert first["weights"] == second["weights"]  # gradients were averaged: identical weights at the end
    assert json.loads((run / "state.json").read_text())["status"] == "complete"
    assert done.stderr.count("epoch   2.0") == 1  # one process reports
