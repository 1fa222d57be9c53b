"""Who said what, scored on PolNeAR (``../shared/data/quotes/polnear-dev.jsonl``).

The metric is the one ``shared/data/README.md`` defines for ``quotes/``; what matters to a reader is that
a quote shown with the wrong speaker is worse than a quote left out:

1. **gold quotes** of an article: its attributions with ``direct: true`` whose speaker is known — the
   ``source``, or ``source_resolved`` when the source is a pronoun — and short (at most
   :data:`MAX_GOLD_SPEAKER_WORDS` words);
2. an output quote **matches** a gold quote of the same article when their texts share at least half of
   the shorter one's tokens (``\\w+`` runs, case-folded, so quotation marks and case do not count; a
   multiset overlap);
3. its speaker is **right** when it contains the gold speaker's **surname**: the last capitalised word of
   the gold speaker, possessive endings dropped, group words ("Republicans", "officials"), determiners,
   honorifics and parenthesised parts ("(D-N.Y.)") aside. A gold speaker with no such word ("the crowd",
   "the statement") has no surname: the quote counts for recall, and an output quote whose matched gold
   quotes all lack a surname is not judged on its speaker (counted as ``speaker_unscored``);
4. an output quote **names a speaker** when its speaker is more than a bare pronoun ("he", "they");
5. **quote recall** = gold quotes matched by an output quote / gold quotes; **speaker precision** =
   matched output quotes with the right speaker / matched output quotes that name a (judged) speaker;
   **misattribution** = 1 − speaker precision.

A quarter of the gold quotes have a pronoun as source, and their speaker is CoreNLP's automatic
coreference shipped with the corpus, not an annotation (``GoldQuote.automatic``). Beside the figures
above, ``misattribution_annotated`` is the same rate over the output quotes none of whose matched gold
speakers came from CoreNLP (``with_speaker_annotated``, ``wrong_speaker_annotated``).

Systems, run in the same call on the same articles:

* ``storydesk`` — :func:`storydesk.brief.facts.article_quotes`: the quotations of one article as a briefing
  shows them (pronouns resolved, names mapped to the article's fullest form of the actor);
* ``textacy`` — ``textacy.extract.triples.direct_quotations`` (textacy 0.13.0, the ``[eval]`` extra) on
  the project's spaCy model with its full pipeline (textacy reads lemmas). textacy refuses a document with
  an odd number of quotation marks; there it is run paragraph by paragraph (``textacy_fallbacks``).

Each is scored on all articles and on the odd- and even-numbered lines of the file separately (develop on
one half, check on the other). ``ms_per_article`` is the median time of the quotation step alone, after
the spaCy parse both systems need.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import IngestError
from ..model import Article

__all__ = [
    "GoldQuote",
    "OutputQuote",
    "QuoteArticle",
    "QuoteCounts",
    "PUBLISHED",
    "evaluate_quotes",
    "gold_quotes",
    "names_speaker",
    "quote_tokens",
    "quotes_match",
    "read_polnear",
    "score_article",
    "speaker_is_right",
    "surname",
]

#: Longest gold speaker kept (words); longer ones are descriptions ("a woman in the audience at …").
MAX_GOLD_SPEAKER_WORDS = 5
#: Share of the shorter text's tokens two quotations must share to match.
MATCH_SHARE = 0.5
#: Capitalised words that are not a surname: groups, parties, determiners, honorifics, name suffixes.
NOT_SURNAMES = frozenset(
    """
    republicans democrats americans republican democrat democratic gop conservatives liberals
    progressives officials voters supporters critics protesters people house senate congress
    the a an another one some many most all both each every his her their its this that these those who
    mr mrs ms miss dr sen rep gov gen lt col sgt capt rev prof president senator governor secretary
    minister chairman chairwoman director ambassador mayor judge justice speaker leader chief
    university institute college center centre foundation committee party campaign council
    jr sr ii iii iv
    """.split()
)
#: Speakers that name nobody.
PRONOUNS = frozenset(
    "i me we us you he him she her it they them his hers its their theirs who whom which that".split()
)
#: Published results (``shared/data/README.md``): span-level F1, each span scored separately, exact match
#: unless said otherwise, on PolNeAR's official test compartment or on PARC 3.0 — not comparable.
PUBLISHED: tuple[dict[str, Any], ...] = (
    {
        "system": "BERT + CofeNet (COLING 2022)",
        "corpus": "PolNeAR test",
        "source_f1": 83.2,
        "cue_f1": 75.3,
        "content_f1": 72.9,
    },
    {"system": "BERT-CRF", "corpus": "PolNeAR test", "source_f1": 82.2, "cue_f1": 74.9, "content_f1": 71.0},
    {
        "system": "Stanford CoreNLP quote annotator",
        "corpus": "PolNeAR test",
        "source_f1": 13.9,
        "cue_f1": None,
        "content_f1": 17.5,
    },
    {
        "system": "BBC Citron",
        "corpus": "PARC 3.0",
        "source_f1": 82.0,
        "content_f1": 59.3,
        "source_f1_overlap": 85.3,
        "content_f1_overlap": 83.3,
    },
)

_TOKEN = re.compile(r"\w+")
_SPEAKER_WORD = re.compile(r"[\w’'.-]+")
_POSSESSIVE = re.compile(r"(?:[’']s|[’'])$")
_PARENS = re.compile(r"\([^)]*\)")
_AFFILIATION = re.compile(r"\s+(?:of|from|at|in)\s+.*$")


@dataclass(frozen=True, slots=True)
class GoldQuote:
    """A direct quotation of the gold set with its known speaker and that speaker's surname (or None)."""

    text: str
    speaker: str
    surname: str | None
    automatic: bool = False  # the speaker is CoreNLP's resolution of a pronoun, not an annotation


@dataclass(frozen=True, slots=True)
class OutputQuote:
    """What a system says one article quotes: the text and the speaker as it would be shown."""

    text: str
    speaker: str | None


@dataclass(frozen=True, slots=True)
class QuoteArticle:
    """One article of the gold set: ``line`` is its 1-based line in the file."""

    line: int
    article: Article
    gold: tuple[GoldQuote, ...]


@dataclass(slots=True)
class QuoteCounts:
    """Counts behind the metrics; they add up over articles."""

    gold_quotes: int = 0
    gold_found: int = 0
    output_quotes: int = 0
    matched: int = 0
    with_speaker: int = 0
    wrong_speaker: int = 0
    speaker_unscored: int = 0
    with_speaker_annotated: int = 0
    wrong_speaker_annotated: int = 0
    wrong: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)

    def add(self, other: QuoteCounts) -> None:
        self.gold_quotes += other.gold_quotes
        self.gold_found += other.gold_found
        self.output_quotes += other.output_quotes
        self.matched += other.matched
        self.with_speaker += other.with_speaker
        self.wrong_speaker += other.wrong_speaker
        self.speaker_unscored += other.speaker_unscored
        self.with_speaker_annotated += other.with_speaker_annotated
        self.wrong_speaker_annotated += other.wrong_speaker_annotated
        self.wrong.extend(other.wrong)

    def metrics(self) -> dict[str, float]:
        recall = self.gold_found / self.gold_quotes if self.gold_quotes else 0.0
        precision = 1.0 - self.wrong_speaker / self.with_speaker if self.with_speaker else 1.0
        annotated = (
            self.wrong_speaker_annotated / self.with_speaker_annotated if self.with_speaker_annotated else 0.0
        )
        return {
            "quote_recall": round(recall, 4),
            "speaker_precision": round(precision, 4),
            "misattribution": round(1.0 - precision, 4),
            "misattribution_annotated": round(annotated, 4),
        }


def surname(speaker: str) -> str | None:
    """The surname of a gold speaker, or None when it names nobody ("the crowd", "the statement").

    The last capitalised word of the speaker's name part: parenthesised parts ("(D-N.Y.)") are dropped,
    and so are possessive words ("Clinton's campaign manager" names the manager, not Clinton) and the
    words in :data:`NOT_SURNAMES`; when the speaker is a name with an apposition after a comma
    ("Griffin, an Obama backer", "Carson's business manager, Armstrong Williams"), the first
    comma-separated part that has such a word is the name part.
    """
    plain = _PARENS.sub(" ", speaker)
    name_part = _AFFILIATION.sub("", plain)
    return _surname_of(name_part) or _surname_of(plain)


def _surname_of(speaker: str) -> str | None:
    for part in speaker.split(","):
        words = []
        for raw in _SPEAKER_WORD.findall(part):
            word = raw.strip(".-")
            if _POSSESSIVE.search(word) or not word[:1].isupper():
                continue
            if word.casefold().strip(".") in NOT_SURNAMES:
                continue
            words.append(word.rstrip("."))
        if words:
            return words[-1]
    return None


def gold_quotes(attributions: Iterable[dict[str, Any]]) -> tuple[GoldQuote, ...]:
    """The direct attributions with a known, short speaker (see the module docstring)."""
    out = []
    for a in attributions:
        if not a.get("direct"):
            continue
        speaker = a.get("source_resolved") if a.get("source_is_pronoun") else a.get("source")
        if not speaker or not speaker.strip() or len(speaker.split()) > MAX_GOLD_SPEAKER_WORDS:
            continue
        out.append(
            GoldQuote(
                text=a["content"],
                speaker=speaker.strip(),
                surname=surname(speaker),
                automatic=bool(a.get("source_is_pronoun")),
            )
        )
    return tuple(out)


def read_polnear(path: str | Path, *, limit: int | None = None) -> list[QuoteArticle]:
    """The articles of a PolNeAR JSON Lines file with their gold quotes, in file order."""
    path = Path(path)
    out: list[QuoteArticle] = []
    try:
        fh = path.open(encoding="utf-8")
    except OSError as exc:
        raise IngestError(str(path), f"cannot read: {exc}") from exc
    with fh:
        for lineno, line in enumerate(fh, start=1):
            if limit is not None and len(out) >= limit:
                break
            if not line.strip():
                continue
            try:
                r = json.loads(line)
                article = Article(
                    id=str(r["id"]),
                    title=r.get("title") or "",
                    text=r["text"],
                    outlet=r.get("outlet"),
                    published=r.get("published"),
                    author=r.get("author"),
                )
                gold = gold_quotes(r.get("attributions") or ())
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise IngestError(f"{path}:{lineno}", f"not a PolNeAR article record: {exc}") from exc
            out.append(QuoteArticle(lineno, article, gold))
    return out


def quote_tokens(text: str) -> list[str]:
    """The comparable tokens of a quotation: ``\\w+`` runs, case-folded (marks and case do not count)."""
    return [t.casefold() for t in _TOKEN.findall(text)]


def _longest_common_run(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest run of consecutive tokens that ``a`` and ``b`` share."""
    if len(a) > len(b):
        a, b = b, a
    best = 0
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0] * (len(b) + 1)
        for j, y in enumerate(b, start=1):
            if x == y:
                current[j] = previous[j - 1] + 1
                if current[j] > best:
                    best = current[j]
        previous = current
    return best


def quotes_match(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether two token lists overlap by at least :data:`MATCH_SHARE` of the shorter one's tokens.

    The texts overlap where a stretch of one is a stretch of the other: the shared tokens are a run of
    consecutive tokens in both (a bag of words would let a short quotation "match" any long one through
    its function words).
    """
    shorter = min(len(a), len(b))
    if shorter == 0:
        return False
    need = MATCH_SHARE * shorter
    if len(set(a) & set(b)) == 0 or (
        shorter > 1 and len(set(a) & set(b)) < min(need, len(set(a)), len(set(b)))
    ):
        return False  # cheap bound first: too few shared words for any run of that length
    return _longest_common_run(a, b) >= need


def _speaker_words(text: str) -> list[str]:
    return [t.casefold() for t in _TOKEN.findall(_POSSESSIVE.sub("", text))]


def names_speaker(speaker: str | None) -> bool:
    """Whether ``speaker`` names someone (not empty, not a bare pronoun)."""
    words = _speaker_words(speaker or "")
    return bool(words) and not all(w in PRONOUNS for w in words)


def speaker_is_right(speaker: str, name: str) -> bool:
    """Whether ``speaker`` contains the surname ``name`` (as whole words, case-folded)."""
    words, target = _speaker_words(speaker), _speaker_words(name)
    if not target:
        return False
    n = len(target)
    return any(words[i : i + n] == target for i in range(len(words) - n + 1))


def score_article(gold: Sequence[GoldQuote], output: Sequence[OutputQuote]) -> QuoteCounts:
    """The counts of one article (see the module docstring for the rules)."""
    counts = QuoteCounts(gold_quotes=len(gold), output_quotes=len(output))
    gold_tokens = [quote_tokens(g.text) for g in gold]
    found: set[int] = set()
    for q in output:
        tokens = quote_tokens(q.text)
        hits = [i for i, g in enumerate(gold_tokens) if quotes_match(tokens, g)]
        if not hits:
            continue
        found.update(hits)
        counts.matched += 1
        if not names_speaker(q.speaker):
            continue
        surnames = [gold[i].surname for i in hits if gold[i].surname]
        if not surnames:
            counts.speaker_unscored += 1
            continue
        counts.with_speaker += 1
        right = any(speaker_is_right(q.speaker or "", s) for s in surnames)
        if not right:
            counts.wrong_speaker += 1
            counts.wrong.append((q.text, q.speaker or "", tuple(gold[i].speaker for i in hits)))
        if not any(gold[i].automatic for i in hits if gold[i].surname):
            counts.with_speaker_annotated += 1
            counts.wrong_speaker_annotated += 0 if right else 1
    counts.gold_found = len(found)
    return counts


# --------------------------------------------------------------------------------------------------
# Systems
# --------------------------------------------------------------------------------------------------


class _Textacy:
    """textacy's ``direct_quotations`` on the project's spaCy model (full pipeline: it reads lemmas)."""

    def __init__(self) -> None:
        try:
            import spacy
            from textacy.extract.triples import direct_quotations
        except ImportError as exc:
            raise ImportError("textacy is not installed: pip install 'storydesk[eval]'") from exc
        from ..analyse.rules import DEFAULT_SPACY_MODEL, MAX_PARSE_CHARS

        self.nlp = spacy.load(DEFAULT_SPACY_MODEL)
        self.extract = direct_quotations
        self.max_chars = MAX_PARSE_CHARS
        self.fallbacks = 0

    def parse(self, article: Article) -> Any:
        return self.nlp(article.text[: self.max_chars])

    def quotes(self, doc: Any) -> list[OutputQuote]:
        try:
            triples = list(self.extract(doc))
        except ValueError:  # an odd number of quotation marks: textacy bails out on the whole document
            self.fallbacks += 1
            triples = []
            for para in _paragraph_spans(doc):
                try:
                    triples.extend(self.extract(para.as_doc()))
                except ValueError:
                    continue
        return [OutputQuote(t.content.text, " ".join(tok.text for tok in t.speaker) or None) for t in triples]


def _paragraph_spans(doc: Any) -> list[Any]:
    spans, start = [], 0
    for tok in doc:
        if "\n\n" in tok.text or (tok.is_space and tok.text.count("\n") >= 2):
            if tok.i > start:
                spans.append(doc[start : tok.i])
            start = tok.i + 1
    if start < len(doc):
        spans.append(doc[start:])
    return spans


# --------------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------------

SPLITS: dict[str, Callable[[int], bool]] = {
    "all": lambda line: True,
    "odd": lambda line: line % 2 == 1,
    "even": lambda line: line % 2 == 0,
}


def _rows(
    system: str,
    per_article: Sequence[tuple[QuoteArticle, QuoteCounts]],
    times: Sequence[float],
    **extra: Any,
) -> list[dict[str, Any]]:
    rows = []
    for split, keep in SPLITS.items():
        total = QuoteCounts()
        n = 0
        for qa, counts in per_article:
            if keep(qa.line):
                total.add(counts)
                n += 1
        rows.append(
            {
                "system": system,
                "split": split,
                "articles": n,
                **total.metrics(),
                "gold_quotes": total.gold_quotes,
                "gold_found": total.gold_found,
                "output_quotes": total.output_quotes,
                "matched": total.matched,
                "with_speaker": total.with_speaker,
                "wrong_speaker": total.wrong_speaker,
                "speaker_unscored": total.speaker_unscored,
                "with_speaker_annotated": total.with_speaker_annotated,
                "wrong_speaker_annotated": total.wrong_speaker_annotated,
                "ms_per_article": round(statistics.median(times) * 1000, 2) if times else None,
                **extra,
            }
        )
    return rows


def evaluate_quotes(
    data: str | Path,
    *,
    systems: Sequence[str] = ("storydesk", "textacy"),
    limit: int | None = None,
    examples: int = 0,
) -> dict[str, Any]:
    """Rows per system and split (``all``, ``odd``, ``even`` lines), the published figures apart.

    With ``examples`` > 0 the result also lists that many misattributions per system
    (``{"system", "article", "text", "speaker", "gold"}``).
    """
    articles = read_polnear(data, limit=limit)
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    wrong: list[dict[str, Any]] = []
    for name in systems:
        per_article: list[tuple[QuoteArticle, QuoteCounts]] = []
        times: list[float] = []
        extra: dict[str, Any] = {}
        if name == "storydesk":
            from ..analyse._nlp import load_nlp
            from ..analyse.rules import DEFAULT_SPACY_MODEL
            from ..brief.facts import article_quotes_timed

            nlp = load_nlp(DEFAULT_SPACY_MODEL)
            for qa in articles:
                quotes, seconds = article_quotes_timed(qa.article, nlp=nlp)
                times.append(seconds)
                counts = score_article(qa.gold, [OutputQuote(q.text, q.speaker) for q in quotes])
                per_article.append((qa, counts))
        elif name == "textacy":
            try:
                tx = _Textacy()
            except ImportError as exc:  # the [eval] extra is not installed: say so, score the rest
                notes.append(f"textacy row skipped: {exc}")
                continue
            for qa in articles:
                doc = tx.parse(qa.article)
                t0 = time.perf_counter()
                output = tx.quotes(doc)
                times.append(time.perf_counter() - t0)
                per_article.append((qa, score_article(qa.gold, output)))
            extra["textacy_fallbacks"] = tx.fallbacks
        else:
            raise ValueError(f"unknown system {name!r}: choose from storydesk, textacy")
        rows.extend(_rows(name, per_article, times, **extra))
        if examples:
            listed = 0
            for qa, counts in per_article:
                for text, speaker, gold in counts.wrong:
                    if listed >= examples:
                        break
                    wrong.append(
                        {
                            "system": name,
                            "article": qa.article.id,
                            "text": text,
                            "speaker": speaker,
                            "gold": gold,
                        }
                    )
                    listed += 1
    result: dict[str, Any] = {
        "task": "quotes",
        "data": str(data),
        "rows": rows,
        "published": [dict(p, comparable=False) for p in PUBLISHED],
        "notes": notes,
    }
    if examples:
        result["misattributions"] = wrong
    return result
