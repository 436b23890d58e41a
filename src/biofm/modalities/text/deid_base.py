"""What every de-identification rule module shares: the rule type, character classes, number words.

The rules are split by PHI kind (``deid_dates``, ``deid_contact``, ``deid_places``, ``deid_names``)
so that each module stays short; ``deid`` assembles them and resolves overlaps.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import NamedTuple

from biofm.modalities.text import deid_data as words

Span = tuple[int, int]
Refine = Callable[[str, int, int], Span | list[Span] | None]  # one span, several, or none


class Rule(NamedTuple):
    kind: str
    pattern: re.Pattern[str]
    rank: int  # among overlapping spans of equal length the lower rank wins: a cue beats a bare shape
    refine: Refine | None = None  # moves or rejects the matched span (trim, sanity checks)


def rule(kind: str, pattern: str, rank: int = 1, refine: Refine | None = None) -> Rule:
    """A rule whose span is the named group ``phi`` if the pattern has one, else the whole match."""
    return Rule(kind, re.compile(pattern), rank, refine)


# Name tokens are case-sensitive (capitalisation is most of the evidence); cue words are
# case-insensitive through scoped (?i:...) groups.
UP, LO = "A-ZÀ-ÖØ-Þ", "a-zß-öø-ÿ"
B, E = r"(?<![\w'’-])", r"(?![\w])"  # word start / end that also respect O'Brien and Smith-Jones
SP = r"[ \t]+"


def alternatives(words: object) -> str:
    """``(?:longest|...|shortest)`` of escaped words, longest first so that no prefix shadows a word."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w))) + ")"


# Spelled-out numbers, case-insensitive: "twenty-one", "ninety four", "one hundred and two".
_UNIT_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_TEEN_WORD = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
OLD_AGE_WORDS = (rf"(?i:ninety(?:[ \t-]{_UNIT_WORD})?|(?:one|a)[ \t]+hundred(?:(?:[ \t]+and)?[ \t]+"
                 rf"(?:(?:twenty|thirty|forty)(?:[ \t-]{_UNIT_WORD})?|{_TEEN_WORD}|{_UNIT_WORD}))?)(?![\w])")
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
NUMBER_WORDS = (rf"(?i:(?:(?:one|a)[ \t]+hundred(?:[ \t]+and)?[ \t]+)?(?:{_TENS}(?:[ \t-]{_UNIT_WORD})?|{_TEEN_WORD}|"
                rf"{_UNIT_WORD})|(?:one|a)[ \t]+hundred)(?![\w])")  # any age in words, 1 to 199
_ORDINAL_UNIT = r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
ORDINAL_DAY_WORDS = (rf"(?i:(?:twenty|thirty)-?[ \t]?{_ORDINAL_UNIT}|twentieth|thirtieth|tenth|eleventh|twelfth|"
                     rf"(?:thir|four|fif|six|seven|eigh|nine)teenth|{_ORDINAL_UNIT})(?![\w-])")


@lru_cache(maxsize=65536)
def is_stop(word: str) -> bool:
    """A word that never belongs to a name or a place name (an initial such as "A." always may)."""
    return len(word.rstrip(".")) > 1 and word.rstrip(".").lower() in words.NOT_NAMES


def digits_at_least(n: int) -> Refine:
    """Rejects a value with fewer than ``n`` digits, or one that is just a year ("ID: 12", "policy 2021")."""
    def refine(text: str, start: int, end: int) -> tuple[int, int] | None:
        value = text[start:end]
        if sum(c.isdigit() for c in value) < n or re.fullmatch(r"(?:19|20)\d\d", value):
            return None
        return start, end
    return refine


def trim_punctuation(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Drops the full stop, comma or bracket that ends a sentence after a URL or an address."""
    while end > start and text[end - 1] in ".,;:!?'\")]":
        end -= 1
    return start, end


class Candidate(NamedTuple):
    start: int
    end: int
    kind: str
    rank: int


def matches(rule: Rule, text: str) -> Iterator[Candidate]:
    """Every span ``rule`` finds in ``text``, after its refinement."""
    group = "phi" if "phi" in rule.pattern.groupindex else 0
    for match in rule.pattern.finditer(text):
        found: Span | list[Span] | None = match.span(group)
        if rule.refine is not None:
            found = rule.refine(text, *match.span(group))
        for start, end in (found if isinstance(found, list) else [found] if found else []):
            if end > start:
                yield Candidate(start, end, rule.kind, rule.rank)
