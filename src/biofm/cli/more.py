"""Commands beyond a single run: de-identification, active learning, sweeps, federated training,
benchmarks and the bundled datasets.  Each is a thin wrapper over one library function, imported when
the command runs (see ``default`` in app.py)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from biofm.cli.app import app, datasets_app, default, friendly, show_metrics, start_or_resume
from biofm.core.config import RunConfig
from biofm.core.console import console
from biofm.core.errors import BiofmError
from biofm.core.io import shown_path

SIMULATION = "biofm.labels.simulation:simulate_active_learning"  # where the commands' defaults are read
BENCH = "biofm.use.bench:bench"


@app.command()
@friendly
def deid(
    input: Annotated[Path, typer.Argument(help="CSV/TSV (optionally .gz) or a .txt file, one record a line.")],
    output: Annotated[Path, typer.Option(help="Where to write the de-identified copy.")],
    column: Annotated[str | None, typer.Option(help="Table column to clean (default: every text column).")] = None,
) -> None:
    """Replace protected health information (names, dates, IDs …) by typed placeholders ([NAME] …)."""
    from biofm.modalities.text.deid_files import deidentify_file

    result = deidentify_file(input, output, column)
    found = ", ".join(f"{kind} {n}" for kind, n in sorted(result["counts"].items()) if n) or "no PHI found"
    console.print(f"{result['rows']} records de-identified ({found}) → {output}")


@app.command()
@friendly
def suggest(
    run_dir: Annotated[Path, typer.Argument(help="A finished run folder (its model ranks the pool).")],
    pool: Annotated[Path, typer.Option(help="Unlabelled items (same input column as training).")],
    output: Annotated[Path, typer.Option(help="CSV of the items to label next, ranked, with reasons.")],
    n: Annotated[int, typer.Option(help="How many items to suggest.")] = 96,
    strategy: Annotated[str, typer.Option(help="uncertainty, margin, diversity, hybrid or random.")] = default(
        "biofm.labels.active:suggest", "strategy"),
    seed: Annotated[int, typer.Option(help="Seed for the random strategy.")] = 0,
) -> None:
    """Rank unlabelled items to label next (active learning), batch-aware so picks are not near-duplicates."""
    from biofm.labels.active import suggest as rank_pool

    frame = rank_pool(run_dir, pool, n, output, strategy=strategy, seed=seed)
    console.print(f"{len(frame)} items to label next ({strategy}) → {output}")


@app.command("simulate-al")
@friendly
def simulate_al(
    config: Annotated[Path, typer.Option(help="Run config YAML; its training split is the pool.")],
    out: Annotated[Path, typer.Option(help="Folder for curves, plot and summary (resumable).")],
    start: Annotated[int, typer.Option(help="Random labels to start from.")] = default(
        SIMULATION, "start"),
    step: Annotated[int, typer.Option(help="Labels revealed per round.")] = default(SIMULATION, "step"),
    rounds: Annotated[int, typer.Option(help="Rounds after the first model.")] = default(
        SIMULATION, "rounds"),
    strategies: Annotated[str, typer.Option(help="Comma-separated strategies.")] = ",".join(
        default(SIMULATION, "strategies")),
    seeds: Annotated[str, typer.Option(help="Comma-separated seeds.")] = ",".join(
        map(str, default(SIMULATION, "seeds"))),
    set_: Annotated[list[str] | None, typer.Option("--set", help="Override, e.g. --set train.epochs=3")] = None,
) -> None:
    """Retrospective active learning on a labelled set: learning curves per strategy vs random sampling."""
    from biofm.labels.simulation import simulate_active_learning

    summary = simulate_active_learning(
        RunConfig.from_file(config, set_ or []), out, start, step, rounds,
        tuple(s.strip() for s in strategies.split(",")), tuple(int(s) for s in seeds.split(",")))
    table = Table("strategy", "labels → metric (mean over seeds)", f"labels to {summary['target'] or 0:.3f}")
    for name, row in summary["strategies"].items():
        curve = "  ".join(f"{c['n_labelled']}:{c['mean']:.3f}" for c in row["curve"])
        table.add_row(name, curve, str(row["labels_to_target"] or "not reached"))
    console.print(table)
    console.print(f"{summary['metric']} with all labels: {summary['full_data']['mean']} · written to {out}")


@app.command()
@friendly
def sweep(
    config: Annotated[Path, typer.Option(help="Run config YAML: the starting point of every trial.")],
    space: Annotated[Path, typer.Option(help="Search space YAML: config key → {low, high[, log]} or [choices].")],
    out: Annotated[Path, typer.Option(help="Folder for trials/, trials.csv, best_config.yaml (resumable).")],
    trials: Annotated[int, typer.Option(help="Trials to run (added to any already in --out).")] = default(
        "biofm.training.sweep:sweep", "trials"),
    seed: Annotated[int, typer.Option(help="Sampler seed.")] = 0,
    set_: Annotated[list[str] | None, typer.Option("--set", help="Override, e.g. --set train.epochs=3")] = None,
) -> None:
    """Hyperparameter search with Optuna (TPE, median pruning), chosen on the validation split only."""
    from biofm.training.sweep import read_space
    from biofm.training.sweep import sweep as search

    summary = search(RunConfig.from_file(config, set_ or []), read_space(space), out, trials, seed)
    console.print(f"best {summary['metric']} {summary['best_value']:.4f} (trial {summary['best_trial']}): "
                  f"{summary['best_params']} · {summary['complete']} complete, {summary['pruned']} pruned")
    console.print(f"table: {out / 'trials.csv'} · best config: {out / 'best_config.yaml'}")


def _federated(module: str = "simulation"):
    """Flower is an optional extra: say how to get it instead of an ImportError."""
    try:
        return importlib.import_module(f"biofm.federated.{module}")
    except ImportError as exc:
        raise BiofmError(f"federated training needs Flower ({exc}); install it with: pip install 'biofm[federated]'") \
            from None


@app.command()
@friendly
def federate(
    config: Annotated[Path | None, typer.Option(help="Run config YAML (its federated: section).")] = None,
    out: Annotated[Path | None, typer.Option(help="Run folder to create (an ordinary one, plus federated/).")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", help="Override, e.g. --set federated.sites=5")] = None,
    overwrite: Annotated[bool, typer.Option(help="Replace an existing run folder.")] = False,
    resume: Annotated[Path | None, typer.Option(help="Continue an interrupted federation.")] = None,
) -> None:
    """Simulate federated fine-tuning on this machine: K site processes and a Flower server over loopback."""
    cfg = start_or_resume("federate", config, out, set_, resume)
    simulation = _federated()
    result = simulation.resume(resume) if cfg is None else simulation.federate(cfg, out, overwrite=overwrite)
    show_metrics(result.metrics)
    console.print(f"run folder: [bold]{result.run_dir}[/] (best round "
                  f"{result.metrics['federated']['best_round']}; per-round curve in federated/rounds.json)")


@app.command("federate-server")
@friendly
def federate_server(
    config: Annotated[Path | None, typer.Option(help="Model and evaluation data (val picks the round).")] = None,
    out: Annotated[Path | None, typer.Option(help="Run folder to create.")] = None,
    address: Annotated[str, typer.Option(help="Where sites connect, host:port.")] = "0.0.0.0:8080",
    set_: Annotated[list[str] | None, typer.Option("--set", help="Override, e.g. --set federated.sites=5")] = None,
    overwrite: Annotated[bool, typer.Option(help="Replace an existing run folder.")] = False,
    resume: Annotated[Path | None, typer.Option(help="Continue an interrupted server's run folder.")] = None,
) -> None:
    """Run the federation's server; waits for federated.sites sites, then runs federated.rounds rounds."""
    cfg = start_or_resume("federate-server", config, out, set_, resume)
    if cfg is None:  # the server's half of an interrupted federation; the sites join again
        result = _federated().resume(resume, address=address)
    else:
        result = _federated("server").serve(cfg, out, address, overwrite=overwrite)
    show_metrics(result.metrics)
    console.print(f"run folder: [bold]{result.run_dir}[/]")


@app.command("federate-client")
@friendly
def federate_client(
    config: Annotated[Path, typer.Option(help="This site's config: the same model, its own data file.")],
    server: Annotated[str, typer.Option(help="The server's host:port.")],
    set_: Annotated[list[str] | None, typer.Option("--set", help="Override, e.g. --set train.threads=4")] = None,
    wait: Annotated[float, typer.Option(help="Seconds to keep retrying while the server is not up yet.")] = 300.0,
) -> None:
    """Join a federation as one site: train locally each round; only weights leave this machine."""
    _federated("client").join(RunConfig.from_file(config, set_ or []), server, wait_seconds=wait)
    console.print("the server ended the federation")


@app.command("bench")
@friendly
def bench_command(
    run_dir: Annotated[Path, typer.Argument(help="A finished run folder (its data and model are measured).")],
    out: Annotated[Path, typer.Option(help="Where to write the JSON results.")] = Path("bench.json"),
    steps: Annotated[int, typer.Option(help="Timed training steps per trainer.")] = default(BENCH, "steps"),
    preset: Annotated[str, typer.Option(help="Model size for the training comparison.")] = default(BENCH, "preset"),
    items: Annotated[int, typer.Option(help="Batch-1 predictions timed per inference engine.")] = default(
        BENCH, "latency_items"),
) -> None:
    """Measure training and inference speed side by side (our trainer vs plain HF; PyTorch vs ONNX)."""
    from biofm.use.bench import bench

    console.print("measuring: matmul peak, two trainers, four inference engines (each in its own process) …")
    result = bench(run_dir, out, steps=steps, preset=preset, latency_items=items)
    t = result["training"]
    table = Table("training", "samples/s", "GFLOP/s", "of peak", "peak MB")
    for name in ("plain_hf_fp32", "biofm"):
        r = t[name]
        table.add_row(name, str(r["samples_per_second"]), str(r["gflops"]), f"{r['utilisation_of_peak']:.0%}",
                      str(r["peak_memory_mb"]))
    console.print(table)
    console.print(f"training speed-up {t['speedup']}x · matmul peak {result['matmul_peak_gflops']} GFLOP/s")
    table = Table("inference", "p50 ms", "p99 ms", "speed-up", "batch-64 /s", "ratio", "val Δ", "peak MB")
    for name, r in result["inference"].items():
        table.add_row(name, str(r["latency_ms_p50"]), str(r["latency_ms_p99"]), f"{r['latency_speedup']}x",
                      str(r["batch64_items_per_second"]), f"{r['throughput_ratio']}x", f"{r['metric_delta']:+.4f}",
                      str(r["peak_memory_mb"]))
    console.print(table)
    console.print(f"written to {out}")


@app.command()
@friendly
def compare(
    runs: Annotated[list[Path], typer.Argument(help="Run folders (e.g. runs/*); others are listed as left out.")],
    metric: Annotated[str | None, typer.Option(help="Metric to show (default: each run's primary metric).")] = None,
    sort: Annotated[str | None, typer.Option(help="Column to order by (model_test: best first), e.g. seconds.")]
    = None,
    output: Annotated[list[Path] | None, typer.Option(help="Also write the table: .csv or .html (repeatable).")]
    = None,
) -> None:
    """One table of many runs: data, model, adaptation, test metric beside the baseline's, verdict, blend, seconds."""
    from biofm.use.compare import compare_runs, write_comparison

    result = compare_runs(runs, metric=metric, sort=sort)
    shown = result.table.assign(run=[shown_path(r) for r in result.table.run])
    table = Table(*(c.replace("model_", "").replace("_", " ") for c in shown.columns))
    for row in shown.itertuples(index=False):
        table.add_row(*("—" if v is None or v != v else f"{v:.4f}" if isinstance(v, float) else str(v) for v in row))
    console.print(table)
    for path in output or []:
        console.print(f"written to {write_comparison(result.table, path)}")
    for folder, why in result.left_out.items():
        console.print(f"[yellow]left out[/] {folder}: {why}", highlight=False)


@app.command()
@friendly
def models() -> None:
    """Checkpoints that ship here, and the families of your own the test-suite verifies (train full / LoRA /
    probe → predict → explain → ONNX → serve): give any as model.pretrained (a local path works offline)."""
    from biofm.core.shipped import REPOSITORY_MODELS, shipped_model
    from biofm.modeling.foreign import VERIFIED_FAMILIES

    shipped = Table("shipped checkpoint", "path", title="in this repository (biofm pretrain)")
    for folder in sorted(REPOSITORY_MODELS.glob("*/config.json")):
        shipped.add_row(folder.parent.name, shipped_model(folder.parent.name))
    console.print(shipped)
    families = Table("family", "for example", "hub id (example)", "modality", "what differs",
                     title="your own checkpoint: verified families")
    for key, (what, hub, modality, note) in VERIFIED_FAMILIES.items():
        families.add_row(key, what, hub, modality, note)
    console.print(families)
    console.print("A checkpoint with its own code needs model.trust_remote_code: true; one with only pickle weights, "
                  "model.allow_pickle: true, or `biofm convert-checkpoint` once (also for a config.json without "
                  "model_type or a bare vocab.txt, as rxnfp's BERT ships). Its own tokenizer reads the raw input.",
                  highlight=False)


@app.command("convert-checkpoint")
@friendly
def convert_checkpoint_command(
    source: Annotated[str, typer.Argument(help="A checkpoint folder with pickle weights (pytorch_model.bin), or "
                                               "pkg:NAME/path inside an installed package.")],
    out: Annotated[Path, typer.Argument(help="Folder to write: safetensors, config.json, tokenizer, conversion.json.")],
    modality: Annotated[str, typer.Option(help="What the checkpoint reads (molecule, dna, text): cuts a vocab.txt.")],
    overwrite: Annotated[bool, typer.Option(help="Replace OUT if it exists.")] = False,
) -> None:
    """Make a checkpoint from elsewhere (e.g. rxnfp's BERT) loadable without pickle: weights to safetensors,
    model_type written down, a bare vocab.txt turned into the modality's tokenizer; checked to compute the same."""
    from biofm.modeling.conversion import CONVERSION, convert_checkpoint

    record = convert_checkpoint(source, out, modality, overwrite)
    console.print(f"{record['model_type']} checkpoint ({'with' if record['masked_lm_head'] else 'without'} its "
                  f"masked-LM head), tokenizer from {record['tokenizer']}; hidden states match the pickled copy "
                  f"(max |Δ| {record['parity_max_abs_difference']:.1e}) → {shown_path(out)} "
                  f"(see {CONVERSION}); use it as model.pretrained", highlight=False)


@datasets_app.command("list")
@friendly
def datasets_list() -> None:
    """The bundled datasets."""
    from biofm.data import datasets as bundled

    table = Table("name", "modality", "task", "rows", "licence", "title")
    for card in bundled.catalog().values():
        rows = " + ".join(str(n) for n in card.n_rows().values())
        table.add_row(card.name, card.modality, card.task, rows, card.licence, card.title)
    console.print(table)


@datasets_app.command("show")
@friendly
def datasets_show(name: Annotated[str, typer.Argument(help="Dataset name from `biofm datasets list`.")]) -> None:
    """Card of one bundled dataset: source, licence, recipe, files, size."""
    from biofm.data import datasets as bundled

    card = bundled.get_dataset(name)
    for key in ("title", "modality", "task", "input_column", "label_columns", "default_split", "licence",
                "source", "citation", "recipe"):
        console.print(f"[bold]{key}[/]: {getattr(card, key)}", highlight=False)
    for part, n in card.n_rows().items():
        console.print(f"[bold]{part}[/]: {card.path(part)} ({n} rows)", highlight=False)
