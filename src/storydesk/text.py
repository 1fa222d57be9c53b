"""The one place where storydesk cuts text into words: tokenizers, the stemmer and the stop lists.

Each tokenizer is named for what it feeds, because they differ on purpose and the figures measured with
them depend on the difference (a change here moves ROUGE, clustering or claims):

* :func:`rouge_tokens` — lower-cased ASCII letters and digits, Porter-stemmed: the way rouge-score
  tokenizes, so that the summarizer optimises what ROUGE counts (summary concepts, the reference model);
* :func:`concept_terms` / :func:`content_stems` — the same tokens split into content words (not in
  :func:`stop_words`, not a digit string, longer than one letter) and the bigrams touching one;
* :func:`claim_tokens` — words and whole numbers (``$34``, ``1,200``, ``4.5%``) as they are written, for
  comparing two statements word by word (numbers must stay whole to be compared);
* :func:`context_words` — lower-cased words of three or more letters, minus :data:`CONTEXT_STOP_WORDS`:
  what two numeric claims must share to be about the same thing;
* :func:`overlap_words` — case-folded words of four or more characters, minus
  :data:`TIMELINE_STOP_WORDS`: the overlap of two dated sentences of a timeline;
* :func:`shingle_words` — case-folded Unicode words, an inner apostrophe kept ("don't"): the words of
  dedup's shingles;
* :func:`word_tokens` — ``\\w+`` runs as written (underscores and digits included, apostrophes split):
  the words of a full-text search query, as FTS5's unicode61 tokenizer sees them.

Nothing here depends on a stage; every stage may import it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import compress
from operator import or_
from typing import Any

__all__ = [
    "STEM_CACHE_WORDS",
    "CONTEXT_STOP_WORDS",
    "TIMELINE_STOP_WORDS",
    "stem",
    "stop_words",
    "rouge_tokens",
    "concept_terms",
    "content_stems",
    "claim_tokens",
    "context_words",
    "overlap_words",
    "shingle_words",
    "word_tokens",
]

# --- ROUGE-style tokens, stems and the summary's stop list ----------------------------------------------

_ROUGE_TOKEN = re.compile(r"[a-z0-9]+")

#: Stems kept per process. Bounded so that a long-running worker's memory stays flat: each entry costs
#: ~260 bytes (a 200,000-word cache grew a briefing worker by ~45 MB over 20,000 articles of ever-new
#: vocabulary); news text repeats its common words, so 50,000 still answers most lookups.
STEM_CACHE_WORDS = 50_000


@lru_cache(maxsize=STEM_CACHE_WORDS)
def stem(word: str) -> str:
    """The Porter stem of a lower-cased word (words of three letters or fewer are kept as they are, as
    rouge-score keeps them)."""
    return _porter().stem(word) if len(word) > 3 else word


@lru_cache(maxsize=1)
def _porter() -> Any:
    from nltk.stem import porter

    return porter.PorterStemmer()


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """scikit-learn's English stop words and the words of reporting ("said", "mr"): never a concept of a
    summary (loaded on first use: scikit-learn is slow to import)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "say", "mr", "mrs", "ms"}


def rouge_tokens(text: str) -> list[str]:
    """Lower-cased, Porter-stemmed alphanumeric tokens (the way rouge-score tokenizes)."""
    return [stem(t) for t in _ROUGE_TOKEN.findall(text.lower())]


def concept_terms(text: str) -> tuple[tuple[str, ...], frozenset[str], frozenset[tuple[str, str]]]:
    """Stemmed tokens (:func:`rouge_tokens`), stemmed content words, and stemmed bigrams with at least
    one content word. A content word is not a stop word, longer than one letter and not a digit string."""
    raw = _ROUGE_TOKEN.findall(text.lower())
    stops = stop_words()
    stems = tuple(map(stem, raw))
    is_content = [t not in stops and len(t) > 1 and not t.isdigit() for t in raw]
    content = frozenset(compress(stems, is_content))
    either = map(or_, is_content, is_content[1:])
    bigrams = frozenset(compress(zip(stems, stems[1:], strict=False), either))  # neighbours
    return stems, content, bigrams


def content_stems(text: str) -> frozenset[str]:
    """The stemmed content words of ``text`` (see :func:`concept_terms`)."""
    return concept_terms(text)[1]


# --- comparing statements (claims and the timeline) ----------------------------------------------------

# A number keeps its currency sign, thousands separators, decimals and percent sign; a word its inner
# apostrophes and hyphens ("Jong-un", "Putin’s").
_CLAIM_TOKEN = re.compile(r"\$?\d[\d,]*(?:\.\d+)?%?|\w[\w’'-]*")

#: Function words and small number words: not context two claims can share. Short on purpose (a
#: sentence's content nouns and verbs must stay), unlike :func:`stop_words`.
CONTEXT_STOP_WORDS = frozenset(
    """the a an and or but of in on at to for by with from as that this these those was were is are be been
    has have had it its their his her he she they them said says after before than more less about just
    under over least most some all any who which when where while two three four five six seven eight nine
    ten""".split()
)

#: The frequent words of four letters or more: what two dated sentences share without being one event.
#: (:func:`overlap_words` drops shorter words anyway, so this list needs no "the" or "and".)
TIMELINE_STOP_WORDS = frozenset(
    "that this with from their there were have been will would said says about after into than also".split()
)


def claim_tokens(text: str) -> list[str]:
    """Words and whole numbers of ``text``, as written (case kept)."""
    return _CLAIM_TOKEN.findall(text)


def context_words(text: str) -> frozenset[str]:
    """Case-folded words of three or more letters (apostrophes and hyphens inside), minus
    :data:`CONTEXT_STOP_WORDS`."""
    return frozenset(
        w for w in re.findall(r"[a-z][a-z'-]{2,}", text.casefold()) if w not in CONTEXT_STOP_WORDS
    )


def overlap_words(text: str) -> set[str]:
    """Case-folded words of four or more characters, minus :data:`TIMELINE_STOP_WORDS`."""
    return {w for w in re.findall(r"\w[\w'-]{3,}", text.casefold()) if w not in TIMELINE_STOP_WORDS}


# --- dedup and search ---------------------------------------------------------------------------------

_SHINGLE_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_WORD_TOKEN = re.compile(r"\w+", re.UNICODE)


def shingle_words(text: str) -> list[str]:
    """Case-folded words (letters and digits of any script, one inner apostrophe kept: "don't"),
    punctuation and underscores dropped."""
    return _SHINGLE_WORD.findall(text.casefold())


def word_tokens(text: str) -> list[str]:
    """Runs of word characters (``\\w+``: letters, digits, underscores) as written; an apostrophe splits
    a word, as it does for FTS5's unicode61 tokenizer."""
    return _WORD_TOKEN.findall(text)
