"""Name words: the shapes of a name token, which words are plain words, and the checks that turn a
matched run of words into a name span (or reject it).

Evidence that a word is a name, strongest first: a cue before or after it (see ``deid_names``), the
gazetteer, and being unknown: a capitalised word that is no English or clinical word, no drug, no
eponym.  One unknown word is no evidence (drug brands, places, abbreviations are unknown too); two in
a row ("Svetlana Khoury") are, and so is "Surname, Given" when either half is in the gazetteer.
"""

from __future__ import annotations

import re
from functools import lru_cache

from biofm.modalities.text import deid_data as words
from biofm.modalities.text.deid_base import LO, SP, UP, B, Candidate, E, Rule, is_stop, matches
from biofm.modalities.text.deid_data.clinical import DRUG_NAMES, NOTE_WORDS
from biofm.modalities.text.deid_data.english import COMMON_WORDS
from biofm.modalities.text.deid_data.vocabulary import VOCABULARY

TOKEN = rf"[{UP}](?:[{LO}]+|['’][{UP}][{LO}]+)(?:[{UP}][{LO}]+)?(?:['’][{UP}][{LO}]+)?(?:-[{UP}][{LO}]+)?"
CAPS = rf"[{UP}](?:['’]?[{UP}])+(?:-[{UP}]+)?"
INITIAL = rf"[{UP}]\.(?=[ \t])"
PARTICLE = r"(?:van|von|de|del|della|der|den|da|das|dos|di|du|la|le|bin|ibn|al|el|ben)"
LOWER_WORD = rf"[{LO}][{LO}'’-]*"
PARTICLES = frozenset(PARTICLE[3:-1].split("|"))
ANY_PARTICLE = rf"(?:{PARTICLE}|{PARTICLE.upper()})"


def name_sequence(token: str, particle: str = PARTICLE, most: int | None = 4) -> str:
    """Up to ``most`` name words (initials and particles allowed): "J. R. de la Cruz", "Mary-Ann O'Neil"."""
    word = rf"(?:{particle}{SP}){{0,2}}{token}{E}"
    title = r"(?:Mr|MR|Mrs|MRS|Ms|Mx|Dr|DR|Drs|Prof)\b"  # "Dr. Okafor Dr. Mensah" is two names, not one
    repeat = "*" if most is None else f"{{0,{most - 1}}}"
    return rf"{B}(?:{INITIAL}[ \t]*)?{word}(?:{SP}(?!{title})(?:{INITIAL}|{word})){repeat}"


NAME_OR_CAPS = rf"(?:{name_sequence(TOKEN)}|{name_sequence(CAPS, ANY_PARTICLE)})"  # one case all through
# A whole run of capitalised words, split later at the words that are never names (see bare_name)
CAPITALISED_RUN = rf"(?:{name_sequence(TOKEN, most=None)}|{name_sequence(CAPS, ANY_PARTICLE, most=None)})"
NAME_WORD = re.compile(rf"{INITIAL}|{PARTICLE}(?=[ \t])|[{UP}][\w'’-]*")
_LOWER = re.compile(LOWER_WORD)
_EPONYM_TAIL = re.compile(r"(?:['’]s?)?(?:[ \t-]+[A-Z][\w'’]*){0,3}[ \t-]+([A-Za-z']+)")

_FOLD = str.casefold
_GAZETTEER = frozenset(map(_FOLD, words.FIRST_NAMES | words.SURNAMES))
_EPONYMS = frozenset(map(_FOLD, words.EPONYMS))
_EPONYMS_ALONE = frozenset(map(_FOLD, words.EPONYMS_ALONE))
_PLACES = {_FOLD(w) for name in words.STATE_NAMES for w in name.split()} | set(map(_FOLD, words.STATE_ABBREVIATIONS))
_PLAIN = VOCABULARY | COMMON_WORDS | NOTE_WORDS | DRUG_NAMES | words.NOT_NAMES | words.DISEASE_WORDS
_KNOWN = (_PLAIN | _EPONYMS | _PLACES) - _GAZETTEER  # a gazetteer name is never a plain word here


@lru_cache(maxsize=65536)
def _base(word: str) -> str:
    """"Khoury's" → "khoury", "SMITH" → "smith"."""
    return re.sub(r"['’]s?$", "", _FOLD(word.rstrip(".")))


@lru_cache(maxsize=65536)
def in_gazetteer(word: str) -> bool:
    return _base(word) in _GAZETTEER


def _known_base(base: str) -> bool:
    """``base`` or its singular ("compresses" → "compress", "tears" → "tear") is a known word."""
    if base in _KNOWN:
        return True
    if not base.endswith("s") or len(base) <= 4:
        return False
    return base[:-1] in _KNOWN or (base.endswith("es") and base[:-2] in _KNOWN)


@lru_cache(maxsize=65536)
def is_known_word(word: str) -> bool:
    """A plain English or clinical word, a drug, an eponym or a place ("Long-standing" counts: both halves do)."""
    base = _base(word)
    if base in _GAZETTEER:
        return False
    if _known_base(base):
        return True
    parts = base.split("-")
    return len(parts) > 1 and all(not p or _known_base(p) for p in parts)


def _is_eponym(text: str, found: list[str], end: int, titled: bool) -> bool:
    """"Parkinson disease", "Down syndrome", "Murphy sign", and without a title "Crohn's"."""
    folded = [_base(w) for w in found]
    if not titled and any(w in _EPONYMS_ALONE for w in folded):
        return True
    tail = _EPONYM_TAIL.match(text, end)
    return bool(tail and tail.group(1).lower() in words.DISEASE_WORDS and any(w in _EPONYMS for w in folded))


def _is_particle(word: str) -> bool:
    """"van", "de la", also in an upper-case name ("VAN DER BERG"); a title-case "De" is a name word."""
    return word in PARTICLES or (word.isupper() and word.lower() in PARTICLES)


def _is_filler(word: str) -> bool:
    """An initial or a particle: part of a name between two name words, never a name on its own."""
    return word.endswith(".") or _is_particle(word)


def _case_of(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def clean_name(text: str, start: int, end: int, titled: bool = False, strict: bool = False) -> tuple[int, int] | None:
    """Cut a candidate name at the first word that is never a name ("John Smith Date" → "John Smith"), or
    where its case changes ("NASSER, MAARTEN Foley catheter": a name is all upper case or none of it).

    ``strict`` (after a weak cue such as "seen by" or "per"): one word alone must not be a plain word
    ("Seen by Physiotherapy") nor an upper-case abbreviation, unless the gazetteer knows it.
    """
    parts = list(NAME_WORD.finditer(text, start, end))
    while parts and is_stop(parts[0].group()):
        parts.pop(0)
    kept, upper = [], None
    for part in parts:
        word = part.group()
        if is_stop(word) or (not _is_filler(word) and upper is not None and _case_of(word) != upper):
            break
        upper = upper if _is_filler(word) else _case_of(word)
        kept.append(part)
    while kept and _is_particle(kept[-1].group()):
        kept.pop()
    names = [p.group() for p in kept if not _is_filler(p.group())]
    while len(names) > 1 and _is_eponym(text, names[-1:], kept[-1].end(), titled=True):
        kept, names = kept[:-1], names[:-1]  # "Dr. Aguilar Baker cyst": the eponym starts the next sentence
    if not names or _is_eponym(text, names, kept[-1].end(), titled):
        return None
    if strict and len(names) == 1 and not in_gazetteer(names[0]) and (is_known_word(names[0]) or names[0].isupper()):
        return None
    return kept[0].start(), kept[-1].end()


def cue_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    return clean_name(text, start, end, strict=True)


def _after_last_stop(text: str, start: int, end: int) -> int:
    stops = [m.end() for m in NAME_WORD.finditer(text, start, end) if is_stop(m.group())]
    return stops[-1] if stops else start


def name_before_cue(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A name the cue *follows* ("… Patient O'Brien MRN", "Müller Patient Khoury reports"): the words next
    to the cue, after the last word that is never a name."""
    return clean_name(text, _after_last_stop(text, start, end), end)


def titled_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    return clean_name(text, start, end, titled=True)


def two_word_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    """"Jane Doe RN" but not "Notify MD": without a comma before the credential, want two words."""
    span = clean_name(text, _after_last_stop(text, start, end), end)
    return span if span and len(NAME_WORD.findall(text, *span)) >= 2 else None


def _looks_like_caps_name(word: str) -> bool:
    """An upper-case word may be a name if it is long enough to be one and has a vowel ("KHOURY", not "HEENT")."""
    return not word.isupper() or (len(word) >= 3 and bool(re.search(r"[AEIOUY]", word)))


def _may_be_unknown_name(word: str) -> bool:
    """Unknown words that make a name without any cue: three letters or more ("Junel Fe", "Tri Cyclen" do not)."""
    return len(word) >= 3 and _looks_like_caps_name(word) and not is_known_word(word)


def _unknown_run(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The first run of two or more unknown words ("Svetlana Khoury" in "Seen Svetlana Khoury Today")."""
    runs: list[list[re.Match[str]]] = [[]]
    for part in NAME_WORD.finditer(text, start, end):
        word = part.group()
        if _is_filler(word):
            if runs[-1]:
                runs[-1].append(part)
        elif not _may_be_unknown_name(word):
            runs.append([])
        else:
            runs[-1].append(part)
    for run in runs:
        while run and _is_filler(run[-1].group()):
            run.pop()
        if sum(not _is_filler(p.group()) for p in run) >= 2:
            return run[0].start(), run[-1].end()
    return None


def _bare_segment(text: str, start: int, end: int) -> tuple[int, int] | None:
    span = clean_name(text, start, end)
    if span and any(in_gazetteer(w) for w in NAME_WORD.findall(text, *span)):
        return span
    unknown = _unknown_run(text, start, end)
    if unknown and not _is_eponym(text, NAME_WORD.findall(text, *unknown), unknown[1], titled=False):
        return unknown
    return None


def bare_name(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Names without any cue: a gazetteer word, or two unknown words in a row.  Each stretch between words
    that are never names is judged on its own ("Smith Patient Svetlana Khoury" holds two names)."""
    spans, cursor = [], start
    for stop in [m for m in NAME_WORD.finditer(text, start, end) if is_stop(m.group())] + [None]:
        segment_end = stop.start() if stop else end
        if segment_end > cursor and (span := _bare_segment(text, cursor, segment_end)):
            spans.append(span)
        cursor = stop.end() if stop else end
    return spans


def _in_a_list(text: str, start: int, end: int) -> bool:
    """"Aspirin, Bisoprolol, Ramipril": a comma (or "and") on either side means a list, not "Surname, Given"."""
    before = text[max(0, start - 3):start].rstrip()
    return before.endswith(",") or bool(re.match(r"[ \t]*(?:,[ \t]*[A-Z]|and[ \t]|or[ \t]|&)", text[end:end + 5]))


def surname_given(text: str, start: int, end: int, need_gazetteer: bool = True) -> tuple[int, int] | None:
    """"Okonkwo, Margaret", "SMITH, JOHN": neither half a plain word, and (without a cue) one half known as a name."""
    found = [w for w in NAME_WORD.findall(text, start, end) if not _is_filler(w)]
    plain = [is_known_word(w) for w in found]
    if len(found) < 2 or _in_a_list(text, start, end) or any(map(is_stop, found)):
        return None
    if all(plain) or (need_gazetteer and any(plain)):  # with a cue after it, "MCALLISTER, SUMMER" will do
        return None
    if any(_base(w) in _EPONYMS_ALONE for w in found) or not all(map(_looks_like_caps_name, found)):
        return None
    if need_gazetteer and not any(in_gazetteer(w) for w in found):
        return None
    return start, end


def surname_given_in_context(text: str, start: int, end: int) -> tuple[int, int] | None:
    return surname_given(text, start, end, need_gazetteer=False)


def _name_like_lower(word: str) -> bool:
    return in_gazetteer(word) or not is_known_word(word)


def _ends_a_phrase(text: str, end: int) -> bool:
    """Punctuation, the end of the text, or a word that is never part of a name comes next."""
    after = re.match(rf"[ \t]*(?:[,.;:)\n]|$|({LOWER_WORD}))", text[end:end + 30])
    return bool(after) and (after.group(1) is None or is_stop(after.group(1)))


def lower_name(text: str, start: int, end: int, titled: bool = False) -> tuple[int, int] | None:
    """A lower-case name after a cue ("seen by john smith", "pt name bogdan little, verified").

    Up to three words before the first word that is never a name.  The first must be a gazetteer name
    or an unknown word (of 4 letters or more, 3 after a title: "seen by gi" is a department); a plain
    word may end a two-word name ("bogdan little") where a phrase ends after it.
    """
    run = [p for p in _LOWER.finditer(text, start, end)]
    stops = [i for i, p in enumerate(run) if is_stop(p.group())]
    run = run[:stops[0]] if stops else run
    if not run or not _name_like_lower(run[0].group()):
        return None
    first = run[0].group()
    if not in_gazetteer(first) and len(first) < 3:
        return None
    taken = [run[0]]
    for part in run[1:3]:
        if _name_like_lower(part.group()):
            taken.append(part)
        elif len(taken) == 1 and _ends_a_phrase(text, part.end()):
            taken.append(part)
            break
        else:
            break
    if len(taken) == 1 and not titled and not in_gazetteer(first):
        return None  # "her mother died", "seen by neurosurg": one unknown word needs a title
    return taken[0].start(), taken[-1].end()


def titled_lower_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    return lower_name(text, start, end, titled=True)


def _mention(text: str, start: int, end: int) -> tuple[int, int] | None:
    word = text[start:end]
    if is_stop(word) or _is_eponym(text, [word], end, titled=False):
        return None
    return start, end


def _propagated(found: list[str]) -> list[str]:
    """The words of a found name worth finding again.  A plain word that ends a longer name ("Taras Ivanova
    Member" in a note without full stops) is more likely the next sentence than a surname, so it is left."""
    keep = [w for w in found if len(w) > 1 and w.lower() not in PARTICLES and not is_stop(w)]
    if len(keep) > 1 and is_known_word(keep[-1]) and not in_gazetteer(keep[-1]):
        keep.pop()
    return keep


def later_mentions(text: str, names: list[Candidate]) -> list[Candidate]:
    """Every other mention of a name word already found, in any case: "Mr. Okafor … OKAFOR … okafor reports"."""
    found = {w for c in names for w in _propagated(re.findall(r"[\w'’-]+", text[c.start:c.end]))}
    forms = set()
    for word in found:
        forms |= {word, word.upper(), word[0].upper() + word[1:].lower()}
        if word.islower() and not is_known_word(word):
            forms.add(word)  # lower case only where a name was written so: "carpenter" is a trade
    if not forms:
        return []
    alternatives = "|".join(map(re.escape, sorted(forms, key=len, reverse=True)))
    pattern = re.compile(rf"{B}(?:{alternatives}){E}")
    return list(matches(Rule("NAME", pattern, 6, _mention), text))
