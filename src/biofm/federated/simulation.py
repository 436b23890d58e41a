"""Federated fine-tuning simulated on one machine: the data shared out to sites, real processes.

Why real processes over loopback rather than an in-process loop: the simulation then runs exactly what a
deployment runs (``biofm federate-server`` and one ``biofm federate-client`` per site, talking Flower's
gRPC), so a passing simulation also tests the deployment shape.  The configured training split is
shared out to ``federated.sites`` sites — iid, label-skewed (Dirichlet), or by group (whole scaffolds or
regions per site) — with validation and test pinned, the same for every site and the server.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from biofm.core import layout
from biofm.core.config import FederatedConfig, RunConfig
from biofm.core.console import console
from biofm.core.errors import ConfigError
from biofm.core.io import read_json, write_json, write_yaml
from biofm.core.runfolder import resume_run, start_run
from biofm.data.records import Records
from biofm.data.splits import load_splits, pinned_config, write_records
from biofm.federated.common import FOLDER, FederationError, federation_config
from biofm.federated.server import run_server
from biofm.modalities import get_modality
from biofm.training.finetune import TrainResult, data_files

MIN_SITE_ITEMS = 8


def partition(records: Records, fed: FederatedConfig, seed: int, group_of=None) -> list[np.ndarray]:
    """Row indices of each site.  Seeded; every row goes to exactly one site; no site gets fewer than
    ``MIN_SITE_ITEMS`` (label skew redraws, up to 100 times, before giving up with a clear error)."""
    rng = np.random.default_rng(seed)
    n, k = len(records), fed.sites
    if n < k * MIN_SITE_ITEMS:
        raise ConfigError(f"federated.sites: {n} training items cannot make {k} sites of at least {MIN_SITE_ITEMS}")
    if fed.partition == "iid":
        return [np.sort(part) for part in np.array_split(rng.permutation(n), k)]
    if fed.partition == "group":
        if group_of is None:
            raise ConfigError("federated.partition: 'group' needs group keys this modality does not provide")
        return _group_partition([group_of(i) for i in range(n)], k, rng)
    if records.labels is None or records.labels.shape[1] != 1:
        raise ConfigError("federated.partition: 'label' skew needs one label column; use 'iid' or 'group'")
    labels = np.asarray([str(v) for v in records.labels[:, 0]], dtype=object)
    if len(set(labels)) > 50:
        raise ConfigError("federated.partition: 'label' skew needs class labels (this column has more than 50 "
                          "distinct values, a regression target?); use 'iid' or 'group'")
    for _ in range(100):
        sites: list[list[int]] = [[] for _ in range(k)]
        for value in sorted(set(labels)):
            members = rng.permutation(np.flatnonzero(labels == value))
            cuts = (np.cumsum(rng.dirichlet([fed.label_skew] * k)) * len(members)).astype(int)[:-1]
            for site, chunk in zip(sites, np.split(members, cuts), strict=True):
                site.extend(chunk.tolist())
        if min(map(len, sites)) >= MIN_SITE_ITEMS:
            return [np.sort(np.asarray(s, dtype=int)) for s in sites]
    raise ConfigError(f"federated.label_skew={fed.label_skew}: 100 draws left a site with fewer than "
                      f"{MIN_SITE_ITEMS} items; use a larger label_skew or fewer sites")


def _group_partition(groups: list[str], k: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Whole groups (e.g. scaffolds) to sites, largest first, each to the currently smallest site."""
    members: dict[str, list[int]] = {}
    for i, group in enumerate(groups):
        members.setdefault(group, []).append(i)
    sets = [members[g] for g in rng.permutation(sorted(members))]
    sets.sort(key=len, reverse=True)
    sites: list[list[int]] = [[] for _ in range(k)]
    for s in sets:
        min(sites, key=len).extend(s)
    return [np.sort(np.asarray(s, dtype=int)) for s in sites]


def write_sites(cfg: RunConfig, run_dir: Path) -> list[Path]:
    """Split the configured data once, share its training part out to the sites, and write each
    site's data and config into ``federated/`` (validation and test pinned: the same for all)."""
    modality = get_modality(cfg.modality)
    splits = load_splits(cfg.data, modality)
    folder = run_dir / FOLDER
    pinned = pinned_config(cfg, splits, folder)
    train = splits.train
    parts = partition(train, cfg.federated, cfg.train.seed,
                      lambda i: modality.group_key(train.inputs[i], train.extra.iloc[i].to_dict()))
    threads = max(1, (os.cpu_count() or 1) // cfg.federated.sites)
    paths, summary = [], []
    for k, index in enumerate(parts):
        site = train.subset(index)
        write_records(site, cfg.data, folder / f"site-{k}.csv")
        site_cfg = replace(pinned, data=replace(pinned.data, train=str(folder / f"site-{k}.csv")),
                           train=replace(pinned.train, threads=threads), baseline=False, explain_examples=0)
        write_yaml(folder / f"site-{k}.yaml", site_cfg.to_dict())
        paths.append(folder / f"site-{k}.yaml")
        counts = {} if site.labels is None or site.labels.shape[1] != 1 else \
            {str(c): int(n) for c, n in zip(*np.unique(site.labels[:, 0].astype(str), return_counts=True),
                                            strict=True)}
        summary.append({"site": k, "n_train": len(site), "class_counts": counts})
    write_json(folder / "sites.json", summary)
    console.print("[bold]sites[/]: " + "; ".join(f"site {s['site']}: {s['n_train']} items {s['class_counts']}"
                                                 for s in summary))
    return paths


# --- the simulation: K site processes and a server process on one machine -------------------------

def federate(cfg: RunConfig, out: str | Path, overwrite: bool = False) -> TrainResult:
    """Simulate ``federated.sites`` sites on this machine over loopback and write an ordinary run folder."""
    cfg = federation_config(cfg)
    return TrainResult(Path(out), start_run(out, overwrite, cfg, data_files(cfg),
                                            lambda run_dir: _simulate(cfg, run_dir)))


def resume(run_dir: str | Path, address: str | None = None) -> TrainResult:
    """Continue an interrupted federation after its last finished round: the whole simulation (its sites
    and server restarted here) or, with ``address``, only the server (the sites join again)."""
    def work(cfg: RunConfig, folder: Path) -> dict:
        return run_server(cfg, folder, address) if address else _simulate(cfg, folder)

    return TrainResult(Path(run_dir), resume_run(run_dir, RunConfig, data_files, work))


def _simulate(cfg: RunConfig, run_dir: Path) -> dict:
    folder = run_dir / FOLDER
    done = (folder / "sites.json").exists()  # written last: a resumed simulation reuses the sites' files
    site_configs = [folder / f"site-{k}.yaml" for k in range(cfg.federated.sites)] if done else \
        write_sites(cfg, run_dir)
    address = f"127.0.0.1:{_free_port()}"
    server = _spawn([sys.executable, "-m", "biofm.federated.server", str(run_dir), address], folder / "server.log")
    sites = [_spawn([sys.executable, "-m", "biofm", "federate-client", "--config", str(path), "--server", address],
                    folder / f"site-{k}.log") for k, path in enumerate(site_configs)]
    try:
        _watch(cfg.federated, server, sites, folder)
    finally:
        for process in [server, *sites]:
            if process.poll() is None:
                process.kill()
                process.wait()
    return read_json(run_dir / layout.METRICS)


def _watch(fed: FederatedConfig, server: subprocess.Popen, sites: list[subprocess.Popen], folder: Path) -> None:
    """Show round progress; fail fast, naming the log, when any process dies; give up at a deadline."""
    deadline = time.monotonic() + 300 + fed.rounds * fed.round_timeout
    columns = (TextColumn("[bold]federated rounds"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("{task.fields[note]}"))
    with Progress(*columns, console=console, transient=True) as progress:
        bar = progress.add_task("rounds", total=fed.rounds, note="starting the server and sites …")
        while server.poll() is None:
            for k, site in enumerate(sites):
                if site.poll() not in (None, 0):
                    raise FederationError(f"site {k} failed (exit {site.returncode}):\n"
                                          f"{_tail(folder / f'site-{k}.log')}")
            if time.monotonic() > deadline:
                raise FederationError(f"the federation did not finish in time; see {folder}")
            _show_rounds(progress, bar, folder / "rounds.json")
            time.sleep(1)
    if server.returncode != 0:
        raise FederationError(f"the server failed (exit {server.returncode}):\n{_tail(folder / 'server.log')}")
    for k, site in enumerate(sites):
        try:
            site.wait(timeout=60)
        except subprocess.TimeoutExpired:
            console.print(f"[yellow]warning:[/] site {k} did not exit after the last round; stopped")


def _show_rounds(progress: Progress, bar, path: Path) -> None:
    try:
        rounds = json.loads(path.read_text())
    except (OSError, ValueError):  # not written yet
        return
    if not rounds:
        return
    last = rounds[-1]
    note = " ".join(f"{k} {v:.4f}" for k, v in last.items() if k.startswith("val_") and isinstance(v, float))
    progress.update(bar, completed=last["round"], note=note)


def _spawn(command: list[str], log: Path) -> subprocess.Popen:
    env = {**os.environ, "FLWR_TELEMETRY_ENABLED": "0", "PYTHONUNBUFFERED": "1"}
    with open(log, "ab") as handle:  # appended: a resumed federation keeps the earlier attempts' lines
        return subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, env=env)


def _tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"(no log at {path})"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
