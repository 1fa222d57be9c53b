"""Who said what, scored on PolNeAR (``../shared/data/quotes/polnear-dev.jsonl``).

The metric is the one ``shared/data/README.md`` defines for ``quotes/``; what matters to a reader is that
a quote shown with the wrong speaker is worse than a quote left out. Two of its clauses can be read two
ways, and both readings are scored side by side (``metric`` in every row):

* ``readme`` — the README read literally, the headline figures:
  an output quote **matches** a gold quote of the same article when the size of the multiset
  intersection of their token lists (``\\w+`` runs, case-folded: quotation marks and case do not count)
  is at least :data:`MATCH_SHARE` of the shorter list's length (:func:`quotes_overlap`); the gold
  speaker's **surname** is its last capitalised word, group words (:data:`GROUP_WORDS`) aside
  (:func:`surname`: "Jeff Weaver, Sanders' campaign manager" gives "Sanders", "Sen. Claire McCaskill
  (D-Mo.)" gives "D-Mo");
* ``strict`` — the first round's stricter reading: the shared tokens must be one run of consecutive
  tokens (:func:`quotes_share_run`), and the surname is the person's: appositions, affiliations,
  parenthesised parts, possessives, determiners, honorifics and titles aside (:func:`strict_surname`).

The rest is common to both:

1. **gold quotes** of an article: its attributions with ``direct: true`` whose speaker is known — the
   ``source``, or ``source_resolved`` when the source is a pronoun — and short (at most
   :data:`MAX_GOLD_SPEAKER_WORDS` words);
2. an output quote's speaker is **right** when it contains the surname of a gold quote it matches (as
   whole words, case-folded). A gold speaker with no surname ("the crowd") counts for recall, and an output
   quote whose matched gold quotes all lack one is not judged on its speaker (``speaker_unscored``);
3. an output quote **names a speaker** when its speaker is more than a bare pronoun ("he", "they");
4. **quote recall** = gold quotes matched by an output quote / gold quotes; **speaker precision** =
   matched output quotes with the right speaker / matched output quotes that name a (judged) speaker;
   **misattribution** = 1 − speaker precision; ``shown_with_speaker`` = matched output quotes that name a
   speaker / matched output quotes (how many quotations a reader sees with a name).

A quarter of the gold quotes have a pronoun as source, and their speaker is CoreNLP's automatic
coreference shipped with the corpus, not an annotation (``GoldQuote.automatic``). Beside the figures
above, ``misattribution_annotated`` is the same rate over the output quotes none of whose matched gold
speakers came from CoreNLP (``with_speaker_annotated``, ``wrong_speaker_annotated``).

Systems, run in the same call on the same articles:

* ``storydesk`` — the quotations of one article as a briefing shows them
  (:func:`storydesk.brief.facts.article_quote_candidates`, then ``shown()``: speakers below
  ``SPEAKER_MIN_CONFIDENCE`` withheld, names mapped to the article's fullest form of the actor). The
  result also carries the trade-off ``curve`` over every confidence threshold and the ``evidence``
  counts the confidences are calibrated on;
* ``textacy`` — ``textacy.extract.triples.direct_quotations`` (textacy 0.13.0, the ``[eval]`` extra) on
  the project's spaCy model with its full pipeline (textacy reads lemmas). textacy refuses a document with
  an odd number of quotation marks; there it is run paragraph by paragraph (``textacy_fallbacks``).

Each is scored on all articles and on the odd- and even-numbered lines of the file separately (develop on
one half, check on the other). ``ms_per_article`` is the median time of the quotation step alone, after
the spaCy parse both systems need.

The package: :mod:`._data` (the gold side), :mod:`._scoring` (matching, the two readings),
:mod:`._peers` (published figures, textacy) and :mod:`._report` (the run and its table).
"""

from ._data import GoldQuote, OutputQuote, QuoteArticle, gold_quotes, read_polnear
from ._peers import PUBLISHED
from ._report import evaluate_quotes
from ._scoring import (
    READINGS,
    README,
    STRICT,
    QuoteCounts,
    Reading,
    names_speaker,
    quote_tokens,
    quotes_overlap,
    quotes_share_run,
    score_article,
    speaker_is_right,
    strict_surname,
    surname,
)

__all__ = [
    "GoldQuote",
    "OutputQuote",
    "QuoteArticle",
    "QuoteCounts",
    "PUBLISHED",
    "README",
    "READINGS",
    "Reading",
    "STRICT",
    "evaluate_quotes",
    "gold_quotes",
    "names_speaker",
    "quote_tokens",
    "quotes_overlap",
    "quotes_share_run",
    "read_polnear",
    "score_article",
    "speaker_is_right",
    "strict_surname",
    "surname",
]
