"""DATE and AGE rules: every element of a date but the year, and every age over 89 (HIPAA).

Dates: numeric ("03/14/2021", "14.06.2021", "2021/06/14"), with a month name ("March 3rd, 2021",
"3rd of March 2021", "03-Jun-2021", "Jun 14 '21", "June 2021"), with a weekday ("Thursday, June 3")
and spelled out ("the fourteenth of June").  A bare "3/14" needs a cue word or no scale nearby: "pain
8/10", "strength 4/5" and "1/2 tablet" are not dates.  Ages: 90 and over, in digits or words
("ninety-two year old", "aged ninety four"); "aged 45" and "ninety minutes" are left alone.
"""

from __future__ import annotations

import re

from biofm.modalities.text.deid_base import OLD_AGE_WORDS, ORDINAL_DAY_WORDS, Rule, rule

_MONTH = (r"(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)(?![a-zA-Z])|"
          r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|JAN|FEB|MAR|APR|MAY|JUNE?|JULY?|AUG|SEPT?|OCT|NOV|DEC)"
          r"(?![a-zA-Z])\.?)")  # a full month name never takes the full stop that ends its sentence
_WEEKDAY = (r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun|"
            r"MONDAY|TUESDAY|WEDNESDAY|THURSDAY|FRIDAY|SATURDAY|SUNDAY)(?![a-zA-Z])\.?")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?:(?:19|20)\d{2}(?!\d)|['’]\d{2}(?!\d))"
_OLD = r"(?:9\d|1[0-4]\d)"  # 90-149: HIPAA counts every age over 89 as PHI, and none at or under it

_SCALE_NEAR = re.compile(r"(?i)\b(?:pain|scale|rated?|rates|rating|score|severity|strength|motor|power|"
                         r"reflex(?:es)?|grade|murmur|apgar|cog|mmse|moca|gcs|tabs?|tablets?|caps?|capsules?|"
                         r"pills?|doses?|units?|sets?|ns|hours?|hrs?|days?|weeks?|wks?|months?|years?|yrs?|times)\b")

# Month-name dates, composed so that a weekday may lead any of them ("Thursday, June 3").
_MONTH_DAY = rf"{_MONTH}[ \t]*{_DAY}(?:,?[ \t]*(?:of[ \t]+)?{_YEAR})?"
_DAY_MONTH = rf"{_DAY}(?:[ \t]+of)?[ \t-]*{_MONTH}(?:,?[ \t-]*{_YEAR}|-\d{{2}}(?!\d))?"
_WORD_DAY = (rf"{ORDINAL_DAY_WORDS}[ \t]+of[ \t]+{_MONTH}(?:,?[ \t]*{_YEAR})?|"
             rf"{_MONTH}[ \t]+(?:the[ \t]+)?{ORDINAL_DAY_WORDS}(?:,?[ \t]*{_YEAR})?")
_NUMERIC = (r"(?:[12]\d|3[01]|0?[1-9])[/-](?:[12]\d|3[01]|0?[1-9])[/-](?:(?:19|20)\d{2}|\d{2})(?![\w/-]|\.\d)|"
            r"(?:0?[1-9]|1[0-2])/(?:[12]\d|3[01]|0?[1-9])(?![\w/-]|\.\d)")


def _not_a_scale(text: str, start: int, end: int) -> tuple[int, int] | None:
    """"on 3/14" is a date; "pain 8/10", "strength 4/5", "rated 7/10" and "1/2 tab" are not.

    Looks at the words just before (within the sentence) and just after the fraction.
    """
    before = re.split(r"[.;\n]", text[max(0, start - 15):start])[-1]
    after = re.split(r"[.;\n]", text[end:end + 12])[0]
    return None if _SCALE_NEAR.search(f"{before}{text[start:end]}{after}") else (start, end)


DATE_RULES: tuple[Rule, ...] = (
    rule("DATE", r"(?<![\w/.-])(?:[12]\d|3[01]|0?[1-9])[/-](?:[12]\d|3[01]|0?[1-9])[/-](?:(?:19|20)\d{2}|\d{2})"
                 r"(?![\w/-]|\.\d)"),
    rule("DATE", r"(?<![\w/.-])(?:[12]\d|3[01]|0?[1-9])\.(?:[12]\d|3[01]|0?[1-9])\.(?:19|20)\d{2}(?![\w]|\.\d)"),
    rule("DATE", r"(?<![\w/.-])(?:19|20)\d{2}([-/.])(?:0?[1-9]|1[0-2])\1(?:[12]\d|3[01]|0?[1-9])(?![\w/-]|\.\d)"),
    rule("DATE", r"(?<![\w.-])(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:[12]\d|3[01]|0[1-9])(?![\w.])"),
    rule("DATE", r"(?<![\w/])(?:0?[1-9]|1[0-2])/(?:19|20)\d{2}(?![\w/])"),
    rule("DATE", rf"(?<![\w]){_MONTH_DAY}"),
    rule("DATE", rf"(?<![\w]){_DAY_MONTH}"),
    rule("DATE", rf"(?<![\w]){_MONTH}(?:[ \t]+of)?[ \t,-]*{_YEAR}"),
    rule("DATE", rf"(?<![\w])(?:{_WORD_DAY})"),
    rule("DATE", rf"(?<![\w]){_WEEKDAY},?[ \t]+(?:the[ \t]+)?(?:{_MONTH_DAY}|{_DAY_MONTH}|{_WORD_DAY}|{_NUMERIC})"),
    rule("DATE", r"(?<![\w])(?i:on|since|dated?|dos|dob|admitted|discharged|seen|visit|last|next|starting|started|"
                 r"effective|scheduled(?:[ \t]+for)?|due|as[ \t]+of|lmp|vaccinated|immuni[sz]ed)"
                 r"[ \t:]+(?:the[ \t]+)?(?P<phi>(?:0?[1-9]|1[0-2])/(?:[12]\d|3[01]|0?[1-9]))(?![\d/]|\.\d)",
         rank=0, refine=_not_a_scale),
    rule("DATE", r"(?<![\w])(?i:from|until|till|through|thru|before|after)[ \t:]+(?:the[ \t]+)?"
                 r"(?P<phi>(?:0?[1-9]|1[0-2])/(?:[12]\d|3[01]|0?[1-9]))(?![\d/]|\.\d)(?<!/10)",
         rank=0, refine=_not_a_scale),  # "from 8/10 to 3/10" is a pain score, whatever is near
    rule("DATE", r"(?<![\w/.,:-])(?<!\d )(?:0?[1-9]|1[0-2])/(?:[12]\d|3[01]|0?[1-9])(?![\w/-]|\.\d)(?<!/10)"
                 r"(?<!1/2|1/3|2/3|1/4|3/4)", rank=2, refine=_not_a_scale),  # "LMP 8/22", not "7/10" or "4 1/2"
)

_YEARS_OLD = r"[ \t]*-?[ \t]*(?i:years?|yrs?)\.?(?:[ \t-]*(?i:old|of[ \t]+age))?"
_AGE_CUE = r"(?i:aged?|age[ \t]+of|at[ \t]+age|turn(?:s|ed|ing)?)[ \t]*[:=]?[ \t]*"

AGE_RULES: tuple[Rule, ...] = (
    rule("AGE", rf"(?<![\w.]){_OLD}(?:{_YEARS_OLD}|[ \t]*-?[ \t]*(?i:y/o|y\.o\.?|yo)(?![a-z]))"),
    rule("AGE", rf"(?<![\w]){_AGE_CUE}(?:(?i:about|approximately|approx\.?|~)[ \t]*)?(?P<phi>{_OLD})(?!\d|\.\d)",
         rank=0),
    rule("AGE", r"(?<![\w])(?i:in[ \t]+(?:his|her|their|the)[ \t]+)(?P<phi>(?:(?i:early|mid|late)[ \t-]*)?"
                r"(?:9|1[0-4])0['’]?s)(?![\w])"),
    rule("AGE", rf"(?<![\w.])(?P<phi>{_OLD})(?:st|nd|rd|th)[ \t]+(?i:birthday)"),
    rule("AGE", r"(?<![\w])(?i:nonagenarian|centenarian|supercentenarian)s?(?![\w])"),
    # spelled out: "ninety-two year old", "a hundred years of age", "aged ninety four"
    rule("AGE", rf"(?<![\w-]){OLD_AGE_WORDS}[ \t-]*(?i:years?|yrs?)[ \t-]*(?i:old|of[ \t]+age)(?![\w])"),
    rule("AGE", rf"(?<![\w]){_AGE_CUE}(?P<phi>{OLD_AGE_WORDS})(?![ \t-]*(?i:minutes?|mins?|hours?|days?|weeks?|"
                rf"months?|percent|%|mg|ml|kg|lb|degrees?))", rank=0),
)
