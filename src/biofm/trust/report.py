"""report.html: one self-contained page per run, with the plots a reviewer looks at first.

Built only from the run folder (metrics.json, predictions.csv, labels.json, history.json,
config.yaml), so ``biofm report RUN_DIR`` can rebuild it at any time.  Plots are matplotlib PNGs
embedded as base64: the file can be mailed or archived alone.
"""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: no display on servers
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import yaml
from sklearn.calibration import calibration_curve
from sklearn.metrics import confusion_matrix, precision_recall_curve, roc_curve

from biofm.core import layout
from biofm.core.io import atomic_path, read_json
from biofm.data.tasks import Task
from biofm.trust.significance import blend_label, verdict_line

MATRIX_CLASSES = 12  # above this, confusions are listed and ROC/PR micro-averaged instead of drawn per class

STYLE = """
body{font:15px/1.5 system-ui,sans-serif;color:#1d2733;max-width:1100px;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d8dee6}
.sub{color:#5b6876} table{border-collapse:collapse;margin:.5rem 0}
td,th{padding:.3rem .8rem;border-bottom:1px solid #e3e8ee;text-align:right}
th:first-child,td:first-child{text-align:left}
.grid{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start} .grid img{max-width:100%;height:auto}
.note{background:#fff7e0;border-left:4px solid #e0a800;padding:.4rem .8rem} code{font-size:90%}
.verdict{background:#eef4fb;border-left:4px solid #2f6fb3;padding:.4rem .8rem}
"""


def write_report(run_dir: str | Path) -> Path:
    """Write ``report.html`` into the run folder and return its path."""
    run_dir = Path(run_dir)
    metrics = read_json(run_dir / layout.METRICS)
    task = Task.from_json(read_json(run_dir / layout.LABELS))
    config = yaml.safe_load((run_dir / layout.CONFIG).read_text(encoding="utf-8"))
    history = json.loads((run_dir / layout.HISTORY).read_text()) if (run_dir / layout.HISTORY).exists() else []
    predictions = pd.read_csv(run_dir / layout.PREDICTIONS, dtype={c: str for c in task.columns}
                              if task.kind == "classification" else None)
    sections = [
        _header(run_dir, config, metrics),
        _metric_table(metrics),
        _section("Learning curves", [_learning_curves(history, metrics.get("primary_metric"))]),
        _section("Test set", _test_plots(task, predictions)),
        _data_section(metrics, task, predictions),
        _groups_section(metrics),
        _examples(task, predictions),
        _explained(run_dir),
        _calibration_section(run_dir),
    ]
    page = f"<!doctype html><html lang=en><meta charset=utf-8><title>biofm report · {html.escape(run_dir.name)}" \
           f"</title><style>{STYLE}</style><body>{''.join(sections)}</body></html>"
    target = run_dir / layout.REPORT
    with atomic_path(target) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return target


def _header(run_dir: Path, config: dict, metrics: dict) -> str:
    data, model = config["data"], config["model"]
    source = data.get("dataset") or Path(data["train"]).name
    encoder = model.get("pretrained") or f"preset {model['preset']} (from scratch)"
    versions = ", ".join(f"{k} {v}" for k, v in config.get("provenance", {}).get("versions", {}).items())
    return (f"<h1>{html.escape(run_dir.name)}</h1><p class=sub>{config['modality']} · {data['task']} of "
            f"{', '.join(data['label_columns'])} · data <b>{html.escape(source)}</b>, {data['split']} split · "
            f"encoder {html.escape(encoder)} · training {metrics['seconds']['train']} s, "
            f"{metrics.get('epochs_run', '?')} epochs</p>{_verdict(metrics)}"
            f"<p class=sub><small>{html.escape(versions)}</small></p>")


def _verdict(metrics: dict) -> str:
    """The headline: is the model better than the strongest classical baseline, beyond test-set noise?"""
    if not metrics.get("verdict"):
        return ""
    name = (metrics.get("baseline") or {}).get("name", "baseline")
    line = f"<p class=verdict><b>{html.escape(verdict_line(metrics['verdict'], name))}</b></p>"
    if blend := metrics.get("blend"):
        line += f"<p class=verdict>{html.escape(verdict_line(blend['verdict'], name, blend_label(blend)))}</p>"
    return line


def _metric_table(metrics: dict) -> str:
    baseline = metrics.get("baseline") or {}
    columns = [("model · val", metrics["val"]), ("model · test", metrics["test"])]
    columns += [(f"baseline · {p}", baseline[p]) for p in ("val", "test") if p in baseline]
    keys = [k for k in metrics["test"] if k != "per_task"]
    rows = "".join(
        f"<tr><td>{'<b>' + k + '</b>' if k == metrics.get('primary_metric') else k}</td>"
        + "".join(f"<td>{_fmt(col.get(k))}</td>" for _, col in columns) + "</tr>"
        for k in keys
    )
    head = "".join(f"<th>{name}</th>" for name, _ in columns)
    caption = _baseline_caption(baseline) if baseline else None
    caption = caption or f"<p class=sub>Baseline: {html.escape(baseline['name'])}, fitted on the same split.</p>" \
        if baseline else "<p class=note>No baseline in this run (--no-baseline).</p>"
    notes = "".join(f"<p class=note>{html.escape(w)}</p>" for w in metrics.get("warnings", []))
    return f"<h2>Metrics</h2>{caption}<table><tr><th>metric</th>{head}</tr>{rows}</table>{notes}"


def _baseline_caption(baseline: dict) -> str | None:
    """Which baseline, how it was chosen, and every candidate's validation and test figures."""
    candidates = baseline.get("candidates")
    if not candidates:
        return None
    metric = baseline.get("chosen_on", "").removeprefix("validation ")
    rows = "".join(f"<tr><td>{'<b>' if key == baseline.get('key') else ''}{html.escape(c['name'])}</td>"
                   f"<td>{_fmt(c['val'].get(metric))}</td><td>{_fmt(c['test'].get(metric))}</td>"
                   f"<td>{c['seconds']}</td></tr>" for key, c in candidates.items())
    return (f"<p class=sub>Baseline: <b>{html.escape(baseline['name'])}</b>, fitted on the same split and chosen "
            f"by {html.escape(baseline.get('chosen_on', 'validation'))} among:</p><table><tr><th>candidate</th>"
            f"<th>val {html.escape(metric)}</th><th>test {html.escape(metric)}</th><th>seconds</th></tr>{rows}</table>")


def _learning_curves(history: list[dict], primary: str | None) -> str:
    train = [(h["epoch"], h["loss"]) for h in history if "loss" in h]
    val = [(h["epoch"], h["eval_loss"]) for h in history if "eval_loss" in h]
    score = [(h["epoch"], h[f"eval_{primary}"]) for h in history if f"eval_{primary}" in h]
    if not (train or val):
        return "<p class=sub>No training history recorded.</p>"
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2))
    for points, label in ((train, "train loss"), (val, "validation loss")):
        if points:
            left.plot(*zip(*points, strict=True), marker="o", ms=3, label=label)
    left.set_xlabel("epoch"), left.set_ylabel("loss"), left.legend()
    if score:
        right.plot(*zip(*score, strict=True), marker="o", ms=3, color="tab:green")
        right.set_ylabel(f"validation {primary}")
    right.set_xlabel("epoch")
    return _img(fig, "learning curves")


def _test_plots(task: Task, frame: pd.DataFrame) -> list[str]:
    if task.mode == "regression":
        return [_parity(frame[c].astype(float), frame[f"pred_{c}"], c) for c in task.columns[:6]]
    if task.mode == "multilabel":
        pairs = [(c, frame[c], frame[f"prob_{c}"]) for c in task.columns[:6]]
        return [_roc_pr(pd.to_numeric(y, errors="coerce"), p, name) for name, y, p in pairs]
    classes = task.classes
    y = frame[task.columns[0]].astype(str)
    predicted = frame["predicted"].astype(str)
    if len(classes) > MATRIX_CLASSES:  # 200 diagnoses: a matrix and a curve per class would be unreadable
        truth = np.concatenate([(y == c).to_numpy(int) for c in classes])
        scores = np.concatenate([frame[f"prob_{c}"].to_numpy() for c in classes])
        return [_top_confusions(y, predicted),
                _roc_pr(pd.Series(truth), pd.Series(scores), "all classes, one vs rest (micro-average)")]
    plots = [_confusion(y, predicted, classes)]
    if len(classes) == 2:
        positive = classes[1]
        plots += [_roc_pr((y == positive).astype(int), frame[f"prob_{positive}"], f"{task.columns[0]} = {positive}"),
                  _calibration((y == positive).astype(int), frame[f"prob_{positive}"])]
    else:
        plots += [_roc_pr((y == c).astype(int), frame[f"prob_{c}"], f"{c} vs rest") for c in classes]
    return plots


def _top_confusions(y: pd.Series, predicted: pd.Series, n: int = 10) -> str:
    wrong = pd.DataFrame({"true": y, "predicted": predicted})[y != predicted]
    pairs = wrong.value_counts().head(n)
    rows = "".join(f"<tr><td>{html.escape(t)}</td><td>{html.escape(p)}</td><td>{count}</td></tr>"
                   for (t, p), count in pairs.items())
    return (f"<p class=sub>Most frequent confusions ({len(wrong)} of {len(y)} test items wrong)</p>"
            f"<table><tr><th>true</th><th>predicted</th><th>count</th></tr>{rows}</table>")


def _roc_pr(y: pd.Series, prob: pd.Series, name: str) -> str:
    known = y.notna()
    y, prob = y[known].astype(int), prob[known]
    if y.nunique() < 2:
        return f"<p class=sub>{html.escape(name)}: one class only in test, no ROC/PR curve.</p>"
    fig, (left, right) = plt.subplots(1, 2, figsize=(7, 3.2))
    fpr, tpr, _ = roc_curve(y, prob)
    left.plot(fpr, tpr), left.plot([0, 1], [0, 1], ls="--", c="grey")
    left.set_xlabel("false positive rate"), left.set_ylabel("true positive rate"), left.set_title("ROC")
    precision, recall, _ = precision_recall_curve(y, prob)
    right.plot(recall, precision), right.axhline(y.mean(), ls="--", c="grey")
    right.set_xlabel("recall"), right.set_ylabel("precision"), right.set_title("precision–recall")
    fig.suptitle(name, fontsize=10)
    return _img(fig, f"ROC and PR curves, {name}")


def _calibration(y: pd.Series, prob: pd.Series) -> str:
    observed, predicted = calibration_curve(y, prob, n_bins=10, strategy="quantile")
    ece = float(np.mean(np.abs(observed - predicted)))  # equal-mass bins, so a plain mean
    fig, ax = plt.subplots(figsize=(3.6, 3.2))
    ax.plot(predicted, observed, marker="o"), ax.plot([0, 1], [0, 1], ls="--", c="grey")
    ax.set_xlabel("predicted probability"), ax.set_ylabel("observed frequency")
    ax.set_title(f"calibration (ECE ≈ {ece:.3f})", fontsize=10)
    return _img(fig, "reliability diagram")


def _confusion(y: pd.Series, predicted: pd.Series, classes: list[str]) -> str:
    matrix = confusion_matrix(y, predicted, labels=classes)
    fig, ax = plt.subplots(figsize=(3.6, 3.2))
    ax.imshow(matrix, cmap="Blues")
    for (i, j), value in np.ndenumerate(matrix):
        ax.text(j, i, str(value), ha="center", va="center", color="black" if value < matrix.max() / 2 else "white")
    ax.set_xticks(range(len(classes)), classes, rotation=45), ax.set_yticks(range(len(classes)), classes)
    ax.set_xlabel("predicted"), ax.set_ylabel("true"), ax.set_title("confusion matrix", fontsize=10)
    return _img(fig, "confusion matrix")


def _parity(y: pd.Series, pred: pd.Series, name: str) -> str:
    known = y.notna()
    y, pred = y[known], pred[known]
    fig, (left, right) = plt.subplots(1, 2, figsize=(7, 3.2))
    left.scatter(y, pred, s=8, alpha=0.6)
    low, high = float(min(y.min(), pred.min())), float(max(y.max(), pred.max()))
    left.plot([low, high], [low, high], ls="--", c="grey")
    left.set_xlabel(f"true {name}"), left.set_ylabel("predicted"), left.set_title("parity")
    right.hist(pred - y, bins=30), right.set_xlabel("residual (predicted − true)"), right.set_title("residuals")
    return _img(fig, f"parity plot of {name}")


def _data_section(metrics: dict, task: Task, frame: pd.DataFrame) -> str:
    data = metrics["data"]
    rows = (f"<tr><td>train / val / test</td><td>{data['n_train']} / {data['n_val']} / {data['n_test']}</td></tr>"
            f"<tr><td>skipped invalid rows</td><td>{data['skipped_rows']}</td></tr>"
            f"<tr><td>truncated inputs (train/val/test)</td><td>{' / '.join(map(str, data['truncated'].values()))}"
            f"</td></tr>")
    if task.mode == "multiclass":
        counts = frame[task.columns[0]].astype(str).value_counts()
        shown = (json.dumps(counts.to_dict()) if len(counts) <= MATRIX_CLASSES else
                 f"{len(counts)} classes, {counts.min()}–{counts.max()} items each")
        rows += f"<tr><td>test labels</td><td>{html.escape(shown)}</td></tr>"
    return f"<h2>Data</h2><table>{rows}</table>"


def _groups_section(metrics: dict) -> str:
    """Test metrics per group of each ``data.group_columns`` column, model beside baseline."""
    groups = metrics.get("groups")
    if not groups:
        return ""
    tables = []
    for column, found in groups.items():
        rows = "".join(f"<tr><td>{html.escape(g['group'])}{' <small>(small)</small>' if g['small'] else ''}</td>"
                       f"<td>{g['n']}</td><td>{_fmt(g['model'])}</td><td>{_fmt(g['baseline'])}</td></tr>"
                       for g in found["groups"])
        tables.append(f"<p class=sub>by <b>{html.escape(column)}</b> (test {html.escape(found['metric'])}; smallest "
                      f"group: {html.escape(found['smallest'])})</p><table><tr><th>group</th><th>n</th><th>model</th>"
                      f"<th>baseline</th></tr>{rows}</table>")
    return ("<h2>For whom does it work?</h2><p class=note>Groups under 30 test items are marked small: their "
            f"figures are mostly noise.</p>{''.join(tables)}")


def _examples(task: Task, frame: pd.DataFrame) -> str:
    """The most confident right and wrong test predictions: where a reviewer should look."""
    if task.mode != "multiclass":
        return ""
    truth = frame[task.columns[0]].astype(str)
    confidence = frame[[f"prob_{c}" for c in task.classes]].max(axis=1)
    wrong = frame[truth != frame["predicted"].astype(str)].assign(conf=confidence).nlargest(5, "conf")
    right = frame[truth == frame["predicted"].astype(str)].assign(conf=confidence).nlargest(5, "conf")
    def table(part: pd.DataFrame) -> str:
        return "<table><tr><th>input</th><th>true</th><th>predicted</th><th>confidence</th></tr>" + "".join(
            f"<tr><td><code>{html.escape(str(r.input))[:90]}</code></td><td>{r[task.columns[0]]}</td>"
            f"<td>{r.predicted}</td><td>{r.conf:.3f}</td></tr>" for _, r in part.iterrows()) + "</table>"
    return f"<h2>Examples</h2><p>Most confident mistakes</p>{table(wrong)}<p>Most confident correct</p>{table(right)}"


def _explained(run_dir: Path) -> str:
    """The explanations written at the end of training (or by ``biofm explain --output RUN/explanations``)."""
    path = run_dir / layout.EXPLANATIONS / layout.EXPLANATIONS_FILE
    if not path.is_file():
        return ""
    cards = []
    for line in path.read_text(encoding="utf-8").splitlines():
        e = json.loads(line)
        view = e["view"].get("html") or "".join(_embedded(path.parent / Path(f).name)
                                                 for f in e["view"].get("files", []))  # text: shaded words
        findings = "".join(f"<br>{html.escape(line)}" for line in e["view"].get("findings", []))
        explained = f"{e['explained_output']} = {e['prediction'][e['explained_output']]:.3f}"
        cards.append(f"<div><p><code>{html.escape(e['input'][:90])}</code><br>{html.escape(explained)}"
                     f"{findings}</p>{view}</div>")
    method = html.escape(json.loads(path.read_text(encoding="utf-8").splitlines()[0])["method"])
    return (f"<h2>Explained examples</h2><p class=note>{method}. Red raises the explained output, blue lowers "
            f"it.</p><div class=grid>{''.join(cards)}</div>")


def _embedded(path: Path) -> str:
    if not path.is_file():
        return ""
    if path.suffix == ".svg":
        return path.read_text(encoding="utf-8").split("?>", 1)[-1]  # inline, without the XML declaration
    return f'<img alt="attributions" src="data:image/png;base64,{base64.b64encode(path.read_bytes()).decode()}">'


def _calibration_section(run_dir: Path) -> str:
    """Conformal coverage on test at each level, once ``biofm calibrate`` has run."""
    path = run_dir / layout.CALIBRATION
    if not path.is_file():
        return ""
    c = json.loads(path.read_text(encoding="utf-8"))
    rows = "".join(
        f"<tr><td>{float(level):.0%}</td><td>{check['coverage']:.1%}</td><td>"
        f"{check.get('mean_set_size', check.get('half_width'))}</td></tr>" for level, check in c["test"].items())
    temperature = f"<p>Temperature {c['temperature']} (test log-loss {c['log_loss']['test_before']} → " \
                  f"{c['log_loss']['test_after']}).</p>" if "temperature" in c else ""
    size = "mean set size" if c["mode"] == "multiclass" else "interval half-width"
    return (f"<h2>Calibration and conformal prediction</h2>{temperature}<table><tr><th>requested</th>"
            f"<th>test coverage</th><th>{size}</th></tr>{rows}</table>")


def _section(title: str, parts: list[str]) -> str:
    return f"<h2>{title}</h2><div class=grid>{''.join(parts)}</div>"


def _img(fig, alt: str) -> str:
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{base64.b64encode(buffer.getvalue()).decode()}">'


def _fmt(value) -> str:
    return "—" if value is None else f"{value:.4f}"
