"""Federated fine-tuning simulated with real processes: site partitions, and real federations (a Flower
server process and two site processes over loopback gRPC) that end in ordinary run folders and resume."""

import numpy as np
import pytest

from biofm.core.config import FederatedConfig
from biofm.core.errors import ConfigError
from biofm.core.io import read_json
from biofm.data.records import Records
from conftest import tiny_config

simulation = pytest.importorskip("biofm.federated.simulation", reason="Flower (flwr) is not installed")

SMILES_MINI = "models/smiles-mini"


def _records(labels: list[str]) -> Records:
    return Records(source="x.csv", inputs=[f"C{i}" for i in range(len(labels))], rows=list(range(2, len(labels) + 2)),
                   labels=np.asarray(labels, dtype=object)[:, None])



def test_every_row_goes_to_exactly_one_site_and_the_seed_fixes_the_draw():
    records = _records(["0"] * 60 + ["1"] * 60)
    for method in ("iid", "label", "group"):
        fed = FederatedConfig(sites=3, partition=method)
        parts = simulation.partition(records, fed, seed=1, group_of=lambda i: str(i // 5))
        assert sorted(np.concatenate(parts).tolist()) == list(range(120))
        again = simulation.partition(records, fed, seed=1, group_of=lambda i: str(i // 5))
        assert all(np.array_equal(a, b) for a, b in zip(parts, again, strict=True))



def test_label_skew_gives_sites_different_class_mixes_and_groups_stay_whole():
    records = _records(["0"] * 150 + ["1"] * 150)
    skewed = simulation.partition(records, FederatedConfig(sites=3, partition="label", label_skew=0.2), seed=0)
    positives = [float(np.mean(records.labels[p, 0] == "1")) for p in skewed]
    assert max(positives) - min(positives) > 0.3  # iid sites would all be near 0.5
    groups = simulation.partition(records, FederatedConfig(sites=3, partition="group"), seed=0,
                                 group_of=lambda i: str(i // 7))
    site_of = {i: k for k, part in enumerate(groups) for i in part}
    assert all(len({site_of[i] for i in range(g, min(g + 7, 300))}) == 1 for g in range(0, 300, 7))



def test_too_few_items_for_the_sites_is_a_clear_error():
    with pytest.raises(ConfigError, match="cannot make 4 sites"):
        simulation.partition(_records(["0", "1"] * 10), FederatedConfig(sites=4, partition="iid"), seed=0)



def test_a_federation_over_loopback_ends_in_an_ordinary_run_folder(tmp_path):
    """Real processes: a Flower server and two sites talking gRPC on 127.0.0.1, bounded in time.  A probe here;
    LoRA adapters travel in the killed federation below."""
    cfg = tiny_config(model={"pretrained": SMILES_MINI, "adaptation": "probe"},
                      train={"learning_rate": 3e-3, "batch_size": 16},
                      federated={"sites": 2, "rounds": 2, "local_epochs": 2, "partition": "label",
                                 "strategy": "fedprox", "round_timeout": 60})
    result = simulation.federate(cfg, tmp_path / "fed")
    run = result.run_dir
    metrics = read_json(run / "metrics.json")
    curve = metrics["federated"]["curve"]
    assert [r["round"] for r in curve] == [0, 1, 2]  # round 0 is the pretrained start, scored too
    assert all("train_loss" in r for r in curve[1:])
    assert metrics["federated"]["best_round"] in (0, 1, 2) and metrics["test"]["roc_auc"] is not None
    sites = read_json(run / "federated" / "sites.json")
    assert sum(s["n_train"] for s in sites) == metrics["data"]["n_train"]
    for k in range(2):  # both sites trained in both rounds
        log = (run / "federated" / f"site-{k}.log").read_text()
        assert "round 1:" in log and "round 2:" in log
    assert read_json(run / "state.json")["status"] == "complete"
    assert metrics["adaptation"]["trainable_fraction"] < 0.2  # what travels: the head
    assert not (run / "adapter").exists()
    assert (run / "predictions.csv").exists() and (run / "report.html").exists()
    from biofm.modeling.loaded_run import load_run

    assert load_run(run).outputs(["CCO", "c1ccccc1"]).shape == (2, 2)



@pytest.mark.slow  # ~35 s; `make test` keeps the loopback federation above, `make test-full` this
def test_a_killed_federation_resumes_after_its_last_finished_round(tmp_path):
    """The whole simulation (server, sites, coordinator) is killed after round 1; --resume finishes it, and the
    LoRA adapters it federated are the run's."""
    import json
    import os
    import signal
    import subprocess
    import sys
    import time

    from biofm.core.io import write_yaml

    cfg = tiny_config(model={"pretrained": SMILES_MINI, "adaptation": "lora", "lora_rank": 2},
                      federated={"sites": 2, "rounds": 3, "round_timeout": 60})
    write_yaml(tmp_path / "fed.yaml", cfg.to_dict())
    run = tmp_path / "fed"
    process = subprocess.Popen([sys.executable, "-m", "biofm", "federate", "--config", str(tmp_path / "fed.yaml"),
                                "--out", str(run)], start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rounds_file, deadline = run / "federated" / "rounds.json", time.monotonic() + 180
    while time.monotonic() < deadline and process.poll() is None:
        done = json.loads(rounds_file.read_text())[-1]["round"] if rounds_file.exists() else 0
        if done >= 1:
            break
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)  # a power cut: coordinator, server and sites at once
    process.wait()
    killed_after = json.loads(rounds_file.read_text())[-1]["round"]
    assert 1 <= killed_after < 3

    result = simulation.resume(run)
    rounds = [r["round"] for r in result.metrics["federated"]["curve"]]
    assert rounds == list(range(4))  # every round once: none repeated, none lost
    assert read_json(run / "state.json")["status"] == "complete"
    assert result.metrics["adaptation"]["trainable_fraction"] < 0.2  # what travels: the head + LoRA adapters
    assert (run / "adapter").is_dir()
    assert f"resuming the federation after round {killed_after}" in (run / "federated" / "server.log").read_text()
