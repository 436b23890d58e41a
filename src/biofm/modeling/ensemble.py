"""Several predictors trained alike from different seeds, predicting as one (``train.ensemble: N``).

Why: a few seeds averaged is the field's standard way to gain accuracy, and their disagreement is an
honest uncertainty.  The ensemble returns logits whose decoding *is* the members' mean probability
(or mean value), so every caller — metrics, predict, serve, calibrate, ONNX export — treats it as one
model; ``member_logits`` keeps each member's own output for the spread.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from biofm.modeling.model import Predictor

_EDGE = 1e-7  # probabilities are kept this far from 0 and 1 before taking their logit


def mean_as_logits(mode: str, member_logits: torch.Tensor) -> torch.Tensor:
    """Logits (batch, outputs) that decode to the mean of the members' decoded outputs (batch, members, outputs)."""
    k = member_logits.shape[1]
    if mode == "multiclass":  # log of the mean softmax; its softmax is that mean exactly
        return torch.logsumexp(torch.log_softmax(member_logits, dim=-1), dim=1) - math.log(k)
    if mode == "multilabel":
        p = torch.sigmoid(member_logits).mean(dim=1).clamp(_EDGE, 1 - _EDGE)
        return torch.log(p) - torch.log1p(-p)
    return member_logits.mean(dim=1)  # regression decodes linearly


class Ensemble(nn.Module):
    """Members with one architecture and task; reads like a ``Predictor`` (encoder, head, mode, pooling)."""

    def __init__(self, members: list[Predictor]):
        super().__init__()
        self.members = nn.ModuleList(members)
        first = members[0]
        self.mode, self.pooling, self.n_extra = first.mode, first.pooling, first.n_extra

    @property
    def encoder(self):
        """The first member's encoder: its config describes all of them (they share the architecture)."""
        return self.members[0].encoder

    @property
    def head(self) -> nn.Sequential:
        return self.members[0].head

    def forward(self, input_ids, attention_mask, extra=None, labels=None, **_unused) -> dict[str, torch.Tensor]:
        member_logits = torch.stack([m(input_ids, attention_mask, extra)["logits"] for m in self.members], dim=1)
        return {"logits": mean_as_logits(self.mode, member_logits.float()), "member_logits": member_logits}

    def embed(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """The members' pooled embeddings side by side (each member fine-tuned its own encoder)."""
        return torch.cat([m.embed(input_ids, attention_mask) for m in self.members], dim=-1)


def members(model: nn.Module) -> list[nn.Module]:
    """The predictors inside ``model``: an ensemble's members, or the model itself."""
    return list(model.members) if isinstance(model, Ensemble) else [model]
