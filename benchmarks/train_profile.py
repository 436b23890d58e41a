"""Where a fine-tuning step's time goes, and how far the model's own matmul shapes are from the machine's peak.

    python benchmarks/train_profile.py --run runs/bench/fm/b3db-seeded-seed0 --preset small \
        --out runs/bench/train_profile-small.json [--dropout 0.1] [--attention-dropout 0.1]

``biofm bench`` reports utilisation (useful FLOPs / bf16 matmul peak); this says what bounds it.  On the
run's training molecules (batches of similar length, as our trainer groups them), bf16 autocast, AdamW:

- phases: wall time of collation, forward, backward and the optimizer step, each synchronised;
- operators: torch.profiler's self time of forward + backward by kind (matmul, attention, dropout masks,
  normalisation and activations, dtype casts, other), so "time in attention vs matmul" is a measured figure;
- ceiling: every ``nn.Linear`` of the encoder timed alone as a bf16 matmul of this batch's token count
  (forward, and the two backward matmuls), as a share of the 2048² peak — no kernel schedule can beat that.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import torch
from torch.profiler import ProfilerActivity, profile
from transformers import AutoModel

from biofm.core.io import write_json
from biofm.data.splits import load_splits
from biofm.modeling.encoding import Collator, EncodedDataset
from biofm.modeling.loaded_run import load_run
from biofm.modeling.model import Predictor, preset_config
from biofm.use.bench import measure_peak, training_flops_per_token

KINDS = {  # operator name fragments → kind; first match wins (a BERT's only batched matmuls are attention's)
    "attention": ("scaled_dot_product", "softmax", "attention", "aten::bmm", "aten::baddbmm"),
    "matmul": ("aten::mm", "aten::addmm", "aten::linear", "aten::matmul"),
    "dropout masks": ("bernoulli", "dropout"),
    "normalisation & activations": ("layer_norm", "gelu", "tanh"),
    "dtype casts": ("aten::to", "aten::_to_copy", "aten::copy_"),
}


def kind_of(name: str) -> str:
    return next((kind for kind, parts in KINDS.items() if any(p in name for p in parts)), "other")


def length_grouped_batches(lengths: list[int], batch_size: int, count: int, seed: int = 0) -> list[list[int]]:
    """Random batches of similar length, the way the trainer's ``group_by_length`` sampler forms them."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(lengths))
    pool = sorted(order[: batch_size * 50], key=lambda i: lengths[i])
    batches = [pool[i:i + batch_size] for i in range(0, len(pool) - batch_size + 1, batch_size)]
    return [batches[i % len(batches)] for i in rng.permutation(len(batches))[:count]]


def profile_steps(run_dir: Path, preset: str, batch_size: int, steps: int, dropout: float = 0.1,
                  attention_dropout: float = 0.1) -> dict:
    run = load_run(run_dir)
    train = load_splits(run.config.data, run.modality).train
    texts = [run.modality.tokenizer_text(x, run.config.model.tokenizer) for x in train.inputs]
    dataset = EncodedDataset(texts, run.task.encode(train), run.tokenizer, run.config.model.max_length)
    torch.manual_seed(0)
    config = preset_config(preset, len(run.tokenizer), run.tokenizer.pad_token_id, dropout)
    config.attention_probs_dropout_prob = attention_dropout  # > 0 keeps SDPA off its fused CPU kernel
    encoder = AutoModel.from_config(config)
    model = Predictor(encoder, run.task.n_outputs, run.task.mode, "mean", dropout).train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
    collate = Collator(run.tokenizer.pad_token_id)
    lengths = [len(dataset[i]["input_ids"]) for i in range(len(dataset))]
    batches = length_grouped_batches(lengths, batch_size, steps + 5)
    phases, tokens, padded = defaultdict(float), 0, 0

    def step(index: list[int], timed: bool) -> None:
        nonlocal tokens, padded
        marks = [time.perf_counter()]
        batch = collate([dataset[i] for i in index])
        marks.append(time.perf_counter())
        with torch.autocast("cpu", dtype=torch.bfloat16):
            loss = model(batch["input_ids"], batch["attention_mask"], labels=batch["labels"])["loss"]
        marks.append(time.perf_counter())
        loss.backward()
        marks.append(time.perf_counter())
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        marks.append(time.perf_counter())
        if timed:
            for name, a, b in zip(("collate", "forward", "backward", "optimizer"), marks, marks[1:], strict=False):
                phases[name] += b - a
            tokens += int(batch["attention_mask"].sum())
            padded += batch["attention_mask"].numel()

    for index in batches[:5]:
        step(index, False)
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for index in batches[5:]:
            step(index, True)
    by_kind, by_name = defaultdict(float), {}
    for event in prof.key_averages():
        by_kind[kind_of(event.key)] += event.self_cpu_time_total / 1e6
        by_name[event.key] = event.self_cpu_time_total / 1e6
    total = sum(phases.values())
    flops = training_flops_per_token(model, encoder.config, tokens / (steps * batch_size)) * tokens
    return {"preset": preset, "dropout": dropout, "attention_dropout": attention_dropout, "batch_size": batch_size,
            "steps": steps, "seconds": round(total, 3),
            "real_tokens_per_step": round(tokens / steps, 1), "padding_share": round(1 - tokens / padded, 3),
            "useful_gflops": round(flops / total / 1e9, 1),
            "phases_share": {k: round(v / total, 3) for k, v in phases.items()},
            "operator_share": {k: round(v / sum(by_kind.values()), 3) for k, v in sorted(by_kind.items())},
            "top_operators": {k: round(v / sum(by_kind.values()), 3)
                              for k, v in sorted(by_name.items(), key=lambda kv: -kv[1])[:12]},
            "linear_shapes": sorted({(m.in_features, m.out_features) for m in encoder.modules()
                                     if isinstance(m, torch.nn.Linear)}),
            "padded_tokens_per_step": round(padded / steps, 1)}


def matmul_ceiling(shapes: list[tuple[int, int]], rows: int, repeats: int = 30) -> dict:
    """GFLOP/s of each layer's three matmuls (y = xW, dX = dY·Wᵀ, dW = xᵀ·dY) in bf16 at this many rows."""
    out = {}
    for n_in, n_out in shapes:
        x, w, dy = (torch.randn(*s, dtype=torch.bfloat16) for s in ((rows, n_in), (n_in, n_out), (rows, n_out)))
        calls = (lambda x=x, w=w: x @ w, lambda dy=dy, w=w: dy @ w.T, lambda x=x, dy=dy: x.T @ dy)
        for call in calls:
            call()
        start = time.perf_counter()
        for _ in range(repeats):
            for call in calls:
                call()
        seconds = (time.perf_counter() - start) / repeats
        out[f"{n_in}x{n_out}"] = round(3 * 2 * rows * n_in * n_out / seconds / 1e9, 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", type=Path, required=True, help="a finished run: its training inputs and tokenizer")
    parser.add_argument("--preset", default="small")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--dropout", type=float, default=0.1, help="hidden and head dropout; biofm trains with 0.1")
    parser.add_argument("--attention-dropout", type=float, default=0.1, help="biofm trains with 0.1")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    result = {"threads": torch.get_num_threads(), "matmul_peak_gflops": measure_peak()}
    result["training"] = profile_steps(args.run, args.preset, args.batch_size, args.steps,
                                       args.dropout, args.attention_dropout)
    rows = int(result["training"]["padded_tokens_per_step"])
    result["matmul_ceiling_gflops"] = matmul_ceiling([tuple(s) for s in result["training"]["linear_shapes"]], rows)
    peak = result["matmul_peak_gflops"]["bf16"]
    result["utilisation_of_peak"] = round(result["training"]["useful_gflops"] / peak, 3)
    result["best_layer_share_of_peak"] = round(max(result["matmul_ceiling_gflops"].values()) / peak, 3)
    write_json(args.out, result)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
