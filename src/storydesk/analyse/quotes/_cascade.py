"""The cascade itself (:func:`find_quotes`): for each quoted span, its own sentence, a lead-in, a
continuation of the quotation before it across sentences and paragraphs (step 4), or no speaker (step 5);
then the quotations that share words with another speaker's are marked confusable."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ...model import Article, Mention
from ..rules import (
    CONFUSABLE_SHARE,
    CONTINUATION_MAX_PARAGRAPHS,
    CONTINUATION_MAX_WORDS,
    MIN_QUOTE_WORDS,
)
from ._attribution import _attribution_after, _attribution_before, _colon_lead_in, _fragment
from ._parse import _line_break, _Parse, _people_between, _words_between
from ._record import RawQuote, quote_key, speaker_confidence
from ._segments import _SENTENCE_END, _find_segments, _Segment
from ._speakers import _THING, _Speaker

_WORD = re.compile(r"\w+")


def _starts_sentence(p: _Parse, seg: _Segment) -> bool:
    """Whether the quotation opens its sentence (a quotation inside narration, such as a title in
    "he said on ABC's "This Week."", continues nobody)."""
    for i in range(p.token_at(seg.outer_start) - 1, -1, -1):
        tok = p.doc[i]
        if not p.outside(i) or _line_break(p, i) or tok.text.endswith((".", "!", "?", ":")):
            return True  # "… in Santa Monica, Calif. "…"": an abbreviation's dot ends the sentence too
        if tok.is_space or tok.is_punct:
            continue
        return False
    return True


def _ends_sentence(p: _Parse, seg: _Segment) -> bool:
    """Whether nothing but punctuation follows the quotation in its sentence (no attribution of its own
    that the cascade did not recognise: "…," the Post reported)."""
    for i in range(p.token_at(seg.outer_end), p.n):
        tok = p.doc[i]
        if not p.outside(i) or _line_break(p, i) or tok.text in _SENTENCE_END:
            return True
        if tok.is_space or tok.is_punct:
            continue
        return False
    return True


def _opens_paragraph(text: str, p: _Parse, seg: _Segment) -> bool:
    """Whether the quotation opens its paragraph (or its line, in text with one paragraph a line)."""
    line_start = text.rfind("\n", 0, seg.outer_start) + 1
    return not text[line_start : seg.outer_start].strip()


def _speechlike(text: str) -> bool:
    words = text.split()
    if len(words) < MIN_QUOTE_WORDS:
        return False
    content = [w for w in words if w[:1].isalpha() and len(w) > 3]
    return not content or not all(w[:1].isupper() for w in content)


def find_quotes(article: Article, mentions: Sequence[Mention], doc: Any) -> list[RawQuote]:
    """The direct quotations of ``article`` with their speakers (surface forms), in order.

    ``doc`` is spaCy's parse of ``article.text`` (or of its first characters: quotations past its end
    keep no speaker unless they continue one); ``mentions`` its named-entity mentions.
    """
    text = article.text
    segments = _find_segments(text)
    if not segments:
        return []
    p = _Parse(text, doc, segments, mentions)
    parsed_to = p.starts[-1] + len(doc[-1].text) if p.n else 0
    quotes: list[RawQuote] = []
    previous: tuple[_Speaker, _Segment] | None = None
    for k, seg in enumerate(segments):
        quote_text = " ".join(text[a:b] for a, b in seg.parts if b > a).strip().rstrip(",")
        if not quote_text:
            continue
        found: _Speaker | None = None
        if seg.outer_end <= parsed_to:
            before = _attribution_before(p, seg, k)
            if before is not None and _colon_lead_in(p, seg):
                found = before  # "Trump replied: "…"" decides, whatever follows the quotation
            else:
                found = _attribution_after(p, seg, k) or before
            if (
                found is None
                and _opens_paragraph(text, p, seg)
                and text[: seg.outer_start].rstrip().endswith(":")
            ):
                found = _attribution_before(p, seg, k, lead_in=True)
        if (
            found is None
            and previous is not None
            and previous[0].name
            and _starts_sentence(p, seg)
            and _ends_sentence(p, seg)
            and not _colon_lead_in(p, seg)  # "From Bush's Facebook post: "…"": introduced by its own words
        ):
            speaker, last = previous
            paragraphs = p.paragraph_of(seg.outer_start) - last.paragraph
            if (
                (
                    paragraphs == 0
                    or (paragraphs <= CONTINUATION_MAX_PARAGRAPHS and _opens_paragraph(text, p, seg))
                )
                and _words_between(p, last.outer_end, seg.outer_start) <= CONTINUATION_MAX_WORDS
                and not _people_between(p, last.outer_end, seg.outer_start, speaker.name or "")
            ):
                found = replace(speaker, cue=None, how="continued")
        if found is None or found.name is None:
            previous = None  # an unattributed quotation ends the chain of continuations
            if found is not _THING and _speechlike(quote_text):
                quotes.append(RawQuote(article.id, quote_text, seg.start, seg.end, None))
            continue
        risks = list(found.risks)
        if _fragment(quote_text) and found.how != "governed":  # a governed quotation is a fragment
            risks.append("fragment")
        quotes.append(
            RawQuote(
                article.id,
                quote_text,
                seg.start,
                seg.end,
                found.name,
                found.kind,
                found.role,
                found.start if found.how != "continued" else None,
                found.end if found.how != "continued" else None,
                found.cue,
                found.how,
                tuple(dict.fromkeys(risks)),
            )
        )
        previous = (found, seg)
    quotes = _mark_confusable(quotes, [" ".join(text[a:b] for a, b in seg.parts) for seg in segments])
    return [replace(q, confidence=speaker_confidence(q.speaker_kind, q.how, q.risks)) for q in quotes]


def _words(text: str) -> Counter[str]:
    return Counter(w.casefold() for w in _WORD.findall(text))


def _mark_confusable(quotes: list[RawQuote], passages: Sequence[str]) -> list[RawQuote]:
    """Quotations that share at least ``CONFUSABLE_SHARE`` of the shorter one's words with another quoted
    passage of the article given to someone else: the same words from two speakers (someone quoting
    someone), where a reader cannot tell whose they are here."""
    speakers = {quote_key(q.text): q.speaker for q in quotes}
    bags = [(quote_key(t), _words(t)) for t in passages]
    out = []
    for q in quotes:
        if q.speaker is None:
            out.append(q)
            continue
        key, bag = quote_key(q.text), _words(q.text)
        size = sum(bag.values())
        for other_key, other in bags:
            if other_key == key or not other_key:
                continue
            other_speaker = speakers.get(other_key)
            if other_speaker is None or other_speaker == q.speaker:
                continue
            shorter = min(size, sum(other.values()))
            if shorter and sum((bag & other).values()) >= CONFUSABLE_SHARE * shorter:
                q = replace(q, risks=(*q.risks, "confusable"))
                break
        out.append(q)
    return out
