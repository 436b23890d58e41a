"""Differential privacy: DP-SGD (Opacus) on the part that trains — the head over a frozen encoder.

Why only the head: per-sample gradients through a whole BERT are slow and Opacus does not support
every layer of one; with ``adaptation: probe`` the encoder's outputs are fixed features, so DP-SGD on
the head protects every training example at a cost of seconds.  The noise is set so that the planned
epochs spend at most ``train.dp_epsilon`` at ``delta``; the ε actually spent (Opacus' RDP accountant)
goes to ``metrics.json["privacy"]``.  Choosing the best epoch on the validation split is
post-processing of the private model and costs no privacy of the training set.  The noise comes from
torch's generator (Opacus ``secure_mode`` off, which needs ``torchcsprng``): fine for research, while a
formal release would retrain with a cryptographically secure generator.
"""

from __future__ import annotations

import copy
import warnings

import torch
from torch.utils.data import DataLoader
from transformers import Trainer

from biofm.core.config import RunConfig
from biofm.core.errors import ConfigError
from biofm.modeling.metrics import GREATER_IS_BETTER


def check_privacy(cfg: RunConfig) -> None:
    """Before any work: DP-SGD here trains a head over a frozen encoder."""
    if cfg.train.dp_epsilon is not None and cfg.model.adaptation != "probe":
        raise ConfigError("train.dp_epsilon: differential privacy trains the head over a frozen encoder; "
                          "set model.adaptation: probe (and model.pretrained)")


def default_delta(n_train: int) -> float:
    """δ well below 1/n, the usual rule: a mechanism leaking one whole record with probability δ is not private."""
    return min(1e-5, 1.0 / (10 * n_train))


class PrivateHeadTrainer(Trainer):
    """The Trainer's evaluation, callbacks and progress, with an Opacus DP-SGD loop for training.

    Poisson-sampled batches, per-example gradient clipping at ``max_grad_norm`` and Gaussian noise;
    the head with the best validation metric is kept.
    """

    def __init__(self, *args, epsilon: float, delta: float | None, max_grad_norm: float, **kwargs):
        super().__init__(*args, **kwargs)
        self.epsilon, self.max_grad_norm = epsilon, max_grad_norm
        self.delta = delta or default_delta(len(self.train_dataset))
        self.privacy: dict | None = None

    def train(self, resume_from_checkpoint=None, **kwargs):
        from opacus import PrivacyEngine

        args = self.args
        loader = DataLoader(self.train_dataset, batch_size=args.per_device_train_batch_size, shuffle=True,
                            collate_fn=self.data_collator)
        optimizer = torch.optim.AdamW(self.model.parameters(), lr=args.learning_rate, weight_decay=args.weight_decay)
        with warnings.catch_warnings():  # noise from torch's RNG, not a CSPRNG: see the module docstring
            warnings.filterwarnings("ignore", message="Secure RNG turned off")
            engine = PrivacyEngine(accountant="rdp", secure_mode=False)
        epochs = int(args.num_train_epochs)
        module, optimizer, loader = engine.make_private_with_epsilon(
            module=self.model, optimizer=optimizer, data_loader=loader, target_epsilon=self.epsilon,
            target_delta=self.delta, epochs=epochs, max_grad_norm=self.max_grad_norm)
        with warnings.catch_warnings():  # Opacus' hooks note that the cached features need no gradient
            warnings.filterwarnings("ignore", message="Full backward hook is firing")
            best_state = self._loop(module, optimizer, loader, epochs)
        self.model.load_state_dict(best_state)
        self.privacy = {"epsilon": round(engine.get_epsilon(self.delta), 4), "target_epsilon": self.epsilon,
                        "delta": self.delta, "noise_multiplier": round(optimizer.noise_multiplier, 4),
                        "max_grad_norm": self.max_grad_norm, "epochs": round(self.state.epoch or 0),
                        "accountant": "rdp (Opacus)", "trained": "head over a frozen encoder"}

    def _loop(self, module, optimizer, loader, epochs: int) -> dict:
        args, state = self.args, self.state
        state.max_steps = epochs * len(loader)
        greater = GREATER_IS_BETTER.get(args.metric_for_best_model, False)
        best_state = copy.deepcopy(self.model.state_dict())
        self.control = self.callback_handler.on_train_begin(args, state, self.control)
        for epoch in range(epochs):
            module.train()
            losses = []
            for batch in loader:
                if len(batch["labels"]) == 0:  # Poisson sampling can draw an empty batch
                    continue
                loss = module(**batch)["loss"]
                loss.backward()
                optimizer.step()
                optimizer.zero_grad()
                losses.append(float(loss.detach()))
                state.global_step += 1
                self.control = self.callback_handler.on_step_end(args, state, self.control)
            state.epoch = epoch + 1
            self.log({"loss": sum(losses) / max(len(losses), 1)})
            value = self.evaluate()[f"eval_{args.metric_for_best_model}"]
            if state.best_metric is None or (value > state.best_metric if greater else value < state.best_metric):
                state.best_metric = value
                best_state = copy.deepcopy(self.model.state_dict())
            if self.control.should_training_stop:  # early stopping (patience) spends less privacy
                break
        self.control = self.callback_handler.on_train_end(args, state, self.control)
        return best_state
