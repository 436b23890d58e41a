"""``biofm bench``: speed of our training and inference paths against plain baselines, side by side.

Every figure is measured in this invocation on this machine: the matmul peak (fp32 and bf16), our
trainer against a plain HuggingFace ``Trainer`` with default fp32 settings on the same model, data
and batch size, and a finished run's inference in PyTorch fp32/bf16 and ONNX fp32/int8.  Each
measurement runs in a fresh child process, so its peak memory is its own.  The children are forked from
one server process that has imported torch and transformers once (``multiprocessing``'s forkserver):
importing them costs ~10 s a process here, more than most measurements take.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import torch

from biofm.core.errors import BiofmError
from biofm.core.io import write_json

INFERENCE_ENGINES = ("torch-fp32", "torch-bf16", "onnx", "onnx-int8")


def bench(run_dir: str | Path, out: str | Path, steps: int = 40, preset: str = "small", batch_size: int = 32,
          latency_items: int = 200) -> dict:
    """Measure everything and write ``bench.json`` (see the module docstring)."""
    run_dir = Path(run_dir)
    result: dict = {"machine": {"threads": torch.get_num_threads()}}
    result["matmul_peak_gflops"] = _child("peak")
    training = {name: _child("train", run_dir, name, steps, preset, batch_size) for name in ("plain_hf_fp32", "biofm")}
    for t in training.values():  # useful work only: real (unpadded) tokens
        peak = result["matmul_peak_gflops"]["bf16" if t["bf16"] else "fp32"]
        t["gflops"] = round(t["tokens_per_second"] * t["flops_per_token"] / 1e9, 1)
        t["utilisation_of_peak"] = round(t["gflops"] / peak, 3)
    ours, plain = training["biofm"]["samples_per_second"], training["plain_hf_fp32"]["samples_per_second"]
    training["speedup"] = round(ours / plain, 2)
    result["training"] = training
    from biofm.modeling.engines import EXPORT_DIR, ONNX_FILES
    from biofm.use.export import export

    if not (run_dir / EXPORT_DIR / ONNX_FILES["onnx-int8"]).is_file():
        export(run_dir, quantize="int8")
    inference = {engine: _child("infer", run_dir, engine, latency_items) for engine in INFERENCE_ENGINES}
    base = inference["torch-fp32"]
    for row in inference.values():
        row["latency_speedup"] = round(base["latency_ms_p50"] / row["latency_ms_p50"], 2)
        row["throughput_ratio"] = round(row["batch64_items_per_second"] / base["batch64_items_per_second"], 2)
        row["metric_delta"] = round(row["val_metric"] - base["val_metric"], 5)
    result["inference"] = inference
    write_json(Path(out), result)
    return result


PRELOADED = ["biofm.use.bench", "transformers.trainer", "biofm.modeling.loaded_run", "biofm.modeling.engines",
             "biofm.data.splits", "onnxruntime"]


def _child(kind: str, *args) -> dict:
    """Run one measurement in a fresh process forked from the preloaded server (see the module docstring)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOADED)
    with ProcessPoolExecutor(max_workers=1, mp_context=context, max_tasks_per_child=1) as pool:
        try:
            return pool.submit(_measure, kind, *args).result()
        except Exception as exc:  # a measurement raises whatever its library raised
            raise BiofmError(f"bench step {kind} {args} failed: {type(exc).__name__}: {exc}") from exc


def _measure(kind: str, *args) -> dict:
    """One measurement, its libraries' chatter (the Trainer prints its own summary) kept off the bench's console."""
    with contextlib.redirect_stdout(io.StringIO()):
        if kind == "peak":
            return measure_peak()
        if kind == "train":
            return measure_training(Path(args[0]), *args[1:])
        return measure_inference(Path(args[0]), *args[1:])


def _peak_mb() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def measure_peak() -> dict:
    """Large square matmul, best of several: the ceiling utilisation is measured against."""
    out = {}
    for name, dtype in (("fp32", torch.float32), ("bf16", torch.bfloat16)):
        a, b = torch.randn(2048, 2048, dtype=dtype), torch.randn(2048, 2048, dtype=dtype)
        for _ in range(3):
            a @ b
        best = min(_timed(lambda a=a, b=b: a @ b) for _ in range(10))
        out[name] = round(2 * 2048**3 / best / 1e9, 1)
    return out


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def measure_training(run_dir: Path, variant: str, steps: int, preset: str, batch_size: int) -> dict:
    """Samples/s of ``steps`` optimisation steps on the run's training data, after 5 warm-up steps.

    ``plain_hf_fp32``: HuggingFace ``Trainer`` defaults — fp32, random batches padded per batch by
    ``DataCollatorWithPadding``.  ``biofm``: our settings — bf16 autocast where native and
    length-grouped batches (less padding).  Same model, data, batch size and optimizer.
    """
    from transformers import DataCollatorWithPadding, Trainer, TrainerCallback, TrainingArguments

    from biofm.data.splits import load_splits
    from biofm.modeling.encoding import EncodedDataset, use_bf16
    from biofm.modeling.loaded_run import load_run
    from biofm.modeling.model import Predictor, preset_encoder

    run = load_run(run_dir)
    train = load_splits(run.config.data, run.modality).train
    texts = [run.modality.tokenizer_text(x, run.config.model.tokenizer) for x in train.inputs]
    dataset = EncodedDataset(texts, run.task.encode(train), run.tokenizer, run.config.model.max_length)
    torch.manual_seed(0)
    encoder = preset_encoder(preset, len(run.tokenizer), run.tokenizer.pad_token_id, 0.1)
    model = Predictor(encoder, run.task.n_outputs, run.task.mode, "mean", 0.1)
    ours = variant == "biofm"
    bf16 = ours and use_bf16("auto")

    class Clock(TrainerCallback):
        def __init__(self):
            self.start, self.tokens, self.samples = None, 0, 0

        def on_step_begin(self, args, state, control, **kwargs):
            if state.global_step == 5:
                self.start = time.perf_counter()

    clock = Clock()
    padder = DataCollatorWithPadding(run.tokenizer)

    def collate(items):
        batch = padder([{"input_ids": i["input_ids"]} for i in items])
        batch["labels"] = torch.as_tensor(np.stack([i["labels"] for i in items]))
        if clock.start is not None:
            clock.tokens += int(batch["attention_mask"].sum())
            clock.samples += len(items)
        return batch

    args = TrainingArguments(output_dir="/tmp/biofm-bench", max_steps=steps + 5, per_device_train_batch_size=batch_size,
                             bf16=bf16, use_cpu=True, report_to="none", disable_tqdm=True, save_strategy="no",
                             logging_strategy="no", remove_unused_columns=False, label_names=["labels"],
                             train_sampling_strategy="group_by_length" if ours else "random",
                             dataloader_drop_last=True)
    trainer = Trainer(model=model, args=args, train_dataset=dataset, data_collator=collate, callbacks=[clock])
    trainer.train()
    seconds = time.perf_counter() - clock.start
    samples = steps * batch_size  # the collator may run one batch ahead, so count steps, not collations
    mean_length = clock.tokens / max(clock.samples, 1)
    return {"samples_per_second": round(samples / seconds, 1),
            "tokens_per_second": round(samples * mean_length / seconds, 1),
            "mean_tokens_per_sample": round(mean_length, 1), "bf16": bf16, "preset": preset,
            "batch_size": batch_size, "steps_timed": steps,
            "flops_per_token": training_flops_per_token(model, encoder.config, mean_length),
            "peak_memory_mb": _peak_mb()}


def training_flops_per_token(model: torch.nn.Module, config, mean_length: float) -> float:
    """Useful work of one training token: forward + backward ≈ 6 FLOPs per non-embedding parameter, plus the
    attention scores (QKᵀ and AV) over the mean sequence length."""
    non_embedding = sum(p.numel() for n, p in model.named_parameters() if "embeddings" not in n)
    return 6 * non_embedding + 12 * config.num_hidden_layers * config.hidden_size * mean_length


def measure_inference(run_dir: Path, engine: str, latency_items: int) -> dict:
    """Batch-1 latency (p50/p99 over ``latency_items`` validation inputs) and batch-64 throughput."""
    from biofm.data.splits import load_splits
    from biofm.modeling.encoding import Collator, EncodedDataset, predict_logits
    from biofm.modeling.engines import engine_model, plain_model
    from biofm.modeling.inference import predict_outputs
    from biofm.modeling.loaded_run import load_run
    from biofm.modeling.metrics import compute_metrics

    run = load_run(run_dir)
    bf16 = engine == "torch-bf16"
    model = plain_model(run.model) if engine.startswith("torch") else engine_model(run.run_dir, run.model, engine)
    val = load_splits(run.config.data, run.modality).val
    texts = [run.modality.tokenizer_text(x, run.config.model.tokenizer) for x in val.inputs]
    extra = run.features(val.inputs) if run.features else None  # computed once: the timing is the network's
    encoded = EncodedDataset(texts, None, run.tokenizer, run.config.model.max_length, extra=extra)
    collate = Collator(run.tokenizer.pad_token_id)

    def one(i: int) -> None:
        batch = collate([encoded[i]])
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            model(batch["input_ids"], batch["attention_mask"], batch.get("extra"))

    items = [i % len(encoded) for i in range(latency_items)]
    for i in items[:20]:  # warm-up: the first calls in a process are 2-3x slower
        one(i)
    latencies = [_timed(lambda i=i: one(i)) * 1000 for i in items]
    predict_logits(model, texts[:128], run.tokenizer, run.config.model.max_length, batch_size=64, bf16=bf16,
                   extra=None if extra is None else extra[:128])
    start = time.perf_counter()
    predict_logits(model, texts, run.tokenizer, run.config.model.max_length, batch_size=64, bf16=bf16, extra=extra)
    throughput = len(texts) / (time.perf_counter() - start)
    outputs = predict_outputs(model, run.tokenizer, run.task, run.modality, run.config, val.inputs, bf16=bf16,
                              features=run.features)
    primary = run.modality.primary_metric(run.task.kind)
    metric = compute_metrics(run.task, run.task.encode(val), outputs)[0][primary]
    return {"latency_ms_p50": round(float(np.percentile(latencies, 50)), 3),
            "latency_ms_p99": round(float(np.percentile(latencies, 99)), 3),
            "batch64_items_per_second": round(throughput, 1), "val_metric_name": primary,
            "val_metric": round(float(metric), 5), "peak_memory_mb": _peak_mb()}
