"""NAME rules: the cues around a name, in title case, upper case ("JOHN SMITH") and lower case
("seen by john smith"), in either order ("SMITH, JOHN", "Okonkwo, Margaret").

Cues before a name: titles ("Dr.", "Mrs"), "seen by", "spoke with", "Name:", roles ("attending"),
relations ("her daughter"); after it: credentials ("RN"), "reports", "(daughter)", ", 76-year-old",
"DOB".  Without a cue, a gazetteer word or two unknown words in a row (``deid_name_words``).
"""

from __future__ import annotations

from biofm.modalities.text import deid_name_words as nw
from biofm.modalities.text.deid_base import NUMBER_WORDS, SP, Rule, rule

_HONORIFIC = (r"(?<![\w])(?:(?:Mr|MR|Mrs|MRS|Ms|Mx|Dr|DR|Drs|Prof)\.?|"
              r"(?i:miss|doctor|professor|sister|nurse|madam|sir|dame|officer|judge|rabbi|pastor))(?![\w])")
_LOWER_TITLE = r"(?<![\w])(?:mr|mrs|ms|mx|dr|prof)\.?"
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
              r"dietitian|chaplain|pharmacist|clinician|practitioner|requested[ \t]+by|ordered[ \t]+by|re)"
              r"(?:[ \t]*:|[ \t]+(?i:is|was))[ \t]*")
_NAME_LABEL = r"(?i:(?:patient|pt)(?:'s)?[ \t]+name|name)[ \t]*:?[ \t]*"  # "Pt name bogdan little"
_PHRASE_CUE = (r"(?i:seen(?:[ \t]+and[ \t]+examined)?[ \t]+by|signed(?:[ \t]+out)?[ \t]+(?:by|to)|"
               r"(?:dictated|transcribed|examined|evaluated|referred|accompanied|visited|supervised|consented|"
               r"treated|managed|interviewed|counseled|counselled|assessed|reviewed)[ \t]+by|"
               r"brought[ \t]+in[ \t]+by|cared[ \t]+for[ \t]+by|(?:discussed|reviewed|staffed)[ \t]+with|"
               r"(?:spoke|spoken|talked|met)[ \t]+(?:with|to)|called|paged|per|care[ \t]+of|attn:?|"
               r"covering[ \t]+for|handed[ \t]+off[ \t]+to|message[ \t]+(?:left[ \t]+)?(?:for|from)|"
               r"letter[ \t]+(?:to|from)|(?:meeting|conversation|discussion)[ \t]+(?:held[ \t]+)?with|"
               r"dear|thank[ \t]+you|regards|sincerely|cc|(?:we|i)[ \t]+(?:saw|met|examined)|forward(?:ed)?[ \t]+to|"
               r"(?:discussed|reviewed|explained)(?:[ \t]+[a-z]+){1,4}[ \t]+with)[ \t]*,?[ \t]+")
_ROLE = (r"(?i:attending|resident|fellow|intern|interpreter|translator|nurse|pharmacist|therapist|physician|"
         r"surgeon|social[ \t]+worker|case[ \t]+manager|chaplain|dietitian|pcp|provider|colleague|"
         r"anesthesiologist|radiologist|hospitalist|midwife|doula|caseworker|scribe)")
_CREDENTIAL = (r"(?:MD|M\.D\.|DO|D\.O\.|RN|BSN|NP|PA-C|PhD|Ph\.D\.|DNP|FNP(?:-BC)?|APRN|CNM|CRNA|LPN|MSW|LCSW|"
               r"PharmD|DDS|DMD|MBBS|MBChB|FACP|FACC|FACS|DPT|OTR|CNA|NP-C|FRCP|MRCP|FRCS)(?![\w])")
_PERSON_VERB = (r"(?:(?:reports?|reported|states?|stated|denies|denied|endorses|endorsed|complains|complained|"
                r"presents|presented|returns|returned|admits|agrees|agreed|understands|understood|verbali[sz]e[sd]|"
                r"feels|felt|says|said|arrived|lives|lived|wishes|wants|wanted|declined|refused|prefers|"
                r"ambulates|ambulated|tolerated|tolerates|asked|asks|thinks|believes|knows|remembers|recalls|quit|"
                r"smokes|drinks|walks|walked|called|phoned|was[ \t]+(?:seen|admitted|discharged|alert|awake|"
                r"instructed|counsel+ed|advised|told|informed)|is[ \t]+here|will[ \t]+(?:follow|return|call|bring|"
                r"come|visit|stay|drive|pick))"
                rf"(?![\w])|(?:is|was)[ \t]+(?:an?[ \t]+)?(?:\d{{1,3}}|{NUMBER_WORDS})[ \t-]*"
                r"(?i:years?|yrs?|yo|y/o|y\.o\.|months?|weeks?)(?![a-z]))")
_ID_AFTER = r"[ \t]*\(?[ \t]*(?:DOB|D\.O\.B\.|MRN|MR#)(?![\w])"
_AGE_AFTER = r"(?:an?[ \t]+)?\d{1,3}[ \t-]*(?:year|yr|yo|y/o|-year)"
_NAME = nw.NAME_OR_CAPS  # title case or upper case
# After a name: "(daughter)", ", her son", ", MD", "reports", ", 76-year-old", "DOB" (one rule, one pass)
_CUE_AFTER = (rf"[ \t]*\([ \t]*(?i:(?:his|her|their|pt's|patient's)[ \t]+)?{_RELATION}[ \t]*[),]|"
              rf",[ \t]+(?i:his|her|their|the[ \t]+patient's|pt's)[ \t]+{_RELATION}(?![\w])|"
              rf",?[ \t]*,[ \t]*{_CREDENTIAL}|[ \t]+{_PERSON_VERB}|,[ \t]+{_AGE_AFTER}|{_ID_AFTER}")
_ANY_TOKEN = rf"(?:{nw.TOKEN}|{nw.CAPS})"
_SURNAME_GIVEN = (rf"(?<![\w'’-])(?:{nw.ANY_PARTICLE}{SP}){{0,2}}{_ANY_TOKEN},[ \t]*{_ANY_TOKEN}"
                  rf"(?:[ \t]+{nw.INITIAL})?{nw.E}")
_LOWER_NAME = rf"{nw.LOWER_WORD}(?:[ \t]+{nw.LOWER_WORD}){{0,2}}"

NAME_RULES: tuple[Rule, ...] = (
    rule("NAME", rf"{_HONORIFIC}[ \t]*(?P<phi>{_NAME})", rank=3, refine=nw.titled_name),
    rule("NAME", rf"(?<![\w]){_COLON_CUE}(?:{_HONORIFIC}[ \t]*)?(?P<phi>{_NAME}(?:,[ \t]*{_NAME})?)",
         rank=3, refine=nw.titled_name),
    rule("NAME", rf"(?<![\w]){_PHRASE_CUE}(?P<phi>{_NAME})", rank=3, refine=nw.cue_name),
    rule("NAME", rf"(?<![\w]){_PHRASE_CUE}{_HONORIFIC}[ \t]*(?P<phi>{_NAME})", rank=3, refine=nw.titled_name),
    rule("NAME", rf"(?<![\w]){_ROLE}{SP}(?P<phi>{_NAME})", rank=3, refine=nw.cue_name),
    rule("NAME", rf"(?<![\w])(?i:the[ \t]+)?(?i:patient|pt|client|veteran),[ \t]+(?P<phi>{_NAME})(?=,)",
         rank=3, refine=nw.clean_name),
    rule("NAME", rf"(?P<phi>{nw.TOKEN}{SP}{nw.INITIAL}{SP}{nw.TOKEN}){nw.E}", rank=5, refine=nw.two_word_name),
    rule("NAME", rf"(?<![\w-]){_RELATION}(?:[ \t]*,)?{SP}(?:(?i:named|is|was|called){SP})?(?P<phi>{_NAME})",
         rank=3, refine=nw.clean_name),
    rule("NAME", rf"(?P<phi>{_NAME})(?={_CUE_AFTER})", rank=3, refine=nw.name_before_cue),
    rule("NAME", rf"(?P<phi>{_NAME})(?=[ \t]+{_CREDENTIAL})", rank=3, refine=nw.two_word_name),
    # "SMITH, JOHN": with a cue after it, or with one half in the gazetteer
    rule("NAME", rf"(?P<phi>{_SURNAME_GIVEN})(?=[ \t]+{_PERSON_VERB}|{_ID_AFTER}|[ \t]*\((?i:dob|mrn))", rank=3,
         refine=nw.surname_given_in_context),
    rule("NAME", _SURNAME_GIVEN, rank=4, refine=nw.surname_given),
    # lower case, after a cue: "seen by john smith", "dr. okafor", "pt name bogdan little"
    rule("NAME", rf"(?<![\w]){_PHRASE_CUE}(?P<phi>{_LOWER_NAME})", rank=3, refine=nw.lower_name),
    rule("NAME", rf"(?<![\w]){_NAME_LABEL}(?P<phi>{_LOWER_NAME})", rank=3, refine=nw.lower_name),
    rule("NAME", rf"(?<![\w-]){_RELATION}(?:[ \t]*,)?{SP}(?P<phi>{_LOWER_NAME})", rank=4, refine=nw.lower_name),
    rule("NAME", rf"{_LOWER_TITLE}[ \t]+(?P<phi>{_LOWER_NAME})", rank=3, refine=nw.titled_lower_name),
    rule("NAME", nw.CAPITALISED_RUN, rank=5, refine=nw.bare_name),
)
