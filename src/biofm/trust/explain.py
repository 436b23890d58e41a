"""Why did the model say that?  Integrated Gradients on the token embeddings, mapped back to the input.

Following the field's lessons: we attribute the *logit* (not a saturated probability) of the
explained output, at the embedding layer, against a baseline where every input token is ``[PAD]``
(special tokens kept).  Token scores are spread over the characters they came from and handed to
the modality, which shows them the way a person reads the input: atoms on a molecule drawing,
bases on a track with the strongest window matched to JASPAR motifs, words highlighted in text.
"""

from __future__ import annotations

import base64
import html
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch

from biofm.core import layout
from biofm.core.errors import ConfigError
from biofm.core.io import atomic_path
from biofm.data.records import read_records
from biofm.modalities import ExplanationView, InvalidInput
from biofm.modalities.base import svg_image
from biofm.modeling.ensemble import members
from biofm.modeling.loaded_run import LoadedRun, load_run

IG_STEPS = 50


@dataclass
class Explanation:
    """The attributions for one input: per token, per input character, and the modality's view of them."""

    input: str
    explained_output: str  # which output's logit is attributed
    prediction: dict[str, float]
    tokens: list[str]
    token_scores: list[float]
    position_scores: list[float]  # one per character of the input
    convergence_delta: float  # IG completeness error: small means enough integration steps
    method: str = ("integrated gradients on token embeddings, logit of the explained output, [PAD] baseline "
                   "(an ensemble: averaged over its members; extra features held fixed)")
    view: ExplanationView = field(default_factory=ExplanationView)  # the modality's rendering of the scores


def explain(run_dir: str | Path, inputs: list[str], output_dir: str | Path, target: str | None = None,
            steps: int = IG_STEPS) -> list[Explanation]:
    """Explain each input; writes per-input views, ``explanations.jsonl`` and ``index.html`` in ``output_dir``."""
    return explain_loaded(load_run(run_dir), inputs, output_dir, target, steps)


def explain_loaded(run: LoadedRun, inputs: list[str], output_dir: str | Path, target: str | None = None,
                   steps: int = IG_STEPS) -> list[Explanation]:
    """``explain`` for a run already in memory (training uses it for the report's examples)."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    explanations = []
    if steps < 1:
        raise ConfigError(f"--steps: must be at least 1, got {steps}")
    for number, item in enumerate(inputs):
        try:
            normalised = run.modality.normalise(item)
            run.modality.tokenizer_text(normalised, run.config.model.tokenizer)  # e.g. a sequence shorter than k
        except InvalidInput as exc:
            raise ConfigError(f"cannot explain input {number + 1}: {exc}") from None
        explanation = explain_one(run, normalised, target, steps)
        explanation.view = run.modality.render_explanation(
            explanation.input, np.asarray(explanation.position_scores), output_dir / f"input-{number:04d}")
        explanations.append(explanation)
    _write(output_dir, explanations)
    return explanations


def explain_file(run_dir: str | Path, input_path: str | Path, output_dir: str | Path, target: str | None = None,
                 steps: int = IG_STEPS, limit: int = 100) -> list[Explanation]:
    """Explain the first ``limit`` inputs of a file read with the run's own validation."""
    if limit < 1:
        raise ConfigError(f"--limit: must be at least 1, got {limit}")
    run = load_run(run_dir)
    records = read_records(run.modality, input_path, input_column=run.config.data.input_column, label_columns=[],
                           task_kind=run.config.data.task, skip_invalid=True)
    return explain(run_dir, records.inputs[:limit], output_dir, target, steps)


def explain_one(run: LoadedRun, item: str, target: str | None = None, steps: int = IG_STEPS) -> Explanation:
    """Token and per-character attributions for one (normalised) input."""
    from captum.attr import LayerIntegratedGradients

    model = run.model.float().eval()
    text = run.modality.tokenizer_text(item, run.config.model.tokenizer)
    encoded = run.tokenizer(text, truncation=True, max_length=run.config.model.max_length,
                            return_offsets_mapping=True, return_special_tokens_mask=True, return_tensors="pt")
    ids, mask = encoded["input_ids"], encoded["attention_mask"]
    special = encoded["special_tokens_mask"][0].bool()
    baseline = ids.where(special.unsqueeze(0), torch.tensor(run.tokenizer.pad_token_id))
    # the head's extra features (descriptors) are held fixed: the tokens' share is what is attributed
    extra = torch.as_tensor(run.features([item])) if run.features else None
    with torch.no_grad():
        logits = model(ids, mask, extra)["logits"][0]
    index = _target_index(run, logits, target)

    token_scores, delta = np.zeros(ids.shape[1]), 0.0
    parts = members(model)  # an ensemble: each member's attributions, averaged
    for member in parts:
        def forward(input_ids, attention_mask, extra, member=member):
            return member(input_ids, attention_mask, extra)["logits"]

        ig = LayerIntegratedGradients(forward, member.encoder.get_input_embeddings())
        attributions, error = ig.attribute(ids, baselines=baseline, additional_forward_args=(mask, extra),
                                           target=index, n_steps=steps, internal_batch_size=steps,
                                           return_convergence_delta=True)
        token_scores += attributions.sum(-1)[0].detach().numpy() / len(parts)
        delta += float(error.abs().sum()) / len(parts)
    token_scores[special.numpy()] = 0.0
    positions = _position_scores(item, text, encoded["offset_mapping"][0].tolist(), token_scores,
                                 run.modality.char_map(item, run.config.model.tokenizer))
    names = run.task.output_names()
    outputs = run.task.decode(logits.unsqueeze(0).numpy())[0]
    return Explanation(
        input=item, explained_output=names[index],
        prediction={name: round(float(v), 5) for name, v in zip(names, outputs, strict=True)},
        tokens=run.tokenizer.convert_ids_to_tokens(ids[0].tolist()),
        token_scores=[round(float(s), 6) for s in token_scores],
        position_scores=[round(float(s), 6) for s in positions],
        convergence_delta=round(delta, 6),
    )


def _target_index(run: LoadedRun, logits: torch.Tensor, target: str | None) -> int:
    """The named output, or the predicted class (classification) / first target (regression)."""
    names = run.task.output_names()
    if target is not None:
        if f"prob_{target}" in names:  # a class label (``yes``) names its probability column
            target = f"prob_{target}"
        if target not in names:
            raise ConfigError(f"--target: {target!r} is not an output of this run (outputs: {', '.join(names)})")
        return names.index(target)
    return int(logits.argmax()) if run.task.mode == "multiclass" else 0


def _position_scores(item: str, text: str, offsets: list[list[int]], token_scores: np.ndarray,
                     char_map: list[int]) -> np.ndarray:
    """Spread each token's score evenly over the input characters its text span came from."""
    scores = np.zeros(len(item))
    for (start, end), score in zip(offsets, token_scores, strict=True):
        positions = [char_map[c] for c in range(start, min(end, len(text))) if char_map[c] >= 0]
        for position in positions:
            scores[position] += score / len(positions)
    return scores


def _write(output_dir: Path, explanations: list[Explanation]) -> None:
    with atomic_path(output_dir / layout.EXPLANATIONS_FILE) as tmp:
        tmp.write_text("".join(json.dumps(asdict(e)) + "\n" for e in explanations), encoding="utf-8")
    with atomic_path(output_dir / "index.html") as tmp:
        tmp.write_text(index_page(explanations), encoding="utf-8")


def inline_view(view: ExplanationView) -> str:
    """The modality's view as one self-contained HTML fragment (pictures as data-URI images), for a web page
    that cannot fetch files from the server's disk."""
    if view.html:
        return view.html
    parts = []
    for name in view.files:
        path = Path(name)
        if path.suffix == ".svg":
            parts.append(svg_image(path.read_text(encoding="utf-8"), "attributions"))
        elif path.suffix == ".png":
            data = base64.b64encode(path.read_bytes()).decode("ascii")
            parts.append(f'<img alt="attributions" src="data:image/png;base64,{data}">')
    return "".join(parts)


def index_page(explanations: list[Explanation]) -> str:
    """One page: each input, its prediction, and the modality's view of the attributions."""
    cards = []
    for e in explanations:
        prediction = ", ".join(f"{k}: {v:.3f}" for k, v in e.prediction.items())
        view = e.view.html or "".join(
            f'<img src="{html.escape(Path(f).name)}" alt="attributions">' for f in e.view.files)
        findings = "".join(f"<p>{html.escape(line)}</p>" for line in e.view.findings)
        cards.append(f"<section><h2>{html.escape(e.input[:120])}</h2><p>prediction {html.escape(prediction)} · "
                     f"explained: <b>{html.escape(e.explained_output)}</b></p>{view}{findings}</section>")
    return (f"<!doctype html><meta charset='utf-8'><title>biofm explanations</title><style>"
            "body{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;color:#222}"
            "section{border-bottom:1px solid #ddd;padding:1em 0}h2{font-size:1em;font-family:monospace;"
            "word-break:break-all}img{max-width:100%}</style><h1>Explanations</h1>"
            f"<p>{html.escape(Explanation.method)}. Red: pushes the explained output up; blue: down.</p>"
            + "".join(cards))
