"""Nothing a user owns is ever deleted or replaced: each test plants a file that the old code destroyed."""

import json
import os

import pytest
from typer.testing import CliRunner

from biofm.cli import app
from biofm.core.errors import BiofmError, RunFolderError
from biofm.core.io import atomic_path, write_json
from biofm.core.runfolder import prepare_run_dir, set_state

runner = CliRunner()


def biofm_run(folder):
    folder.mkdir()
    set_state(folder, "complete")
    (folder / "config.yaml").write_text("modality: molecule\n")
    return folder


def test_a_folder_with_any_config_yaml_is_not_a_run(tmp_path):
    (tmp_path / "config.yaml").write_text("my: own settings\n")
    (tmp_path / "thesis.tex").write_text("precious")
    with pytest.raises(RunFolderError, match="not a biofm run folder"):
        prepare_run_dir(tmp_path, overwrite=True)
    assert (tmp_path / "thesis.tex").read_text() == "precious"


def test_a_folder_with_a_foreign_state_json_is_not_a_run(tmp_path):
    (tmp_path / "state.json").write_text(json.dumps({"status": "complete", "format_version": 1}))
    (tmp_path / "data.csv").write_text("a,b\n")
    with pytest.raises(RunFolderError, match="not a biofm run folder"):
        prepare_run_dir(tmp_path, overwrite=True)
    assert (tmp_path / "data.csv").exists()


def test_a_users_file_inside_a_run_survives_overwrite(tmp_path):
    run = biofm_run(tmp_path / "run")
    (run / "my_notes.txt").write_text("precious")
    with pytest.raises(RunFolderError, match=r"holds files biofm did not write \(my_notes.txt\)"):
        prepare_run_dir(run, overwrite=True)
    assert (run / "my_notes.txt").read_text() == "precious"


def test_a_run_biofm_wrote_alone_is_overwritten(tmp_path):
    run = biofm_run(tmp_path / "run")
    (run / "tokenizer").mkdir()
    write_json(run / "metrics.json", {})
    assert prepare_run_dir(run, overwrite=True) == run and not (run / "metrics.json").exists()


def test_overwrite_never_follows_a_symbolic_link(tmp_path):
    target = biofm_run(tmp_path / "real")
    link = tmp_path / "link"
    link.symlink_to(target)
    with pytest.raises(RunFolderError, match="is a symbolic link"):
        prepare_run_dir(link, overwrite=True)
    assert (target / "config.yaml").exists()


def test_out_that_is_a_file_is_one_clear_line(tmp_path):
    plain = tmp_path / "results.csv"
    plain.write_text("keep me")
    with pytest.raises(RunFolderError, match="exists and is not a folder"):
        prepare_run_dir(plain, overwrite=True)
    assert plain.read_text() == "keep me"


@pytest.mark.parametrize("kind", ["fifo", "folder", "symlink"])
def test_outputs_that_are_not_regular_files_are_never_replaced(tmp_path, kind):
    target = tmp_path / "out.csv"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    else:
        (tmp_path / "elsewhere.csv").write_text("keep me")
        target.symlink_to(tmp_path / "elsewhere.csv")
    with pytest.raises(BiofmError, match="not a regular file"), atomic_path(target) as tmp:
        tmp.write_text("x")
    assert (target.is_fifo() if kind == "fifo" else target.is_dir() if kind == "folder" else target.is_symlink())


def test_predict_refuses_an_output_that_is_a_fifo(trained_run, data_dir, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = runner.invoke(app, ["predict", str(trained_run), "--input", str(data_dir / "bbb_small.csv"),
                                 "--output", str(fifo)])
    assert result.exit_code == 2 and "exists and is a FIFO, not a regular file" in " ".join(result.output.split())
    assert fifo.is_fifo()
