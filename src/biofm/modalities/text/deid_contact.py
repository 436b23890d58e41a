"""EMAIL, URL, IP, PHONE and ID rules: contact details and record numbers.

E-mail addresses also in the forms people write to dodge scrapers ("jane dot doe at example dot
com", "jane.doe [at] example [dot] org", "jane(at)example.com"); phone numbers in US, spaced,
international and 7-digit local forms, with extensions; record numbers after a label ("MR#12345678",
"Med Rec No. 1234567", "acct #A12345", "NHS 943 476 5919") or in a shape no clinical value has.
"""

from __future__ import annotations

from biofm.modalities.text.deid_base import Rule, digits_at_least, rule, trim_punctuation

_TLDS = ("com", "org", "net", "edu", "gov", "mil", "int", "io", "info", "biz", "us", "uk", "ca", "de", "fr", "au",
         "in", "co", "nl", "ie", "health", "care", "med", "nhs")
_TLD = f"(?:{'|'.join(_TLDS)}|{'|'.join(t.upper() for t in _TLDS)})(?![\\w])"  # "rest.In" is no domain
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"


def _bracketed(word: str) -> str:
    """"[at]", "(at)", "{at}", with or without spaces, in any case."""
    inside = "|".join(rf"\{o}[ \t]*(?i:{word})[ \t]*\{c}" for o, c in ("[]", "()", "{}"))
    return rf"[ \t]*(?:{inside})[ \t]*"


def _spoken(word: str) -> str:
    return rf"[ \t]+(?i:{word})[ \t]+"


# Obfuscated e-mail: the "@" and the dots spelled out or bracketed.
_SPOKEN_DOT = rf"(?:{_bracketed('dot')}|{_spoken('dot')})"
_DOT = rf"(?:{_SPOKEN_DOT}|\.)"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
# bounded repeats: a spelled-out address has a few dots, and "x dot x dot …" must not take quadratic time
_LOCAL = rf"(?<![\w.@-])[A-Za-z0-9][A-Za-z0-9._%+-]*(?:{_SPOKEN_DOT}[A-Za-z0-9][A-Za-z0-9._%+-]*){{0,3}}"
# "jane(at)example.com", "jane [at] example [dot] org": a bracketed "at" is never prose
_BRACKETED_EMAIL = rf"{_LOCAL}{_bracketed('at')}(?:{_LABEL}{_DOT}){{1,5}}{_TLD}"
# "jane dot doe at example dot com": a spoken "at" needs a spoken dot before the top-level domain, so
# "Resources at www.example.com" stays a URL and "seen at home" stays prose
_SPOKEN_EMAIL = rf"{_LOCAL}{_spoken('at')}(?:{_LABEL}{_DOT}){{0,4}}{_LABEL}{_SPOKEN_DOT}{_TLD}"

_ID_STRONG = (r"(?:(?i:medical[ \t]+record|med\.?[ \t]*rec\.?|account|acct|insurance|policy|licen[cs]e|"
              r"driver'?s[ \t]+licen[cs]e|social[ \t]+security|accession|serial|passport|medicaid|medicare|"
              r"beneficiary|certificate|claim|subscriber|member|plate|nhs|mrn)|"
              r"MR|SSN|ssn|ID|Id|DL|FIN|CSN|VIN|NPI|DEA|UPI|HICN|MBI|SN|S/N)")
_ID_WEAK = (r"(?i:patient|pt|record|chart|encounter|visit|specimen|device|case|group|health[ \t]+plan|"
            r"billing|employee|badge|unit|lab|sample|order|requisition|tag|vehicle|study|subject|trial|hosp(?:ital)?|"
            r"identifier|reference|ref)")
_ID_SUFFIX = r"(?i:identifier|id|number|no\.?|num|nbr|#)"
# a space may part groups of digits ("943 476 5919"), but "MRN 60923511 92 YO" ends before the age
_NOT_AN_AGE = r"(?![ \t]*-?(?i:y(?:ears?|rs?|o|/o|\.o\.?)(?![a-z])))"
_ID_VALUE = rf"[A-Za-z]{{0,4}}[-#]?\d(?:[A-Za-z0-9-]|[ ](?=\d{{2,}}(?!\d){_NOT_AN_AGE}))*[A-Za-z0-9]"

_PHONE_CUE = (r"(?i:phone|tel|telephone|fax|facsimile|cell|cellphone|mobile|mob|pager|beeper|ext|landline|"
              r"callback|call[ \t]+back)")
_LOCAL_CUE = r"(?i:home|work|office|contact|reach(?:ed|able)?[ \t]+(?:at|on)|ring|line|number|call)"
_EXTENSION = r"(?:,?[ \t]*(?i:x|ext\.?|extension)[ \t]*\d{1,5})?"


EMAIL_RULES: tuple[Rule, ...] = (
    rule("EMAIL", r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}(?![\w])"),
    rule("EMAIL", _BRACKETED_EMAIL),
    rule("EMAIL", _SPOKEN_EMAIL),
)

URL_RULES: tuple[Rule, ...] = (
    rule("URL", r"(?<![\w@/])(?:(?i:https?|ftp)://|(?i:www)\.)[^\s<>\"'\[\]{}|\\^`]+", refine=trim_punctuation),
    rule("URL", r"(?<![\w@./-])(?:[A-Za-z0-9-]+\.)+(?:com|org|net|edu|gov|io|info|biz|us|uk|ca|health|care|med)"
                r"(?![\w@-])(?:/[^\s<>\"']*)?", rank=2, refine=trim_punctuation),
)

IP_RULES: tuple[Rule, ...] = (
    rule("IP", rf"(?<![\w.]){_OCTET}(?:\.{_OCTET}){{3}}(?![\w]|\.\d)"),
    rule("IP", r"(?<![\w:])(?i:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:){1,6}(?::[0-9a-f]{1,4}){1,6}|"
               r"(?:[0-9a-f]{1,4}:){1,7}:|::(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})(?![\w:])"),
)

PHONE_RULES: tuple[Rule, ...] = (
    # North American: "(555) 867-5309", "555.867.5309", "+1 555 867 5309", "555-867-5309 x123"
    rule("PHONE", rf"(?<![\w+/.-])(?:\+?1[ \t.-]?)?(?:\(\d{{3}}\)[ \t.-]?|\d{{3}}[ \t.-])\d{{3}}[ \t.-]\d{{4}}"
                  rf"{_EXTENSION}(?![\w])"),
    # after a cue: "Phone: 8675309", "pager 41234", "ext. 4412", "Nurse line 867-5309"
    rule("PHONE", rf"(?<![\w]){_PHONE_CUE}\.?[ \t]*(?i:number|no\.?|#)?[ \t]*(?i:is)?[ \t]*[:#=]?[ \t]*"
                  r"(?P<phi>\d{3}[ .-]\d{4}|\d{4,11}|(?i:x|ext\.?)[ \t]*\d{3,5})(?![\w]|\.\d)", rank=0),
    rule("PHONE", rf"(?<![\w]){_LOCAL_CUE}[ \t]*[:#]?[ \t]*(?P<phi>[2-9]\d{{2}}[ .]\d{{4}}){_EXTENSION}(?![\w]|\.\d)",
         rank=0),  # "home 867 5309": a weaker cue takes only the shape of a local number
    # international: "+44 20 7946 0958", "+33 1 42 68 53 00"
    rule("PHONE", rf"(?<![\w+])\+\d{{1,3}}(?:[ \t.-]?\(?\d{{1,8}}\)?(?!\d){_NOT_AN_AGE}){{2,5}}{_EXTENSION}"
                  r"(?![\w]|\.\d)",
         refine=digits_at_least(8)),
    # local 7 digits: "867-5309" (an exchange never starts with 0 or 1)
    rule("PHONE", rf"(?<![\w+/.:-])[2-9]\d{{2}}-\d{{4}}{_EXTENSION}(?![\w-]|\.\d)", rank=2),
)

ID_RULES: tuple[Rule, ...] = (
    rule("ID", rf"(?<![\w])(?:{_ID_STRONG}(?:[ \t]*{_ID_SUFFIX})?|{_ID_WEAK}[ \t]*{_ID_SUFFIX})[ \t]*"
               rf"(?:(?i:is)[ \t]+)?[:#=]?[ \t]*(?P<phi>{_ID_VALUE})", rank=0, refine=digits_at_least(4)),
    rule("ID", r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])"),
    rule("ID", r"(?<![\w.,/-])\d{7,}(?![\w,/-]|\.\d)", rank=2),
    rule("ID", r"(?<![\w-])[A-Z]{1,3}\d{6,}(?![\w-])", rank=2),
    rule("ID", r"(?<![\w])#[ \t]*(?P<phi>[A-Za-z]{0,3}\d{5,})(?![\w])", rank=2),  # "Chart #0012345"
)
