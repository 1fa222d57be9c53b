"""Word lists, weights and thresholds of the sentence verifier.

The weights and thresholds below were chosen on the dev cut of ``../shared/data/faithfulness``
(``storydesk eval verify --choose``); the test cuts are held back. Word lists are general English, never
names of outlets, people or places.
"""

from __future__ import annotations

import re

# --- what a sentence asserts ---------------------------------------------------------------------------

#: Quotation marks, each mapped to the ASCII mark it is normalised to.
QUOTE_MARKS = {
    "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "``": '"', "''": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "`": "'", "′": "'", "″": '"',
}  # fmt: skip
#: Dashes normalised to "-".
DASHES = "‐‑‒–—―−"
#: Fewest characters a quoted string needs to be checked verbatim (shorter: a letter in quotes).
MIN_QUOTE_CHARS = 2

#: Words that negate what a sentence says.
NEGATIONS = frozenset("not no never none nobody nothing neither nor cannot without n't nowhere".split())

#: Capitalised words that are not names when they open a clause or stand alone.
NOT_NAMES = frozenset(
    """
    i a an the this that these those he she it we they his her its our their my your mr mrs ms dr
    but and or so yet if when while after before as at by for from in into of on to with about
    there here what who whom whose which where why how all some many most more other others unk
    """.split()
)

#: Number words and the value they are compared as ("three" is "3").
NUMBER_WORDS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "thirteen": "13", "fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17",
    "eighteen": "18", "nineteen": "19", "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50",
    "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90", "hundred": "100",
    "dozen": "12", "half": "0.5",
}  # fmt: skip
#: A number written with digits: "1,200", "3.5", "10million" (its digits), "20th".
DIGITS_RE = re.compile(r"\d+(?:[.,]\d+)*")
#: A number split by a tokenizer ("10, 000", "7. 8"): joined before numbers are read.
SPACED_NUMBER_RE = re.compile(r"(\d)([.,]) (\d)")

#: Date words: a sentence may only use those its sources use.
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)
#: Words that place an event in time relative to the article ("yesterday", "last summer").
RELATIVE_DAYS = frozenset("today yesterday tomorrow tonight overnight weekend".split())
PERIODS = frozenset(
    "week month year summer winter spring autumn season decade century morning evening night".split()
)
#: Words that make a period relative: "last week", "this summer".
PERIOD_MODIFIERS = frozenset("last next this previous coming past".split())

# --- the offline support score ---------------------------------------------------------------------------

#: The evidence sentences read as closest to a claim (for negation): its cited sentences in the product;
#: in the evaluation sets, where the evidence is a whole article, the best ones by shared content words +
#: MiniLM cosine.
EVIDENCE_SENTENCES = 3

#: The support score is a logistic function of four features (weights fitted on every pair of the dev
#: cut, classes balanced: ``storydesk eval verify --choose``):
#:  * ``novel``    share of the sentence's content words (stemmed, stop words aside) absent from its evidence;
#:  * ``cosine``   MiniLM cosine of the sentence and the closest evidence sentence;
#:  * ``unfound``  1 when a name, number, date or quotation is not in the evidence (the hard rule);
#:  * ``negation`` 1 when the sentence negates and its closest evidence sentences do not.
#: (A fifth, the share of neighbouring content-word pairs absent from the evidence, raised FRANK-BART on
#: the dev cut (67.3 -> 70.6) but lowered CLIFF (79.8 -> 72.4) and the pooled CNN/DM FtSota set
#: (73.7 -> 70.0), and it punishes paraphrase, which is what a writer is asked for: left out.)
SCORE_WEIGHTS = {"bias": -1.862, "novel": -4.183, "cosine": 3.349, "unfound": -1.151, "negation": -1.487}

#: A generated sentence is kept when its support score is at least this (and the hard rules pass): the
#: threshold of best balanced accuracy on the component with true per-sentence labels of CNN/DM news,
#: ``PRODUCT_COMPONENT`` (dataset, origin, level) of the dev cut.
SUPPORT_THRESHOLD = 0.7106
PRODUCT_COMPONENT = ("Wang20", "cnndm", "sentence")

#: Per component of the faithfulness data (dataset:origin:level, and model for FRANK), the threshold
#: chosen on its dev cut, as AggreFact does; used by ``storydesk eval verify`` on a test cut.
COMPONENT_THRESHOLDS: dict[str, float] = {
    "AggreFact-CNN-FtSota": 0.4557,
    "CLIFF:cnndm:summary": 0.446,
    "CLIFF:xsum:summary": 0.1054,
    "FRANK:cnndm:sentence": 0.6408,
    "FRANK:cnndm:sentence:BottomUp": 0.748,
    "FRANK:cnndm:sentence:Seq2Seq": 0.5948,
    "FRANK:cnndm:summary": 0.6704,
    "FRANK:cnndm:summary:BART": 0.4564,
    "FRANK:cnndm:summary:BertSum": 0.6562,
    "FRANK:cnndm:summary:BottomUp": 0.7074,
    "FRANK:cnndm:summary:PtGen": 0.7158,
    "FRANK:cnndm:summary:Seq2Seq": 0.6493,
    "FRANK:xsum:summary": 0.3012,
    "FRANK:xsum:summary:BERTS2S": 0.3439,
    "FRANK:xsum:summary:PtGen": 0.1423,
    "FRANK:xsum:summary:TConvS2S": 0.2152,
    "FRANK:xsum:summary:TranS2S": 0.3506,
    "Goyal21:xsum:summary": 0.1531,
    "Wang20:cnndm:sentence": 0.7106,
    "Wang20:cnndm:summary": 0.6413,
    "Wang20:xsum:summary": 0.479,
}

# --- the LLM judge (optional: verify_url) -----------------------------------------------------------------

#: A judge's score is P(yes); a sentence is kept when it is at least this.
JUDGE_THRESHOLD = 0.5
#: MiniCheck's question, as its models were trained to answer it.
JUDGE_SYSTEM = "You check facts. Answer with one word: Yes or No."
JUDGE_PROMPT = (
    "Document: {document}\nClaim: {claim}\n\nIs the claim supported by the document? Answer Yes or No."
)
#: Longest document sent to the judge, in characters.
JUDGE_MAX_DOCUMENT_CHARS = 6000
JUDGE_MAX_TOKENS = 3
JUDGE_TOP_LOGPROBS = 5

# --- disputes --------------------------------------------------------------------------------------------

#: A sentence takes up a disputed claim when it shares this share of its content words with one side.
DISPUTE_OVERLAP = 0.5
