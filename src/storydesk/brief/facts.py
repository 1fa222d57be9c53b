"""The facts of a story: actors, who said what, a timeline and claims across outlets.

Two levels, so that the expensive part is done once per article:

* :func:`article_facts` — per article: spaCy parse, actor mentions with roles, quotations with the
  speaker's surface form, date expressions resolved against the publication date. Cached per process
  by article id (ids are content hashes) and pipeline.
* :func:`story_facts` — per story: merges actors across articles, maps quote speakers to canonical
  actors, joins the same quotation carried by several articles, builds the timeline (same date + similar
  sentence = one event) and corroborates claims by outlet.
"""

from __future__ import annotations

import logging
import re
import time
from collections import OrderedDict, defaultdict
from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..analyse.dates import find_dates
from ..analyse.entities import ActorResolver, extract_mentions, merge_entities, name_key
from ..analyse.quotes import RawQuote, find_quotes, quote_key
from ..analyse.rules import (
    DEFAULT_SPACY_MODEL,
    MAX_CLAIM_WORDS,
    MAX_PARSE_CHARS,
    MAX_TIMELINE_EVENTS,
    MIN_CLAIM_WORDS,
    MIN_EVENT_WORDS,
    TIMELINE_MERGE_OVERLAP,
    TIMELINE_MERGE_SIMILARITY,
)
from ..model import Article, Claim, DateMention, Entity, Mention, Quote, Sentence, TimelineEvent
from .corroborate import RoleStatement, Statement, corroborate, source_groups

__all__ = ["ArticleFacts", "StoryFacts", "article_facts", "article_quotes", "story_facts"]

log = logging.getLogger(__name__)

_STOP = frozenset(
    "that this with from their there were have been will would said says about after into than also".split()
)
_GRANULARITY_RANK = {"day": 0, "month": 1, "year": 2}
_CACHE_SIZE = 2048
#: Parses per process outside a spaCy memory zone (see :func:`article_facts`).
WARM_PARSES = 200
_parses = 0
_cache: OrderedDict[tuple[str, int, int], ArticleFacts] = OrderedDict()


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    """What one article says, before it is merged with the rest of its story."""

    article_id: str
    mentions: tuple[Mention, ...]
    quotes: tuple[RawQuote, ...]
    dates: tuple[DateMention, ...]


@dataclass(frozen=True, slots=True)
class StoryFacts:
    """Actors (most-cited first), quotations, a dated timeline and claims of one story."""

    entities: tuple[Entity, ...]
    quotes: tuple[Quote, ...]
    timeline: tuple[TimelineEvent, ...]
    claims: tuple[Claim, ...]


def _split(article: Article) -> list[Sentence]:
    from ..analyse.sentences import split_sentences

    return split_sentences(article)


def _parse_article(article: Article, nlp: Any) -> tuple[tuple[Mention, ...], tuple[RawQuote, ...], float]:
    """The article's one spaCy parse and what is read on it: mentions and quotations, with the seconds the
    quotations took after the parse."""
    # Inside a memory zone, the words this parse adds to spaCy's vocabulary are dropped again when it
    # ends, so a long-running process does not keep every new name it has read (spaCy >= 3.8; mentions
    # and quotations keep plain strings, no Doc or Span outlives the zone). A zone does not fill the
    # tokenizer's cache, so a process's first parses run outside one and fill it with common words.
    global _parses
    _parses += 1
    zone = getattr(nlp, "memory_zone", None)
    with zone() if zone is not None and _parses > WARM_PARSES else nullcontext():
        doc = nlp(article.text[:MAX_PARSE_CHARS])
        mentions = tuple(extract_mentions(article, doc))
        started = time.perf_counter()
        quotes = tuple(find_quotes(article, mentions, doc))
        seconds = time.perf_counter() - started
        del doc
    return mentions, quotes, seconds


def article_facts(article: Article, sentences: Sequence[Sentence], nlp: Any) -> ArticleFacts:
    """Mentions, quotations and dates of one article (cached by article id, text, date and pipeline)."""
    key = (article.id, hash((article.text, article.published)), id(nlp))
    hit = _cache.get(key)
    if hit is not None:
        _cache.move_to_end(key)
        return hit
    mentions, quotes, _ = _parse_article(article, nlp)
    dates = tuple(find_dates(article, sentences))
    facts = ArticleFacts(article.id, mentions, quotes, dates)
    _cache[key] = facts
    if len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return facts


def _article_resolver(article: Article, facts: ArticleFacts) -> ActorResolver:
    _, resolver = merge_entities(
        facts.mentions, {article.id: article}, speakers=[q.speaker for q in facts.quotes if q.speaker]
    )
    return resolver


def article_quotes(article: Article, *, nlp: Any = None) -> tuple[Quote, ...]:
    """The quotations of one article as its briefing shows them.

    Speakers are resolved as :func:`story_facts` resolves them for a story of this one article: a pronoun
    to the person it stands for, a short form ("Mr. Trump") to the article's fullest name of the actor.
    This is what ``storydesk eval quotes`` scores.
    """
    if nlp is None:
        from ..analyse._nlp import load_nlp

        nlp = load_nlp(DEFAULT_SPACY_MODEL)
    facts = article_facts(article, _split(article), nlp)
    return _resolve_quotes(facts.quotes, _article_resolver(article, facts))


def article_quotes_timed(article: Article, *, nlp: Any = None) -> tuple[tuple[Quote, ...], float]:
    """:func:`article_quotes`, not cached, and the seconds its quotation steps take after the parse:
    finding the quotations and mapping their speakers to actors."""
    if nlp is None:
        from ..analyse._nlp import load_nlp

        nlp = load_nlp(DEFAULT_SPACY_MODEL)
    mentions, raw, seconds = _parse_article(article, nlp)
    resolver = _article_resolver(article, ArticleFacts(article.id, mentions, raw, ()))
    started = time.perf_counter()
    quotes = _resolve_quotes(raw, resolver)
    return quotes, seconds + time.perf_counter() - started


def _default_embedder() -> Any:
    from ..group.embed import get_embedder

    try:
        return get_embedder("minilm")
    except Exception as exc:  # a missing model must not cost the story its facts
        log.warning("MiniLM embedder unavailable (%s); using hashed TF-IDF vectors for claims", exc)
        return get_embedder("tfidf")


def _actor_name(speaker: str, kind: str | None, resolver: ActorResolver) -> str:
    """The actor a quotation's speaker names: a description ("the North Korean leader") becomes the one
    person given that role; a name becomes the story's fullest form of it only when that form begins or
    ends with it ("Putin" → "Vladimir Putin", "Kim" → "Kim Jong-un"; never "Carson" → a headline's
    "Ben Carson Defends")."""
    actor = resolver.resolve(speaker)
    if actor is None:
        return speaker
    if kind == "descriptor":
        return actor
    words, full = name_key(speaker), name_key(actor)
    if words and (full[-len(words) :] == words or full[: len(words)] == words):
        return actor
    return speaker


def _resolve_quotes(raw: Sequence[RawQuote], resolver: ActorResolver) -> tuple[Quote, ...]:
    merged: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    for q in raw:
        speaker = q.speaker
        if speaker:
            speaker = _actor_name(speaker, q.speaker_kind, resolver)
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
            merged[target] = {"text": q.text, "speakers": defaultdict(int), "roles": [], "articles": []}
            order.append(target)
        item = merged[target]
        if len(q.text) > len(item["text"]):
            item["text"] = q.text
        if speaker:
            item["speakers"][speaker] += 1
        if q.role and q.role not in item["roles"]:
            item["roles"].append(q.role)
        if q.article_id not in item["articles"]:
            item["articles"].append(q.article_id)
    quotes = []
    for k in order:
        item = merged[k]
        speakers = item["speakers"]
        speaker = max(speakers, key=lambda s: speakers[s]) if speakers else None
        role = item["roles"][0] if item["roles"] else None
        if role is None and speaker:
            roles = resolver.roles_of(speaker)
            role = roles[0] if roles else None
        quotes.append(Quote(speaker=speaker, text=item["text"], articles=tuple(item["articles"]), role=role))
    quotes.sort(key=lambda q: -len(q.articles))
    return tuple(quotes)


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w[\w'-]{3,}", text.casefold()) if w not in _STOP}


def _overlap(a: str, b: str) -> float:
    """Shared content words over the smaller sentence's content words."""
    wa, wb = _content_words(a), _content_words(b)
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
            if len(text.split()) < MIN_EVENT_WORDS:
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
    sentences: Mapping[str, Sequence[Sentence]] | None = None,
) -> StoryFacts:
    """Actors, quotations, timeline and claims of the story told by ``articles``.

    ``nlp`` is a spaCy pipeline (default: :data:`~storydesk.analyse.rules.DEFAULT_SPACY_MODEL`),
    ``embedder`` anything with ``embed(texts) -> L2-normalised rows`` (default: MiniLM, hashed TF-IDF if
    the model is missing), ``sentences`` the articles' sentences by article id (split here when absent).
    """
    if nlp is None:
        from ..analyse._nlp import load_nlp

        nlp = load_nlp(DEFAULT_SPACY_MODEL)
    articles = list({a.id: a for a in articles}.values())
    if not articles:
        return StoryFacts((), (), (), ())
    sents: dict[str, Sequence[Sentence]] = {
        a.id: (sentences[a.id] if sentences and a.id in sentences else _split(a)) for a in articles
    }
    per_article = {a.id: article_facts(a, sents[a.id], nlp) for a in articles}
    by_id = {a.id: a for a in articles}
    entities, resolver = merge_entities(
        (m for f in per_article.values() for m in f.mentions),
        by_id,
        speakers=[q.speaker for f in per_article.values() for q in f.quotes if q.speaker],
    )
    quotes = _resolve_quotes([q for a in articles for q in per_article[a.id].quotes], resolver)

    # Embed only what claims and the timeline read, and each distinct sentence once (wire copies repeat).
    dated = {(d.article_id, d.sentence_index) for f in per_article.values() for d in f.dates if d.date}
    flat = [
        (a.id, s)
        for a in articles
        for s in sents[a.id]
        if MIN_CLAIM_WORDS <= len(s.text.split()) <= MAX_CLAIM_WORDS or (a.id, s.index) in dated
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
        source_groups(articles, sents),
        {a.id: a.outlet for a in articles},
        roles=_role_statements(articles, per_article, sents, resolver),
    )
    return StoryFacts(entities=entities, quotes=quotes, timeline=timeline, claims=claims)
