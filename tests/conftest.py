"""Shared fixtures: tiny data, tiny configs, and one tiny trained run reused by read-only tests."""

from __future__ import annotations

import contextlib
import gzip
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

os.environ.pop("COLUMNS", None)  # pytest-xdist workers start with COLUMNS=80, which Rich would keep for good
os.environ.setdefault("HF_HUB_OFFLINE", "1")  # tests never reach for the network
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from biofm.core.config import PretrainConfig, RunConfig
from biofm.core.errors import DataError
from biofm.data.datasets import get_dataset
from biofm.data.records import read_records
from biofm.modalities import InvalidInput, get_modality
from biofm.training.train import train

DATA = Path(__file__).parent / "data"
# `make test` runs two pytest-xdist workers on the two cores: one torch thread each, or they oversubscribe
THREADS = 1 if os.environ.get("PYTEST_XDIST_WORKER") else 2


def tiny_config(train_file: Path | str = DATA / "bbb_small.csv", **sections) -> RunConfig:
    """A config that trains in seconds; ``sections`` update data/model/train keys."""
    raw = {
        "modality": "molecule",
        "data": {"train": str(train_file), "label_columns": ["bbb_permeable"], "task": "classification"},
        "model": {"preset": "tiny", "max_length": 96},
        "train": {"epochs": 2, "batch_size": 16, "learning_rate": 1e-3, "patience": 2, "threads": THREADS},
        "baseline": False,
        "explain_examples": 0,
    }
    for section, values in sections.items():
        if isinstance(values, dict):
            raw.setdefault(section, {}).update(values)
        else:
            raw[section] = values
    return RunConfig.from_dict(raw)


def training_loss_ratio(run_dir: Path) -> float:
    """Last epoch's training loss over the first's, from the run's ``history.json``: a learned-quality check
    that does not hinge on one item's verdict (an overfit run goes to ~0.001-0.1, a broken one stays near 1)."""
    import json

    losses = [entry["loss"] for entry in json.loads((run_dir / "history.json").read_text()) if "loss" in entry]
    return losses[-1] / losses[0]


def b3db_smiles(n: int, seed: int | None = None) -> list[str]:
    """Up to ``n`` canonical SMILES from the bundled B3DB set (in file order, or a seeded sample),
    skipping the few that RDKit rejects."""
    frame = pd.read_csv(get_dataset("b3db").path("train"))
    frame = frame if seed is None else frame.sample(frac=1.0, random_state=seed)
    molecule = get_modality("molecule")
    out = []
    for smiles in frame.smiles:
        with contextlib.suppress(InvalidInput):
            out.append(molecule.normalise(smiles))
        if len(out) == n:
            break
    return out


def smiles_config(tmp_path, **train) -> PretrainConfig:
    """A tiny molecular pretraining config over 400 B3DB SMILES written into ``tmp_path``."""
    corpus = tmp_path / "corpus.smi"
    if not corpus.exists():
        corpus.write_text("\n".join(b3db_smiles(400)) + "\n")
    return PretrainConfig.from_dict({
        "modality": "molecule",
        "corpus": {"files": [str(corpus)], "val_fraction": 0.1, "max_val": 32, "shuffle_buffer": 64},
        "model": {"preset": "tiny", "max_length": 64},
        "train": {"steps": 12, "batch_size": 8, "eval_every": 6, "save_every": 6, "threads": 1, **train},
    })


def check_reader_contract(modality, filename: str, content: bytes, input_column: str, label_column: str) -> None:
    """Whatever the bytes, a reader returns consistent records or raises a DataError naming the file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / filename
        path.write_bytes(content)
        try:
            records = read_records(modality, path, input_column, [label_column], "classification", skip_invalid=True)
        except DataError as exc:
            assert str(path) in str(exc)
            return
        assert len(records.inputs) == len(records.rows) == len(records.labels)


def write_genome(path: Path, lengths: list[int], seed: int = 0, line: int = 60) -> dict[str, str]:
    """A random FASTA genome (gzipped if the name ends .gz); returns the sequences by record name."""
    rng = np.random.default_rng(seed)
    sequences = {f"chr{i + 1}": "".join(rng.choice(list("ACGT"), n)) for i, n in enumerate(lengths)}
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt") as handle:
        for name, seq in sequences.items():
            handle.write(f">{name} some description\n")
            handle.writelines(seq[i : i + line] + "\n" for i in range(0, len(seq), line))
    return sequences


def wait_for_checkpoint(run_dir, process, timeout=120):
    """Block until an epoch checkpoint is fully written (trainer_state.json comes last)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if list((run_dir / "checkpoints").glob("checkpoint-*/trainer_state.json")):
            return
        if process.poll() is not None:
            pytest.fail(f"training exited early: {process.stderr.read().decode()[-2000:]}")
        time.sleep(0.05)
    pytest.fail("no checkpoint appeared")


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def trained_run(tmp_path_factory) -> Path:
    """One finished tiny classification run (with baseline) shared by read-only tests."""
    out = tmp_path_factory.mktemp("runs") / "bbb"
    train(tiny_config(baseline=True), out)
    return out


MOTIF = "TGACTCAG"  # the AP-1 site (JASPAR MA0099 FOS::JUN family)


@pytest.fixture(scope="session")
def motif_fasta(tmp_path_factory):
    rng = np.random.default_rng(0)
    lines = []
    for i in range(48):
        sequence = list(rng.choice(list("ACGT"), 40))
        if i % 2:
            start = rng.integers(0, 40 - len(MOTIF))
            sequence[start : start + len(MOTIF)] = MOTIF
        lines += [f">chr{i % 6 + 1}:{i * 100}-{i * 100 + 40} label={'yes' if i % 2 else 'no'}", "".join(sequence)]
    path = tmp_path_factory.mktemp("dna") / "motif.fa"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="session")
def motif_run(motif_fasta, tmp_path_factory):
    cfg = RunConfig.from_dict({
        "modality": "dna",
        "data": {"train": str(motif_fasta), "val": str(motif_fasta), "test": str(motif_fasta),
                 "label_columns": ["label"], "task": "classification", "augment": True, "tta": True,
                 "window": 40, "window_stride": 20},
        "model": {"preset": "tiny", "tokenizer": "kmer3", "max_length": 64, "dropout": 0.0},
        "train": {"epochs": 20, "batch_size": 8, "learning_rate": 3e-3, "patience": 20, "warmup_ratio": 0.0,
                  "threads": THREADS},
    })
    return train(cfg, tmp_path_factory.mktemp("runs") / "motif")
