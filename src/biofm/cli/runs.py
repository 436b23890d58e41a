"""Commands over one run folder's life: train / pretrain it, then evaluate, predict, export, explain,
calibrate, report and serve it.  Each is a thin wrapper over one library function, imported when the
command runs (see ``default`` in app.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from biofm.cli.app import ENGINE_HELP, app, default, friendly, show_metrics, start_or_resume
from biofm.core.config import PretrainConfig
from biofm.core.config_yaml import commented_yaml
from biofm.core.console import console
from biofm.core.errors import BiofmError

DATA_HELP = "A labelled file (CSV/TSV/JSONL/Parquet, FASTA, SDF): settings are inferred and printed, no config needed."
LABEL_HELP = "Column(s) to predict, with DATA (repeat for several: multi-task)."
INPUT_HELP = "Column holding the inputs, with DATA (default: the one that looks like SMILES, DNA or text)."
TASK_HELP = "classification or regression, with DATA (default: from the label's values)."
MODALITY_HELP = "molecule, dna or text, with DATA (default: from the input column's values)."


@app.command()
@friendly
def train(
    data: Annotated[Path | None, typer.Argument(help=DATA_HELP, show_default=False)] = None,
    label: Annotated[list[str] | None, typer.Option(help=LABEL_HELP)] = None,
    input: Annotated[str | None, typer.Option(help=INPUT_HELP)] = None,
    task: Annotated[str | None, typer.Option(help=TASK_HELP)] = None,
    modality: Annotated[str | None, typer.Option(help=MODALITY_HELP)] = None,
    config: Annotated[Path | None, typer.Option(help="Run config YAML (see configs/), instead of DATA.")] = None,
    out: Annotated[Path | None, typer.Option(help="Run folder to create.")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", help="Override, e.g. --set train.epochs=3")] = None,
    overwrite: Annotated[bool, typer.Option(help="Replace an existing run folder.")] = False,
    baseline: Annotated[bool | None, typer.Option("--baseline/--no-baseline",
                                                 help="Fit the classical baseline (default: the config's).")] = None,
    resume: Annotated[Path | None, typer.Option(help="Continue an interrupted run from its last checkpoint.")] = None,
) -> None:
    """Fine-tune a model and write a run folder (weights, tokenizer, metrics, predictions).

    Either DATA --label COLUMN (everything else inferred), or --config FILE, or --resume RUN_DIR."""
    from biofm.data.autoconfig import infer_config
    from biofm.training.train import resume as resume_training
    from biofm.training.train import train as run_training

    if data is not None:
        if config or resume:
            raise BiofmError("train: give DATA --label COLUMN, or --config FILE, not both")
        if out is None:
            raise BiofmError("train DATA needs --out RUN_DIR (the run folder to create)")
        inferred = infer_config(data, label or [], input, task, modality, set_)
        console.print(inferred.summary(), highlight=False, soft_wrap=True)
        cfg = inferred.config
    else:
        if label or input or task or modality:
            raise BiofmError("--label, --input, --task and --modality go with a DATA file: biofm train DATA --label "
                             "COLUMN (with --config, set them in the config)")
        cfg = start_or_resume("train", config, out, set_, resume)
    result = resume_training(resume) if cfg is None else run_training(cfg, out, overwrite=overwrite, baseline=baseline)
    if not result.metrics:  # another process of a torchrun launch: rank 0 reports
        return
    show_metrics(result.metrics)
    console.print(f"run folder: [bold]{result.run_dir}[/] (training {result.metrics['seconds']['train']} s; "
                  f"config: {result.run_dir}/config.yaml)")


@app.command()
@friendly
def init(
    data: Annotated[Path, typer.Argument(help=DATA_HELP.replace("settings are inferred and printed, no config needed",
                                                                "the file to write a config for"))],
    label: Annotated[list[str] | None, typer.Option(help=LABEL_HELP)] = None,
    input: Annotated[str | None, typer.Option(help=INPUT_HELP)] = None,
    task: Annotated[str | None, typer.Option(help=TASK_HELP)] = None,
    modality: Annotated[str | None, typer.Option(help=MODALITY_HELP)] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", help="Override, e.g. --set train.epochs=3")] = None,
) -> None:
    """Print the config `biofm train DATA --label COLUMN` would use, every key commented:
    biofm init assay.csv --label active > assay.yaml"""
    from biofm.data.autoconfig import infer_config

    inferred = infer_config(data, label or [], input, task, modality, set_)
    console.print(inferred.summary(), highlight=False, soft_wrap=True)
    header = (f"biofm run config for {data} (written by `biofm init`; edit, then run\n"
              f"  biofm train --config THIS_FILE.yaml --out runs/NAME)")
    typer.echo(commented_yaml(inferred.config, inferred.notes, header=header), nl=False)


@app.command()
@friendly
def pretrain(
    config: Annotated[Path | None, typer.Option(help="Pretraining config YAML (see configs/pretrain_*.yaml).")] = None,
    out: Annotated[Path | None, typer.Option(help="Checkpoint folder to create (e.g. models/smiles-mini).")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", help="Override, e.g. --set train.steps=100")] = None,
    overwrite: Annotated[bool, typer.Option(help="Replace an existing checkpoint folder.")] = False,
    resume: Annotated[Path | None, typer.Option(help="Continue an interrupted pretraining run.")] = None,
) -> None:
    """Pretraining on an unlabelled corpus (streamed): masked-LM, descriptor regression (mtr) or both; writes a
    HuggingFace checkpoint + model card."""
    from biofm.training.pretrain import pretrain as run_pretraining
    from biofm.training.pretrain import resume_pretraining

    cfg = start_or_resume("pretrain", config, out, set_, resume, PretrainConfig, "checkpoint folder", "FOLDER")
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
    robustness: Annotated[bool, typer.Option(help="Also score the inputs under the modality's meaning-preserving "
                                                  "perturbations (randomised SMILES, reverse complement, typos …).")]
    = False,
) -> None:
    """Metrics of a trained run on a labelled file (saved under RUN_DIR/evaluations/)."""
    from biofm.use.predict import evaluate as run_evaluation

    result = run_evaluation(run_dir, data, skip_invalid=skip_invalid, engine=engine, robust=robustness)
    baseline = {"name": result["baseline"]["name"], data.name: result["baseline"]["metrics"]} \
        if "baseline" in result else {}
    show_metrics({"primary_metric": None, data.name: result["metrics"], "warnings": result["warnings"],
                  "baseline": baseline, "verdict": result.get("verdict")}, splits=(data.name,))
    primary = result["primary_metric"]
    for name, found in result.get("robustness", {}).items():
        change = f"{found['flipped']:.1%} of predictions flip" if "flipped" in found else \
            f"mean |change| {found['mean_abs_change']:.4f}"
        value = found["metrics"].get(primary)
        console.print(f"under {name}: {primary} {'n/a' if value is None else f'{value:.4f}'} · {change}")
    console.print(f"{result['n']} rows evaluated, {result['skipped_rows']} skipped")


@app.command()
@friendly
def predict(
    run_dir: Annotated[Path, typer.Argument(help="A finished run folder.")],
    input: Annotated[Path, typer.Option(help="File of inputs (CSV/TSV/JSONL/Parquet, .smi, SDF, FASTA; gzip fine).")],
    output: Annotated[Path, typer.Option(help="CSV to write (.parquet or .csv.gz: streamed, see --top).")],
    input_column: Annotated[str | None, typer.Option(help="Column with the inputs (default: as in training).")] = None,
    skip_invalid: Annotated[bool, typer.Option(help="Skip invalid rows (counted) instead of failing.")] = False,
    show: Annotated[bool, typer.Option(help="Print the predictions as a table.")] = False,
    engine: Annotated[str, typer.Option(help=ENGINE_HELP)] = "torch",
    mc_samples: Annotated[int, typer.Option(help="Monte-Carlo dropout passes; adds a *_std column per output.")] = 0,
    top_k: Annotated[int, typer.Option(help="Add the k most probable classes per row (top1, top1_prob, …).")] = 0,
    baseline: Annotated[bool, typer.Option(help="Add the run's classical baseline's outputs (baseline_* columns).")]
    = False,
    blend: Annotated[bool, typer.Option(help="Predict the model's average with its baseline, at the weight the run "
                                             "chose on validation (metrics.json: blend).")] = False,
    top: Annotated[int | None, typer.Option(help="Screening: keep only the best N rows (streamed).")] = None,
    rank_by: Annotated[str | None, typer.Option(help="Screening: column to rank by (default: the last class's "
                                                     "probability, or the first value).")] = None,
    ascending: Annotated[bool, typer.Option(help="Screening: lowest first (e.g. a predicted IC50).")] = False,
    shard: Annotated[str | None, typer.Option(help="Screening: score shard K/N of the library (rows K-1 mod N).")]
    = None,
    resume: Annotated[bool, typer.Option(help="Screening: continue an interrupted screen.")] = False,
    chunk_rows: Annotated[int, typer.Option(help="Screening: rows read and scored at once.")] = default(
        "biofm.use.screen:screen", "chunk_rows"),
    views: Annotated[bool | None, typer.Option("--views/--one-view", help="Average each input's views (data.tta) "
                                               "or predict it as given; default: as the run was trained.")] = None,
) -> None:
    """Predict new inputs with a trained run; writes probabilities or values per row.

    A library larger than memory streams (read, score and write in chunks; invalid rows counted and written
    aside; resumable) whenever a screening option is given, the output is .parquet / .csv.gz, or the input
    is a .smi file."""
    from biofm.core.tables import base_suffix
    from biofm.use.predict import predict as run_prediction
    from biofm.use.screen import CHUNK_ROWS
    from biofm.use.screen import screen as run_screen

    streaming = top or shard or resume or chunk_rows != CHUNK_ROWS or base_suffix(input) == ".smi" \
        or output.name.endswith((".parquet", ".csv.gz"))
    if streaming:
        if mc_samples or top_k or baseline or blend or show:
            raise BiofmError("--mc-samples, --top-k, --baseline, --blend and --show work on in-memory predictions; "
                             "a screen "
                             "(--top, --shard, --resume, .parquet / .csv.gz output, .smi input) streams without them")
        r = run_screen(run_dir, input, output, top=top, rank_by=rank_by, ascending=ascending, shard=shard,
                       resume=resume, chunk_rows=chunk_rows, input_column=input_column, engine=engine, views=views)
        console.print(f"{r.rows_read:,} rows read, {r.scored:,} scored, {r.invalid:,} invalid"
                      + (f" (listed in {r.invalid_file})" if r.invalid_file else "")
                      + f" · {r.kept:,} rows written to {r.output} · {r.rows_per_second:,.0f} rows/s", highlight=False)
        return
    frame = run_prediction(run_dir, input, output, skip_invalid=skip_invalid, input_column=input_column,
                           engine=engine, mc_samples=mc_samples, top_k=top_k, baseline=baseline, views=views,
                           blend=blend)
    if show:
        table = Table(*map(str, frame.columns))
        for row in frame.head(50).itertuples(index=False):
            table.add_row(*(f"{v:.3f}" if isinstance(v, float) else str(v) for v in row))
        console.print(table)
    console.print(f"{len(frame)} predictions written to {output}")


@app.command("merge-scores")
@friendly
def merge_scores(
    files: Annotated[list[Path], typer.Argument(help="Outputs of screens (e.g. the shards of one library).")],
    output: Annotated[Path, typer.Option(help="File to write (.csv, .csv.gz or .parquet).")],
    top: Annotated[int, typer.Option(help="Rows to keep, best first.")],
    rank_by: Annotated[str, typer.Option(help="Column to rank by (as the screens did).")],
    ascending: Annotated[bool, typer.Option(help="Lowest first.")] = False,
) -> None:
    """The best N rows of several screens' outputs as one file (merge the --top N of each shard)."""
    from biofm.use.screen import merge_scores as run_merge

    console.print(f"{run_merge(files, output, top, rank_by, ascending):,} rows written to {output}")


@app.command()
@friendly
def export(
    run_dir: Annotated[Path, typer.Argument(help="A finished run folder.")],
    format: Annotated[str, typer.Option(help="Export format (onnx).")] = "onnx",
    quantize: Annotated[str | None, typer.Option(help="Also write a dynamically quantised model: int8.")] = None,
) -> None:
    """Export a run to ONNX (optionally int8) and check it against PyTorch on the validation split."""
    from biofm.use.export import export as run_export

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
    steps: Annotated[int, typer.Option(help="Integrated-gradients steps.")] = default(
        "biofm.trust.explain:explain_file", "steps"),
    limit: Annotated[int, typer.Option(help="Explain at most this many inputs of the file.")] = default(
        "biofm.trust.explain:explain_file", "limit"),
) -> None:
    """Per-token attributions (Integrated Gradients) shown on atoms, bases (+ JASPAR motifs) or words."""
    from biofm.trust.explain import explain as run_explain
    from biofm.trust.explain import explain_file

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
        for line in e.view.findings:
            console.print(f"   {line}", highlight=False)
    console.print(f"{len(explanations)} explanation(s) in {output}/ (open index.html)")


@app.command()
@friendly
def calibrate(
    run_dir: Annotated[Path, typer.Argument(help="A finished run folder.")],
    coverage: Annotated[float, typer.Option(help="Conformal coverage level, e.g. 0.9.")] = default(
        "biofm.trust.calibration:calibrate", "coverage"),
    temperature: Annotated[bool, typer.Option(help="Fit temperature scaling (classification).")] = True,
) -> None:
    """Temperature scaling + conformal prediction sets/intervals fitted on validation, checked on test."""
    from biofm.trust.calibration import calibrate as run_calibration

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
def report(run_dir: Annotated[Path, typer.Argument(help="A finished run folder.")]) -> None:
    """(Re)build RUN_DIR/report.html: metrics beside the baseline, learning curves, test-set plots."""
    from biofm.core.runfolder import check_run
    from biofm.trust.report import write_report

    console.print(f"report written to {write_report(check_run(run_dir))}")


@app.command()
@friendly
def serve(
    runs: Annotated[list[str], typer.Argument(help="Run folders as PATH or NAME=PATH; the first is the default.")],
    host: Annotated[str, typer.Option(help="Interface to bind; keep 127.0.0.1 unless behind a proxy.")] = default(
        "biofm.serve.app:serve", "host"),
    port: Annotated[int, typer.Option(help="TCP port.")] = default("biofm.serve.app:serve", "port"),
    token: Annotated[str | None, typer.Option(help="Require 'Authorization: Bearer TOKEN' (or set BIOFM_API_TOKEN).")]
    = None,
    max_items: Annotated[int, typer.Option(help="Items per request.")] = default(
        "biofm.serve.app:ServeLimits", "max_items"),
    max_chars: Annotated[int, typer.Option(help="Characters per item.")] = default(
        "biofm.serve.app:ServeLimits", "max_chars"),
) -> None:
    """Serve run folders over HTTP: JSON API (/predict, /models, /health, /docs) and a web page at /."""
    from biofm.serve import ServeLimits
    from biofm.serve import serve as run_server

    named = served_names(runs)
    console.print(f"serving {', '.join(named)} on http://{host}:{port}  (API docs at /docs)")
    run_server(named, host=host, port=port, token=token, limits=ServeLimits(max_items=max_items, max_chars=max_chars))


def served_names(specs: list[str]) -> dict[str, str]:
    """``PATH`` or ``NAME=PATH`` per run; two runs under one name would leave one unreachable: refused."""
    named: dict[str, str] = {}
    for spec in specs:
        name, sep, path = spec.partition("=")
        name, path = (name, path) if sep else (Path(spec).name, spec)
        if not name or name in named:
            raise BiofmError(f"serve: {'an empty model name' if not name else f'two runs named {name!r}'} "
                             f"({spec}); give each its own name as NAME=PATH")
        named[name] = path
    return named
