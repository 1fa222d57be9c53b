"""The facts of a story: actors, who said what, a timeline and claims across outlets.

The expensive part, reading each article (spaCy parse, actor mentions, quotations, dates), is the analyse
stage's (:func:`storydesk.analyse.analyse_article`, cached per process); :func:`story_facts` merges what
the articles of one story say: actors across articles, quote speakers mapped to canonical actors, the
same quotation carried by several articles joined, the timeline (same date + similar sentence = one
event) and claims corroborated by outlet (:mod:`.corroborate`).
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..analyse import (
    AnalysisOptions,
    ArticleAnalysis,
    ArticleFacts,
    add_facts,
    analyse_article,
    parse_article,
)
from ..analyse.entities import ActorResolver, actor_name, merge_entities, name_key
from ..analyse.quotes import RawQuote, quote_key
from ..analyse.rules import DEFAULT_SPACY_MODEL, MIN_QUOTE_WORDS, SPEAKER_MIN_CONFIDENCE
from ..model import Article, Claim, DateMention, Entity, Quote, Sentence, TimelineEvent
from ..text import overlap_words
from .corroborate import (
    ClaimOptions,
    RoleStatement,
    Statement,
    corroborate,
    source_groups,
)
from .rules import (
    MAX_TIMELINE_EVENTS,
    MIN_EVENT_WORDS,
    QUOTE_MARK_RE,
    TIMELINE_MERGE_OVERLAP,
    TIMELINE_MERGE_SIMILARITY,
)

__all__ = [
    "FactsOptions",
    "QuoteCandidates",
    "StoryFacts",
    "article_quote_candidates",
    "article_quotes",
    "article_quotes_timed",
    "story_facts",
]

log = logging.getLogger(__name__)

_GRANULARITY_RANK = {"day": 0, "month": 1, "year": 2}


@dataclass(frozen=True, slots=True)
class FactsOptions:
    """How a story's facts are read and merged: the articles' parse, the claims' thresholds, and the
    confidence a quotation's speaker needs to be shown (``storydesk eval quotes`` scores this same rule)."""

    analysis: AnalysisOptions = AnalysisOptions()
    claims: ClaimOptions = ClaimOptions()
    min_speaker_confidence: float = SPEAKER_MIN_CONFIDENCE


@dataclass(frozen=True, slots=True)
class StoryFacts:
    """Actors (most-cited first), quotations, a dated timeline and claims of one story."""

    entities: tuple[Entity, ...]
    quotes: tuple[Quote, ...]
    timeline: tuple[TimelineEvent, ...]
    claims: tuple[Claim, ...]


def _article_resolver(article: Article, facts: ArticleFacts) -> ActorResolver:
    _, resolver = merge_entities(
        facts.mentions, {article.id: article}, speakers=[q.speaker for q in facts.quotes if q.speaker]
    )
    return resolver


def article_quotes(
    article: Article, *, nlp: Any = None, min_confidence: float = SPEAKER_MIN_CONFIDENCE
) -> tuple[Quote, ...]:
    """The quotations of one article as its briefing shows them.

    Speakers are resolved as :func:`story_facts` resolves them for a story of this one article: a pronoun
    to the person it stands for, a short form ("Mr. Trump") to the article's fullest name of the actor;
    a speaker whose confidence is below ``min_confidence`` is not shown. This is what
    ``storydesk eval quotes`` scores.
    """
    if nlp is None:
        from ..analyse._nlp import load_nlp

        nlp = load_nlp(DEFAULT_SPACY_MODEL)
    facts = analyse_article(article, nlp=nlp).facts
    assert facts is not None
    return _resolve_quotes(facts.quotes, _article_resolver(article, facts), min_confidence)


@dataclass(frozen=True, slots=True)
class QuoteCandidates:
    """One article's quotations with every speaker found and its confidence, before a briefing decides
    which speakers to show; ``seconds``: the time finding the quotations took after the parse."""

    raw: tuple[RawQuote, ...]
    resolver: ActorResolver
    seconds: float

    def shown(self, min_confidence: float = SPEAKER_MIN_CONFIDENCE) -> tuple[Quote, ...]:
        """The quotations as a briefing shows them at ``min_confidence``."""
        return _resolve_quotes(self.raw, self.resolver, min_confidence)

    def shown_with_evidence(
        self, min_confidence: float = SPEAKER_MIN_CONFIDENCE
    ) -> tuple[tuple[Quote, RawQuote | None], ...]:
        """:meth:`shown`, each quotation with the found quotation its speaker comes from (None when it
        shows no speaker)."""
        return _resolve_quotes_with_evidence(self.raw, self.resolver, min_confidence)


def article_quote_candidates(article: Article, *, nlp: Any = None) -> QuoteCandidates:
    """The quotations of one article with all their candidate speakers (not cached; timed)."""
    if nlp is None:
        from ..analyse._nlp import load_nlp

        nlp = load_nlp(DEFAULT_SPACY_MODEL)
    mentions, raw, seconds = parse_article(article, nlp)
    resolver = _article_resolver(article, ArticleFacts(article.id, mentions, raw, ()))  # the actors' step
    return QuoteCandidates(raw, resolver, seconds)


def article_quotes_timed(article: Article, *, nlp: Any = None) -> tuple[tuple[Quote, ...], float]:
    """:func:`article_quotes`, not cached, and the seconds its quotation steps take after the parse:
    finding the quotations and mapping their speakers to actors."""
    candidates = article_quote_candidates(article, nlp=nlp)
    started = time.perf_counter()
    quotes = candidates.shown()
    return quotes, candidates.seconds + time.perf_counter() - started


def _default_embedder() -> Any:
    from ..group.embed import get_embedder

    try:
        return get_embedder("minilm")
    except Exception as exc:  # a missing model must not cost the story its facts
        log.warning("MiniLM embedder unavailable (%s); using hashed TF-IDF vectors for claims", exc)
        return get_embedder("tfidf")


def _resolve_quotes(
    raw: Sequence[RawQuote], resolver: ActorResolver, min_confidence: float = SPEAKER_MIN_CONFIDENCE
) -> tuple[Quote, ...]:
    """The quotations as a briefing shows them: a speaker below ``min_confidence`` is not shown (nor
    its role), the speaker's surface form is mapped to the story's actor, the same quotation in several
    articles is one item."""
    return tuple(q for q, _ in _resolve_quotes_with_evidence(raw, resolver, min_confidence))


def _resolve_quotes_with_evidence(
    raw: Sequence[RawQuote],
    resolver: ActorResolver,
    min_confidence: float,
    local: Mapping[str, ActorResolver] | None = None,
) -> tuple[tuple[Quote, RawQuote | None], ...]:
    """:func:`_resolve_quotes`, each quotation with the found quotation its speaker comes from.

    ``local`` maps an article id to its own actors' resolver: a story's speaker is first named as its
    article names it, then as the story does ("Kim said", in an article naming one Kim, is that Kim, in
    a story of three)."""
    merged: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    for q in raw:
        speaker = q.speaker if q.confidence >= min_confidence else None
        if speaker and local is not None and q.article_id in local:
            speaker = _story_speaker(speaker, q.speaker_kind, local[q.article_id], resolver)
        elif speaker:
            speaker = actor_name(speaker, q.speaker_kind, resolver)
        key = quote_key(q.text)
        if not key:
            continue
        # The same quotation, possibly cut shorter by one outlet, is one item.
        target = (
            key
            if key in merged
            else next((k for k in order if len(key.split()) >= 8 and (key in k or k in key)), key)
        )
        if target not in merged:
            merged[target] = {
                "text": q.text,
                "speakers": defaultdict(int),
                "evidence": {},
                "roles": [],
                "articles": [],
            }
            order.append(target)
        item = merged[target]
        if len(q.text) > len(item["text"]):
            item["text"] = q.text
        if speaker:
            item["speakers"][speaker] += 1
            best = item["evidence"].get(speaker)
            if best is None or q.confidence > best.confidence:
                item["evidence"][speaker] = q
        if speaker and q.role and q.role not in item["roles"]:
            item["roles"].append(q.role)
        if q.article_id not in item["articles"]:
            item["articles"].append(q.article_id)
    quotes = []
    for k in order:
        item = merged[k]
        speakers = item["speakers"]
        # Two articles giving one quotation to different people: neither is shown.
        speaker = next(iter(speakers)) if len(speakers) == 1 else None
        role = item["roles"][0] if item["roles"] and speaker else None
        if role is None and speaker:
            roles = resolver.roles_of(speaker)
            role = roles[0] if roles else None
        if speaker is None and len(item["text"].split()) < MIN_QUOTE_WORDS:
            # a fragment ("is “disappointed” that …") whose speaker is not shown tells the reader nothing:
            # the same rule the analysis applies to a short quotation that has no speaker at all
            continue
        quote = Quote(speaker=speaker, text=item["text"], articles=tuple(item["articles"]), role=role)
        quotes.append((quote, item["evidence"][speaker] if speaker else None))
    # the most cited first; among equally cited, those with their speaker before the unattributed ones
    quotes.sort(key=lambda pair: (-len(pair[0].articles), pair[0].speaker is None))
    return tuple(quotes)


def _story_speaker(
    speaker: str, kind: str | None, article: ActorResolver, story: ActorResolver
) -> str | None:
    """A quotation's speaker as a story shows it: named as its own article names the actor, then as the
    story does; ``None`` when that leaves one word that is part of two or more of the story's people's
    names (the reader could not tell which: "Kim", of Kim Dae-jung and Kim Deog-ryong, DUC 2004 d30049t,
    had been given the lawmaker's title for the president's words)."""
    named = actor_name(speaker, kind, article)
    if kind == "descriptor" and named == speaker:
        return actor_name(speaker, kind, story)
    named = actor_name(named, "name" if kind == "descriptor" else kind, story)
    if len(name_key(named)) == 1 and story.people_named(named) > 1:
        return None
    return named


def _overlap(a: str, b: str) -> float:
    """Shared content words over the smaller sentence's content words."""
    wa, wb = overlap_words(a), overlap_words(b)
    return len(wa & wb) / min(len(wa), len(wb)) if wa and wb else 0.0


def _timeline(
    articles: Sequence[Article],
    per_article: Mapping[str, ArticleFacts],
    sentences: Mapping[str, Sequence[Sentence]],
    vectors: Mapping[tuple[str, int], np.ndarray],
) -> tuple[TimelineEvent, ...]:
    candidates = []
    for a in articles:
        by_sentence: dict[int, list[DateMention]] = defaultdict(list)
        for d in per_article[a.id].dates:
            if d.date:
                by_sentence[d.sentence_index].append(d)
        texts = {s.index: s.text for s in sentences[a.id]}
        for idx, ds in by_sentence.items():
            text = texts.get(idx, "")
            if len(text.split()) < MIN_EVENT_WORDS or _continues_a_quotation(text):
                continue
            best = min(ds, key=lambda d: _GRANULARITY_RANK.get(d.granularity or "year", 3))
            flags = tuple(dict.fromkeys(f for d in ds for f in d.flags))
            candidates.append((best.date, best.granularity, text, a.id, flags, vectors.get((a.id, idx))))
    events: list[dict[str, Any]] = []
    for date, gran, text, aid, flags, vec in candidates:
        for ev in events:
            if ev["date"] != date or ev["granularity"] != gran or aid in ev["articles"]:
                continue
            close = (
                vec is not None
                and ev["vec"] is not None
                and float(vec @ ev["vec"]) >= TIMELINE_MERGE_SIMILARITY
            )
            if close or _overlap(text, ev["text"]) >= TIMELINE_MERGE_OVERLAP:
                ev["articles"].append(aid)
                ev["flags"] = tuple(dict.fromkeys(ev["flags"] + flags))
                break
        else:
            events.append(
                {
                    "date": date,
                    "granularity": gran,
                    "text": text,
                    "articles": [aid],
                    "flags": flags,
                    "vec": vec,
                }
            )
    events.sort(key=lambda e: -len(e["articles"]))
    kept = sorted(
        events[:MAX_TIMELINE_EVENTS], key=lambda e: (e["date"], _GRANULARITY_RANK[e["granularity"]])
    )
    return tuple(
        TimelineEvent(e["date"], e["granularity"], e["text"], tuple(e["articles"]), tuple(e["flags"]))
        for e in kept
    )


def _continues_a_quotation(text: str) -> bool:
    """Whether ``text`` closes a quotation an earlier sentence opened (it starts mid-thought)."""
    text = text.lstrip()
    return len(QUOTE_MARK_RE.findall(text)) % 2 == 1 and not QUOTE_MARK_RE.match(text)


def _role_statements(
    articles: Sequence[Article],
    per_article: Mapping[str, ArticleFacts],
    sentences: Mapping[str, Sequence[Sentence]],
    resolver: ActorResolver,
) -> list[RoleStatement]:
    """Each titled mention of a person, under the person's canonical name, with its sentence."""
    out = []
    for a in articles:
        for m in per_article[a.id].mentions:
            if not m.role or m.type != "PERSON":
                continue
            sentence = next((s for s in sentences[a.id] if s.start <= m.start < s.end), None)
            if sentence is None:
                continue
            actor = resolver.resolve(m.text) or m.text
            out.append(RoleStatement(actor, m.role, a.id, sentence.index, sentence.text))
    return out


def story_facts(
    articles: Sequence[Article],
    *,
    nlp: Any = None,
    embedder: Any = None,
    analyses: Mapping[str, ArticleAnalysis] | None = None,
    options: FactsOptions = FactsOptions(),
) -> StoryFacts:
    """Actors, quotations, timeline and claims of the story told by ``articles``.

    ``analyses`` gives the articles' analyses by id (an article missing from it, or analysed without its
    facts, is analysed here with ``nlp``); ``nlp`` is a spaCy pipeline (default:
    :data:`~storydesk.analyse.rules.DEFAULT_SPACY_MODEL`, loaded only when an article needs it),
    ``embedder`` anything with ``embed(texts) -> L2-normalised rows`` (default: MiniLM, hashed TF-IDF if
    the model is missing).
    """
    articles = list({a.id: a for a in articles}.values())
    if not articles:
        return StoryFacts((), (), (), ())
    analysed = _with_facts(articles, analyses or {}, nlp, options.analysis)
    sents: dict[str, Sequence[Sentence]] = {a.id: analysed[a.id].sentences for a in articles}
    per_article = {a.id: _facts_of(analysed[a.id]) for a in articles}
    by_id = {a.id: a for a in articles}
    entities, resolver = merge_entities(
        (m for f in per_article.values() for m in f.mentions),
        by_id,
        speakers=[q.speaker for f in per_article.values() for q in f.quotes if q.speaker],
    )
    local = {a.id: _article_resolver(a, per_article[a.id]) for a in articles if per_article[a.id].quotes}
    quotes = tuple(
        q
        for q, _ in _resolve_quotes_with_evidence(
            [q for a in articles for q in per_article[a.id].quotes],
            resolver,
            options.min_speaker_confidence,
            local,
        )
    )

    # Embed only what claims and the timeline read, and each distinct sentence once (wire copies repeat).
    dated = {(d.article_id, d.sentence_index) for f in per_article.values() for d in f.dates if d.date}
    flat = [
        (a.id, s)
        for a in articles
        for s in sents[a.id]
        if options.claims.is_claim(s.text) or (a.id, s.index) in dated
    ]
    if embedder is None:
        embedder = _default_embedder()
    distinct = list(dict.fromkeys(s.text for _, s in flat))
    rows = {text: k for k, text in enumerate(distinct)}
    unique = embedder.embed(distinct) if distinct else np.zeros((0, 1), dtype=np.float32)
    matrix = unique[[rows[s.text] for _, s in flat]] if flat else unique
    vectors = {(aid, s.index): matrix[k] for k, (aid, s) in enumerate(flat)}
    timeline = _timeline(articles, per_article, sents, vectors)

    statements = []
    for aid, s in flat:
        people = tuple(
            m.text for m in per_article[aid].mentions if m.type == "PERSON" and s.start <= m.start < s.end
        )
        statements.append(Statement(aid, s.index, s.text, people))
    claims = corroborate(
        statements,
        matrix,
        source_groups([analysed[a.id] for a in articles], options.claims),
        {a.id: a.outlet for a in articles},
        roles=_role_statements(articles, per_article, sents, resolver),
        options=options.claims,
    )
    return StoryFacts(entities=entities, quotes=quotes, timeline=timeline, claims=claims)


def _with_facts(
    articles: Sequence[Article], analyses: Mapping[str, ArticleAnalysis], nlp: Any, options: AnalysisOptions
) -> dict[str, ArticleAnalysis]:
    """Each article's analysis with its facts: given, completed, or made here."""
    out: dict[str, ArticleAnalysis] = {}
    for a in articles:
        given = analyses.get(a.id)
        if given is not None and given.facts is not None:
            out[a.id] = given
            continue
        if nlp is None:
            from ..analyse._nlp import load_nlp

            nlp = load_nlp(DEFAULT_SPACY_MODEL)
        out[a.id] = (
            analyse_article(a, nlp=nlp, options=options) if given is None else add_facts(given, nlp, options)
        )
    return out


def _facts_of(analysis: ArticleAnalysis) -> ArticleFacts:
    assert analysis.facts is not None, "analysed without its facts"
    return analysis.facts
