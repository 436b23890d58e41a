"""Ensemble training (``train.ensemble: N``): members one after another, each resumable on its own."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import transformers
from safetensors import safe_open
from safetensors.torch import load_file, save_file

from biofm.core import layout
from biofm.core.config import RunConfig
from biofm.core.console import console
from biofm.core.io import atomic_path
from biofm.core.runfolder import last_checkpoint
from biofm.modeling.adaptation import adapt
from biofm.modeling.ensemble import Ensemble
from biofm.modeling.model import Predictor, build_predictor
from biofm.training.setup import Setup, make_trainer


def train_ensemble(cfg: RunConfig, run_dir: Path, s: Setup, callbacks: list | None) -> tuple[list[dict], dict]:
    """Train ``train.ensemble`` members one after another from seeds seed, seed + 1, …, on the same split.

    Each member checkpoints into ``checkpoints/member-K/`` and, once finished, its best weights go to
    ``checkpoints/member-K.safetensors``, so a killed run resumes inside the member it was training and
    never trains a finished one again.  ``s.model`` becomes the ``Ensemble``; returns the members' joined
    log history and the ``metrics.json["ensemble"]`` entry.
    """
    trained, history, epochs = [], [], []
    for k in range(cfg.train.ensemble):
        model, member_history = _member(cfg, run_dir, s, k, callbacks)
        trained.append(model.eval())
        history += [{"member": k, **entry} for entry in member_history]
        epochs.append(max((e.get("epoch", 0) for e in member_history), default=0))
    s.model = Ensemble(trained)
    return history, {"members": len(trained), "seeds": [cfg.train.seed + k for k in range(len(trained))],
                     "epochs": epochs}


def _member(cfg: RunConfig, run_dir: Path, s: Setup, k: int, callbacks: list | None) -> tuple[Predictor, list]:
    """Member ``k`` (seed + k) trained, or read back when a killed run had finished it; and its log history."""
    member_cfg = replace(cfg, train=replace(cfg.train, seed=cfg.train.seed + k))
    transformers.set_seed(member_cfg.train.seed)
    model = s.model if k == 0 else adapt(build_predictor(
        cfg.model, s.tokenizer, s.task.n_outputs, s.task.mode, s.features.width if s.features else 0), cfg.model)
    folder = run_dir / layout.CHECKPOINTS
    done = folder / f"member-{k}.safetensors"
    if done.is_file():
        model.load_state_dict(load_file(done))
        with safe_open(str(done), "pt") as saved:
            history = json.loads(saved.metadata()["history"])
        console.print(f"ensemble member {k + 1}/{cfg.train.ensemble}: finished before, kept")
        return model, history
    console.print(f"ensemble member {k + 1}/{cfg.train.ensemble} (seed {member_cfg.train.seed}) …")
    trainer = make_trainer(member_cfg, run_dir, replace(s, model=model), folder / f"member-{k}")
    for callback in callbacks or []:
        trainer.add_callback(callback)
    resume = last_checkpoint(folder / f"member-{k}")
    trainer.train(resume_from_checkpoint=str(resume) if resume else None)
    with atomic_path(done) as tmp:
        save_file({n: t.detach().contiguous() for n, t in model.state_dict().items()}, str(tmp),
                  metadata={"history": json.dumps(trainer.state.log_history)})
    return model, trainer.state.log_history
