"""Honest yardsticks: the model beside every classical candidate, the one validation chose, and Chemprop.

    python benchmarks/yardsticks.py --out runs/bench/yardsticks --seeds 0 1 2 \
        --case b3db-seeded=configs/b3db.yaml --case b3db-deterministic=configs/b3db.yaml:data.split_seed=null \
        --case solubility=configs/solubility.yaml [--peers [CASE …]] [--versus CASE:CASE …]

Each case is ``NAME=CONFIG[:override,override…]``.  Per case and seed one ordinary `biofm train` run
(the model, every baseline candidate, the validation choice and the paired-bootstrap verdict, all in
its metrics.json) and, with ``--peers``, Chemprop v2 on exactly that run's rows (``peers.py``; ``--peers``
alone: every case; ``--peers solubility``: the cases named).  ``--versus pretrained:scratch`` compares two
cases' models head to head, seed by seed, on the same test items (paired bootstrap): what a variant is worth;
``--views CASE`` the case's runs with and without test-time views (``data.tta``), same weights.
Writes ``yardsticks.json`` (every figure) and ``yardsticks.md`` (the table: test metric mean ± s.d.
over seeds, verdicts, wall times).  Nothing is skipped: a failed run stops the benchmark.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
from collections import Counter
from pathlib import Path

from biofm import RunConfig, train
from biofm.core.errors import BiofmError
from biofm.core.io import read_json, write_json
from biofm.core.runfolder import check_run, read_run_config
from biofm.data.splits import load_splits
from biofm.modeling.loaded_run import load_run
from biofm.training.finetune import checked_config
from biofm.trust.significance import paired_bootstrap


def run_case(name: str, spec: str, out: Path, seeds: list[int], peers: bool, reuse: bool = False) -> dict:
    config, _, overrides = spec.partition(":")
    runs = []
    for seed in seeds:
        cfg = RunConfig.from_file(config, [*filter(None, split_overrides(overrides)), f"train.seed={seed}"])
        run_dir = out / f"{name}-seed{seed}"
        m = finished(run_dir, cfg) if reuse else None
        if m is None:
            m = train(cfg, run_dir, overwrite=True).metrics
        row = {"seed": seed, "model": m["test"][m["primary_metric"]], "model_val": m["val"][m["primary_metric"]],
               "chosen": m["baseline"]["key"],
               "baseline": m["baseline"]["test"][m["primary_metric"]], "verdict": m["verdict"],
               "candidates": {k: {"val": c["val"][m["primary_metric"]], "test": c["test"][m["primary_metric"]],
                                  "seconds": c["seconds"]} for k, c in m["baseline"]["candidates"].items()},
               "model_train_seconds": m["seconds"]["train"]}
        if peers:
            from peers import chemprop_on_run

            row["chemprop"] = chemprop_on_run(run_dir)
        runs.append(row)
    return {"case": name, "config": spec, "metric": m["primary_metric"], "runs": runs, "summary": summarise(runs)}


def split_overrides(overrides: str) -> list[str]:
    """``a=1,b=[x,y]`` → ``["a=1", "b=[x,y]"]``: a comma inside brackets belongs to a list value."""
    return re.split(r",(?![^\[]*\])", overrides)


def finished(run_dir: Path, cfg: RunConfig) -> dict | None:
    """The metrics of a complete run of this very config (``--reuse``: a killed benchmark continues)."""
    try:
        check_run(run_dir)
        same = read_run_config(run_dir).to_dict() == checked_config(cfg).to_dict()
    except BiofmError:
        return None
    return read_json(run_dir / "metrics.json") if same else None


def summarise(runs: list[dict]) -> dict:
    def mean_sd(values):
        values = [v for v in values if v is not None]
        return {"mean": round(statistics.fmean(values), 4),
                "sd": round(statistics.stdev(values), 4) if len(values) > 1 else 0.0} if values else None

    summary = {"model": mean_sd([r["model"] for r in runs]), "model_val": mean_sd([r.get("model_val") for r in runs]),
               "chosen_baseline": mean_sd([r["baseline"] for r in runs]),
               "verdicts": dict(Counter(r["verdict"]["verdict"] for r in runs)),
               "chosen": dict(Counter(r["chosen"] for r in runs)),
               "model_train_seconds": mean_sd([r["model_train_seconds"] for r in runs])}
    for key in runs[0]["candidates"]:
        summary[key] = mean_sd([r["candidates"][key]["test"] for r in runs])
        summary[f"{key}_seconds"] = mean_sd([r["candidates"][key]["seconds"] for r in runs])
    if "chemprop" in runs[0]:
        summary["chemprop"] = mean_sd([r["chemprop"]["test"] for r in runs])
        summary["chemprop_seconds"] = mean_sd([r["chemprop"]["seconds"] for r in runs])
    return summary


def versus(pair: str, out: Path, seeds: list[int]) -> dict:
    """Case A's model against case B's, seed by seed, on the test items both were scored on."""
    first, _, second = pair.partition(":")
    rows = []
    for seed in seeds:
        a, b = load_run(out / f"{first}-seed{seed}"), load_run(out / f"{second}-seed{seed}")
        if read_json(a.run_dir / "splits.json")["test"] != read_json(b.run_dir / "splits.json")["test"]:
            raise SystemExit(f"--versus {pair}: seed {seed} was tested on different items")
        test = load_splits(a.config.data, a.modality).test
        metric = read_json(a.run_dir / "metrics.json")["primary_metric"]
        result = paired_bootstrap(a.task, a.task.encode(test), a.outputs(test.inputs), b.outputs(test.inputs), metric)
        rows.append({"seed": seed, **result})
    differences = [r["difference"] for r in rows]
    return {"pair": pair, "metric": rows[0]["metric"], "runs": rows,
            "difference": {"mean": round(statistics.fmean(differences), 4),
                           "sd": round(statistics.stdev(differences), 4) if len(differences) > 1 else 0.0},
            "verdicts": dict(Counter(r["verdict"] for r in rows))}


def views_versus(case: str, out: Path, seeds: list[int]) -> dict:
    """A case's runs predicting with ``data.tta`` (the mean over each input's views) against the same weights
    on one view: what test-time views are worth, free of training noise.  Validation decides; test is shown."""
    rows = []
    for seed in seeds:
        runs = {views: load_run(out / f"{case}-seed{seed}", views=views) for views in (True, False)}
        run = runs[True]
        splits = load_splits(run.config.data, run.modality)
        metric = read_json(run.run_dir / "metrics.json")["primary_metric"]
        found = {}
        for part in ("val", "test"):
            records = getattr(splits, part)
            outputs = {views: each.outputs(records.inputs) for views, each in runs.items()}
            found[part] = paired_bootstrap(run.task, run.task.encode(records), outputs[True], outputs[False], metric)
        rows.append({"seed": seed, **found["test"], "val": {"views": found["val"]["model"],
                                                             "one_view": found["val"]["baseline"]}})
    differences = [r["difference"] for r in rows]
    return {"pair": f"{case} (views):{case} (one view)", "metric": rows[0]["metric"], "runs": rows,
            "val_difference": round(statistics.fmean(r["val"]["views"] - r["val"]["one_view"] for r in rows), 4),
            "difference": {"mean": round(statistics.fmean(differences), 4),
                           "sd": round(statistics.stdev(differences), 4) if len(differences) > 1 else 0.0},
            "verdicts": dict(Counter(r["verdict"] for r in rows))}


def versus_table(pairs: list[dict]) -> str:
    lines = ["| A vs B (test metric) | difference A − B, mean ± s.d. | 95 % intervals by seed | verdicts (A vs B) |",
             "|---|---|---|---|"]
    for p in pairs:
        intervals = "; ".join(f"{r['ci95'][0]:+.3f} to {r['ci95'][1]:+.3f}" for r in p["runs"])
        val = f" (validation {p['val_difference']:+.4f})" if "val_difference" in p else ""
        lines.append(f"| {p['pair'].replace(':', ' vs ')} ({p['metric']}) | {p['difference']['mean']:+.4f} ± "
                     f"{p['difference']['sd']:.4f}{val} | {intervals} | "
                     f"{', '.join(f'{v}×{n}' for v, n in p['verdicts'].items())} |")
    return "\n".join(lines) + "\n"


def table(cases: list[dict]) -> str:
    lines = ["| case (test metric) | candidates: mean ± s.d. (seconds) | chosen on val | model (validation) | model | "
             "Chemprop | verdicts (model vs chosen) |", "|---|---|---|---|---|---|---|"]
    for case in cases:
        s = case["summary"]
        keys = list(case["runs"][0]["candidates"])
        candidates = "; ".join(f"{k} {_fmt(s[k])} ({s[f'{k}_seconds']['mean']:.0f} s)" for k in keys)
        chemprop = f"{_fmt(s['chemprop'])} ({s['chemprop_seconds']['mean']:.0f} s)" if "chemprop" in s else "—"
        lines.append(f"| {case['case']} ({case['metric']}) | {candidates} | {_fmt(s['chosen_baseline'])} "
                     f"({', '.join(f'{k}×{n}' for k, n in s['chosen'].items())}) | {_fmt(s.get('model_val'))} | "
                     f"{_fmt(s['model'])} "
                     f"({s['model_train_seconds']['mean']:.0f} s) | {chemprop} | "
                     f"{', '.join(f'{v}×{n}' for v, n in s['verdicts'].items())} |")
    return "\n".join(lines) + "\n"


def _fmt(stat: dict | None) -> str:
    return "—" if stat is None else f"{stat['mean']:.3f} ± {stat['sd']:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("runs/bench/yardsticks"))
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--case", action="append", required=True, help="NAME=CONFIG[:override,override…]")
    parser.add_argument("--peers", nargs="*", default=None, metavar="CASE",
                        help="also Chemprop v2 on each run's rows (molecules): every case, or the cases named")
    parser.add_argument("--reuse", action="store_true", help="keep complete runs of the same config (resume)")
    parser.add_argument("--versus", action="append", default=[], metavar="CASE:CASE",
                        help="the first case's model against the second's, paired bootstrap on the same test items")
    parser.add_argument("--views", action="append", default=[], metavar="CASE",
                        help="the case's runs with test-time views (data.tta) against one view, same weights")
    args = parser.parse_args()
    cases = []
    for spec in args.case:
        name, _, config = spec.partition("=")
        peers = args.peers is not None and (not args.peers or name in args.peers)
        cases.append(run_case(name, config, args.out, args.seeds, peers, args.reuse))
        write_json(args.out / "yardsticks.json", cases)  # after every case: a long benchmark keeps what it has
        (args.out / "yardsticks.md").write_text(table(cases), encoding="utf-8")
    pairs = [versus(pair, args.out, args.seeds) for pair in args.versus]
    pairs += [views_versus(case, args.out, args.seeds) for case in args.views]
    if pairs:
        write_json(args.out / "versus.json", pairs)
        (args.out / "yardsticks.md").write_text(table(cases) + "\n" + versus_table(pairs), encoding="utf-8")
    print(json.dumps([c["summary"] for c in cases], indent=1))
    print(table(cases) + ("\n" + versus_table(pairs) if pairs else ""))


if __name__ == "__main__":
    main()
