"""A damaged or edited run folder gets one line naming the file, in every command that loads a run."""

import json
import shutil

import pytest
from typer.testing import CliRunner

from biofm.cli import app
from biofm.core.errors import RunFolderError
from biofm.serve import create_app

runner = CliRunner()


def truncate(run, name, size=100):
    path = run / name
    path.write_bytes(path.read_bytes()[:size])


def edit_json(run, name, change):
    path = run / name
    data = json.loads(path.read_text())
    path.write_text(json.dumps(change(data)))


DAMAGE = {
    "truncated weights": (lambda run: truncate(run, "model.safetensors"), "model.safetensors: unreadable, truncated"),
    "empty weights": (lambda run: truncate(run, "model.safetensors", 0), "model.safetensors: unreadable, truncated"),
    "three classes for two outputs": (
        lambda run: edit_json(run, "labels.json", lambda d: {**d, "classes": ["0", "1", "2"]}),
        "head.json has 2 multiclass outputs but labels.json describes 3"),
    "kind changed": (lambda run: edit_json(run, "labels.json", lambda d: {**d, "kind": "survival"}),
                     "labels.json: not a biofm task (kind 'survival' is neither"),
    "keys removed": (lambda run: edit_json(run, "labels.json", lambda d: {"kind": d["kind"]}),
                     "labels.json: not a biofm task (columns: expected a list"),
    "wrong n_outputs": (lambda run: edit_json(run, "head.json", lambda d: {**d, "n_outputs": 7}),
                        "weights do not fit the model"),
    "encoder config null": (lambda run: (run / "encoder" / "config.json").write_text("null"),
                            "encoder: not a loadable encoder config"),
    "junk domain": (lambda run: (run / "domain.npz").write_bytes(b"not a zip archive at all"),
                    "domain.npz: not a biofm applicability-domain file"),
}


@pytest.fixture(params=sorted(DAMAGE))
def damaged(request, trained_run, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(trained_run, run)
    damage, message = DAMAGE[request.param]
    damage(run)
    return run, message


@pytest.mark.parametrize("command", ["predict", "evaluate", "export"])
def test_every_command_names_the_damaged_file(damaged, command, data_dir, tmp_path):
    run, message = damaged
    args = {"predict": ["--input", str(data_dir / "bbb_small.csv"), "--output", str(tmp_path / "p.csv")],
            "evaluate": ["--data", str(data_dir / "bbb_small.csv")], "export": []}[command]
    result = runner.invoke(app, [command, str(run), *args])
    output = " ".join(result.output.split())
    assert result.exit_code == 2 and message in output and "Traceback" not in result.output, output


def test_serve_refuses_a_damaged_run_at_start_up(damaged):
    run, message = damaged
    with pytest.raises(RunFolderError, match=message.split(":")[0].replace(".", r"\.")):
        create_app({"bad": run})
