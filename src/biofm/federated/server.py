"""Federated fine-tuning with Flower: each site trains on data that never leaves it; a server averages.

Why Flower and not a loop of our own: its server, strategies (FedAvg, FedProx) and gRPC transport are
the field's standard and run unchanged from one laptop to hospitals on different networks.  biofm adds
a Flower client that fine-tunes with the usual Trainer, and a server that scores every round's global
model on validation, keeps the best round (model selection on validation, as early stopping does) and
ends in an ordinary run folder, so predict, explain, export and serve work on it.

Only the trainable weights travel: all of them (full), LoRA adapters and head (lora), or the head of a
frozen probe.  Every site starts from the same pretrained checkpoint and tokenizer (``model.pretrained``).

Shapes:
- ``serve(cfg, out, address)`` / ``join(cfg, server)``: the server and a site, on different machines
  (``biofm federate-server`` / ``biofm federate-client``).
- ``biofm.federated.simulation``: the same two halves as local processes, with the data shared out.
The server's config names the evaluation data (its training file only fixes the classes or scaling; its
validation part picks the round).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import flwr  # after the package's telemetry switch (biofm/federated/__init__.py), read at import
import numpy as np
import torch
import transformers
from flwr.common import ndarrays_to_parameters
from flwr.server import ServerConfig
from flwr.server.strategy import FedAvg, FedProx

from biofm.core.config import RunConfig
from biofm.core.console import console
from biofm.core.io import read_json, write_json
from biofm.core.runfolder import read_run_config, start_run
from biofm.data.tasks import Task
from biofm.federated.common import (
    BEST_WEIGHTS,
    FOLDER,
    GLOBAL_WEIGHTS,
    FederationError,
    federation_config,
    get_weights,
    load_arrays,
    save_arrays,
    set_weights,
    trainable_names,
)
from biofm.modeling.encoding import predict_logits, use_bf16
from biofm.modeling.metrics import GREATER_IS_BETTER, compute_metrics
from biofm.modeling.model import task_loss
from biofm.training.finetune import TrainResult, conclude, data_files
from biofm.training.setup import Setup, setup


class RoundLog:
    """Each round's global model scored on validation.  After every round the global weights, the best
    round's weights and ``rounds.json`` are written atomically to ``federated/``, so a killed federation
    resumes after its last finished round (Flower counts rounds from 1 again; ``offset`` maps them)."""

    def __init__(self, cfg: RunConfig, s: Setup, run_dir: Path):
        self.cfg, self.s, self.folder = cfg, s, run_dir / FOLDER
        self.path = self.folder / "rounds.json"
        self.offset = 0
        self.names = trainable_names(s.model)
        self.greater = GREATER_IS_BETTER.get(s.primary, False)
        self.bf16 = use_bf16(cfg.train.precision)
        self.targets = s.task.encode(s.splits.val)
        self.rounds: list[dict] = []
        self.train_losses: list[float] = []
        self.best: tuple[float, int, list[np.ndarray]] | None = None
        self.started = time.perf_counter()

    def train_loss(self, results: list[tuple[int, dict]]) -> dict:
        """Flower's fit-metrics hook: the sites' training losses, weighted by their sizes."""
        total = sum(n for n, _ in results)
        loss = sum(n * float(m["loss"]) for n, m in results) / max(total, 1)
        self.train_losses.append(loss)
        return {"loss": loss}

    def restore(self) -> list[np.ndarray] | None:
        """The global weights of the last finished round of an interrupted federation (None: a fresh one)."""
        latest = self.folder / GLOBAL_WEIGHTS
        if not latest.exists():
            return None
        arrays, meta = load_arrays(latest, self.names)
        self.offset = int(meta["round"])
        self.rounds = [r for r in read_json(self.path) if r["round"] <= self.offset] if self.path.exists() else []
        if (self.folder / BEST_WEIGHTS).exists():  # absent while no round had a defined metric
            best, best_meta = load_arrays(self.folder / BEST_WEIGHTS, self.names)
            self.best = (float(best_meta["score"]), int(best_meta["round"]), best)
        console.print(f"resuming the federation after round {self.offset}")
        return arrays

    def evaluate(self, server_round: int, arrays: list[np.ndarray], _config: dict):
        """Flower's centralised evaluation: round 0 is the starting model (on resume: already scored)."""
        s = self.s
        set_weights(s.model, self.names, arrays)
        s.model.eval()
        logits = predict_logits(s.model, s.texts["val"], s.tokenizer, self.cfg.model.max_length, bf16=self.bf16)
        values, _ = compute_metrics(s.task, self.targets, s.task.decode(logits))
        loss = float(task_loss(s.task.mode, torch.as_tensor(logits, dtype=torch.float32),
                               torch.as_tensor(self.targets)))
        score = values.get(s.primary)
        if server_round > 0 or not self.offset:
            self._record(server_round, arrays, loss, score)
        return loss, {s.primary: score if score is not None else float("nan")}

    def _record(self, server_round: int, arrays: list[np.ndarray], loss: float, score: float | None) -> None:
        number = self.offset + server_round
        record = {"round": number, "val_loss": round(loss, 5),
                  f"val_{self.s.primary}": None if score is None else round(score, 5),
                  "seconds": round(time.perf_counter() - self.started, 1)}
        if server_round > 0 and len(self.train_losses) >= server_round:
            record["train_loss"] = round(self.train_losses[server_round - 1], 5)
        if score is not None and (self.best is None or self._better(score, self.best[0])):
            self.best = (score, number, [a.copy() for a in arrays])
            save_arrays(self.folder / BEST_WEIGHTS, self.names, arrays, {"round": number, "score": score})
        save_arrays(self.folder / GLOBAL_WEIGHTS, self.names, arrays, {"round": number})
        self.rounds.append(record)
        write_json(self.path, self.rounds)
        shown = f"{score:.4f}" if score is not None else "n/a"
        console.print(f"round {number}: val {self.s.primary} {shown}  val loss {loss:.4f}")

    def _better(self, score: float, best: float) -> bool:
        return score > best if self.greater else score < best

    def history(self) -> list[dict]:
        """The rounds in the Trainer's log format, so the report draws them as learning curves."""
        out, metric = [], self.s.primary
        for r in self.rounds:
            if "train_loss" in r:
                out.append({"epoch": r["round"], "loss": r["train_loss"]})
            out.append({"epoch": r["round"], "eval_loss": r["val_loss"], f"eval_{metric}": r[f"val_{metric}"]})
        return out


def strategy(cfg: RunConfig, log: RoundLog, task: Task, start: list[np.ndarray]):
    """FedAvg or FedProx over the sites, starting from ``start`` (pretrained, or a resumed round's)."""
    fed = cfg.federated
    per_round = fed.clients_per_round or fed.sites
    common = dict(
        fraction_fit=per_round / fed.sites, min_fit_clients=per_round, min_available_clients=fed.sites,
        fraction_evaluate=0.0, min_evaluate_clients=0, evaluate_fn=log.evaluate, accept_failures=False,
        on_fit_config_fn=lambda rnd: {"round": log.offset + rnd, "task": json.dumps(task.to_json())},
        initial_parameters=ndarrays_to_parameters(start), fit_metrics_aggregation_fn=log.train_loss,
    )
    return FedProx(proximal_mu=fed.proximal_mu, **common) if fed.strategy == "fedprox" else FedAvg(**common)


def run_server(cfg: RunConfig, run_dir: Path, address: str) -> dict:
    """Serve ``federated.rounds`` rounds at ``address``, then write the run folder from the best round."""
    started = time.perf_counter()
    transformers.set_seed(cfg.train.seed)
    s = setup(cfg)
    log = RoundLog(cfg, s, run_dir)
    start = log.restore() or get_weights(s.model, log.names)
    fed = cfg.federated
    if log.offset < fed.rounds:
        console.print(f"[bold]federated server[/] at {address}: rounds {log.offset + 1}–{fed.rounds} of "
                      f"{fed.strategy}, waiting for {fed.sites} sites …")
        flwr.server.start_server(server_address=address, strategy=strategy(cfg, log, s.task, start),
                                 config=ServerConfig(num_rounds=fed.rounds - log.offset,
                                                     round_timeout=fed.round_timeout))
    done = log.rounds[-1]["round"] if log.rounds else 0
    if done < fed.rounds or log.best is None:
        raise FederationError(f"only {done} of {fed.rounds} rounds completed (a site failed or timed out; "
                              f"see {run_dir / FOLDER}); `biofm federate --resume` continues")
    _, best_round, arrays = log.best
    set_weights(s.model, log.names, arrays)
    sites = run_dir / FOLDER / "sites.json"
    extra = {"federated": {"strategy": fed.strategy, "sites": fed.sites, "partition": fed.partition,
                           "label_skew": fed.label_skew, "rounds": fed.rounds, "local_epochs": fed.local_epochs,
                           "clients_per_round": fed.clients_per_round or fed.sites, "best_round": best_round,
                           "site_data": read_json(sites) if sites.exists() else None, "curve": log.rounds},
             "epochs_run": best_round * fed.local_epochs}
    fit_seconds = round(time.perf_counter() - started, 1)
    return conclude(cfg, run_dir, s, log.bf16, log.history(), extra,
                    seconds={"train": fit_seconds, "total": fit_seconds})


def serve(cfg: RunConfig, out: str | Path, address: str, overwrite: bool = False) -> TrainResult:
    """The federation's server on its own (``biofm federate-server``): sites join from elsewhere."""
    cfg = federation_config(cfg)
    return TrainResult(Path(out), start_run(out, overwrite, cfg, data_files(cfg),
                                            lambda run_dir: run_server(cfg, run_dir, address)))


if __name__ == "__main__":  # the simulation's server process: python -m biofm.federated.server RUN_DIR ADDRESS
    run_folder = Path(sys.argv[1])
    run_server(read_run_config(run_folder), run_folder, sys.argv[2])
