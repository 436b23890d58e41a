"""Known transcription-factor motifs (JASPAR, via ``pyjaspar``) matched against DNA windows.

Why: an attribution track says *where* a DNA model looks; matching the strongest window against
JASPAR says *what* it may have found (e.g. the Oct4 or MafK site), in the words biologists use.
Scores are relative PSSM scores, (score - min) / (max - min), on the better strand.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

DEFAULT_RELEASE = "JASPAR2024"


@dataclass
class MotifMatch:
    """One JASPAR motif's best site in a scanned window."""

    matrix_id: str
    name: str
    relative_score: float  # 1.0: the motif's best possible site
    offset: int  # start within the scanned window
    strand: str


@cache
def jaspar_pssms(release: str = DEFAULT_RELEASE, tax_group: str = "vertebrates") -> list:
    """Log-odds matrices of JASPAR CORE motifs (the database ships inside pyjaspar: no network)."""
    from pyjaspar import jaspardb

    motifs = jaspardb(release=release).fetch_motifs(collection="CORE", tax_group=[tax_group])
    return [(m.matrix_id, m.name, m.counts.normalize(pseudocounts=0.5).log_odds()) for m in motifs]


def best_matches(window: str, top: int = 5, release: str = DEFAULT_RELEASE) -> list[MotifMatch]:
    """The ``top`` JASPAR motifs that score highest anywhere in ``window`` (either strand)."""
    from Bio.Seq import Seq

    sequence = Seq(window.upper().replace("N", "A"))  # PSSMs take ACGT only; N scored as A (rare in windows)
    matches = []
    for matrix_id, name, pssm in jaspar_pssms(release):
        if pssm.length > len(sequence):
            continue
        forward = pssm.calculate(sequence)
        reverse = pssm.reverse_complement().calculate(sequence)
        forward, reverse = np.atleast_1d(forward), np.atleast_1d(reverse)
        strand, scores = ("+", forward) if forward.max() >= reverse.max() else ("-", reverse)
        best = int(np.argmax(scores))
        relative = (scores[best] - pssm.min) / (pssm.max - pssm.min)
        matches.append(MotifMatch(matrix_id, name, round(float(relative), 4), best, strand))
    return sorted(matches, key=lambda m: -m.relative_score)[:top]
