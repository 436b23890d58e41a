"""The real commands on a tiny run: train → evaluate → predict, and errors as one clean line."""

import json

import pandas as pd
import yaml
from typer.testing import CliRunner

from biofm.cli import app

runner = CliRunner()


def write_config(tmp_path, data_dir):
    config = {
        "modality": "molecule",
        "data": {"train": str(data_dir / "bbb_small.csv"), "label_columns": ["bbb_permeable"],
                 "task": "classification"},
        "model": {"preset": "tiny", "max_length": 96},
        "train": {"epochs": 1, "batch_size": 32},
    }
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def test_train_evaluate_predict_round_trip(tmp_path, data_dir):
    config, run = write_config(tmp_path, data_dir), tmp_path / "run"
    result = runner.invoke(app, ["train", "--config", str(config), "--out", str(run), "--set", "train.epochs=2",
                                 "--no-baseline"])
    assert result.exit_code == 0, result.output
    assert json.loads((run / "metrics.json").read_text())["epochs_run"] == 2.0
    assert "baseline" not in json.loads((run / "metrics.json").read_text())

    result = runner.invoke(app, ["evaluate", str(run), "--data", str(data_dir / "bbb_small.csv")])
    assert result.exit_code == 0, result.output
    assert (run / "evaluations" / "bbb_small.csv.json").exists()

    out = tmp_path / "pred.csv"
    drugs = tmp_path / "drugs.csv"
    drugs.write_text("name,smiles\ncaffeine,Cn1cnc2c1c(=O)n(C)c(=O)n2C\nethanol,OCC\n")
    result = runner.invoke(app, ["predict", str(run), "--input", str(drugs), "--output", str(out), "--show"])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert list(frame.name) == ["caffeine", "ethanol"] and list(frame.input)[1] == "CCO"
    assert ((frame.prob_0 + frame.prob_1 - 1).abs() < 1e-5).all()


def test_errors_are_one_line_and_exit_2(tmp_path, data_dir, trained_run):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,smiles\nx,C1CC\n")
    result = runner.invoke(app, ["predict", str(trained_run), "--input", str(bad), "--output", str(tmp_path / "o.csv")])
    assert result.exit_code == 2 and "bad.csv, row 2: not a valid SMILES" in result.output
    assert "Traceback" not in result.output

    result = runner.invoke(app, ["predict", str(trained_run), "--input", str(bad), "--output", str(tmp_path / "o.csv"),
                                 "--skip-invalid"])
    assert result.exit_code == 2 and "no usable rows (1 skipped" in result.output

    result = runner.invoke(app, ["train", "--config", str(tmp_path / "none.yaml"), "--out", str(tmp_path / "r")])
    assert result.exit_code == 2 and "config file not found" in result.output

    unlabeled = tmp_path / "unlabelled.csv"
    unlabeled.write_text("smiles\nCCO\n")
    result = runner.invoke(app, ["evaluate", str(trained_run), "--data", str(unlabeled)])
    assert result.exit_code == 2 and "missing column(s) 'bbb_permeable'" in result.output


def test_unseen_label_at_evaluation(tmp_path, trained_run):
    data = tmp_path / "odd.csv"
    data.write_text("smiles,bbb_permeable\nCCO,1\nCCC,maybe\n")
    result = runner.invoke(app, ["evaluate", str(trained_run), "--data", str(data)])
    assert result.exit_code == 2 and "row 3: label 'maybe' was not seen in training" in result.output


def test_report_command_rebuilds_the_page(trained_run):
    (trained_run / "report.html").unlink()
    result = runner.invoke(app, ["report", str(trained_run)])
    assert result.exit_code == 0 and (trained_run / "report.html").stat().st_size > 10_000


def test_datasets_commands():
    result = runner.invoke(app, ["datasets", "list"])
    assert result.exit_code == 0 and "b3db" in result.output and "solubility" in result.output
    result = runner.invoke(app, ["datasets", "show", "b3db"])
    assert result.exit_code == 0 and "CC0" in result.output
    result = runner.invoke(app, ["datasets", "show", "nope"])
    assert result.exit_code == 2 and "unknown dataset" in result.output


def test_deid_command_cleans_a_table_and_counts_what_it_found(tmp_path):
    notes = tmp_path / "notes.csv"
    pd.DataFrame({"note": ["Mrs. Ada Whitfield, MRN 55512345, called 555-201-3344 on 03/02/2024.", "no PHI here"],
                  "dx": ["flu", "cold"]}).to_csv(notes, index=False)
    result = runner.invoke(app, ["deid", str(notes), "--output", str(tmp_path / "clean.csv"), "--column", "note"])
    assert result.exit_code == 0, result.output
    assert "2 records" in result.output and "NAME 1" in result.output
    clean = pd.read_csv(tmp_path / "clean.csv")
    assert "Whitfield" not in clean.note[0] and "[ID]" in clean.note[0] and clean.note[1] == "no PHI here"


def test_suggest_command_writes_the_batch_and_names_a_bad_strategy(tmp_path, trained_run, data_dir):
    out = tmp_path / "next.csv"
    pool = str(data_dir / "bbb_small.csv")
    result = runner.invoke(app, ["suggest", str(trained_run), "--pool", pool, "--n", "5", "--output", str(out),
                                 "--strategy", "margin"])
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(out)) == 5
    result = runner.invoke(app, ["suggest", str(trained_run), "--pool", pool, "--output", str(out),
                                 "--strategy", "clever"])
    assert result.exit_code == 2 and "strategy" in result.output


def test_simulate_al_command_prints_the_curves(tmp_path, data_dir):
    config = write_config(tmp_path, data_dir)
    result = runner.invoke(app, ["simulate-al", "--config", str(config), "--out", str(tmp_path / "al"),
                                 "--start", "40", "--step", "20", "--rounds", "1", "--strategies", "random,margin"])
    assert result.exit_code == 0, result.output
    assert "margin" in result.output and (tmp_path / "al" / "summary.json").exists()


def test_every_flag_default_read_from_source_is_the_library_default():
    """The CLI reads its defaults from the library's source (so it need not import it); ``inspect`` on the
    imported function must agree for every ``default(...)`` the command modules call."""
    import ast
    import dataclasses
    import importlib
    import inspect

    from biofm.cli import more, runs
    from biofm.cli.app import default

    checked = 0
    for module in (runs, more):
        for node in ast.walk(ast.parse(inspect.getsource(module))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "default":
                where, parameter = (getattr(module, a.id) if isinstance(a, ast.Name) else a.value for a in node.args)
                path, _, name = where.partition(":")
                target = getattr(importlib.import_module(path), name)
                expected = ({f.name: f.default for f in dataclasses.fields(target)} if dataclasses.is_dataclass(target)
                            else {k: p.default for k, p in inspect.signature(target).parameters.items()})[parameter]
                assert default(where, parameter) == expected, (where, parameter)
                checked += 1
    assert checked >= 15


def test_usage_errors_are_one_line_too():
    """A missing option or a value of the wrong type: one red line and exit 2, never Typer's framed box."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "biofm", "predict", "runs/x", "--input", "a.csv", "--output", "p.csv",
                           "--top-k", "many"], capture_output=True, text=True, timeout=120)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2 and len(lines) == 1, done.stderr
    assert "Invalid value for '--top-k'" in lines[0] and "╭" not in done.stderr


def test_train_from_a_csv_and_a_label_alone_prints_what_it_inferred(tmp_path, data_dir):
    run = tmp_path / "assay"
    result = runner.invoke(app, ["train", str(data_dir / "bbb_small.csv"), "--label", "bbb_permeable",
                                 "--out", str(run), "--set", "train.epochs=1", "--set", "explain_examples=0",
                                 "--no-baseline"])
    assert result.exit_code == 0, result.output
    assert "inferred from bbb_small.csv: molecule inputs in 'smiles'" in " ".join(result.output.split())
    saved = yaml.safe_load((run / "config.yaml").read_text())
    assert saved["data"]["input_column"] == "smiles" and saved["model"]["extra_features"] == ["rdkit2d"]
    assert saved["model"]["pretrained"].endswith("smiles-mini") and (run / "features.json").exists()

    result = runner.invoke(app, ["train", str(data_dir / "bbb_small.csv"), "--config", "x.yaml", "--out", str(run)])
    assert result.exit_code == 2 and "not both" in result.output
    result = runner.invoke(app, ["train", "--label", "y", "--config", "x.yaml", "--out", str(run)])
    assert result.exit_code == 2 and "go with a DATA file" in result.output


def test_init_prints_a_commented_config_that_trains_the_same(tmp_path, data_dir):
    result = runner.invoke(app, ["init", str(data_dir / "solubility_small.csv"), "--label", "log_solubility"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "task: regression  # " in text and "inferred: regression of 'log_solubility'" in text
    assert yaml.safe_load(text)["data"]["input_column"] == "smiles"


def test_models_lists_the_shipped_checkpoints_and_the_verified_families():
    result = runner.invoke(app, ["models"], env={"COLUMNS": "240"})
    assert result.exit_code == 0, result.output
    assert "smiles-mini" in result.output and "DeepChem/ChemBERTa-77M-MTR" in result.output
    assert "trust_remote_code" in result.output
