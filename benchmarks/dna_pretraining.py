"""Did a DNA checkpoint learn anything?  Masked-token accuracy and perplexity on held-out DNA, read against
the floors a model gets without learning: copying its input, and the k-mer frequencies of the corpus.

    python benchmarks/dna_pretraining.py --config configs/pretrain_dna_human.yaml \
        --checkpoint models/dna-human-k6 --out runs/bench/dna_pretraining_k6.json

Held-out windows are the corpus's own validation blocks (a stable hash of genome blocks, never trained on),
masked once with the pretraining seed, so every checkpoint is scored on the same positions.  Floors:
- copy: predict the token that stands at the masked position (10 % of masked tokens are left unchanged,
  so a model that only copies scores about 0.10);
- k-mer frequency: predict every masked token by its frequency in training windows (add-one smoothed);
- copy + frequency: the frequencies at [MASK] positions; where the input shows a real token (10 % kept,
  10 % random) half the belief on that token and half on the frequencies.  This is what "learned nothing
  beyond which k-mers are common, and copying" scores: the floor a checkpoint's perplexity must beat.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from transformers import AutoModelForMaskedLM, AutoTokenizer

from biofm.core.config import PretrainConfig
from biofm.core.io import write_json
from biofm.data.corpus import Corpus
from biofm.modalities import get_modality
from biofm.training.pretrain import masked_validation


def masked_positions(items: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """(input token, true token) at every masked position."""
    inputs, labels = [], []
    for item in items:
        for token, label in zip(item["input_ids"], item["labels"], strict=True):
            if label != -100:
                inputs.append(token)
                labels.append(label)
    return np.array(inputs), np.array(labels)


def model_scores(checkpoint: Path, items: list[dict], pad_id: int, batch: int = 128) -> tuple[float, float]:
    """(masked-token accuracy, perplexity) of a masked-LM checkpoint on the masked items."""
    model = AutoModelForMaskedLM.from_pretrained(str(checkpoint)).eval()
    hits = total = 0
    nll = 0.0
    with torch.no_grad():
        for start in range(0, len(items), batch):
            chunk = items[start:start + batch]
            width = max(len(i["input_ids"]) for i in chunk)
            ids = torch.full((len(chunk), width), pad_id)
            labels = torch.full((len(chunk), width), -100)
            for row, item in enumerate(chunk):
                ids[row, :len(item["input_ids"])] = torch.tensor(item["input_ids"])
                labels[row, :len(item["labels"])] = torch.tensor(item["labels"])
            logits = model(input_ids=ids, attention_mask=(ids != pad_id).long()).logits
            scored = labels != -100
            nll += torch.nn.functional.cross_entropy(logits[scored], labels[scored], reduction="sum").item()
            hits += (logits[scored].argmax(-1) == labels[scored]).sum().item()
            total += int(scored.sum())
    return hits / total, float(np.exp(nll / total))


def frequency_floor(cfg: PretrainConfig, corpus: Corpus, tokenizer, inputs: np.ndarray, labels: np.ndarray,
                    windows: int) -> dict:
    """Accuracy and perplexity of predicting each masked token by its training frequency, alone and with
    copying the token the input shows."""
    modality = get_modality(cfg.modality)
    counts: Counter = Counter()
    for n, item in enumerate(corpus.items("train")):
        if n >= windows:
            break
        text = modality.tokenizer_text(item, cfg.model.tokenizer)
        counts.update(tokenizer(text, add_special_tokens=False)["input_ids"])
    vocab = len(tokenizer)
    freq = np.ones(vocab)
    for token, count in counts.items():
        freq[token] += count
    prob = freq / freq.sum()
    shown = inputs != tokenizer.mask_token_id
    with_copy = np.where(shown, 0.5 * (inputs == labels) + 0.5 * prob[labels], prob[labels])
    guess = np.where(shown, inputs, int(np.argmax(prob)))
    return {"accuracy": float((labels == int(np.argmax(prob))).mean()),
            "perplexity": float(np.exp(-np.log(prob[labels]).mean())),
            "copy_and_frequency_accuracy": float((guess == labels).mean()),
            "copy_and_frequency_perplexity": float(np.exp(-np.log(with_copy).mean())),
            "training_windows_counted": windows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, required=True, help="the pretraining config (corpus, tokenizer)")
    parser.add_argument("--checkpoint", type=Path, action="append", required=True)
    parser.add_argument("--windows", type=int, default=50_000, help="training windows counted for the floor")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    cfg = PretrainConfig.from_file(args.config)
    corpus = Corpus(cfg.corpus, get_modality(cfg.modality))
    tokenizer = AutoTokenizer.from_pretrained(str(args.checkpoint[0]))
    items = masked_validation(cfg, get_modality(cfg.modality), corpus, tokenizer)
    inputs, labels = masked_positions(items)
    result = {"config": str(args.config), "validation_windows": len(items), "masked_tokens": len(labels),
              "copy_floor_accuracy": float((inputs == labels).mean()),
              "frequency_floor": frequency_floor(cfg, corpus, tokenizer, inputs, labels, args.windows),
              "checkpoints": {}}
    for checkpoint in args.checkpoint:
        accuracy, perplexity = model_scores(checkpoint, items, tokenizer.pad_token_id)
        result["checkpoints"][str(checkpoint)] = {"masked_accuracy": round(accuracy, 4),
                                                  "perplexity": round(perplexity, 2)}
        print(f"{checkpoint}: masked-token accuracy {accuracy:.4f}, perplexity {perplexity:.1f}")
    floor = result["frequency_floor"]
    print(f"floors ({len(labels)} masked tokens): copy accuracy {result['copy_floor_accuracy']:.4f}; frequency "
          f"accuracy {floor['accuracy']:.4f}, perplexity {floor['perplexity']:.1f}; copy + frequency accuracy "
          f"{floor['copy_and_frequency_accuracy']:.4f}, perplexity {floor['copy_and_frequency_perplexity']:.1f}")
    write_json(args.out, result)


if __name__ == "__main__":
    main()
