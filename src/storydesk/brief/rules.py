"""Thresholds of the brief stage's facts layer: the timeline and claims across outlets.

Word lists shared with the analyse stage (titles, months, weekdays) stay in :mod:`storydesk.analyse.rules`.
The summarizer's own rules are :mod:`storydesk.brief.summarize.rules`.
"""

from __future__ import annotations

import re

# --------------------------------------------------------------------------------------------------
# Timeline
# --------------------------------------------------------------------------------------------------

#: Two dated sentences of different articles report the same event above this similarity.
TIMELINE_MERGE_SIMILARITY = 0.6
#: … or when this share of the shorter sentence's content words (4+ letters) occur in the other.
TIMELINE_MERGE_OVERLAP = 0.5
#: Most events on a timeline (the best-cited are kept, then sorted by date).
MAX_TIMELINE_EVENTS = 25
#: Sentences shorter than this many words make no timeline event.
MIN_EVENT_WORDS = 5
#: Quotation marks, straight and curly. A sentence with an odd number of them that does not open with one
#: closes a quotation opened in an earlier sentence ("I'm alive, so why should I sleep when my friends are
#: dead,” Alina Turk said … Friday afternoon."): it starts mid-thought and tells of the speaking, not of an
#: event, so it is no timeline entry. On DUC 2003 and 2004, 949 of 28,870 sentences are such (3.3 %); no
#: summary sentence was one (the summarizer's own rules keep them out).
QUOTE_MARK_RE = re.compile(r"[“”\"]")

# --------------------------------------------------------------------------------------------------
# Claims (corroborate/)
# --------------------------------------------------------------------------------------------------

#: Sentences shorter or longer than this (words) are not claims.
MIN_CLAIM_WORDS = 6
MAX_CLAIM_WORDS = 60
#: Two sentences state the same claim above this embedding cosine …
ALIGN_COSINE = 0.80
#: … or above this word-sequence similarity (difflib ratio of word lists).
ALIGN_LEXICAL = 0.70
#: Two articles are copies of one wire story when this share of the shorter one's sentences are identical.
WIRE_COPY_SHARE = 0.5
#: A conflict needs both sentences this close (embedding cosine) …
DISPUTE_COSINE = 0.70
#: … and the words outside the differing spans this close (share of matched words).
DISPUTE_REST_SIMILARITY = 0.70
#: Differing spans longer than this many words are a rewrite, not a conflict.
MAX_CONFLICT_SPAN_WORDS = 4
#: A claim cites statements aligned with each other pair by pair (``corroborate/claims.py``, ``_cliques``):
#: the sets tried start from at most this many statements of a group, those aligned with the most others.
MAX_CLAIM_SEEDS = 16
#: How many claims of each status are listed (all disputed claims are listed).
MAX_CORROBORATED = 12
MAX_SINGLE_SOURCE = 8
NUMBER_RE = re.compile(r"(?<![\w.])\$?\d[\d,]*(?:\.\d+)?%?(?![\w])")
NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred "
    "thousand million billion trillion dozen dozens hundreds thousands millions".split()
)

# Paraphrases across outlets share few words and sit at a MiniLM cosine of about 0.45–0.85, so the
# embedding alone cannot align them: a lower cosine is accepted when the two sentences share anchors —
# the same number with the same unit, or names that are rare in the story.

#: Two sentences sharing anchors worth ``ANCHOR_ALIGN_WEIGHT`` state the same claim above this cosine.
ANCHOR_ALIGN_COSINE = 0.45
#: … when the shared anchors are names only, above this cosine.
NAME_ANCHOR_ALIGN_COSINE = 0.55
#: Anchor weight needed: a shared strong number (3+ digits, a decimal, a magnitude or %) counts 1, a small
#: number 0.5, a rare multi-word or rare name 0.5.
ANCHOR_ALIGN_WEIGHT = 1.0
#: A name is rare in a story when at most this share of its statements (and at most ``RARE_NAME_MAX_DF``)
#: carry it; "Velkan" in every sentence of a story about Velkan anchors nothing.
RARE_NAME_SHARE = 0.08
RARE_NAME_MAX_DF = 8
#: Words before a number that make it a rounding ("almost 200", "about 1,000"): a number of the other side
#: within ``APPROXIMATE_SHARE`` of it agrees with it (DUC 2004 d30022t: "Almost 200 dissidents signed a
#: letter" against "190 dissidents … demanded in an open letter" was a dispute). A bound is no rounding:
#: "at least 14" and "at least 17" dead disagree.
APPROXIMATE_WORDS = frozenset("about around almost nearly roughly approximately some".split())
APPROXIMATE_SHARE = 0.1
#: Words after a number that make it a quantity of that unit ("$34 million", "12 percent").
MAGNITUDE_WORDS = frozenset("thousand million billion trillion percent per cent %".split())
#: Pair decisions of claims remembered per process (``corroborate/memo.py``): the ~2,700 pairs an
#: 81-article story decides, several stories over; ~0.7 kB each (tracemalloc, 20,000 decisions of
#: duc-stories statements: 13 MB), the texts shared with the statements.
PAIR_MEMO_SIZE = 20_000
#: Two paraphrases of one claim (cosine at least this) whose numbers of the same unit differ are a dispute …
PARAPHRASE_DISPUTE_COSINE = 0.60
#: … when they also share this many content words besides the numbers (the subject of the number).
MIN_SHARED_CONTEXT_WORDS = 2
#: Words of a title that change the office ("Deputy Foreign Minister" is not "Foreign Minister").
RANK_TITLE_MODIFIERS = frozenset("deputy vice acting former assistant associate interim junior".split())
#: Words of a title that name the portfolio ("Interior Minister" is not "Foreign Minister").
DOMAIN_TITLE_MODIFIERS = frozenset(
    "foreign defense defence interior finance trade prime justice health".split()
)
