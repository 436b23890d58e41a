import json
import os

import pytest

from biofm.core.errors import RunFolderError
from biofm.core.io import atomic_path
from biofm.core.runfolder import check_run, prepare_run_dir, run_lock, set_state


def test_atomic_path_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "metrics.json"
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("killed")
    assert not target.exists() and not list(tmp_path.iterdir())


def test_refuses_to_reuse_a_folder_without_overwrite(tmp_path):
    run = prepare_run_dir(tmp_path / "run", overwrite=False)
    (run / "config.yaml").write_text("x: 1\n")
    with pytest.raises(RunFolderError, match="--overwrite"):
        prepare_run_dir(run, overwrite=False)
    assert prepare_run_dir(run, overwrite=True) == run and not (run / "config.yaml").exists()


def test_overwrite_never_deletes_a_foreign_folder(tmp_path):
    (tmp_path / "thesis.tex").write_text("precious")
    with pytest.raises(RunFolderError, match="not a biofm run folder"):
        prepare_run_dir(tmp_path, overwrite=True)
    assert (tmp_path / "thesis.tex").exists()


def test_incomplete_and_incompatible_runs_are_refused(tmp_path):
    set_state(tmp_path, "running")
    with pytest.raises(RunFolderError, match="not complete"):
        check_run(tmp_path)
    (tmp_path / "state.json").write_text(json.dumps({"status": "complete", "format_version": 0}))
    with pytest.raises(RunFolderError, match="incompatible"):
        check_run(tmp_path)
    with pytest.raises(RunFolderError, match="not found"):
        check_run(tmp_path / "missing")


def test_a_live_lock_refuses_a_second_writer(tmp_path):
    import subprocess
    import sys

    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        run = prepare_run_dir(tmp_path / "run", overwrite=False)
        (run / "run.lock").write_text(str(sleeper.pid))
        with pytest.raises(RunFolderError, match=f"another biofm process \\(pid {sleeper.pid}\\)"):
            prepare_run_dir(run, overwrite=True)
        with pytest.raises(RunFolderError, match="another biofm process"), run_lock(run):
            pass
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_stale_lock_is_taken_over(tmp_path):
    (tmp_path / "run.lock").write_text("999999999")  # no such process
    with run_lock(tmp_path):
        assert (tmp_path / "run.lock").read_text() == str(os.getpid())
    assert not (tmp_path / "run.lock").exists()
