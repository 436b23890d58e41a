"""A federation site: a Flower client that fine-tunes locally on data that never leaves it.

Every site starts from the same pretrained checkpoint and tokenizer (``model.pretrained``) and builds
its task from the server's (so every site predicts the same classes in the same order).
"""

from __future__ import annotations

import json
import socket
import tempfile
import time
from pathlib import Path

import flwr  # after the package's telemetry switch (biofm/federated/__init__.py), read at import
import torch
import transformers
from transformers import PrinterCallback

from biofm.core.config import RunConfig
from biofm.core.console import console
from biofm.data.tasks import Task
from biofm.federated.common import FederationError, federation_config, get_weights, set_weights, trainable_names
from biofm.training.setup import Setup, TrainingSets, setup, training_sets
from biofm.training.trainer import HeadRateTrainer, training_arguments


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
        self.sets: TrainingSets | None = None

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
        sets = self.sets
        seed = self.cfg.train.seed + int(config["round"])
        with tempfile.TemporaryDirectory() as scratch:
            args = training_arguments(
                self.cfg, Path(scratch), None, sets.group_by_length, num_train_epochs=self.cfg.federated.local_epochs,
                eval_strategy="no", save_strategy="no", load_best_model_at_end=False, logging_strategy="no",
                lr_scheduler_type="constant", warmup_steps=0, seed=seed, data_seed=seed)
            trainer = LocalTrainer(model=sets.model, args=args, train_dataset=sets.train, data_collator=sets.collator,
                                   head_learning_rate=self.cfg.train.head_learning_rate,
                                   proximal_mu=float(config.get("proximal_mu", 0.0)))
            trainer.remove_callback(PrinterCallback)
            result = trainer.train()
        console.print(f"round {config['round']}: {len(sets.train)} items, train loss {result.training_loss:.4f}")
        return get_weights(s.model, self.names), len(sets.train), {"loss": float(result.training_loss)}


def join(cfg: RunConfig, server: str, wait_seconds: float = 300.0) -> None:
    """Take part in a federation as one site until the server ends it (``biofm federate-client``)."""
    cfg = federation_config(cfg)
    console.print(f"joining the federation at {server} …")
    _wait_for_server(server, wait_seconds)
    flwr.client.start_client(server_address=server, client=SiteClient(cfg).to_client(), insecure=True,
                             max_wait_time=wait_seconds)


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
