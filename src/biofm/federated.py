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
- ``biofm.federated_simulation``: the same two halves as local processes, with the data shared out.
The server's config names the evaluation data (its training file only fixes the classes or scaling; its
validation part picks the round).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("FLWR_TELEMETRY_ENABLED", "0")  # Flower reports usage online unless told not to

import flwr  # after the telemetry switch, which Flower reads at import
import numpy as np
import torch
import transformers
from flwr.common import ndarrays_to_parameters
from flwr.server import ServerConfig
from flwr.server.strategy import FedAvg, FedProx
from safetensors import safe_open
from safetensors.numpy import save_file
from transformers import PrinterCallback

from biofm.config import RunConfig
from biofm.encoding import predict_logits, use_bf16
from biofm.errors import BiofmError, ConfigError
from biofm.metrics import GREATER_IS_BETTER, compute_metrics
from biofm.model import task_loss
from biofm.progress import console
from biofm.runs import (
    atomic_path,
    finish_run,
    prepare_run_dir,
    read_json,
    read_run_config,
    run_lock,
    write_json,
)
from biofm.tasks import Task
from biofm.train import (
    HeadRateTrainer,
    Setup,
    TrainResult,
    checked_config,
    conclude,
    setup,
    training_arguments,
    training_sets,
    write_run_config,
)

FOLDER = "federated"  # inside the run folder: rounds.json, logs and (simulation) the sites' data
GLOBAL_WEIGHTS, BEST_WEIGHTS = "global.safetensors", "best.safetensors"  # the trainable weights, for resume
MIN_SITE_ITEMS = 8


class FederationError(BiofmError):
    """A site or the server failed, or a round never completed; the message names the log to read."""


class _QuietDeprecations(logging.Filter):
    """Flower's legacy start_server/start_client print a deprecation banner; the API still works."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "deprecated" not in record.getMessage()


logging.getLogger("flwr").addFilter(_QuietDeprecations())


def check_federated(cfg: RunConfig) -> None:
    """Before any work: what federated training cannot do (yet)."""
    if not cfg.model.pretrained:
        raise ConfigError("federated training needs model.pretrained: every site must start from the same "
                          "weights and tokenizer (a tokenizer built from one site's data would not fit the others)")
    if cfg.train.dp_epsilon is not None or cfg.self_training.unlabelled:
        raise ConfigError("federated training does not combine with train.dp_epsilon or self_training yet")


def federation_config(cfg: RunConfig) -> RunConfig:
    """``cfg`` resolved and checked as for training, then for federated use."""
    cfg = checked_config(cfg)
    check_federated(cfg)
    return cfg


# --- what travels: the trainable weights, in a fixed order ---------------------------------------

def trainable_names(model: torch.nn.Module) -> list[str]:
    return [name for name, p in model.named_parameters() if p.requires_grad]


def get_weights(model: torch.nn.Module, names: list[str]) -> list[np.ndarray]:
    params = dict(model.named_parameters())
    return [params[n].detach().float().cpu().numpy().copy() for n in names]


def set_weights(model: torch.nn.Module, names: list[str], arrays: list[np.ndarray]) -> None:
    params = dict(model.named_parameters())
    if len(arrays) != len(names):
        raise FederationError(f"received {len(arrays)} weight arrays, expected {len(names)}: the server and the "
                              "sites must use the same model.pretrained and model.adaptation")
    with torch.no_grad():
        for name, array in zip(names, arrays, strict=True):
            params[name].copy_(torch.from_numpy(np.asarray(array, dtype=np.float32)))


# --- a site: a Flower client that fine-tunes locally ----------------------------------------------

class LocalTrainer(HeadRateTrainer):
    """One round of a site's local training.  With FedProx, the proximal term μ/2·‖w − w_global‖² keeps
    local weights near the global model, which steadies the average when the sites' data differ."""

    def __init__(self, *args, proximal_mu: float = 0.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.proximal_mu = proximal_mu
        self.anchor = [(p, p.detach().clone()) for p in self.model.parameters() if p.requires_grad]

    def compute_loss(self, model, inputs, return_outputs=False, **kwargs):
        out = super().compute_loss(model, inputs, return_outputs=return_outputs, **kwargs)
        if not self.proximal_mu:
            return out
        loss = out[0] if return_outputs else out
        loss = loss + self.proximal_mu / 2 * sum(((p - a) ** 2).sum() for p, a in self.anchor)
        return (loss, out[1]) if return_outputs else loss


class SiteClient(flwr.client.NumPyClient):
    """A site: its own data, the shared checkpoint; built on the first round from the server's task
    (so every site predicts the same classes in the same order, even one that lacks some of them)."""

    def __init__(self, cfg: RunConfig):
        self.cfg = cfg
        self.setup: Setup | None = None

    def _prepared(self, task_json: str) -> Setup:
        if self.setup is None:
            transformers.set_seed(self.cfg.train.seed)
            if self.cfg.train.threads:
                torch.set_num_threads(self.cfg.train.threads)
            self.setup = setup(self.cfg, Task.from_json(json.loads(task_json)))
            self.sets = training_sets(self.cfg, self.setup, validation=False)  # the server validates
            self.names = trainable_names(self.setup.model)
        return self.setup

    def fit(self, parameters, config):
        s = self._prepared(str(config["task"]))
        set_weights(s.model, self.names, parameters)
        model, train_set, _val, collator, grouped = self.sets
        seed = self.cfg.train.seed + int(config["round"])
        with tempfile.TemporaryDirectory() as scratch:
            args = training_arguments(
                self.cfg, Path(scratch), None, grouped, num_train_epochs=self.cfg.federated.local_epochs,
                eval_strategy="no", save_strategy="no", load_best_model_at_end=False, logging_strategy="no",
                lr_scheduler_type="constant", warmup_steps=0, seed=seed, data_seed=seed)
            trainer = LocalTrainer(model=model, args=args, train_dataset=train_set, data_collator=collator,
                                   head_learning_rate=self.cfg.train.head_learning_rate,
                                   proximal_mu=float(config.get("proximal_mu", 0.0)))
            trainer.remove_callback(PrinterCallback)
            result = trainer.train()
        console.print(f"round {config['round']}: {len(train_set)} items, train loss {result.training_loss:.4f}")
        return get_weights(s.model, self.names), len(train_set), {"loss": float(result.training_loss)}


def join(cfg: RunConfig, server: str, wait_seconds: float = 300.0) -> None:
    """Take part in a federation as one site until the server ends it (``biofm federate-client``)."""
    cfg = federation_config(cfg)
    console.print(f"joining the federation at {server} …")
    _wait_for_server(server, wait_seconds)
    flwr.client.start_client(server_address=server, client=SiteClient(cfg).to_client(), insecure=True,
                             max_wait_time=wait_seconds)


def _save_arrays(path: Path, names: list[str], arrays: list[np.ndarray], meta: dict) -> None:
    with atomic_path(path) as tmp:
        save_file({n: np.ascontiguousarray(a) for n, a in zip(names, arrays, strict=True)}, str(tmp),
                  metadata={k: str(v) for k, v in meta.items()})


def _load_arrays(path: Path, names: list[str]) -> tuple[list[np.ndarray], dict]:
    with safe_open(str(path), "np") as handle:
        return [handle.get_tensor(n) for n in names], handle.metadata()


def _wait_for_server(server: str, seconds: float) -> None:
    """Flower's client gives up on a refused first connection; a site started before its server (the
    simulation starts all at once; hospitals start whenever) waits here until the port answers."""
    host, _, port = server.rpartition(":")
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection((host.strip("[]") or "127.0.0.1", int(port)), timeout=2).close()
            return
        except OSError as exc:
            if time.monotonic() > deadline:
                raise FederationError(f"no federation server answers at {server} after {seconds:.0f} s "
                                      f"({exc.strerror or exc})") from None
            time.sleep(1)
        except ValueError:
            raise FederationError(f"--server: expected host:port, got {server!r}") from None


# --- the server: aggregate, score each round on validation, end in a run folder -------------------

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
        arrays, meta = _load_arrays(latest, self.names)
        self.offset = int(meta["round"])
        self.rounds = [r for r in read_json(self.path) if r["round"] <= self.offset] if self.path.exists() else []
        if (self.folder / BEST_WEIGHTS).exists():  # absent while no round had a defined metric
            best, best_meta = _load_arrays(self.folder / BEST_WEIGHTS, self.names)
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
            _save_arrays(self.folder / BEST_WEIGHTS, self.names, arrays, {"round": number, "score": score})
        _save_arrays(self.folder / GLOBAL_WEIGHTS, self.names, arrays, {"round": number})
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
    run_dir = prepare_run_dir(Path(out), overwrite)
    with run_lock(run_dir):
        write_run_config(run_dir, cfg)
        return TrainResult(run_dir, finish_run(run_dir, lambda: run_server(cfg, run_dir, address)))


if __name__ == "__main__":  # the simulation's server process: python -m biofm.federated RUN_DIR ADDRESS
    run_folder = Path(sys.argv[1])
    run_server(read_run_config(run_folder), run_folder, sys.argv[2])
