"""De-identification of clinical free text: protected health information (PHI) → typed placeholders.

    >>> deidentify("Seen by Dr. Okafor on 03/14/2021 (MRN: 12345678), a 92-year-old woman.")
    'Seen by Dr. [NAME] on [DATE] (MRN: [ID]), a [AGE] woman.'

Why rules and not a model: the library must work offline, and the maintained scrubbers (presidio,
scrubadub) find names only through spaCy models that are downloaded at run time.  So each PHI kind
is a set of compiled patterns, one module per family: dates and ages over 89 in digits and words
(``deid_dates``), phones, e-mails (also "jane dot doe at example dot com"), URLs, IPs and record
numbers (``deid_contact``), US and European street addresses and postcodes (``deid_places``).
Names (``deid_names``) come from context (titles, "seen by", "daughter", "Name:", "<Name> reports",
credentials after a name) in title, upper and lower case, from a short gazetteer, from two unknown
capitalised words in a row (unknown: in no list of English or clinical words, drugs, eponyms), and
from every later mention of a name found once.  Eponyms ("Parkinson disease", "Crohn's") are kept.

Why recall over precision: a placeholder too many costs the model one word; a name too few leaks a
patient into a cache, a checkpoint or a prediction file.  ``benchmarks/deid_eval.py`` measures both
on synthetic notes, on a tuning corpus and on a held-out one; its report says what the rules miss.
"""

from __future__ import annotations

from dataclasses import dataclass

from biofm.modalities.text.deid_base import Candidate, Rule, matches
from biofm.modalities.text.deid_contact import EMAIL_RULES, ID_RULES, IP_RULES, PHONE_RULES, URL_RULES
from biofm.modalities.text.deid_dates import AGE_RULES, DATE_RULES
from biofm.modalities.text.deid_name_words import later_mentions
from biofm.modalities.text.deid_names import NAME_RULES
from biofm.modalities.text.deid_places import ADDRESS_RULES

KINDS = ("NAME", "DATE", "AGE", "PHONE", "EMAIL", "ADDRESS", "ID", "URL", "IP")

_RULES: tuple[Rule, ...] = (*EMAIL_RULES, *URL_RULES, *IP_RULES, *ID_RULES, *PHONE_RULES, *DATE_RULES, *AGE_RULES,
                            *ADDRESS_RULES, *NAME_RULES)


@dataclass(frozen=True)
class PhiSpan:
    """``text[start:end]`` is PHI of ``kind`` (one of ``KINDS``)."""

    start: int
    end: int
    kind: str
    text: str


def _resolve(candidates: list[Candidate], length: int) -> list[Candidate]:
    """Keep the longest span where candidates overlap (then the lowest rank); sort by position."""
    taken, chosen = bytearray(length), []
    for cand in sorted(candidates, key=lambda c: (c.start - c.end, c.rank, c.start)):
        if 1 not in taken[cand.start:cand.end]:
            taken[cand.start:cand.end] = b"\x01" * (cand.end - cand.start)
            chosen.append(cand)
    return sorted(chosen)


def find_phi(text: str) -> list[PhiSpan]:
    """PHI spans in ``text``: sorted, non-overlapping, the longest (then most specific) kept on overlap.

    Parameters
    ----------
    text : str
        One record of free text (a note, a sentence, a review).

    Returns
    -------
    list of PhiSpan
        ``kind`` is one of ``KINDS``; ``text[span.start:span.end] == span.text``.
    """
    chosen = _resolve([c for rule in _RULES for c in matches(rule, text)], len(text))
    mentions = later_mentions(text, [c for c in chosen if c.kind == "NAME"])  # only names that won their place
    if mentions:
        chosen = _resolve(chosen + mentions, len(text))
    return [PhiSpan(c.start, c.end, c.kind, text[c.start:c.end]) for c in chosen]


def replace_spans(text: str, spans: list[PhiSpan]) -> str:
    """``text`` with each span replaced by ``[KIND]`` (spans sorted and non-overlapping)."""
    pieces, last = [], 0
    for span in spans:
        pieces += [text[last:span.start], f"[{span.kind}]"]
        last = span.end
    return "".join([*pieces, text[last:]])


def deidentify(text: str) -> str:
    """``text`` with every PHI span found by :func:`find_phi` replaced by its placeholder, e.g. ``[NAME]``."""
    return replace_spans(text, find_phi(text))
