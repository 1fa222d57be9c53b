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
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import IngestError
from ..model import Article

if TYPE_CHECKING:
    from ..brief.facts import QuoteCandidates

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

#: Longest gold speaker kept (words); longer ones are descriptions ("a woman in the audience at …").
MAX_GOLD_SPEAKER_WORDS = 5
#: Share of the shorter text's tokens two quotations must share to match.
MATCH_SHARE = 0.5
#: The README's "group words such as 'Republicans' or 'officials'": capitalised words that name a group
#: of people, never one person's surname (case-folded).
GROUP_WORDS = frozenset(
    """
    republicans democrats americans conservatives liberals progressives independents libertarians gop
    officials voters supporters critics protesters protestors demonstrators people aides advisers
    advisors staffers leaders lawmakers legislators members residents activists experts analysts
    reporters journalists citizens delegates donors senators representatives congressmen governors
    candidates republican democrat democratic
    """.split()
)
#: The strict reading's words that are not a surname: the group words and determiners, honorifics,
#: titles, institutions and name suffixes.
NOT_SURNAMES = GROUP_WORDS | frozenset(
    """
    house senate congress
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
_EDGE_PUNCT = re.compile(r"^\W+|\W+$")
_SPEAKER_WORD = re.compile(r"[\w’'.-]+")
_POSSESSIVE = re.compile(r"(?:[’']s|[’'])$")
_PARENS = re.compile(r"\([^)]*\)")
_AFFILIATION = re.compile(r"\s+(?:of|from|at|in)\s+.*$")


@dataclass(frozen=True, slots=True)
class GoldQuote:
    """A direct quotation of the gold set with its known speaker (surnames are read per metric reading)."""

    text: str
    speaker: str
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
        named = self.with_speaker + self.speaker_unscored
        return {
            "quote_recall": round(recall, 4),
            "speaker_precision": round(precision, 4),
            "misattribution": round(1.0 - precision, 4),
            "misattribution_annotated": round(annotated, 4),
            "shown_with_speaker": round(named / self.matched, 4) if self.matched else 0.0,
        }


# --------------------------------------------------------------------------------------------------
# The two readings of the metric
# --------------------------------------------------------------------------------------------------


def surname(speaker: str) -> str | None:
    """The README's surname of a gold speaker: its last capitalised word, group words aside.

    Words are the speaker's whitespace-separated words without the punctuation around them and without a
    possessive ending (``Trump's`` is ``Trump``: the clitic is a token of its own in every tokeniser);
    a word is capitalised when it opens with an upper-case letter; :data:`GROUP_WORDS` are skipped.
    Read literally, so ``Griffin, an Obama backer`` gives ``Obama``, ``Sen. Chuck Schumer (D-N.Y.)``
    gives ``D-N.Y`` and ``The spokesman`` gives ``The``. None when no word is left ("the crowd").
    """
    found = None
    for raw in speaker.split():
        word = _POSSESSIVE.sub("", _EDGE_PUNCT.sub("", raw))
        word = _EDGE_PUNCT.sub("", word)
        if word[:1].isupper() and word.casefold() not in GROUP_WORDS:
            found = word
    return found


def strict_surname(speaker: str) -> str | None:
    """The first round's stricter reading of the surname: the person's, not the last capitalised word.

    The last capitalised word of the speaker's name part: parenthesised parts ("(D-N.Y.)") are dropped,
    and so are possessive words ("Clinton's campaign manager" names the manager, not Clinton), an
    affiliation ("of Arizona") and the words in :data:`NOT_SURNAMES`; when the speaker is a name with an
    apposition after a comma ("Griffin, an Obama backer", "Carson's business manager, Armstrong
    Williams"), the first comma-separated part that has such a word is the name part.
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


def quote_tokens(text: str) -> list[str]:
    """The comparable tokens of a quotation: ``\\w+`` runs, case-folded (marks and case do not count)."""
    return [t.casefold() for t in _TOKEN.findall(text)]


def quotes_overlap(a: Sequence[str], b: Sequence[str]) -> bool:
    """The README's match: the two token lists share at least :data:`MATCH_SHARE` of the shorter one's
    tokens, counted as the size of their multiset intersection (a word twice in both counts twice)."""
    shorter = min(len(a), len(b))
    if shorter == 0:
        return False
    shared = sum((Counter(a) & Counter(b)).values())
    return shared >= MATCH_SHARE * shorter


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


def quotes_share_run(a: Sequence[str], b: Sequence[str]) -> bool:
    """The first round's stricter match: a run of consecutive tokens common to both, at least
    :data:`MATCH_SHARE` of the shorter one's length (a bag of words lets a short quotation "match" a long
    one through its function words)."""
    shorter = min(len(a), len(b))
    if shorter == 0:
        return False
    need = MATCH_SHARE * shorter
    if len(set(a) & set(b)) == 0 or (
        shorter > 1 and len(set(a) & set(b)) < min(need, len(set(a)), len(set(b)))
    ):
        return False  # cheap bound first: too few shared words for any run of that length
    return _longest_common_run(a, b) >= need


@dataclass(frozen=True, slots=True)
class Reading:
    """One reading of the README's metric: how two quotations match and what a gold speaker's surname is."""

    name: str
    match: Callable[[Sequence[str], Sequence[str]], bool]
    surname: Callable[[str], str | None]


#: The README read literally: the headline figures.
README = Reading("readme", quotes_overlap, surname)
#: The first round's stricter reading (a shared run of tokens; the person's surname), shown beside it.
STRICT = Reading("strict", quotes_share_run, strict_surname)
READINGS = (README, STRICT)


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
            GoldQuote(text=a["content"], speaker=speaker.strip(), automatic=bool(a.get("source_is_pronoun")))
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


def score_article(
    gold: Sequence[GoldQuote], output: Sequence[OutputQuote], reading: Reading = README
) -> QuoteCounts:
    """The counts of one article under one reading of the metric (see the module docstring)."""
    counts = QuoteCounts(gold_quotes=len(gold), output_quotes=len(output))
    gold_tokens = [quote_tokens(g.text) for g in gold]
    gold_surnames = [reading.surname(g.speaker) for g in gold]
    found: set[int] = set()
    for q in output:
        tokens = quote_tokens(q.text)
        hits = [i for i, g in enumerate(gold_tokens) if reading.match(tokens, g)]
        if not hits:
            continue
        found.update(hits)
        counts.matched += 1
        if not names_speaker(q.speaker):
            continue
        surnames = [s for i in hits if (s := gold_surnames[i])]
        if not surnames:
            counts.speaker_unscored += 1
            continue
        counts.with_speaker += 1
        right = any(speaker_is_right(q.speaker or "", s) for s in surnames)
        if not right:
            counts.wrong_speaker += 1
            counts.wrong.append((q.text, q.speaker or "", tuple(gold[i].speaker for i in hits)))
        if not any(gold[i].automatic for i in hits if gold_surnames[i]):
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


def _total(per_article: Sequence[tuple[QuoteArticle, QuoteCounts]], split: str) -> tuple[QuoteCounts, int]:
    total, n = QuoteCounts(), 0
    for qa, counts in per_article:
        if SPLITS[split](qa.line):
            total.add(counts)
            n += 1
    return total, n


def _rows(
    system: str,
    reading: Reading,
    per_article: Sequence[tuple[QuoteArticle, QuoteCounts]],
    times: Sequence[float],
    **extra: Any,
) -> list[dict[str, Any]]:
    rows = []
    for split in SPLITS:
        total, n = _total(per_article, split)
        rows.append(
            {
                "system": system,
                "metric": reading.name,
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


def _curve(
    candidates: Sequence[tuple[QuoteArticle, QuoteCandidates]], levels: Sequence[float]
) -> list[dict[str, Any]]:
    """Misattribution against the share of matched quotations shown with a speaker, one point per
    confidence threshold, per reading and split."""
    points = []
    for level in levels:
        shown = [(qa, [OutputQuote(q.text, q.speaker) for q in c.shown(level)]) for qa, c in candidates]
        for reading in READINGS:
            scored = [(qa, score_article(qa.gold, output, reading)) for qa, output in shown]
            for split in SPLITS:
                total, _ = _total(scored, split)
                m = total.metrics()
                points.append(
                    {
                        "metric": reading.name,
                        "split": split,
                        "min_confidence": level,
                        "misattribution": m["misattribution"],
                        "shown_with_speaker": m["shown_with_speaker"],
                        "quote_recall": m["quote_recall"],
                        "with_speaker": total.with_speaker,
                        "wrong_speaker": total.wrong_speaker,
                        "matched": total.matched,
                    }
                )
    return points


def _evidence(candidates: Sequence[tuple[QuoteArticle, QuoteCandidates]]) -> list[dict[str, Any]]:
    """Every speaker found (no threshold), counted by how it was found and what could go wrong: the
    counts ``SPEAKER_CONFIDENCE`` and ``SPEAKER_RISK_FACTORS`` are calibrated on (odd lines)."""
    cells: dict[tuple[str, str, str, str], list[int]] = {}
    for qa, c in candidates:
        for quote, found in c.shown_with_evidence(0.0):
            if found is None:
                continue
            evidence = f"{found.how}:{found.speaker_kind}"
            risks = ",".join(sorted(found.risks))
            for reading in READINGS:
                counts = score_article(qa.gold, [OutputQuote(quote.text, quote.speaker)], reading)
                for split in ("odd", "even"):
                    if not SPLITS[split](qa.line):
                        continue
                    row = cells.setdefault((reading.name, split, evidence, risks), [0, 0, 0, 0])
                    row[0] += 1
                    row[1] += counts.with_speaker
                    row[2] += counts.wrong_speaker
                    row[3] += counts.speaker_unscored
    return [
        {
            "metric": metric,
            "split": split,
            "evidence": evidence,
            "risks": risks,
            "found": found,
            "judged": judged,
            "wrong": wrong,
            "unscored": unscored,
        }
        for (metric, split, evidence, risks), (found, judged, wrong, unscored) in sorted(cells.items())
    ]


def evaluate_quotes(
    data: str | Path,
    *,
    systems: Sequence[str] = ("storydesk", "textacy"),
    limit: int | None = None,
    examples: int = 0,
    curve: bool = True,
) -> dict[str, Any]:
    """Rows per system, metric reading (``readme``, then ``strict``) and split (``all``, ``odd``, ``even``
    lines), the published figures apart.

    For storydesk the result also holds ``curve`` (misattribution against the share of matched quotations
    shown with a speaker, per confidence threshold; ``min_confidence``: the rule's threshold) and
    ``evidence`` (the speakers found, counted by how they were found and their risks). With
    ``examples`` > 0 it lists that many misattributions per system under the README's reading
    (``{"system", "article", "text", "speaker", "gold"}``).
    """
    from ..analyse.rules import SPEAKER_MIN_CONFIDENCE

    articles = read_polnear(data, limit=limit)
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    wrong: list[dict[str, Any]] = []
    result: dict[str, Any] = {"task": "quotes", "data": str(data), "min_confidence": SPEAKER_MIN_CONFIDENCE}
    for name in systems:
        outputs: list[tuple[QuoteArticle, list[OutputQuote]]] = []
        times: list[float] = []
        extra: dict[str, Any] = {}
        if name == "storydesk":
            from ..analyse._nlp import load_nlp
            from ..analyse.rules import DEFAULT_SPACY_MODEL
            from ..brief.facts import article_quote_candidates

            nlp = load_nlp(DEFAULT_SPACY_MODEL)
            candidates = []
            for qa in articles:
                found = article_quote_candidates(qa.article, nlp=nlp)
                t0 = time.perf_counter()
                quotes = found.shown()
                times.append(found.seconds + time.perf_counter() - t0)
                candidates.append((qa, found))
                outputs.append((qa, [OutputQuote(q.text, q.speaker) for q in quotes]))
            if curve:
                levels = sorted(
                    {q.confidence for _, c in candidates for q in c.raw if q.speaker}
                    | {0.0, SPEAKER_MIN_CONFIDENCE, 1.01}
                )
                result["curve"] = _curve(candidates, levels)
                result["evidence"] = _evidence(candidates)
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
                outputs.append((qa, output))
            extra["textacy_fallbacks"] = tx.fallbacks
        else:
            raise ValueError(f"unknown system {name!r}: choose from storydesk, textacy")
        for reading in READINGS:
            per_article = [(qa, score_article(qa.gold, output, reading)) for qa, output in outputs]
            rows.extend(_rows(name, reading, per_article, times, **extra))
            if examples and reading is README:
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
    result.update(
        {
            "rows": rows,
            "published": [dict(p, comparable=False) for p in PUBLISHED],
            "notes": notes,
        }
    )
    if examples:
        result["misattributions"] = wrong
    return result
