"""Word lists and patterns of the temporal tagger (TimeML TIMEX3: DATE, TIME, DURATION, SET).

Every pattern is a named rule: ``(kind, regex)``. The regexes are written with placeholders
(``{MONTH}``, ``{DAY}``, ``{YEAR}``, ``{WEEKDAY}``, ``{NUM}``, ``{UNIT}``, ``{MOD}``…) expanded once at
import; they are matched case-insensitively, except month and weekday names, which must be capitalised
("may" and "march" are verbs, "sun" a noun). Which rule's match is kept where several overlap, and what
value each kind gets, is decided in :mod:`storydesk.analyse.timex._normalise`.

The habits come from HeidelTime (Strötgen & Gertz): rules by kind of expression, the longest match wins,
relative expressions resolved against the document creation time, the direction of an unanchored
weekday or month chosen by the tense around it.
"""

from __future__ import annotations

import re

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}  # fmt: skip
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: A weekday just after a clock time, past a short parenthesis ("at 11:43 p.m. (2243 GMT) Thursday"): the
#: day the time is on (AP, 1998-10-30: the time had been put on the publication day, a Friday).
CLOCK_THEN_WEEKDAY_RE = re.compile(
    r"^\.?\s*(?:\([^()]{1,24}\)\s*)?(?:,\s*)?(?:on\s+)?"
    rf"(?-i:(?P<weekday>{'|'.join(WEEKDAY_NAMES)}))\b",
    re.IGNORECASE,
)

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "a hundred": 100, "one hundred": 100, "a dozen": 12, "dozen": 12,
    "a couple of": 2, "couple of": 2, "a couple": 2,
}  # fmt: skip
#: Quantities that leave the number unknown: "several years" is ``PXY``.
VAGUE_NUMBERS = frozenset({"several", "a few", "few", "many", "some", "a number of", "numerous"})
ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
    "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
    "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "twenty-first": 21,
}  # fmt: skip
#: Unit words → (TIMEX3 duration letter, whether it takes the ``PT`` time prefix, months it spans).
UNITS = {
    "second": ("S", True), "minute": ("M", True), "hour": ("H", True), "day": ("D", False),
    "night": ("D", False), "week": ("W", False), "weekend": ("WE", False), "month": ("M", False),
    "quarter": ("Q", False), "year": ("Y", False), "decade": ("DE", False), "century": ("CE", False),
    "centurie": ("CE", False), "millennium": ("ML", False), "millennia": ("ML", False),
    "season": ("M", False),
}  # fmt: skip
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
PARTS_OF_DAY = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI",
    "tonight": "NI", "midday": "MI", "mid-day": "MI", "noon": "MI",
}  # fmt: skip
#: Fixed holidays (month, day) and the rules of moving ones (computed in _normalise).
FIXED_HOLIDAYS = {
    "christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
    "new year's day": (1, 1), "new year's eve": (12, 31), "independence day": (7, 4),
    "halloween": (10, 31), "valentine's day": (2, 14), "veterans day": (11, 11),
    "boxing day": (12, 26), "bastille day": (7, 14), "may day": (5, 1),
}  # fmt: skip
MOVING_HOLIDAYS = frozenset({"thanksgiving", "thanksgiving day", "easter", "easter sunday", "labor day",
                             "memorial day", "election day", "good friday", "easter week"})  # fmt: skip

_MONTH_NAMES = (
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?"
)
_WEEKDAY_NAMES = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_SMALL = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen"
)
_TENS = r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_NUMBER = (
    rf"\d+(?:\.\d+)?|(?:{_TENS})(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|{_SMALL}|"
    r"a\s+hundred|one\s+hundred|hundreds\s+of|a\s+dozen|dozens\s+of|a\s+couple(?:\s+of)?|"
    r"several|a\s+few|few|many|some|a\s+number\s+of|numerous|a|an"
)
_UNIT = (
    r"seconds?|minutes?|hours?|days?|nights?|weeks?|weekends?|months?|quarters?|years?|decades?|"
    r"centuries|century|millennium|millennia|seasons?"
)
_APPROX = (
    r"(?:about|around|almost|nearly|roughly|approximately|some|more\s+than|less\s+than|fewer\s+than|"
    r"over|under|at\s+least|at\s+most|up\s+to|only|just|barely|another|an\s+additional|the\s+past|"
    r"the\s+last|the\s+next|the\s+first|the\s+previous|the\s+coming|the\s+following|the\s+final|"
    r"the\s+latest|the\s+remaining|the\s+entire|the\s+full|the|a\s+full|the\s+better\s+part\s+of|"
    r"past|last|next|first|recent|the\s+recent)"
)
_MOD = r"(?:(?P<mod>early|late|mid-?|the\s+(?:end|beginning|start|middle)\s+of|end\s+of|(?:the\s+)?first\s+half\s+of|(?:the\s+)?second\s+half\s+of)\s*)"
_REL = r"(?:(?P<rel>last|this|next|this\s+past|this\s+coming|the\s+coming|the\s+previous|the\s+following|the\s+same|the\s+last|the\s+past|the\s+current|the\s+latest|that|the\s+next)\s+)"

_PLACEHOLDERS = {
    "{MONTH}": rf"(?-i:(?P<month>{_MONTH_NAMES}))",
    "{MONTHFULL}": r"(?-i:(?P<month>January|February|March|April|May|June|July|August|September|October|November|December))",
    "{WEEKDAY}": rf"(?-i:(?P<weekday>{_WEEKDAY_NAMES}))",
    "{DAY}": r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)",
    "{YEAR}": r"(?P<year>1[0-9]\d\d|20\d\d)(?![\d,]\d)",
    "{NUM}": rf"(?P<num>{_NUMBER})",
    "{UNIT}": rf"(?P<unit>{_UNIT})",
    "{APPROX}": rf"(?:(?P<approx>{_APPROX})\s+)",
    "{MOD}": _MOD,
    "{REL}": _REL,
    "{POD}": r"(?P<pod>morning|afternoon|evening|night|overnight)",
    "{SEASON}": r"(?P<season>spring|summer|fall|autumn|winter)",
    "{ORD}": r"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)",
    "{CLOCK}": (
        r"(?P<hour>[01]?\d|2[0-3])(?::(?P<minute>[0-5]\d))?\s*"
        r"(?P<ampm>a\.m\.|p\.m\.|a\.m|p\.m|am\b|pm\b)(?:\s+(?P<tz>(?-i:[A-Z]{2,4}))\b)?"
    ),
}


def _expand(pattern: str) -> str:
    for key, value in _PLACEHOLDERS.items():
        pattern = pattern.replace(key, value)
    return pattern


#: The rules, most specific first (on equal length the earlier rule wins).
TIMEX_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(_expand(pattern), re.IGNORECASE))
    for kind, pattern in (
        # Tuesday (04/22) / Tuesday (4/22/2019) / Wednesday, 11/20/19
        (
            "weekday_numeric",
            r"\b{WEEKDAY},?\s*\(?\s*(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:/(?P<y>(?:19|20)?\d\d))?\b\s*\)?",
        ),
        ("iso", r"\b(?P<year>1[89]\d\d|20\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])\b"),
        (
            "numeric",
            r"(?<![\d/.])(?P<m>1[0-2]|0?[1-9])/(?P<d>[12]\d|3[01]|0?[1-9])/(?P<y>(?:19|20)?\d\d)(?![\d/])",
        ),
        # Friday, Oct. 13, 1989 / October 13 1989 / Oct. 13
        (
            "month_day",
            r"\b{MOD}?(?:{WEEKDAY},?\s+)?{MONTH}\s*(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)"
            r"(?!\s*(?:%|percent|million|billion|,\d|\.\d))"
            r"(?:\s*(?:,\s*|\s)(?:of\s+)?{YEAR})?",
        ),
        # 13 October 1989 / the 13th of October
        (
            "day_month",
            r"\b{MOD}?(?:{WEEKDAY},?\s+)?(?:the\s+)?{DAY}\s+(?:of\s+)?{MONTH}(?:,?\s+{YEAR})?",
        ),
        # January this year / June last year
        ("month_rel_year", r"\b{MOD}?{MONTHFULL}\s+(?:of\s+)?(?P<rel>this|last|next)\s+year\b"),
        # early July 1997 / the end of March 2018
        ("month_year", r"\b{MOD}?{MONTH},?\s+(?:of\s+)?{YEAR}"),
        # last April / early December / March
        ("month", r"\b{MOD}?{REL}?{MONTHFULL}(?!\s*\d)"),
        # 9 a.m. EDT Thursday / 10:30 a.m. / noon
        (
            "clock",
            r"\b{CLOCK}(?:\s*(?:,\s*)?(?:on\s+)?{WEEKDAY}|\s+(?P<dayrel>today|yesterday|tomorrow)|\s*(?:,\s*)?(?:on\s+)?{MONTH}\s*(?P<day>[12]\d|3[01]|0?[1-9])\b)?",
        ),
        (
            "clock24",
            r"(?<![\d:.$])(?P<hour>[01]\d|2[0-3]|\d):(?P<minute>[0-5]\d)(?![\d:])(?:\s+(?P<tz>(?-i:[A-Z]{2,4}))\b)?",
        ),
        (
            "noon",
            r"\b(?P<word>noon|midnight|midday)(?:\s+(?:on\s+)?{WEEKDAY}|\s+(?P<dayrel>today|yesterday|tomorrow))?",
        ),
        (
            "oclock",
            r"\b(?P<hour>[1-9]|1[0-2]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+o'clock\b",
        ),
        ("clock_pod", r"\b(?P<hour>[1-9]|1[0-2])\s+in\s+the\s+{POD}"),
        # last Friday / Friday morning / early Friday; not a named day ("Black Friday deals", "Super
        # Tuesday", "Cyber Monday"): the weekday of those is no day of the article's week
        (
            "weekday",
            r"\b(?<!Black\s)(?<!Cyber\s)(?<!Super\s)(?<!Ash\s)(?<!Maundy\s)(?<!Holy\s)(?<!Palm\s)"
            r"(?<!Bloody\s)(?<!Giving\s)(?<!Fat\s)(?<!Shrove\s)(?<!Black-)"
            r"{MOD}?{REL}?{WEEKDAY}(?:'s)?(?:\s+{POD})?",
        ),
        (
            "pod_weekday",
            r"\b(?P<podw>(?:early|late|mid-?)?\s*(?:morning|afternoon|evening|night))\s+(?:on\s+)?{WEEKDAY}",
        ),
        # the third quarter / third-quarter / the 1988 second quarter / this year's third quarter
        (
            "quarter",
            r"\b(?:(?P<the>the)\s+)?(?:(?P<rel>this\s+year's|last\s+year's|next\s+year's|the\s+year-ago|"
            r"the\s+year-earlier|year-ago|year-earlier|(?:fiscal\s+)?(?P<year>1[0-9]\d\d|20\d\d)(?:'s)?)\s+)?"
            r"(?:(?:fiscal|flat|calendar|weak|strong|disappointing)\s+)?{ORD}[- ](?:fiscal[- ])?quarter"
            r"(?:\s+of\s+(?:(?:fiscal|the\s+year|this\s+year|last\s+year|next\s+year)\s*)?(?P<year2>1[0-9]\d\d|20\d\d)?)?",
        ),
        (
            "quarter_ref",
            r"\b(?:the|this|last|next|that|its|(?:last|this|next)\s+year's)\s+(?P<ref>(?:(?:latest|current|previous|"
            r"past|recent|year-ago|year-earlier|comparable|same|fiscal|just-ended|year-before|prior|"
            r"most\s+recent|first|final)\s+)*)(?:fiscal\s+)?quarter\b(?!s)",
        ),
        (
            "half",
            r"\b(?:the\s+)?(?P<h>first|second|last)\s+half(?:\s+of\s+(?:(?P<rel>this|last|next)\s+year|the\s+year|{YEAR}))?",
        ),
        # fiscal 1989 / the 1990s / the 20th century
        ("fiscal", r"\bfiscal\s+(?:year\s+)?(?P<year>1[0-9]\d\d|20\d\d|'?\d\d)\b"),
        ("decade", r"\b(?:the\s+)?{MOD}?(?P<decade>1[0-9]\d0|20\d0)'?s\b"),
        ("decade_short", r"\b(?:the\s+)?{MOD}?'(?P<decade>[0-9]0)s\b"),
        (
            "century",
            r"\b(?:the\s+)?{MOD}?(?P<cent>\d{1,2}(?:st|nd|rd|th)|first|second|[a-z]+teenth|twentieth|twenty-first)[- ]century\b",
        ),
        (
            "year",
            r"\b{MOD}?(?:the\s+(?:year\s+)?|in\s+the\s+year\s+)?(?<![$#£€\d.,-]){YEAR}\b(?!\s*%|-\d|\.\d|,\d\d\d)",
        ),
        ("season", r"\b{MOD}?(?:{REL}|(?P<the>the)\s+)?{SEASON}(?:\s+(?:of\s+)?{YEAR})?\b"),
        # today / yesterday morning / late yesterday / tonight / last night
        (
            "day_rel",
            r"\b{MOD}?(?P<word>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|yesterday|"
            r"tomorrow)(?:\s+{POD})?",
        ),
        (
            "pod_rel",
            r"\b{MOD}?(?P<word>tonight|overnight|(?:this|last|tomorrow|yesterday)\s+{POD}|(?:mid-?)?(?:morning|afternoon|evening)\s+(?P<after>yesterday|today|tomorrow))\b",
        ),
        # this week / last month / next year / earlier this week / the coming weekend
        (
            "unit_rel",
            r"\b{MOD}?(?:(?P<side>earlier|later)\s+)?(?P<rel>this\s+past|this\s+coming|this|last|next|the\s+coming|"
            r"the\s+past|the\s+last|the\s+previous|the\s+following|the\s+current|the\s+latest|the\s+same|"
            r"the\s+next|the\s+prior|the|that)\s+(?:(?P<fisc>fiscal|calendar)\s+)?"
            r"(?P<unit>week|weekend|month|year|decade|century)\b(?!-|\s+(?:old|ago|earlier|later|before|after)\b)",
        ),
        # two years ago / a year earlier / six weeks later / 10 days from now
        (
            "ago",
            r"\b{APPROX}?{NUM}[- ](?:or\s+so\s+)?{UNIT}(?:\s+or\s+so)?\s+(?P<dir>ago|earlier|later|from\s+now|hence|back)\b(?!\s+(?:than|that|in|on|at)\b)",
        ),
        ("year_ago", r"\b(?P<rel>year|month|week|day)-(?P<dir>ago|earlier|before)\b"),
        # three years / 10-year / the past two months / a few days
        (
            "duration",
            r"\b{APPROX}?{NUM}(?:\s+and\s+a\s+half)?[- ]{UNIT}(?![- ]old\b)(?:-(?P<tail>long))?\b",
        ),
        (
            "duration_half",
            r"\b{APPROX}?(?P<half>half\s+an?\s+(?:hour|day|year|century|decade)|an?\s+(?:minute|hour|year|day)\s+and\s+a\s+half|a\s+half-hour|half-hour)\b",
        ),
        (
            "vague_duration",
            r"\b(?P<pre>recent|coming|past|(?:the\s+)?(?:last|past|coming|next|previous|following)\s+(?:few|several)|(?:for|over|in|within)(?=\s))\s*(?P<unit>years|months|weeks|days|decades|hours|quarters|minutes|centuries)\b",
        ),
        (
            "years_bare",
            r"\b(?P<unit>years|decades|months|weeks|centuries)(?=\s+(?:of|ago|later|earlier|before|to\s+come|after)\b)",
        ),
        # daily / every week / twice a year / each Friday / $5 million a year
        (
            "set_adverb",
            r"\b(?P<word>daily|weekly|monthly|annually|yearly|nightly|hourly|biweekly|semiannually)\b",
        ),
        (
            "set_every",
            r"\b(?P<q>every|each|per)\s+(?:(?P<num>other|two|three|four|five|six|\d+)\s+)?(?:(?P<unit>day|week|month|year|quarter|hour|minute|night|morning|evening|summer|winter|spring|fall|weekend|decade)s?|{WEEKDAY})\b",
        ),
        (
            "set_a",
            r"\b(?P<freq>once|twice|three\s+times|four\s+times|\d+\s+times|several\s+times)\s+(?:a|an|per)\s+(?P<unit>day|week|month|year|hour|decade)\b",
        ),
        (
            "set_weekdays",
            r"\b(?-i:(?P<weekday>Mondays|Tuesdays|Wednesdays|Thursdays|Fridays|Saturdays|Sundays))\b",
        ),
        # now / currently / recently / the future / soon
        (
            "ref",
            r"\b(?P<word>now|nowadays|currently|presently|at\s+present|the\s+present|current|these\s+days|"
            r"at\s+the\s+moment|recently|recent|lately|the\s+past|in\s+the\s+past|the\s+future)\b",
        ),
        (
            "anaphora",
            r"\b(?P<word>(?:that\s+)?same\s+day|that\s+day|the\s+next\s+day|the\s+following\s+day|"
            r"the\s+previous\s+day|the\s+day\s+before|that\s+night|the\s+next\s+morning|"
            r"the\s+following\s+morning|the\s+weekend|the\s+same\s+period|the\s+year-earlier\s+period|"
            r"the\s+year-ago\s+period|the\s+comparable\s+period|the\s+latest\s+period|year-end)\b",
        ),
        (
            "holiday",
            r"\b(?-i:(?P<name>Christmas(?:\s+(?:Day|Eve))?|New\s+Year's(?:\s+(?:Day|Eve))?|Independence\s+Day|Halloween|Valentine's\s+Day|Veterans\s+Day|Boxing\s+Day|Bastille\s+Day|May\s+Day|Thanksgiving(?:\s+Day)?|Easter(?:\s+(?:Sunday|week))?|Labor\s+Day|Memorial\s+Day|Election\s+Day|Good\s+Friday))\b(?:\s+(?:of\s+)?{YEAR})?",
        ),
        ("holiday_lower", r"\b(?P<name>election\s+day)\b"),
        (
            "year_words",
            r"\b(?:the\s+year\s+)?(?P<words>nineteen\s+(?:hundred\s+(?:and\s+)?)?(?:[a-z]+(?:-[a-z]+)?)|two\s+thousand(?:\s+and\s+[a-z]+)?)\b",
        ),
    )
)

#: A day of the month without year joined to a full date ("between July 11 and Nov. 1, 1995", "from
#: Dec. 1, 1997, through Nov. 30") takes its year from that date, not from the publication date.
RANGE_JOIN_BEFORE_RE = re.compile(r"^[\s,]*(?:-|–|—|to|through|until|till|and)\s*$", re.IGNORECASE)
RANGE_RIGHT_RE = re.compile(
    _expand(
        r"^\s*(?:-|–|—|to|through|until|till|and)\s+{MONTH}\s*(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?,?\s+{YEAR}"
    ),
    re.IGNORECASE,
)
#: Words one of which every match of a rule contains: a rule is matched only in a window around each
#: occurrence of its trigger (``TRIGGER_WINDOW`` characters either side) instead of over the whole text,
#: which makes tagging several times faster. Rules without a trigger scan the whole text.
_UNIT_T = r"(?i:second|minute|hour|day|night|week|month|quarter|year|decade|centur|millenn|season|half)"
_MONTH_T = r"(?-i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_WEEKDAY_T = r"(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_POD_T = r"(?i:morning|afternoon|evening|night|tonight|overnight)"
TRIGGERS: dict[str, re.Pattern[str]] = {
    kind: re.compile(trigger)
    for kind, trigger in {
        "weekday_numeric": _WEEKDAY_T,
        "month_day": _MONTH_T,
        "day_month": _MONTH_T,
        "month_rel_year": _MONTH_T,
        "month_year": _MONTH_T,
        "month": _MONTH_T,
        "weekday": _WEEKDAY_T,
        "pod_weekday": _WEEKDAY_T,
        "clock_pod": _POD_T,
        "quarter": r"(?i:quarter)",
        "quarter_ref": r"(?i:quarter)",
        "half": r"(?i:half)",
        "fiscal": r"(?i:fiscal)",
        "decade": r"\d0'?s",
        "decade_short": r"'\d0s",
        "century": r"(?i:century)",
        "year": r"\d{4}",
        "season": r"(?i:spring|summer|fall|autumn|winter)",
        "day_rel": r"(?i:today|yesterday|tomorrow)",
        "pod_rel": _POD_T,
        "unit_rel": r"(?i:week|month|year|decade|century)",
        "ago": r"(?i:ago|earlier|later|from\s+now|hence|back)",
        "year_ago": r"(?i:-ago|-earlier|-before)",
        "duration": _UNIT_T,
        "duration_half": r"(?i:half)",
        "vague_duration": _UNIT_T,
        "years_bare": _UNIT_T,
        "set_adverb": r"(?i:ly\b)",
        "set_every": r"(?i:every|each|per)",
        "set_a": r"(?i:once|twice|times)",
        "set_weekdays": _WEEKDAY_T,
        "ref": r"(?i:now|current|present|these|moment|recent|lately|past|future)",
        "anaphora": r"(?i:day|night|morning|weekend|period|year-end)",
        "holiday": r"(?-i:Christmas|New|Independence|Halloween|Valentine|Veterans|Boxing|Bastille|May|"
        r"Thanksgiving|Easter|Labor|Memorial|Election|Good)",
        "holiday_lower": r"(?i:election)",
        "year_words": r"(?i:nineteen|thousand)",
    }.items()
}
TRIGGER_WINDOW = 90

#: The ``ref`` words kept, and their TIMEX3 type and value (the rest of the ``ref`` rule's words are
#: read only to stop shorter rules; a word mapped to ``None`` is not an expression).
REF_WORDS: dict[str, tuple[str, str] | None] = {
    "now": ("DATE", "PRESENT_REF"), "nowadays": ("DATE", "PRESENT_REF"),
    "currently": ("DATE", "PRESENT_REF"), "presently": ("DATE", "PRESENT_REF"),
    "at present": ("DATE", "PRESENT_REF"), "the present": ("DATE", "PRESENT_REF"),
    "current": ("DATE", "PRESENT_REF"), "these days": ("DATE", "PRESENT_REF"),
    "at the moment": ("DATE", "PRESENT_REF"),
    "recently": ("DATE", "PAST_REF"), "recent": ("DATE", "PAST_REF"), "lately": ("DATE", "PAST_REF"),
    "previously": ("DATE", "PAST_REF"), "formerly": ("DATE", "PAST_REF"),
    "the past": ("DATE", "PAST_REF"), "in the past": ("DATE", "PAST_REF"),
    "the future": ("DATE", "FUTURE_REF"), "future": ("DATE", "FUTURE_REF"),
    "soon": ("DATE", "FUTURE_REF"),
}  # fmt: skip
#: ``ref`` words kept only with the words that must follow them (``current`` only as "current period").
REF_REQUIRES_NEXT: dict[str, re.Pattern[str]] = {
    "current": re.compile(
        r"^\s+(?:period|level|levels|rate|quarter|year|month|week|season|session|term|"
        r"price|prices|crisis|situation|round|negotiations|talks|political|"
        r"market|environment|conditions|climate|regime|government|administration|"
        r"fiscal|account|policy|law|laws|system|spending)",
        re.IGNORECASE,
    ),
    "future": re.compile(r"^(?!\s+(?:of|in)\b)", re.IGNORECASE),
}
#: ``ref`` words not kept when these words come right before them.
REF_REJECT_BEFORE: dict[str, re.Pattern[str]] = {
    "now": re.compile(r"(?:\bright|\bjust|\buntil|\bby|\bfrom|\bas\s+of|\bfor)\s*$", re.IGNORECASE),
    "future": re.compile(r"\b(?:the|its|his|her|their|our|a|your)\s*$", re.IGNORECASE),
    "recent": re.compile(r"\b(?:most|more|the\s+most)\s*$", re.IGNORECASE),
}

#: Words after a four-digit number that make it a quantity, not a year.
YEAR_REJECT_AFTER = re.compile(
    r"^\s*(?:-?(?:people|persons|men|women|children|troops|soldiers|police|officers|workers|employees|"
    r"jobs|members|students|percent|per\s+cent|%|km|kilometers|kilometres|miles|meters|metres|feet|"
    r"tons|tonnes|votes|dollars|yuan|yen|euros|pounds|marks|francs|shares|barrels|acres|hectares|"
    r"points|units|cars|planes|aircraft|homes|houses|cases|deaths|dead|killed|refugees|prisoners|"
    r"passengers|delegates|seats|rooms|beds|pages|words|calories|degrees|feet|bits|mhz|cc|hp|rpm|"
    r"model|series|cubic|square|ft|lbs?|kg|mg|mw|kw|am|pm|a\.m|p\.m)\b|[.,]\d)",
    re.IGNORECASE,
)
#: Words before a four-digit number that make it not a year ("Flight 1998", "No. 2001", "$1990").
YEAR_REJECT_BEFORE = re.compile(
    r"(?:[$#£€]|\b(?:no\.|number|flight|route|room|highway|interstate|apartment|suite|unit|"
    r"box|code|model|version|page|pages|item|resolution|article|section|chapter|bill|law|act|"
    r"about|some|nearly|over|than|more\s+than|least|only|approximately|roughly|around|total\s+of|"
    r"to|and|or|of\s+the|plus|minus|by|at|of)\s*)$",
    re.IGNORECASE,
)
#: Words before a four-digit number that make it a year even when ambiguous ("in 1998", "since 1998").
YEAR_ACCEPT_BEFORE = re.compile(
    r"\b(?:in|since|until|till|before|after|during|from|through|throughout|of|by|to|and|or|early|late|mid-?|"
    r"fiscal|year|the\s+year|summer|winter|spring|fall|autumn|since\s+early|circa|c\.|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan\.|feb\.|aug\.|sept\.|oct\.|nov\.|dec\.|between|for|than|as\s+of|around|'s)\s*$",
    re.IGNORECASE,
)
#: Words ending in a full stop that do not end a sentence ("Nov. 1", "Mr. Kim", "U.S. officials").
ABBREVIATIONS = frozenset(
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun "
    "mr mrs ms dr prof gen col lt sgt capt gov sen rep st jr sr inc corp co ltd no vs u s a m p "
    "e g i etc approx ft".split()
)
#: Earliest and latest years read from a bare four-digit number, relative to the publication year.
YEAR_MIN = 1000
YEAR_MAX_AHEAD = 30

#: Words in a sentence before an expression that point to the future ("will", "is expected to").
FUTURE_RE = re.compile(
    r"\b(?:will|shall|won't|(?:is|are|be)\s+(?:expected|due|set|scheduled|planned|going|slated|"
    r"likely|supposed)\s+to|(?:is|are)\s+to|plans?\s+to|planned\s+to|planning\s+to|intends?\s+to|aims?\s+to|"
    r"upcoming|as\s+(?:soon|early)\s+as|payable|effective|scheduled\s+for|set\s+for)\b|['’]ll\b",
    re.IGNORECASE,
)
#: Further future markers for a month or a day of the month named without a year ("would be held on
#: April 24", "by February"); too loose for weekdays ("said they would appeal Wednesday's ruling").
FUTURE_LOOSE_RE = re.compile(r"\bwould\b|\b(?:by|until|till)\s*$", re.IGNORECASE)
#: Verbs in the past tense or a perfect before or after an expression ("said", "was", "has been").
PAST_RE = re.compile(
    r"\b(?:was|were|had|did|said|told|announced|reported|ended|began|fell|rose|met|came|went|took|"
    r"made|gave|won|lost|left|died|killed|arrived|started|closed|opened|signed|agreed|decided|"
    r"\w+ed)\b",
    re.IGNORECASE,
)
#: "a year ago" in a report of quarterly results means the same quarter a year before, when a quarter
#: was named at most this many characters earlier.
QUARTER_CONTEXT_CHARS = 600
#: How many characters around an expression are read for its tense.
TENSE_WINDOW = 60
#: Words that may stand before an expression that opens its clause ("On Sunday, officials will seek …"):
#: then the tense is read after it, the clause's verb standing there.
CLAUSE_OPENING_WORDS = frozenset({"on", "by", "from", "until", "till", "early", "late", "and", "but", "then"})
#: A month/day without year falling this many days after publication is taken from the year before,
#: unless the sentence points to the future.
FUTURE_TOLERANCE_DAYS = 62
#: A month without year this many months after the publication month is taken from the year before.
FUTURE_TOLERANCE_MONTHS = 1
