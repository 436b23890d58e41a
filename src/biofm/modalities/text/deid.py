"""De-identification of clinical free text: protected health information (PHI) → typed placeholders.

    >>> deidentify("Seen by Dr. Okafor on 03/14/2021 (MRN: 12345678), a 92-year-old woman.")
    'Seen by Dr. [NAME] on [DATE] (MRN: [ID]), a [AGE] woman.'

Why rules and not a model: the library must work offline, and the maintained scrubbers (presidio,
scrubadub) find names only through spaCy models that are downloaded at run time.  So each PHI kind
is a compiled pattern; names come from context (titles, "seen by", "daughter", "Name:", "<Name>
reports", credentials after a name), a short gazetteer, and every later mention of a name found
once.  Eponyms ("Parkinson disease", "Crohn's") are kept.

Why recall over precision: a placeholder too many costs the model one word; a name too few leaks a
patient into a cache, a checkpoint or a prediction file.  ``benchmarks/deid_eval.py`` measures both
on synthetic notes; its report says what the rules miss.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from biofm.modalities.text import deid_data as words

KINDS = ("NAME", "DATE", "AGE", "PHONE", "EMAIL", "ADDRESS", "ID", "URL", "IP")


@dataclass(frozen=True)
class PhiSpan:
    """``text[start:end]`` is PHI of ``kind`` (one of ``KINDS``)."""

    start: int
    end: int
    kind: str
    text: str


Refine = Callable[[str, int, int], tuple[int, int] | None]


class _Rule(NamedTuple):
    kind: str
    pattern: re.Pattern[str]
    rank: int  # among overlapping spans of equal length the lower rank wins: a cue beats a bare shape
    refine: Refine | None = None  # moves or rejects the matched span (trim, sanity checks)


# ---------------------------------------------------------------------------------------------
# Building blocks.  Name tokens are case-sensitive (capitalisation is most of the evidence);
# cue words are case-insensitive through scoped (?i:...) groups.

_UP, _LO = "A-ZÀ-ÖØ-Þ", "a-zß-öø-ÿ"
_B, _E = r"(?<![\w'’-])", r"(?![\w])"  # word start / end that also respect O'Brien and Smith-Jones
_TOKEN = rf"[{_UP}](?:[{_LO}]+|['’][{_UP}][{_LO}]+)(?:[{_UP}][{_LO}]+)?(?:['’][{_UP}][{_LO}]+)?(?:-[{_UP}][{_LO}]+)?"
_CAPS = rf"[{_UP}](?:['’]?[{_UP}])+(?:-[{_UP}]+)?"
_INITIAL = rf"[{_UP}]\.(?=[ \t])"
_PARTICLE = r"(?:van|von|de|del|della|der|den|da|das|dos|di|du|la|le|bin|ibn|al|el|ben)"
_SP = r"[ \t]+"


def _name_sequence(token: str) -> str:
    """Up to four name words (initials and particles allowed): "J. R. de la Cruz", "Mary-Ann O'Neil"."""
    word = rf"(?:{_PARTICLE}{_SP}){{0,2}}{token}{_E}"
    title = r"(?:Mr|MR|Mrs|MRS|Ms|Mx|Dr|DR|Drs|Prof)\b"  # "Dr. Okafor Dr. Mensah" is two names, not one
    return rf"{_B}(?:{_INITIAL}[ \t]*)?{word}(?:{_SP}(?!{title})(?:{_INITIAL}|{word})){{0,3}}"


_NAME = _name_sequence(_TOKEN)
_NAME_OR_CAPS = _name_sequence(rf"(?:{_TOKEN}|{_CAPS})")
_HONORIFIC = (r"(?<![\w])(?:(?:Mr|MR|Mrs|MRS|Ms|Mx|Dr|DR|Drs|Prof|Rev|Fr|Sr)\.?|"
              r"(?i:miss|doctor|professor|sister|nurse|madam|sir|dame|officer|judge|rabbi|pastor))(?![\w])")
_RELATION = (r"(?i:son|daughter|wife|husband|mother|father|mom|dad|sister|brother|partner|spouse|fianc[eé]e?|"
             r"friend|neighbou?r|caregiver|grand(?:daughter|son|mother|father)|niece|nephew|aunt|uncle|cousin|"
             r"guardian|boyfriend|girlfriend|roommate|step(?:daughter|son|mother|father)|sibling|child|parent|"
             r"(?:son|daughter|mother|father)-in-law)")
_COLON_CUE = (r"(?i:patient(?:'s)?(?:[ \t]+(?:full[ \t]+)?name)?|pt(?:[ \t]+name)?|(?:full[ \t]+)?name|"
              r"attending(?:[ \t]+physician)?|resident|fellow|intern|pcp|primary[ \t]+care(?:[ \t]+\w+)?|"
              r"referring(?:[ \t]+\w+)?|provider|physician|surgeon|nurse|rn|np|case[ \t]+manager|"
              r"social[ \t]+worker|interpreter|translator|witness|guardian|(?:health[ \t]+care[ \t]+)?proxy|"
              r"hcp|poa|next[ \t]+of[ \t]+kin|nok|(?:emergency[ \t]+)?contact|cc|author|signature|"
              r"(?:electronically[ \t]+)?signed(?:[ \t]+by)?|dictated[ \t]+by|consultant|therapist|"
              r"dietitian|chaplain|pharmacist|clinician|practitioner|requested[ \t]+by|ordered[ \t]+by)"
              r"(?:[ \t]*:|[ \t]+(?i:is|was))[ \t]*")
_PHRASE_CUE = (r"(?i:seen(?:[ \t]+and[ \t]+examined)?[ \t]+by|signed(?:[ \t]+out)?[ \t]+(?:by|to)|"
               r"(?:dictated|transcribed|examined|evaluated|referred|accompanied|visited|supervised|consented|"
               r"treated|managed|interviewed|counseled|counselled|assessed|reviewed)[ \t]+by|"
               r"brought[ \t]+in[ \t]+by|cared[ \t]+for[ \t]+by|(?:discussed|reviewed|staffed)[ \t]+with|"
               r"(?:spoke|spoken|talked|met)[ \t]+(?:with|to)|called|paged|per|care[ \t]+of|attn:?|"
               r"covering[ \t]+for|handed[ \t]+off[ \t]+to|message[ \t]+(?:for|from)|letter[ \t]+(?:to|from)|"
               r"dear|thank[ \t]+you|regards|sincerely|cc)[ \t]*,?[ \t]+")
_ROLE = (r"(?i:attending|resident|fellow|intern|interpreter|translator|nurse|pharmacist|therapist|physician|"
         r"surgeon|social[ \t]+worker|case[ \t]+manager|chaplain|dietitian|pcp|provider|colleague|"
         r"anesthesiologist|radiologist|hospitalist|midwife|doula|caseworker|scribe)")
_CREDENTIAL = (r"(?:MD|M\.D\.|DO|D\.O\.|RN|BSN|NP|PA-C|PhD|Ph\.D\.|DNP|FNP(?:-BC)?|APRN|CNM|CRNA|LPN|MSW|LCSW|"
               r"PharmD|DDS|DMD|MBBS|MBChB|FACP|FACC|FACS|DPT|OTR|CNA|NP-C)(?![\w])")
_PERSON_VERB = (r"(?:(?:reports?|reported|states?|stated|denies|denied|endorses|endorsed|complains|complained|"
                r"presents|presented|returns|returned|admits|agrees|agreed|understands|understood|verbali[sz]e[sd]|"
                r"feels|felt|says|said|arrived|lives|lived|wishes|wants|wanted|declined|refused|prefers|"
                r"ambulates|ambulated|tolerated|asked|asks|thinks|believes|knows|remembers|recalls|quit|smokes|"
                r"drinks|walks|walked|called|phoned|was[ \t]+(?:seen|admitted|discharged|"
                r"instructed|counsel+ed|advised|told|informed)|is[ \t]+here|will[ \t]+(?:follow|return|call))"
                r"(?![\w])|(?:is|was)[ \t]+(?:an?[ \t]+)?\d{1,3}[ \t-]*(?:years?|yrs?|yo|y/o|y\.o\.|months?|weeks?)"
                r"(?![a-z]))")
_AGE_AFTER = r"(?:an?[ \t]+)?\d{1,3}[ \t-]*(?:year|yr|yo|y/o|-year)"

_OLD = r"(?:9\d|1[0-4]\d)"  # 90-149: HIPAA counts every age over 89 as PHI, and none at or under it
_MONTH = (r"(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)(?![a-zA-Z])|"
          r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|JAN|FEB|MAR|APR|MAY|JUNE?|JULY?|AUG|SEPT?|OCT|NOV|DEC)"
          r"(?![a-zA-Z])\.?)")  # a full month name never takes the full stop that ends its sentence
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?:(?:19|20)\d{2}(?!\d)|['’]\d{2}(?!\d))"
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_ZIP = r"\d{5}(?:-\d{4})?(?![\d-])"
_STATE = rf"(?:{'|'.join(sorted(words.STATE_ABBREVIATIONS))}|{'|'.join(words.STATE_NAMES)})(?![\w])"
_SAFE_STATE = (rf"(?:{'|'.join(sorted(words.STATE_ABBREVIATIONS - words.AMBIGUOUS_STATES))}|"
               rf"{'|'.join(words.STATE_NAMES)})(?![\w])")
_CITY = rf"(?:(?:St|Ft|Mt)\.?[ \t]+)?[{_UP}][{_LO}]+(?:[ \t-][{_UP}][{_LO}]+){{0,2}}"
_STREET_TYPE = (r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Terrace|Ter|"
                r"Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Plaza|Crescent|Alley|Pike|STREET|AVENUE|"
                r"ROAD|DRIVE|LANE|BLVD|street|avenue|road|drive|lane|boulevard|court|place)(?![\w])\.?")
_STREET = (rf"(?<![\w/.,-])\d{{1,6}}[A-Za-z]?{_SP}(?:(?:[NSEW]|North|South|East|West|NE|NW|SE|SW)\.?{_SP})?"
           rf"(?:(?:[{_UP}][\w'’.-]*|\d{{1,3}}(?:st|nd|rd|th)){_SP}){{1,4}}{_STREET_TYPE}")
_UNIT = (r"(?:(?i:apt|apartment|unit|suite|ste|room|rm|bldg|building|floor|fl|lot)\.?[ \t]*#?[ \t]*|#[ \t]*)"
         r"[A-Za-z0-9][A-Za-z0-9-]{0,5}(?![\w])")
_PLACE = rf"{_CITY},?{_SP}{_STATE}(?:{_SP}{_ZIP})?|{_CITY}{_SP}{_ZIP}"
_ID_STRONG = (r"(?:(?i:medical[ \t]+record|account|acct|insurance|policy|licen[cs]e|driver'?s[ \t]+licen[cs]e|"
              r"social[ \t]+security|accession|serial|passport|medicaid|medicare|beneficiary|certificate|claim|"
              r"subscriber|member|plate)|MRN|mrn|Mrn|SSN|ssn|ID|Id|DL|FIN|CSN|VIN|NPI|DEA|UPI|HICN|MBI|SN|S/N)")
_ID_WEAK = (r"(?i:patient|pt|record|chart|encounter|visit|specimen|device|case|group|health[ \t]+plan|hospital|"
            r"billing|employee|badge|unit|lab|sample|order|requisition|tag|vehicle|study|subject|trial)")
_ID_SUFFIX = r"(?i:identifier|id|number|no\.?|num|#)"
_ID_VALUE = r"[A-Za-z]{0,4}[-#]?\d(?:[A-Za-z0-9-]|[ ](?=\d{2}))*[A-Za-z0-9]"


# ---------------------------------------------------------------------------------------------
# Refinements: checks a pattern cannot express (compare against word lists, count digits).

_NAME_WORD = re.compile(rf"{_INITIAL}|{_PARTICLE}(?=[ \t])|[{_UP}][\w'’-]*")
_EPONYM_TAIL = re.compile(r"(?:['’]s?)?(?:[ \t-]+[A-Z][\w'’]*){0,3}[ \t-]+([A-Za-z']+)")
_SCALE_NEAR = re.compile(r"(?i)\b(?:pain|scale|rated?|rates|rating|score|severity|strength|motor|power|"
                         r"reflex(?:es)?|grade|murmur|apgar|cog|mmse|moca|gcs|tabs?|tablets?|caps?|capsules?|"
                         r"pills?|doses?|units?|sets?|ns|hours?|hrs?|days?|weeks?|wks?|months?|years?|yrs?|times)\b")
_PARTICLES = frozenset(_PARTICLE[3:-1].split("|"))


def _is_stop(word: str) -> bool:
    """A word that never belongs to a name (an initial such as "A." always may)."""
    return len(word.rstrip(".")) > 1 and word.rstrip(".").lower() in words.NOT_NAMES


def _is_eponym(text: str, words_found: list[str], end: int, titled: bool) -> bool:
    """"Parkinson disease", "Down syndrome", "Murphy sign", and without a title "Crohn's"."""
    if not titled and any(w in words.EPONYMS_ALONE for w in words_found):
        return True
    tail = _EPONYM_TAIL.match(text, end)
    return bool(tail and tail.group(1).lower() in words.DISEASE_WORDS
                and any(w in words.EPONYMS for w in words_found))


def _clean_name(text: str, start: int, end: int, titled: bool = False) -> tuple[int, int] | None:
    """Cut a candidate name at the first word that is never a name ("John Smith Date" → "John Smith")."""
    parts = list(_NAME_WORD.finditer(text, start, end))
    while parts and _is_stop(parts[0].group()):
        parts.pop(0)
    kept = []
    for part in parts:
        if _is_stop(part.group()):
            break
        kept.append(part)
    while kept and (kept[-1].group() in _PARTICLES):
        kept.pop()
    names = [p.group() for p in kept if not p.group().endswith(".") and p.group() not in _PARTICLES]
    if not names or _is_eponym(text, names, kept[-1].end(), titled):
        return None
    return kept[0].start(), kept[-1].end()


def _titled_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    return _clean_name(text, start, end, titled=True)


def _two_word_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    """"Jane Doe RN" but not "Notify MD": without a comma before the credential, want two words."""
    span = _clean_name(text, start, end)
    return span if span and len(_NAME_WORD.findall(text, *span)) >= 2 else None


def _gazetteer_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    span = _clean_name(text, start, end)
    if span and any(w in words.FIRST_NAMES or w in words.SURNAMES for w in _NAME_WORD.findall(text, *span)):
        return span
    return None


def _place(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A town after "lives in", unless it is a whole state or a word like "Assisted Living"."""
    first = re.sub(r"^(?:St|Ft|Mt)\.?[ \t]+", "", text[start:end]).split()[0]
    if _is_stop(first) or text[start:end] in words.STATE_NAMES:
        return None
    return start, end


def _digits_at_least(n: int) -> Refine:
    def refine(text: str, start: int, end: int) -> tuple[int, int] | None:
        value = text[start:end]
        if sum(c.isdigit() for c in value) < n or re.fullmatch(r"(?:19|20)\d\d", value):
            return None  # "ID: 12" is a count, "policy 2021" a year
        return start, end
    return refine


def _not_a_scale(text: str, start: int, end: int) -> tuple[int, int] | None:
    """"on 3/14" is a date; "pain 8/10", "strength 4/5", "rated 7/10" and "1/2 tab" are not.

    Looks at the words just before (within the sentence) and just after the fraction.
    """
    before = re.split(r"[.;\n]", text[max(0, start - 15):start])[-1]
    return None if _SCALE_NEAR.search(before + text[start:end + 12]) else (start, end)


def _trim_url(text: str, start: int, end: int) -> tuple[int, int] | None:
    while end > start and text[end - 1] in ".,;:!?'\")]":
        end -= 1
    return start, end


def _rule(kind: str, pattern: str, rank: int = 1, refine: Refine | None = None) -> _Rule:
    return _Rule(kind, re.compile(pattern), rank, refine)


_RULES: tuple[_Rule, ...] = (
    _rule("EMAIL", r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}(?![\w])"),
    _rule("URL", r"(?<![\w@/])(?:(?i:https?|ftp)://|(?i:www)\.)[^\s<>\"'\[\]{}|\\^`]+", refine=_trim_url),
    _rule("URL", r"(?<![\w@./-])(?:[A-Za-z0-9-]+\.)+(?:com|org|net|edu|gov|io|info|biz|us|uk|ca|health|care|med)"
                 r"(?![\w@-])(?:/[^\s<>\"']*)?", rank=2, refine=_trim_url),
    _rule("IP", rf"(?<![\w.]){_OCTET}(?:\.{_OCTET}){{3}}(?![\w]|\.\d)"),
    _rule("IP", r"(?<![\w:])(?i:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:){1,6}(?::[0-9a-f]{1,4}){1,6}|"
                r"(?:[0-9a-f]{1,4}:){1,7}:|::(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})(?![\w:])"),
    _rule("ID", rf"(?<![\w])(?:{_ID_STRONG}(?:[ \t]*{_ID_SUFFIX})?|{_ID_WEAK}[ \t]*{_ID_SUFFIX})[ \t]*"
                rf"(?:(?i:is)[ \t]+)?[:#=]?[ \t]*(?P<phi>{_ID_VALUE})", rank=0, refine=_digits_at_least(4)),
    _rule("ID", r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])"),
    _rule("ID", r"(?<![\w.,/-])\d{7,}(?![\w,/-]|\.\d)", rank=2),
    _rule("ID", r"(?<![\w-])[A-Z]{1,3}\d{6,}(?![\w-])", rank=2),
    _rule("PHONE", r"(?<![\w+/.-])(?:\+?1[ \t.-]?)?(?:\(\d{3}\)[ \t.-]?|\d{3}[ \t.-])\d{3}[ \t.-]\d{4}"
                   r"(?:[ \t]*(?i:x|ext\.?|extension)[ \t]*\d{1,5})?(?![\w])"),
    _rule("PHONE", r"(?<![\w])(?i:phone|tel|telephone|fax|facsimile|cell|cellphone|mobile|pager|beeper|ext)\.?"
                   r"[ \t]*(?i:number|no\.?|#)?[ \t]*[:#=]?[ \t]*"
                   r"(?P<phi>\d{3}[ .-]\d{4}|\d{4,11}|(?i:x|ext\.?)[ \t]*\d{3,5})(?![\w]|\.\d)", rank=0),
    _rule("PHONE", r"(?<![\w+])\+\d{1,3}(?:[ \t.-]?\(?\d{1,4}\)?){2,5}(?![\w])", refine=_digits_at_least(8)),
    _rule("DATE", r"(?<![\w/.-])(?:[12]\d|3[01]|0?[1-9])[/-](?:[12]\d|3[01]|0?[1-9])[/-](?:(?:19|20)\d{2}|\d{2})"
                  r"(?![\w/-]|\.\d)"),
    _rule("DATE", r"(?<![\w/.-])(?:[12]\d|3[01]|0?[1-9])\.(?:[12]\d|3[01]|0?[1-9])\.(?:19|20)\d{2}(?![\w]|\.\d)"),
    _rule("DATE", r"(?<![\w/.-])(?:19|20)\d{2}([-/.])(?:0?[1-9]|1[0-2])\1(?:[12]\d|3[01]|0?[1-9])(?![\w/-]|\.\d)"),
    _rule("DATE", r"(?<![\w.-])(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:[12]\d|3[01]|0[1-9])(?![\w.])"),
    _rule("DATE", r"(?<![\w/])(?:0?[1-9]|1[0-2])/(?:19|20)\d{2}(?![\w/])"),
    _rule("DATE", rf"(?<![\w]){_MONTH}[ \t]*{_DAY}(?:,?[ \t]*(?:of[ \t]+)?{_YEAR})?"),
    _rule("DATE", rf"(?<![\w]){_DAY}(?:[ \t]+of)?[ \t-]*{_MONTH}(?:,?[ \t-]*{_YEAR}|-\d{{2}}(?!\d))?"),
    _rule("DATE", rf"(?<![\w]){_MONTH}(?:[ \t]+of)?[ \t,-]*{_YEAR}"),
    _rule("DATE", r"(?<![\w])(?i:on|since|dated?|dos|dob|admitted|discharged|seen|visit|last|next|starting|started|"
                  r"effective|scheduled(?:[ \t]+for)?|due|as[ \t]+of)"
                  r"[ \t:]+(?:the[ \t]+)?(?P<phi>(?:0?[1-9]|1[0-2])/(?:[12]\d|3[01]|0?[1-9]))(?![\d/]|\.\d)",
          rank=0, refine=_not_a_scale),
    _rule("DATE", r"(?<![\w])(?i:from|until|till|through|thru|before|after)[ \t:]+(?:the[ \t]+)?"
                  r"(?P<phi>(?:0?[1-9]|1[0-2])/(?:[12]\d|3[01]|0?[1-9]))(?![\d/]|\.\d)(?<!/10)",
          rank=0, refine=_not_a_scale),  # "from 8/10 to 3/10" is a pain score, whatever is near
    _rule("DATE", r"(?<![\w/.,:-])(?<!\d )(?:0?[1-9]|1[0-2])/(?:[12]\d|3[01]|0?[1-9])(?![\w/-]|\.\d)(?<!/10)"
                  r"(?<!1/2|1/3|2/3|1/4|3/4)", rank=2, refine=_not_a_scale),  # "LMP 8/22", not "7/10" or "4 1/2"
    _rule("AGE", rf"(?<![\w.]){_OLD}(?:[ \t]*-?[ \t]*(?i:years?|yrs?)\.?(?:[ \t-]*(?i:old|of[ \t]+age))?|"
                 r"[ \t]*-?[ \t]*(?i:y/o|y\.o\.?|yo)(?![a-z]))"),
    _rule("AGE", rf"(?<![\w])(?i:aged?|age[ \t]+of|at[ \t]+age|turn(?:s|ed|ing)?)[ \t]*[:=]?[ \t]*"
                 rf"(?:(?i:about|approximately|approx\.?|~)[ \t]*)?(?P<phi>{_OLD})(?!\d|\.\d)", rank=0),
    _rule("AGE", r"(?<![\w])(?i:in[ \t]+(?:his|her|their|the)[ \t]+)(?P<phi>(?:(?i:early|mid|late)[ \t-]*)?"
                 r"(?:9|1[0-4])0['’]?s)(?![\w])"),
    _rule("AGE", rf"(?<![\w.])(?P<phi>{_OLD})(?:st|nd|rd|th)[ \t]+(?i:birthday)"),
    _rule("AGE", r"(?<![\w])(?i:nonagenarian|centenarian|supercentenarian)s?(?![\w])"),
    _rule("ADDRESS", rf"{_STREET}(?:,?[ \t]*{_UNIT})?(?:,[ \t]*(?:{_PLACE})|,?{_SP}{_ZIP})?"),
    _rule("ADDRESS", rf"(?<![\w])(?i:p\.?[ \t]*o\.?[ \t]*box|post[ \t]+office[ \t]+box)[ \t]*#?[ \t]*\d{{1,6}}(?![\w])"
                     rf"(?:,[ \t]*(?:{_PLACE}))?"),
    _rule("ADDRESS", r"(?<![\w])(?i:apt|apartment|suite|ste)\.?[ \t]*#?[ \t]*(?=[A-Za-z-]*\d)[A-Za-z0-9-]{1,6}"
                     r"(?![\w])"),
    _rule("ADDRESS", rf"(?<![\w]){_CITY},[ \t]*{_STATE}{_SP}{_ZIP}"),
    _rule("ADDRESS", rf"(?<![\w]){_CITY},[ \t]*{_SAFE_STATE}", rank=2, refine=_place),
    _rule("ADDRESS", rf"(?<![\w])(?:{'|'.join(sorted(words.STATE_ABBREVIATIONS))}){_SP}{_ZIP}"),
    _rule("ADDRESS", rf"(?<![\w])(?i:zip(?:[ \t]*code)?|postal[ \t]+code)[ \t]*[:#]?[ \t]*(?P<phi>{_ZIP})", rank=0),
    _rule("ADDRESS", r"(?<![\w])(?i:lives|living|resides|residing|residence|resident|moved|relocated|native|home|house)"
                     r"[ \t]+(?:(?i:here|back|away|is|was)[ \t]+)?(?i:in|of|from|to|at)[ \t]+"
                     r"(?:(?i:the[ \t]+)?(?i:town|city|village|county)[ \t]+of[ \t]+)?"
                     rf"(?P<phi>{_CITY}(?:,[ \t]*{_STATE})?)", rank=0, refine=_place),
    _rule("NAME", rf"{_HONORIFIC}[ \t]*(?P<phi>{_NAME_OR_CAPS})", rank=3, refine=_titled_name),
    _rule("NAME", rf"(?<![\w]){_COLON_CUE}(?:{_HONORIFIC}[ \t]*)?(?P<phi>{_NAME_OR_CAPS}(?:,[ \t]*{_NAME_OR_CAPS})?)",
          rank=3, refine=_titled_name),
    _rule("NAME", rf"(?<![\w]){_PHRASE_CUE}(?:{_HONORIFIC}[ \t]*)?(?P<phi>{_NAME})", rank=3, refine=_clean_name),
    _rule("NAME", rf"(?<![\w]){_ROLE}{_SP}(?P<phi>{_NAME})", rank=3, refine=_clean_name),
    _rule("NAME", rf"(?<![\w])(?i:the[ \t]+)?(?i:patient|pt|client|veteran),[ \t]+(?P<phi>{_NAME})(?=,)",
          rank=3, refine=_clean_name),
    _rule("NAME", rf"(?P<phi>{_TOKEN}{_SP}{_INITIAL}{_SP}{_TOKEN}){_E}", rank=5, refine=_two_word_name),
    _rule("NAME", rf"(?<![\w-]){_RELATION}(?:[ \t]*,)?{_SP}(?:(?i:named|is|was|called){_SP})?(?P<phi>{_NAME})",
          rank=3, refine=_clean_name),
    _rule("NAME", rf"(?P<phi>{_NAME})(?=[ \t]*\([ \t]*(?i:(?:his|her|their|pt's|patient's)[ \t]+)?{_RELATION}"
                  rf"[ \t]*[),])", rank=3, refine=_clean_name),
    _rule("NAME", rf"(?P<phi>{_NAME})(?=,[ \t]+(?i:his|her|their|the[ \t]+patient's|pt's)[ \t]+{_RELATION}(?![\w]))",
          rank=3, refine=_clean_name),
    _rule("NAME", rf"(?P<phi>{_NAME}),?(?=[ \t]*,[ \t]*{_CREDENTIAL})", rank=3, refine=_clean_name),
    _rule("NAME", rf"(?P<phi>{_NAME})(?=[ \t]+{_CREDENTIAL})", rank=3, refine=_two_word_name),
    _rule("NAME", rf"(?P<phi>{_NAME})(?=[ \t]+{_PERSON_VERB}|,[ \t]+{_AGE_AFTER}|[ \t]*\(?[ \t]*(?:DOB|D\.O\.B\.|MRN)"
                  r"(?![\w]))", rank=4, refine=_clean_name),
    _rule("NAME", _NAME, rank=5, refine=_gazetteer_name),
)


# ---------------------------------------------------------------------------------------------
# Finding, resolving and replacing spans.

class _Candidate(NamedTuple):
    start: int
    end: int
    kind: str
    rank: int


def _matches(rule: _Rule, text: str) -> Iterator[_Candidate]:
    group = "phi" if "phi" in rule.pattern.groupindex else 0
    for match in rule.pattern.finditer(text):
        span: tuple[int, int] | None = match.span(group)
        if rule.refine is not None:
            span = rule.refine(text, *span)
        if span and span[1] > span[0]:
            yield _Candidate(span[0], span[1], rule.kind, rule.rank)


def _later_mentions(text: str, names: list[_Candidate]) -> list[_Candidate]:
    """Every other mention of a name word already found: "Mr. Okafor … Okafor reports"."""
    found = {w for c in names for w in _NAME_WORD.findall(text, c.start, c.end)
             if len(w) > 1 and not w.endswith(".") and w not in _PARTICLES and not _is_stop(w)}
    if not found:
        return []
    alternatives = "|".join(map(re.escape, sorted(found, key=len, reverse=True)))
    pattern = re.compile(rf"{_B}(?:{_PARTICLE}{_SP}){{0,2}}(?:{alternatives}){_E}")
    return list(_matches(_Rule("NAME", pattern, 6, _clean_name), text))


def _resolve(candidates: list[_Candidate], length: int) -> list[_Candidate]:
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
    candidates = [c for rule in _RULES for c in _matches(rule, text)]
    candidates += _later_mentions(text, [c for c in candidates if c.kind == "NAME"])
    return [PhiSpan(c.start, c.end, c.kind, text[c.start:c.end]) for c in _resolve(candidates, len(text))]


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
