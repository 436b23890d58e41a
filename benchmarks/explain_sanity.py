"""Deletion test for explanations: removing the top-k attributed tokens must hurt more than random ones.

    python benchmarks/explain_sanity.py RUN_DIR [--n 200] [--k 3] [--out FILE]

For ``--n`` test-split inputs of a finished run: explain the predicted output with Integrated
Gradients, delete the ``k`` tokens with the largest positive attribution, and record the drop of
the explained output's probability; compare with deleting ``k`` random tokens (mean of 5 draws).
Writes the mean drops and the share of inputs where the attributed tokens hurt more.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from biofm.core.io import write_json
from biofm.data.splits import load_splits
from biofm.modeling.loaded_run import load_run
from biofm.trust.explain import explain_one


def probability_without(run, ids: list[int], drop: set[int], output: int) -> float:
    kept = torch.tensor([[t for i, t in enumerate(ids) if i not in drop]])
    with torch.inference_mode():
        logits = run.model(kept, torch.ones_like(kept))["logits"]
    return float(run.task.decode(logits.numpy())[0][output])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    run = load_run(args.run_dir)
    test = load_splits(run.config.data, run.modality).test
    rng = np.random.default_rng(0)
    rows = []
    for item in test.inputs[: args.n]:
        e = explain_one(run, item, steps=32)
        output = run.task.output_names().index(e.explained_output)
        ids = run.tokenizer.convert_tokens_to_ids(e.tokens)
        special = set(run.tokenizer.all_special_tokens)
        candidates = [i for i, t in enumerate(e.tokens) if t not in special]
        if len(candidates) <= args.k:
            continue
        base = probability_without(run, ids, set(), output)
        top = sorted(candidates, key=lambda i: -e.token_scores[i])[: args.k]
        top_drop = base - probability_without(run, ids, set(top), output)
        random_drops = [base - probability_without(run, ids, set(rng.choice(candidates, args.k, replace=False)), output)
                        for _ in range(5)]
        rows.append((top_drop, float(np.mean(random_drops))))
    top, random = np.array(rows).T
    result = {"run": str(args.run_dir), "n": len(rows), "k": args.k,
              "mean_drop_top_k": round(float(top.mean()), 4), "mean_drop_random_k": round(float(random.mean()), 4),
              "share_top_k_hurts_more": round(float((top > random).mean()), 3)}
    write_json(args.out or args.run_dir / "explain_sanity.json", result)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
