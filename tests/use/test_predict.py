"""Prediction says what it could not read whole, and names unreadable inputs for what they are."""

import pytest
from typer.testing import CliRunner

from biofm.cli import app
from biofm.core.errors import DataError
from biofm.core.tables import check_readable

runner = CliRunner()


def test_inputs_longer_than_the_model_reads_are_counted(trained_run, tmp_path):
    long = "C" * 150 + "O"  # more atoms than model.max_length tokens
    (tmp_path / "in.csv").write_text(f"smiles\nCCO\n{long}\n")
    result = runner.invoke(app, ["predict", str(trained_run), "--input", str(tmp_path / "in.csv"),
                                 "--output", str(tmp_path / "p.csv")])
    output = " ".join(result.output.split())
    assert result.exit_code == 0 and "1 of 2 input(s) are longer than model.max_length=96 tokens" in output


def test_a_link_loop_and_a_dangling_link_say_so(tmp_path):
    loop = tmp_path / "loop.csv"
    loop.symlink_to(loop)
    with pytest.raises(DataError, match=r"cannot be read .*symbolic links"):
        check_readable(loop)
    import os

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(DataError, match="is not a regular file"):  # reading it would block forever
        check_readable(fifo)
    dangling = tmp_path / "gone.csv"
    dangling.symlink_to(tmp_path / "nowhere.csv")
    with pytest.raises(DataError, match="is a symbolic link to a missing file"):
        check_readable(dangling)


def test_spreadsheet_formulas_in_predictions_are_defused(trained_run, tmp_path):
    (tmp_path / "in.csv").write_text('smiles,name\nCCO,=HYPERLINK("http://x")\nCCN,-5\n')
    runner.invoke(app, ["predict", str(trained_run), "--input", str(tmp_path / "in.csv"),
                        "--output", str(tmp_path / "p.csv")])
    written = (tmp_path / "p.csv").read_text()
    assert "'=HYPERLINK" in written and ",-5," in written  # a formula is quoted; a number stays a number
