"""ADDRESS rules: street addresses (US, UK, Canadian, German, French), units, PO boxes, towns, postcodes.

A street needs a house number and a street type ("22 Baker St", "10 Downing Street", "Flat 3, 22
Baker St"), or the continental order ("Hauptstraße 12, 10115 Berlin", "12 rue de la Paix, 75002
Paris"); the town, state or province and postcode that follow are taken with it.  A town alone
needs a cue ("lives in Salem") or a state after it ("Salem, OR 97301").  Postcodes alone (UK
"SW1A 2AA", Canadian "M5V 3L9") are taken by their shape; a US ZIP alone needs a cue.
"""

from __future__ import annotations

import re

from biofm.modalities.text import deid_data as words
from biofm.modalities.text.deid_base import LO, SP, UP, Rule, is_stop, rule

_ZIP = r"\d{5}(?:-\d{4})?(?![\d-])"
_UK_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?[ \t]\d[A-Z]{2}(?![\w-])"
_CA_POSTCODE = r"[A-Z]\d[A-Z][ \t]\d[A-Z]\d(?![\w-])"
_POSTCODE = rf"(?:{_UK_POSTCODE}|{_CA_POSTCODE})"
_STATE = rf"(?:{'|'.join(sorted(words.STATE_ABBREVIATIONS))}|{'|'.join(words.STATE_NAMES)})(?![\w])"
_SAFE_STATE = (rf"(?:{'|'.join(sorted(words.STATE_ABBREVIATIONS - words.AMBIGUOUS_STATES))}|"
               rf"{'|'.join(words.STATE_NAMES)})(?![\w])")
_PROVINCE = r"(?:AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT)(?![\w])"
_CITY = rf"(?:(?:St|Ft|Mt)\.?[ \t]+)?[{UP}][{LO}]+(?:[ \t-][{UP}][{LO}]+){{0,2}}"
_STREET_TYPE = (r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Terrace|Ter|"
                r"Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Plaza|Crescent|Cres|Alley|Pike|Close|"
                r"Gardens|Gdns|Mews|Grove|Row|Walk|Rise|Parade|Quay|Wharf|Esplanade|Embankment|Broadway|Gate|Hill|"
                r"Green|Park|STREET|AVENUE|ROAD|DRIVE|LANE|BLVD|street|avenue|road|drive|lane|boulevard|court|place)"
                r"(?![\w])\.?")
_UNIT = (r"(?:(?i:apt|apartment|unit|suite|ste|room|rm|bldg|building|floor|fl|lot|flat)\.?[ \t]*#?[ \t]*|#[ \t]*)"
         r"[A-Za-z0-9][A-Za-z0-9-]{0,5}(?![\w])")
_UNIT_FIRST = r"(?i:flat|apt|apartment|unit|suite|ste)\.?[ \t]*#?[ \t]*\d{1,4}[A-Za-z]?,?[ \t]+"  # "Flat 3, 22 …"
_STREET = (rf"(?<![\w/.,-])(?:{_UNIT_FIRST})?\d{{1,6}}[A-Za-z]?{SP}"
           rf"(?:(?:[NSEW]|North|South|East|West|NE|NW|SE|SW)\.?{SP})?"
           rf"(?:(?:[{UP}][\w'’.-]*|\d{{1,3}}(?:st|nd|rd|th)){SP}){{1,4}}{_STREET_TYPE}"
           rf"(?:{SP}(?:North|South|East|West|[NSEW]|NE|NW|SE|SW)\.?(?![\w]))?")  # "Queen Street West", "King St W"
# What may follow a street after a comma: "Springfield, IL 62704", "London SW1A 2AA", "Toronto, ON M5V 3L9"
_PLACE = rf"{_CITY},?{SP}{_STATE}(?:{SP}{_ZIP})?|{_CITY}{SP}{_ZIP}"
_TOWN = rf"{_CITY}(?:,?{SP}{_PROVINCE})?(?:{SP}{_POSTCODE})?"
_DE_STREET = (rf"(?:[{UP}][{LO}]+(?:straße|strasse|weg|allee|platz|gasse|damm|ufer|steig|pfad)|"
              rf"[{UP}][{LO}]{{3,}}str\.|"
              rf"[{UP}][{LO}]+[ \t]+(?:Straße|Strasse|Weg|Allee|Platz|Gasse|Ring|Damm|Ufer|Markt))"
              rf"{SP}\d{{1,4}}[a-z]?(?![\w])(?:,?[ \t]*\d{{5}}{SP}{_CITY})?")
_FR_WORD = rf"(?:(?:de|du|des|la|le|l['’]|d['’])[ \t]*)*[{UP}][\w'’-]*"
_FR_STREET = (rf"(?<![\w/.,-])\d{{1,4}}(?:[ \t]?(?:bis|ter))?,?{SP}(?i:rue|avenue|av\.|boulevard|bd|place|chemin|"
              rf"all[ée]e|impasse|quai|cours|route|square|passage)[ \t]+{_FR_WORD}(?:{SP}{_FR_WORD}){{0,3}}"
              rf"(?:,?[ \t]*\d{{5}}{SP}{_CITY})?")


def _place(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A town after "lives in", unless it is a whole state or a word like "Assisted Living"."""
    first = re.sub(r"^(?:St|Ft|Mt)\.?[ \t]+", "", text[start:end]).split()[0]
    if is_stop(first) or text[start:end] in words.STATE_NAMES:
        return None
    return start, end


def _street_then_town(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Cuts a town that is really the next sentence ("12 Oak Street, Then …") off a street."""
    match = re.search(r",[ \t]*([A-Za-z]+)[^,]*$", text[start:end])
    if match and not re.search(r"\d", text[start + match.start():end]) and is_stop(match.group(1)):
        return start, start + match.start()
    return start, end


ADDRESS_RULES: tuple[Rule, ...] = (
    rule("ADDRESS", rf"{_STREET}(?:,?[ \t]*{_UNIT})?(?:,[ \t]*(?:{_PLACE})|,?{SP}{_ZIP}|,[ \t]*{_TOWN})?",
         refine=_street_then_town),
    rule("ADDRESS", rf"(?<![\w/.,-]){_DE_STREET}"),
    rule("ADDRESS", _FR_STREET),
    rule("ADDRESS", rf"(?<![\w])(?i:p\.?[ \t]*o\.?[ \t]*box|post[ \t]+office[ \t]+box)[ \t]*#?[ \t]*\d{{1,6}}(?![\w])"
                    rf"(?:,[ \t]*(?:{_PLACE}))?"),
    rule("ADDRESS", r"(?<![\w])(?i:apt|apartment|suite|ste)\.?[ \t]*#?[ \t]*(?=[A-Za-z-]*\d)[A-Za-z0-9-]{1,6}"
                    r"(?![\w])"),
    rule("ADDRESS", rf"(?<![\w]){_CITY},[ \t]*{_STATE}{SP}{_ZIP}"),
    rule("ADDRESS", rf"(?<![\w]){_CITY},[ \t]*{_PROVINCE}{SP}{_CA_POSTCODE}"),
    rule("ADDRESS", rf"(?<![\w]){_CITY},[ \t]*{_SAFE_STATE}", rank=2, refine=_place),
    rule("ADDRESS", rf"(?<![\w])(?:{'|'.join(sorted(words.STATE_ABBREVIATIONS))}){SP}{_ZIP}"),
    rule("ADDRESS", rf"(?<![\w])(?i:zip(?:[ \t]*code)?|post[ \t]*code|postal[ \t]+code)[ \t]*[:#]?[ \t]*"
                    rf"(?P<phi>{_ZIP}|{_POSTCODE})", rank=0),
    rule("ADDRESS", rf"(?<![\w-]){_POSTCODE}", rank=2),
    rule("ADDRESS", r"(?<![\w])(?i:lives|living|resides|residing|residence|resident|moved|relocated|native|home|house)"
                    r"[ \t]+(?:(?i:here|back|away|is|was)[ \t]+)?(?i:in|of|from|to|at)[ \t]+"
                    r"(?:(?i:the[ \t]+)?(?i:town|city|village|county)[ \t]+of[ \t]+)?"
                    rf"(?P<phi>{_CITY}(?:,[ \t]*{_STATE})?)", rank=0, refine=_place),
)
