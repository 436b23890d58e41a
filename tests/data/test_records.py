"""Bad input gets one clear error naming the file, the row and the problem."""

import pytest

from biofm.core.errors import DataError
from biofm.data.records import read_records
from biofm.modalities import get_modality

molecule = get_modality("molecule")


def read(path, **kwargs):
    kwargs.setdefault("label_columns", ["y"])
    kwargs.setdefault("task_kind", "classification")
    return read_records(molecule, path, "smiles", **kwargs)


def write(tmp_path, text, name="d.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_invalid_smiles_names_file_and_row(tmp_path):
    path = write(tmp_path, "smiles,y\nCCO,1\nC1CC,0\n")
    with pytest.raises(DataError, match=r"d.csv, row 3: not a valid SMILES \(syntax\): 'C1CC'"):
        read(path)


def test_skip_invalid_counts_rows(tmp_path):
    path = write(tmp_path, "smiles,y\nCCO,1\nC1CC,0\nc1ccccc1,0\nC(C)(C)(C)(C)C,1\n")
    records = read(path, skip_invalid=True)
    assert records.inputs == ["CCO", "c1ccccc1"]
    assert [s.row for s in records.skipped] == [3, 5]
    assert records.rows == [2, 4]


def test_missing_column(tmp_path):
    path = write(tmp_path, "smiles,label\nCCO,1\n")
    with pytest.raises(DataError, match=r"row 1: missing column\(s\) 'y'"):
        read(path)


def test_empty_file_and_header_only(tmp_path):
    with pytest.raises(DataError, match="file is empty"):
        read(write(tmp_path, ""))
    with pytest.raises(DataError, match="no data rows"):
        read(write(tmp_path, "smiles,y\n", "h.csv"))


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        read(tmp_path / "absent.csv")


def test_not_utf8(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("smiles,y,name\nCCO,1,caf\xe9\n".encode("latin-1"))
    with pytest.raises(DataError, match="not UTF-8"):
        read(path)


def test_nan_label_is_an_error(tmp_path):
    path = write(tmp_path, "smiles,y\nCCO,1\nCCC,\n")
    with pytest.raises(DataError, match=r"row 3: label missing"):
        read(path)


def test_non_numeric_regression_label(tmp_path):
    path = write(tmp_path, "smiles,y\nCCO,1.5\nCCC,high\n")
    with pytest.raises(DataError, match=r"row 3: label 'y' is not a number: 'high'"):
        read(path, task_kind="regression")


def test_infinite_regression_label(tmp_path):
    path = write(tmp_path, "smiles,y\nCCO,inf\n")
    with pytest.raises(DataError, match="not finite"):
        read(path, task_kind="regression")


def test_empty_input_cell(tmp_path):
    path = write(tmp_path, "smiles,y\n,1\n")
    with pytest.raises(DataError, match=r"row 2: empty value in column 'smiles'"):
        read(path)


def test_duplicated_header(tmp_path):
    path = write(tmp_path, "smiles,y,y\nCCO,1,0\n")
    with pytest.raises(DataError, match="duplicated column"):
        read(path)


def test_class_labels_are_canonical(tmp_path):
    path = write(tmp_path, "smiles,y\nCCO,1.0\nCCC, 0\n")
    assert list(read(path).labels[:, 0]) == ["1", "0"]


def test_multitask_gaps_allowed_but_not_all_missing(tmp_path):
    path = write(tmp_path, "smiles,a,b\nCCO,1,\nCCC,,0\nCCN,,\n")
    with pytest.raises(DataError, match=r"row 4: all labels missing"):
        read(path, label_columns=["a", "b"])


def test_tsv_and_jsonl(tmp_path):
    assert len(read(write(tmp_path, "smiles\ty\nCCO\t1\n", "d.tsv"))) == 1
    assert len(read(write(tmp_path, '{"smiles": "CCO", "y": 1}\n', "d.jsonl"))) == 1


def test_unsupported_suffix(tmp_path):
    with pytest.raises(DataError, match="unsupported file type"):
        read(write(tmp_path, "x", "d.xlsx"))
