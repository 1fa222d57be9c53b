"""Plan first, write second: the numbered source sentences and facts the model writes from, the prompt,
and the reading of its reply.

The plan is the extractive selection (already cited to every article stating it) followed by the facts'
sentences: both sides of each disputed claim, the most carried quotations, dated events and
corroborated claims. The model is asked to write one sentence per line, each ending with the numbers of
the source sentences it rests on, e.g. ``[2][5]``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ...analyse.sentences import split_text
from ...model import Article, Sentence, SummarySentence, normalise_for_id
from ..verify._text import quote_key
from ..verify.verifier import Dispute, Draft, SourceSentence
from . import rules as R
from .client import ChatRequest, Message
from .errors import LLMFormatError

__all__ = ["Plan", "make_plan", "prompt", "parse_reply"]

_REASON = re.compile(r"^(?P<kind>[\w ]+):\s*(?P<left>.+?)\s+vs\s+(?P<right>.+)$")


@dataclass(frozen=True, slots=True)
class Plan:
    """What the model may write from: numbered source sentences, actors and disputes."""

    title: str
    sources: tuple[SourceSentence, ...]
    actors: tuple[str, ...] = ()
    disputes: tuple[Dispute, ...] = ()
    extractive: int = 0  # how many of ``sources`` are the extractive selection (they come first)

    def by_number(self) -> dict[int, SourceSentence]:
        return {s.number: s for s in self.sources}


class _Numbering:
    def __init__(self, articles: Sequence[Article], sentences: Mapping[str, Sequence[Sentence]]) -> None:
        self.outlets = {a.id: a.outlet for a in articles}
        self.sentences = sentences
        self.items: list[SourceSentence] = []
        self._seen: dict[tuple[str, int], int] = {}

    def add(self, article_id: str, index: int, text: str) -> int | None:
        if (article_id, index) in self._seen:
            return self._seen[(article_id, index)]
        if len(self.items) >= R.MAX_SOURCE_SENTENCES or len(text) > R.MAX_SOURCE_CHARS or not text.strip():
            return None
        number = len(self.items) + 1
        self.items.append(
            SourceSentence(number, article_id, index, text.strip(), self.outlets.get(article_id))
        )
        self._seen[(article_id, index)] = number
        return number

    def find(self, article_ids: Sequence[str], text: str) -> tuple[str, int, str] | None:
        """The sentence of one of ``article_ids`` that is ``text`` (or contains it, for a quotation)."""
        want = normalise_for_id(text)
        key = quote_key(text)
        for aid in article_ids:
            for s in self.sentences.get(aid, ()):
                if normalise_for_id(s.text) == want:
                    return aid, s.index, s.text
        for aid in article_ids:
            for s in self.sentences.get(aid, ()):
                if key and key in quote_key(s.text):
                    return aid, s.index, s.text
        return None


def make_plan(
    title: str,
    summary: Sequence[SummarySentence],
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]] | None = None,
    facts: Any = None,
) -> Plan:
    """The plan for one story. ``facts`` is a :class:`~storydesk.facts.StoryFacts` (or anything with
    ``entities``, ``quotes``, ``timeline`` and ``claims``), or None."""
    splits = {a.id: list((sentences or {}).get(a.id) or split_text(a.text, a.id)) for a in articles}
    numbering = _Numbering(articles, splits)
    for s in summary:
        numbering.add(s.source, s.source_index, s.text)
    extractive = len(numbering.items)
    disputes: list[Dispute] = []
    actors: tuple[str, ...] = ()
    if facts is not None:
        disputes = _add_disputes(numbering, facts.claims)
        for q in facts.quotes[: R.MAX_PLAN_QUOTES]:
            found = numbering.find(q.articles, q.text)
            if found:
                numbering.add(*found)
        for event in facts.timeline[: R.MAX_PLAN_EVENTS]:
            found = numbering.find(event.articles, event.text)
            if found:
                numbering.add(*found)
        corroborated = [c for c in facts.claims if c.status == "corroborated"]
        for claim in corroborated[: R.MAX_PLAN_CLAIMS]:
            found = numbering.find(claim.articles, claim.text)
            if found:
                numbering.add(*found)
        actors = tuple(e.name for e in facts.entities[: R.MAX_PLAN_ACTORS])
    return Plan(title, tuple(numbering.items), actors, tuple(disputes), extractive)


def _add_disputes(numbering: _Numbering, claims: Sequence[Any]) -> list[Dispute]:
    out: list[Dispute] = []
    done: set[tuple[int, int]] = set()
    for i, claim in enumerate(claims):
        if claim.status != "disputed" or not claim.conflicts_with or not claim.reason:
            continue
        j = claim.conflicts_with[0]
        if (min(i, j), max(i, j)) in done or j >= len(claims):
            continue
        done.add((min(i, j), max(i, j)))
        m = _REASON.match(claim.reason)
        if not m:
            continue
        other = claims[j]
        out.append(Dispute(m["kind"], m["left"].strip(), m["right"].strip(), claim.text, other.text))
        for side in (claim, other):
            found = numbering.find(side.articles, side.text)
            if found:
                numbering.add(*found)
    return out


def prompt(plan: Plan, *, max_sentences: int, max_tokens: int = R.MAX_TOKENS) -> ChatRequest:
    """The request that asks for the briefing: a worked example, the numbered sources, the facts to
    respect, then "Briefing:"."""
    lines = [R.EXAMPLE, "", f"Now the story: {plan.title}", "Sources:"]
    for s in plan.sources:
        lines.append(f"[{s.number}] {f'({s.outlet}) ' if s.outlet else ''}{s.text}")
    notes = []
    if plan.actors:
        notes.append("Main actors: " + ", ".join(plan.actors) + ".")
    numbers = {_norm(s.text): s.number for s in plan.sources}
    for d in plan.disputes:
        left, right = numbers.get(_norm(d.left_text)), numbers.get(_norm(d.right_text))
        where = f" ([{left}] vs [{right}])" if left and right else ""
        notes.append(
            f"The sources disagree on a {d.kind}: {d.left} vs {d.right}{where}. State both or neither."
        )
    lines += [*notes, R.WRITE_INSTRUCTION.format(n=max_sentences), "Briefing:"]
    return ChatRequest(
        messages=(Message("system", R.SYSTEM_PROMPT), Message("user", "\n".join(lines))),
        max_tokens=max_tokens,
        temperature=0.0,
    )


def _norm(text: str) -> str:
    return normalise_for_id(text)


_CITES = re.compile(r"(?:\s*\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\])+")
_BULLET = re.compile(r"^\s*(?:[-*•]+|\d+[.)]|\(\d+\))\s+")
_LETTER = re.compile(r"[^\W\d_]")
_OUTLET = re.compile(r"^((?:\s*\[\s*\d+\s*\])*)\s*\((?:[^()\s]+\s?){1,4}\)\s*")


def parse_reply(text: str) -> list[Draft]:
    """The sentences of the model's reply with the source numbers each cites.

    Raises :class:`LLMFormatError` when no sentence cites anything (the model ignored the format).
    """
    drafts: list[Draft] = []
    for raw in text.splitlines():
        line = _BULLET.sub("", raw).strip()
        line = _OUTLET.sub(r"\1 ", line).strip()  # "(Valley Times) ..." copied from the source list
        if not line or (line.endswith(":") and not _CITES.search(line)):
            continue  # a heading such as "Here is the briefing:"
        lead = _CITES.match(line)
        if lead and _LETTER.search(line[lead.end() :]) and not _CITES.search(line, lead.end()):
            # "[2] The text." — the citation leads the sentence
            line = f"{line[lead.end() :].strip()} {lead.group(0).strip()}"
        pos = 0
        for m in _CITES.finditer(line):
            cites = tuple(dict.fromkeys(int(n) for n in re.findall(r"\d+", m.group(0))))
            _add(drafts, line[pos : m.start()], cites)
            pos = m.end()
        _add(drafts, line[pos:], ())
    if not any(d.cites for d in drafts):
        raise LLMFormatError("the model ignored the citation format: no sentence cites a numbered source")
    return drafts


def _add(drafts: list[Draft], chunk: str, cites: tuple[int, ...]) -> None:
    chunk = chunk.strip().lstrip(".,;:!? ")  # the full stop after the previous citation
    for s in split_text(chunk):
        sentence = s.text.strip()
        if not _LETTER.search(sentence):
            continue
        if sentence and sentence.rstrip("\"'”’)")[-1:] not in {".", "!", "?"}:
            sentence += "."
        drafts.append(Draft(sentence, cites))
