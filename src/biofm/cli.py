"""The ``biofm`` command line: one thin wrapper per public library function.

Every ``BiofmError`` becomes one red line and exit code 2 — a user never sees a traceback for a
problem they can fix.
"""

from __future__ import annotations

import functools
import importlib
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from biofm import datasets as bundled
from biofm.config import PretrainConfig, RunConfig
from biofm.errors import BiofmError
from biofm.progress import console

ENGINE_HELP = "torch, or an exported graph: onnx / onnx-int8 (see `biofm export`)."
app = typer.Typer(help="Adapt foundation models to molecules, DNA and clinical text.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
datasets_app = typer.Typer(help="Bundled datasets (offline, with licence and provenance).", no_args_is_help=True)
app.add_typer(datasets_app, name="datasets")


def friendly(command):
    """Turn user-fixable errors into a message and exit code 2."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except BiofmError as exc:
            console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            console.print("[bold red]interrupted[/]")
            raise typer.Exit(130) from None

    return wrapper


def _start_or_resume(command: str, config: Path | None, out: Path | None, set_: list[str] | None,
                     resume: Path | None, kind: type = RunConfig, folder: str = "run folder",
                     placeholder: str = "RUN_DIR"):
    """The config of a fresh start, or None when ``--resume FOLDER`` alone asks to continue one."""
    if resume is not None:
        if config or out or set_:
            raise BiofmError(f"--resume takes only the {folder}: its config.yaml is reused as it was")
        return None
    if config is None or out is None:
        raise BiofmError(f"{command} needs --config and --out (or --resume {placeholder})")
    return kind.from_file(config, set_ or [])


@app.command()
@friendly
def train(
    config: Annotated[Path | None, typer.Option(help="Run config YAML (see configs/).")] = None,
    out: Annotated[Path | None, typer.Option(help="Run folder to create.")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", help="Override, e.g. --set train.epochs=3")] = None,
    overwrite: Annotated[bool, typer.Option(help="Replace an existing run folder.")] = False,
    baseline: Annotated[bool | None, typer.Option("--baseline/--no-baseline",
                                                 help="Fit the classical baseline (default: the config's).")] = None,
    resume: Annotated[Path | None, typer.Option(help="Continue an interrupted run from its last checkpoint.")] = None,
) -> None:
    """Fine-tune a model and write a run folder (weights, tokenizer, metrics, predictions)."""
    from biofm.train import resume as resume_training
    from biofm.train import train as run_training

    cfg = _start_or_resume("train", config, out, set_, resume)
    result = resume_training(resume) if cfg is None else run_training(cfg, out, overwrite=overwrite, baseline=baseline)
    if not result.metrics:  # another process of a torchrun launch: rank 0 reports
        return
    show_metrics(result.metrics)
    console.print(f"run folder: [bold]{result.run_dir}[/] (training {result.metrics['seconds']['train']} s)")


@app.command()
@friendly
def pretrain(
    config: Annotated[Path | None, typer.Option(help="Pretraining config YAML (see configs/pretrain_*.yaml).")] = None,
    out: Annotated[Path | None, typer.Option(help="Checkpoint folder to create (e.g. models/smiles-mini).")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", help="Override, e.g. --set train.steps=100")] = None,
    overwrite: Annotated[bool, typer.Option(help="Replace an existing checkpoint folder.")] = False,
    resume: Annotated[Path | None, typer.Option(help="Continue an interrupted pretraining run.")] = None,
) -> None:
    """Masked-LM pretraining on an unlabelled corpus (streamed); writes a HuggingFace checkpoint + model card."""
    from biofm.pretrain import pretrain as run_pretraining
    from biofm.pretrain import resume_pretraining

    cfg = _start_or_resume("pretrain", config, out, set_, resume, PretrainConfig, "checkpoint folder", "FOLDER")
    result = resume_pretraining(resume) if cfg is None else run_pretraining(cfg, out, overwrite=overwrite)
    m = result.metrics
    console.print(f"validation masked-token accuracy {m['val_masked_accuracy']} · loss {m['val_loss']} · "
                  f"{m['tokens_per_second']} tokens/s · peak memory {m['peak_memory_mb']} MB")
    console.print(f"checkpoint: [bold]{result.out_dir}[/] (model card: README.md)")


@app.command()
@friendly
def evaluate(
    run_dir: Annotated[Path, typer.Argument(help="A finished run folder.")],
    data: Annotated[Path, typer.Option(help="Labelled file with the run's columns.")],
    skip_invalid: Annotated[bool, typer.Option(help="Skip invalid rows (counted) instead of failing.")] = False,
    engine: Annotated[str, typer.Option(help=ENGINE_HELP)] = "torch",
) -> None:
    """Metrics of a trained run on a labelled file (saved under RUN_DIR/evaluations/)."""
    from biofm.predict import evaluate as run_evaluation

    result = run_evaluation(run_dir, data, skip_invalid=skip_invalid, engine=engine)
    show_metrics({"primary_metric": None, data.name: result["metrics"], "warnings": result["warnings"]},
                 splits=(data.name,))
    console.print(f"{result['n']} rows evaluated, {result['skipped_rows']} skipped")


@app.command()
@friendly
def predict(
    run_dir: Annotated[Path, typer.Argument(help="A finished run folder.")],
    input: Annotated[Path, typer.Option(help="File of inputs (CSV/TSV/JSONL/Parquet, or modality formats).")],
    output: Annotated[Path, typer.Option(help="CSV to write.")],
    input_column: Annotated[str | None, typer.Option(help="Column with the inputs (default: as in training).")] = None,
    skip_invalid: Annotated[bool, typer.Option(help="Skip invalid rows (counted) instead of failing.")] = False,
    show: Annotated[bool, typer.Option(help="Print the predictions as a table.")] = False,
    engine: Annotated[str, typer.Option(help=ENGINE_HELP)] = "torch",
    mc_samples: Annotated[int, typer.Option(help="Monte-Carlo dropout passes; adds a *_std column per output.")] = 0,
    top_k: Annotated[int, typer.Option(help="Add the k most probable classes per row (top1, top1_prob, …).")] = 0,
) -> None:
    """Predict new inputs with a trained run; writes probabilities or values per row."""
    from biofm.predict import predict as run_prediction

    frame = run_prediction(run_dir, input, output, skip_invalid=skip_invalid, input_column=input_column,
                           engine=engine, mc_samples=mc_samples, top_k=top_k)
    if show:
        table = Table(*map(str, frame.columns))
        for row in frame.head(50).itertuples(index=False):
            table.add_row(*(f"{v:.3f}" if isinstance(v, float) else str(v) for v in row))
        console.print(table)
    console.print(f"{len(frame)} predictions written to {output}")


@app.command()
@friendly
def export(
    run_dir: Annotated[Path, typer.Argument(help="A finished run folder.")],
    format: Annotated[str, typer.Option(help="Export format (onnx).")] = "onnx",
    quantize: Annotated[str | None, typer.Option(help="Also write a dynamically quantised model: int8.")] = None,
) -> None:
    """Export a run to ONNX (optionally int8) and check it against PyTorch on the validation split."""
    from biofm.export import export as run_export

    if format != "onnx":
        raise BiofmError(f"--format: only onnx is supported, got {format!r}")
    parity = run_export(run_dir, quantize=quantize)
    for engine in ("onnx", "onnx-int8"):
        if engine in parity:
            p = parity[engine]
            console.print(f"{engine:10} {p['file']} ({p['megabytes']} MB): max |Δlogit| "
                          f"{p['max_abs_logit_difference']:.2e}, metric Δ {p['metric_delta']}")
    console.print(f"parity on {parity['n_validation']} validation inputs written to {run_dir}/export/parity.json")


@app.command()
@friendly
def explain(
    run_dir: Annotated[Path, typer.Argument(help="A finished run folder.")],
    output: Annotated[Path, typer.Option(help="Folder for the pictures, explanations.jsonl and index.html.")],
    input: Annotated[Path | None, typer.Option(help="File of inputs, read like `biofm predict` reads it.")] = None,
    item: Annotated[str | None, typer.Option("--item", "--smiles", "--sequence", "--text",
                                             help="One input to explain instead of a file.")] = None,
    target: Annotated[str | None, typer.Option(help="Output to explain (default: the predicted class).")] = None,
    steps: Annotated[int, typer.Option(help="Integrated-gradients steps.")] = 50,
    limit: Annotated[int, typer.Option(help="Explain at most this many inputs of the file.")] = 100,
) -> None:
    """Per-token attributions (Integrated Gradients) shown on atoms, bases (+ JASPAR motifs) or words."""
    from biofm.explain import explain as run_explain
    from biofm.explain import explain_file

    if (input is None) == (item is None):
        raise BiofmError("explain needs exactly one of --input FILE or --item/--smiles/--sequence/--text")
    if item is not None:
        explanations = run_explain(run_dir, [item], output, target=target, steps=steps)
    else:
        explanations = explain_file(run_dir, input, output, target=target, steps=steps, limit=limit)
    for e in explanations[:10]:
        top = sorted(zip(e.tokens, e.token_scores, strict=True), key=lambda t: -abs(t[1]))[:5]
        console.print(f"{e.input[:60]} → {e.explained_output} {e.prediction[e.explained_output]:.3f}; top tokens: "
                      + ", ".join(f"{t} {s:+.3f}" for t, s in top), highlight=False)
        if e.view.get("motifs"):
            m = e.view["motifs"][0]
            console.print(f"   strongest window {e.view['window_sequence']} ~ {m['name']} ({m['relative_score']:.2f})")
    console.print(f"{len(explanations)} explanation(s) in {output}/ (open index.html)")


@app.command()
@friendly
def calibrate(
    run_dir: Annotated[Path, typer.Argument(help="A finished run folder.")],
    coverage: Annotated[float, typer.Option(help="Conformal coverage level, e.g. 0.9.")] = 0.9,
    temperature: Annotated[bool, typer.Option(help="Fit temperature scaling (classification).")] = True,
) -> None:
    """Temperature scaling + conformal prediction sets/intervals fitted on validation, checked on test."""
    from biofm.calibration import calibrate as run_calibration

    result = run_calibration(run_dir, coverage=coverage, temperature=temperature)
    if "temperature" in result:
        loss = result["log_loss"]
        console.print(f"temperature {result['temperature']} · test log-loss "
                      f"{loss['test_before']} → {loss['test_after']}")
    for level, check in result["test"].items():
        size = (f"mean set size {check['mean_set_size']}" if "mean_set_size" in check
                else f"half-width {check['half_width']}")
        console.print(f"requested {float(level):.0%}: test coverage {check['coverage']:.1%} · {size}")
    if "warning" in result:
        console.print(f"[yellow]warning:[/] {result['warning']}")
    console.print(f"written to {run_dir}/calibration.json; predict and serve now use it")


@app.command()
@friendly
def deid(
    input: Annotated[Path, typer.Argument(help="CSV/TSV (optionally .gz) or a .txt file, one record a line.")],
    output: Annotated[Path, typer.Option(help="Where to write the de-identified copy.")],
    column: Annotated[str | None, typer.Option(help="Table column to clean (default: every text column).")] = None,
) -> None:
    """Replace protected health information (names, dates, IDs …) by typed placeholders ([NAME] …)."""
    from biofm.deid import deidentify_file

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
    strategy: Annotated[str, typer.Option(help="uncertainty, margin, diversity, hybrid or random.")] = "hybrid",
    seed: Annotated[int, typer.Option(help="Seed for the random strategy.")] = 0,
) -> None:
    """Rank unlabelled items to label next (active learning), batch-aware so picks are not near-duplicates."""
    from biofm.active import suggest as rank_pool

    frame = rank_pool(run_dir, pool, n, output, strategy=strategy, seed=seed)
    console.print(f"{len(frame)} items to label next ({strategy}) → {output}")


@app.command("simulate-al")
@friendly
def simulate_al(
    config: Annotated[Path, typer.Option(help="Run config YAML; its training split is the pool.")],
    out: Annotated[Path, typer.Option(help="Folder for curves, plot and summary (resumable).")],
    start: Annotated[int, typer.Option(help="Random labels to start from.")] = 100,
    step: Annotated[int, typer.Option(help="Labels revealed per round.")] = 100,
    rounds: Annotated[int, typer.Option(help="Rounds after the first model.")] = 5,
    strategies: Annotated[str, typer.Option(help="Comma-separated strategies.")] = "random,uncertainty,hybrid",
    seeds: Annotated[str, typer.Option(help="Comma-separated seeds.")] = "0",
    set_: Annotated[list[str] | None, typer.Option("--set", help="Override, e.g. --set train.epochs=3")] = None,
) -> None:
    """Retrospective active learning on a labelled set: learning curves per strategy vs random sampling."""
    from biofm.active_simulation import simulate_active_learning

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
    trials: Annotated[int, typer.Option(help="Trials to run (added to any already in --out).")] = 20,
    seed: Annotated[int, typer.Option(help="Sampler seed.")] = 0,
    set_: Annotated[list[str] | None, typer.Option("--set", help="Override, e.g. --set train.epochs=3")] = None,
) -> None:
    """Hyperparameter search with Optuna (TPE, median pruning), chosen on the validation split only."""
    from biofm.sweep import read_space
    from biofm.sweep import sweep as search

    summary = search(RunConfig.from_file(config, set_ or []), read_space(space), out, trials, seed)
    console.print(f"best {summary['metric']} {summary['best_value']:.4f} (trial {summary['best_trial']}): "
                  f"{summary['best_params']} · {summary['complete']} complete, {summary['pruned']} pruned")
    console.print(f"table: {out / 'trials.csv'} · best config: {out / 'best_config.yaml'}")


def _federated(module: str = "federated_simulation"):
    """Flower is an optional extra: say how to get it instead of an ImportError."""
    try:
        return importlib.import_module(f"biofm.{module}")
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
    cfg = _start_or_resume("federate", config, out, set_, resume)
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
    cfg = _start_or_resume("federate-server", config, out, set_, resume)
    if cfg is None:  # the server's half of an interrupted federation; the sites join again
        result = _federated().resume(resume, address=address)
    else:
        result = _federated("federated").serve(cfg, out, address, overwrite=overwrite)
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
    _federated("federated").join(RunConfig.from_file(config, set_ or []), server, wait_seconds=wait)
    console.print("the server ended the federation")


@app.command("bench")
@friendly
def bench_command(
    run_dir: Annotated[Path, typer.Argument(help="A finished run folder (its data and model are measured).")],
    out: Annotated[Path, typer.Option(help="Where to write the JSON results.")] = Path("bench.json"),
    steps: Annotated[int, typer.Option(help="Timed training steps per trainer.")] = 40,
    preset: Annotated[str, typer.Option(help="Model size for the training comparison.")] = "small",
    items: Annotated[int, typer.Option(help="Batch-1 predictions timed per inference engine.")] = 200,
) -> None:
    """Measure training and inference speed side by side (our trainer vs plain HF; PyTorch vs ONNX)."""
    from biofm.bench import bench

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
def report(run_dir: Annotated[Path, typer.Argument(help="A finished run folder.")]) -> None:
    """(Re)build RUN_DIR/report.html: metrics beside the baseline, learning curves, test-set plots."""
    from biofm.report import write_report
    from biofm.runs import check_run

    console.print(f"report written to {write_report(check_run(run_dir))}")


@app.command()
@friendly
def serve(
    runs: Annotated[list[str], typer.Argument(help="Run folders as PATH or NAME=PATH; the first is the default.")],
    host: Annotated[str, typer.Option(help="Interface to bind; keep 127.0.0.1 unless behind a proxy.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    token: Annotated[str | None, typer.Option(help="Require 'Authorization: Bearer TOKEN' (or set BIOFM_API_TOKEN).")]
    = None,
    max_items: Annotated[int, typer.Option(help="Items per request.")] = 256,
    max_chars: Annotated[int, typer.Option(help="Characters per item.")] = 5_000,
) -> None:
    """Serve run folders over HTTP: JSON API (/predict, /models, /health, /docs) and a web page at /."""
    from biofm.serve import ServeLimits
    from biofm.serve import serve as run_server

    named = dict(_name_and_path(spec) for spec in runs)
    console.print(f"serving {', '.join(named)} on http://{host}:{port}  (API docs at /docs)")
    run_server(named, host=host, port=port, token=token, limits=ServeLimits(max_items=max_items, max_chars=max_chars))


def _name_and_path(spec: str) -> tuple[str, str]:
    name, sep, path = spec.partition("=")
    return (name, path) if sep else (Path(spec).name, spec)


@datasets_app.command("list")
@friendly
def datasets_list() -> None:
    """The bundled datasets."""
    table = Table("name", "modality", "task", "rows", "licence", "title")
    for card in bundled.catalog().values():
        rows = " + ".join(str(n) for n in card.n_rows().values())
        table.add_row(card.name, card.modality, card.task, rows, card.licence, card.title)
    console.print(table)


@datasets_app.command("show")
@friendly
def datasets_show(name: Annotated[str, typer.Argument(help="Dataset name from `biofm datasets list`.")]) -> None:
    """Card of one bundled dataset: source, licence, recipe, files, size."""
    card = bundled.get_dataset(name)
    for key in ("title", "modality", "task", "input_column", "label_columns", "default_split", "licence",
                "source", "citation", "recipe"):
        console.print(f"[bold]{key}[/]: {getattr(card, key)}", highlight=False)
    for part, n in card.n_rows().items():
        console.print(f"[bold]{part}[/]: {card.path(part)} ({n} rows)", highlight=False)


def show_metrics(metrics: dict, splits: tuple[str, ...] = ("val", "test")) -> None:
    """A table of the model's metrics per split, with the baseline's beside them."""
    parts = [p for p in splits if isinstance(metrics.get(p), dict)]
    baseline = metrics.get("baseline", {})
    columns = [f"model {p}" for p in parts] + [f"baseline {p}" for p in ("val", "test") if p in baseline]
    table = Table("metric", *columns, title=baseline.get("name") and f"baseline: {baseline['name']}")
    keys = next((list(metrics[p]) for p in parts), [])
    for key in keys:
        if key == "per_task":
            continue
        values = [metrics[p].get(key) for p in parts] + [baseline[p].get(key) for p in ("val", "test") if p in baseline]
        style = "bold" if key == metrics.get("primary_metric") else None
        table.add_row(key, *("—" if v is None else f"{v:.4f}" for v in values), style=style)
    console.print(table)
    for note in metrics.get("warnings", []) + baseline.get("warnings", []):
        console.print(f"[yellow]warning:[/] {note}")
