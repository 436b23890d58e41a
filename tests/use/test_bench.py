"""`biofm bench` end to end on a tiny run: every section measured, ratios consistent with the raw figures."""

import json
import shutil

from typer.testing import CliRunner

from biofm.cli import app


def test_bench_measures_training_and_all_inference_engines(trained_run, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(trained_run, run)
    out = tmp_path / "bench.json"
    result = CliRunner().invoke(app, ["bench", str(run), "--out", str(out), "--steps", "3", "--preset", "tiny",
                                       "--items", "5"])
    assert result.exit_code == 0, result.output
    bench = json.loads(out.read_text())
    assert bench["matmul_peak_gflops"]["fp32"] > 1
    training = bench["training"]
    assert training["speedup"] == round(
        training["biofm"]["samples_per_second"] / training["plain_hf_fp32"]["samples_per_second"], 2)
    assert not training["plain_hf_fp32"]["bf16"]
    assert set(bench["inference"]) == {"torch-fp32", "torch-bf16", "onnx", "onnx-int8"}
    for row in bench["inference"].values():
        assert row["latency_ms_p50"] > 0 and row["batch64_items_per_second"] > 0 and row["peak_memory_mb"] > 0
    assert abs(bench["inference"]["onnx"]["metric_delta"]) < 1e-3  # same fp32 graph
