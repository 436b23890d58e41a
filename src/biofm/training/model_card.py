"""The model card (``README.md``) of a pretrained checkpoint: data, recipe, results, loss curve, licence.

A checkpoint without its story cannot be trusted or reproduced; the card is written from the
run's own config and history, so it can never disagree with what was done.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import yaml

from biofm.core.config import PretrainConfig
from biofm.core.io import atomic_path, write_figure


def write_model_card(out_dir: Path, cfg: PretrainConfig, metrics: dict, history: list[dict]) -> None:
    """Write the checkpoint's model card (``README.md``) and its loss-curve picture."""
    plot_loss_curve(history, out_dir / "loss_curve.png", cfg.train.objective)
    with atomic_path(out_dir / "README.md") as tmp:
        tmp.write_text(model_card(out_dir.name, cfg, metrics), encoding="utf-8")


OBJECTIVE_WORDS = {"mlm": "masked-language modelling",
                   "mtr": "multi-task regression of the modality's descriptors (MTR)",
                   "mlm+mtr": "masked-language modelling plus multi-task regression of the modality's descriptors"}


def plot_loss_curve(history: list[dict], path: Path, objective: str = "mlm") -> None:
    """Training and validation loss over steps, as a PNG beside the model card."""
    train = [(h["step"], h["loss"]) for h in history if "loss" in h]
    val = [(h["step"], h["eval_loss"]) for h in history if "eval_loss" in h]
    fig, ax = plt.subplots(figsize=(6, 3.6), dpi=110)
    for points, label in ((train, "train"), (val, "validation")):
        if points:
            ax.plot(*zip(*points, strict=True), label=label, marker="o" if label == "validation" else None, ms=3)
    ax.set(xlabel="optimisation step", ylabel=f"{objective} loss", title=f"{objective} pretraining")
    ax.grid(alpha=0.3)
    ax.legend()
    write_figure(fig, path)


def model_card(name: str, cfg: PretrainConfig, metrics: dict) -> str:
    """The model card's Markdown: what the checkpoint is, its corpus and licence, and how well it learned."""
    corpus, t = cfg.corpus, cfg.train
    start = (f"continued from `{cfg.model.pretrained}`" if cfg.model.pretrained
             else f"`{cfg.model.preset}` preset, from scratch")
    m = metrics
    masking = (f", {t.mask_probability:.0%} of tokens masked (80 % `[MASK]`, 10 % random, 10 % kept)"
               if "mlm" in t.objective else "")
    recipe = yaml.safe_dump({k: v for k, v in cfg.to_dict().items()}, sort_keys=False).strip()
    return f"""---
library_name: transformers
tags: [biofm, {t.objective}, {cfg.modality}]
license: apache-2.0
---
# {name}

A small BERT encoder pretrained by `biofm pretrain` with {OBJECTIVE_WORDS[t.objective]} on
{corpus.description or "the corpus listed below"}. Fine-tune it with biofm
(`model.pretrained: models/{name}`) or load it with
`AutoModel.from_pretrained(path)` — offline, no network needed.

## Data
- Files: {", ".join(f"`{f}`" for f in corpus.files)}
- Licence of the data: {corpus.licence or "see the data's source"}
- {corpus.val_fraction:.1%} of items (of genome blocks, for FASTA) held out by a stable hash; {corpus.max_val}
  of them score validation. Invalid items are skipped and counted (training, current pass:
  {metrics["skipped_items"]["train_current_pass"]}; validation: {metrics["skipped_items"]["validation"]}).

## Recipe
- Encoder: {start}; tokenizer `{cfg.model.tokenizer or "modality default"}`, vocabulary {metrics["vocabulary"]},
  max length {cfg.model.max_length} tokens.
- {t.steps} steps of batch {t.batch_size} ({metrics["items_seen"]:,} items), AdamW lr {t.learning_rate},
  warm-up {t.warmup_ratio:.0%} then linear decay, objective `{t.objective}`{masking}, seed {t.seed},
  precision `{t.precision}`.

## Results
| validation loss | perplexity | masked-token accuracy | tokens/s (training) | peak memory | wall time |
|---|---|---|---|---|---|
| {m["val_loss"]} | {m["val_perplexity"]} | {m["val_masked_accuracy"]} | {m["tokens_per_second"]} \
| {m["peak_memory_mb"]} MB | {m["seconds"]} s |

Masked-token accuracy scores every masked position, including the 10 % left unchanged, so a model
that only copies its input scores about 0.10; a perplexity near the vocabulary size ({metrics["vocabulary"]})
means little was learned beyond token frequencies. Read the figures against those floors.

![loss curve](loss_curve.png)

## Reproduce
Save this recipe as `pretrain.yaml` and run `biofm pretrain --config pretrain.yaml --out {name}`
(same seed and data give the same data order and masking; `--resume {name}` continues a killed run):
```yaml
{recipe}
```

## Licence
Weights: Apache-2.0 (the biofm project). Training data: {corpus.licence or "see above"}.
"""
