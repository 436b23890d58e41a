"""ONNX export: same outputs as PyTorch, int8 close, parity written, predict through the graph."""

import json
import shutil

import numpy as np
import pandas as pd
import pytest

from biofm.core.errors import BiofmError
from biofm.modeling.loaded_run import load_run
from biofm.use.export import export
from biofm.use.predict import predict


@pytest.fixture(scope="module")
def exported(trained_run, tmp_path_factory):
    run = tmp_path_factory.mktemp("export") / "run"
    shutil.copytree(trained_run, run)
    export(run, quantize="int8")
    return run


def test_parity_is_measured_and_written(exported):
    parity = json.loads((exported / "export" / "parity.json").read_text())
    assert parity["n_validation"] > 0
    assert parity["onnx"]["max_abs_logit_difference"] < 1e-4
    assert parity["onnx-int8"]["max_abs_logit_difference"] < 0.5
    assert parity["onnx-int8"]["megabytes"] < parity["onnx"]["megabytes"]
    assert set(parity["metrics"]) == {"torch", "onnx", "onnx-int8"}


def test_predict_through_the_exported_graph_matches_pytorch(exported, data_dir, tmp_path):
    inputs = data_dir / "bbb_small.csv"
    torch_out = predict(exported, inputs, tmp_path / "t.csv")
    onnx_out = predict(exported, inputs, tmp_path / "o.csv", engine="onnx")
    numeric = [c for c in torch_out.columns if c.startswith("prob_")]
    assert len(numeric) == 2  # one probability per class of the B3DB task
    # PyTorch predicts in bf16 on these CPUs, the graph in fp32: equal to bf16 rounding
    assert np.allclose(torch_out[numeric].to_numpy(float), onnx_out[numeric].to_numpy(float), atol=0.02)
    assert len(pd.read_csv(tmp_path / "o.csv")) == len(torch_out)


def test_unexported_engine_is_a_clear_error(trained_run):
    with pytest.raises(BiofmError, match="biofm export"):
        load_run(trained_run, engine="onnx-int8")
