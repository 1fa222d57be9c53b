"""Limits of the LLM writer and its client."""

from __future__ import annotations

# --- the client -------------------------------------------------------------------------------------------

#: Seconds for a whole answer (the ``llm_timeout`` setting overrides it) and for connecting.
TIMEOUT_S = 60.0
CONNECT_TIMEOUT_S = 5.0
#: Tokens the model may write (the ``llm_max_tokens`` setting overrides it).
MAX_TOKENS = 600
#: A reply that opens like this is a refusal, not a summary (only its first characters are read).
REFUSAL_PATTERN = (
    r"^\W*(?:I'?m sorry|I am sorry|sorry, (?:but )?I|I can(?:no|')t (?:help|assist|provide|write|do)|"
    r"I am unable|I'?m unable|I (?:must|have to) decline|As an AI)"
)
REFUSAL_HEAD_CHARS = 80

# --- the plan -----------------------------------------------------------------------------------------------

#: Source sentences numbered for the model: the extractive selection first, then the facts' sentences
#: (quotations, dated events, disputed and corroborated claims), at most this many in all.
MAX_SOURCE_SENTENCES = 16
#: Quotations, timeline events and claims offered to the model, each at most.
MAX_PLAN_QUOTES = 3
MAX_PLAN_EVENTS = 3
MAX_PLAN_CLAIMS = 4
#: Longest source sentence offered, in characters (longer ones are left out of the plan).
MAX_SOURCE_CHARS = 400

# --- what survives ------------------------------------------------------------------------------------------

#: The generated summary is shown only when at least this many of its sentences pass verification …
MIN_KEPT_SENTENCES = 2
#: … and at least this share of them; otherwise the extractive summary is shown, with the reason.
MIN_KEPT_SHARE = 0.5
#: Most generated sentences kept (the ``summary_sentences`` setting, when smaller, wins).
MAX_GENERATED_SENTENCES = 6
#: A generated sentence shorter than this many words is not a sentence (a heading, a stray marker).
MIN_SENTENCE_WORDS = 4
#: Actors named in the plan.
MAX_PLAN_ACTORS = 8

# --- the prompt ---------------------------------------------------------------------------------------------

SYSTEM_PROMPT = (
    "You write short, neutral news briefings from numbered source sentences. Use only facts stated in "
    "the source sentences. End every sentence you write with the numbers of the source sentences it is "
    "based on, in square brackets, like [2] or [1][4]. Do not add any name, number or date that is not in "
    "the sentences you cite. Copy quotations word for word, inside quotation marks. Write one sentence per "
    "line, with no heading and no list markers."
)
#: A worked example shown before the story (small models follow an example better than a rule). A
#: sentence copied from it cites a real source number and fails verification, so it cannot leak through.
EXAMPLE = (
    "Example.\n"
    "Sources:\n"
    "[1] The council said the old bridge will close on Friday for repairs.\n"
    "[2] The repairs will cost 2 million euros, officials said.\n"
    "Briefing:\n"
    "The old bridge will close on Friday for repairs [1].\n"
    "The council's repairs will cost 2 million euros [1][2]."
)
WRITE_INSTRUCTION = (
    "Write a briefing of at most {n} sentences, each ending with its source numbers in brackets."
)

# --- the cache ------------------------------------------------------------------------------------------------

#: Written summaries kept per process, by a hash of their plan (a story that has not changed is not
#: written again).
CACHE_STORIES = 2048
