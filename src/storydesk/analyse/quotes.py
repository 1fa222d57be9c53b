"""Direct quotations and who said them.

The cascade, per article:

1. find quoted spans paragraph by paragraph, curly (“…”) and straight ("…") marks; a paragraph that
   opens a quotation and does not close it continues into the next paragraph when that one opens with a
   mark again (the newspaper convention for quotations running over paragraphs);
2. look for the attribution after the quotation first (``"…," said X`` / ``"…," X said`` /
   ``"…," he said``), then before it (``X said: "…"`` / ``X told Y "…"`` / ``according to X, "…"``),
   then, for a paragraph that is one quotation, at the end of the paragraph before (``X said:``);
3. a quotation with no attribution of its own continues the speaker of the quotation just before it in
   the same paragraph, or in the paragraph before;
4. name the speaker: a named entity in the attribution, else a pronoun ("he said") resolved to the most
   recent person named before the quotation (outside quotations), else a capitalised name, else the
   descriptor itself ("a police spokesman").

Short quoted phrases with no speech verb beside them are scare quotes and are skipped. The text is the
article's own characters between the marks, never rewritten.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Article, Mention
from .rules import (
    ACCORDING_TO_RE,
    ATTRIBUTION_WINDOW,
    HONORIFICS,
    MIN_QUOTE_WORDS,
    NAME_RE,
    ORG_WORDS,
    QUOTE_PAIRS,
    SPEAKER_PRONOUNS,
    SPEECH_VERBS,
    TITLE_WORDS,
)

__all__ = ["RawQuote", "find_quotes", "quote_key", "quoted_spans"]

_PARAGRAPH = re.compile(r"\n\s*\n")
_WORD = re.compile(r"\w[\w’'-]*(?:\.\w+)*")
_CLOSERS = set(QUOTE_PAIRS.values())


@dataclass(frozen=True, slots=True)
class RawQuote:
    """A quotation found in one article, before its speaker is mapped to a story's actor.

    ``speaker`` is the surface form the article uses (pronouns already replaced by a name);
    ``speaker_kind`` says how it was found: ``"name"``, ``"pronoun"``, ``"descriptor"`` or ``"continued"``.
    """

    article_id: str
    text: str
    start: int
    end: int
    speaker: str | None
    speaker_kind: str | None = None
    role: str | None = None


def quote_key(text: str) -> str:
    """The comparable form of a quotation: lower-case letters and digits, single spaces."""
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


@dataclass
class _Segment:
    start: int  # first character inside the marks
    end: int  # one past the last character inside
    outer_start: int
    outer_end: int
    paragraph: int
    closed: bool
    parts: list[tuple[int, int]]


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in _PARAGRAPH.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _segments_in(text: str, start: int, end: int, paragraph: int) -> list[_Segment]:
    segments: list[_Segment] = []
    i = start
    while i < end:
        ch = text[i]
        if ch in QUOTE_PAIRS and not (ch == '"' and i > start and text[i - 1].isalnum()):
            closer = QUOTE_PAIRS[ch]
            j = text.find(closer, i + 1, end)
            if ch == "“":
                # A curly quotation closes with ” (tolerate a straight closing mark).
                alt = text.find('"', i + 1, end)
                j = j if j != -1 and (alt == -1 or j < alt) else alt
            if j == -1:
                segments.append(_Segment(i + 1, end, i, end, paragraph, False, [(i + 1, end)]))
                break
            segments.append(_Segment(i + 1, j, i, j + 1, paragraph, True, [(i + 1, j)]))
            i = j + 1
            continue
        i += 1
    return segments


def _find_segments(text: str) -> list[_Segment]:
    """Quoted spans, with unclosed paragraph-final quotations joined to the next paragraph's."""
    segments: list[_Segment] = []
    paragraphs = _paragraphs(text)
    for p, (s, e) in enumerate(paragraphs):
        for seg in _segments_in(text, s, e, p):
            prev = segments[-1] if segments else None
            if (
                prev is not None
                and not prev.closed
                and prev.paragraph == p - 1
                and seg.outer_start == s + (len(text[s:e]) - len(text[s:e].lstrip()))
            ):
                prev.parts.append((seg.start, seg.end))
                prev.end, prev.outer_end, prev.closed, prev.paragraph = seg.end, seg.outer_end, seg.closed, p
                continue
            segments.append(seg)
    for seg in segments:  # trim whitespace and a trailing unclosed mark inside the parts
        seg.parts = [
            (a + len(text[a:b]) - len(text[a:b].lstrip()), b - (len(text[a:b]) - len(text[a:b].rstrip())))
            for a, b in seg.parts
        ]
    return segments


def _speech_verb_positions(window: str) -> list[re.Match[str]]:
    return [m for m in _WORD.finditer(window) if m.group(0).casefold() in SPEECH_VERBS]


def _sentence_end(text: str, pos: int, limit: int) -> int:
    m = re.compile(r"[.!?](?=\s|$)|\n").search(text, pos, limit)
    return m.end() if m else limit


class _SpeakerFinder:
    """Names the speaker in an attribution window, with the article's mentions for names and pronouns."""

    def __init__(self, article: Article, mentions: Sequence[Mention], segments: Sequence[_Segment]) -> None:
        self.text = article.text
        inside = [(s.outer_start, s.outer_end) for s in segments]
        self.mentions = [
            m
            for m in mentions
            if m.type in {"PERSON", "ORG"} and not any(a <= m.start < b for a, b in inside)
        ]
        self.people = [m for m in self.mentions if m.type == "PERSON"]

    def role_for(self, name: str, pos: int) -> str | None:
        """The role the article gives ``name``: at this mention, else at any mention of the same actor."""
        from .entities import name_key

        key = name_key(name)
        same = [m for m in self.mentions if m.role and _same_name(name_key(m.text), key)]
        at = [m for m in same if m.start <= pos < m.end + 1]
        chosen = at or same
        return chosen[0].role if chosen else None

    def from_region(self, start: int, end: int, before: int) -> tuple[str | None, str | None, int]:
        """The speaker named in ``text[start:end]``: (surface, kind, position)."""
        region = self.text[start:end]
        named = [m for m in self.mentions if start <= m.start and m.end <= end]
        if named:
            m = (
                named[0]
                if named[0].type == "PERSON" or len(named) == 1
                else next((x for x in named if x.type == "PERSON"), named[0])
            )
            return m.text, "name", m.start
        words = [w.casefold() for w in _WORD.findall(region)]
        if words and any(w in SPEAKER_PRONOUNS for w in words[:3]):
            prior = [m for m in self.people if m.end <= before]
            if not prior:  # NER sometimes labels a person's name ORG: take a name-like one
                prior = [m for m in self.mentions if m.end <= before and _looks_like_person(m.text)]
            if prior:
                return prior[-1].text, "pronoun", prior[-1].start
            return None, None, start
        stripped = region.strip(" ,:;\n")
        descriptor = re.sub(r"\s+", " ", stripped)
        last = descriptor.rsplit(" ", 1)[-1].strip(".,").casefold()
        if descriptor and len(descriptor.split()) <= 8 and last in TITLE_WORDS:
            return descriptor, "descriptor", start
        name = NAME_RE.search(stripped)
        if name:
            cand = name.group(0).strip()
            cand_words = cand.split()
            while cand_words and cand_words[0].casefold().strip(".") in HONORIFICS | TITLE_WORDS:
                cand_words.pop(0)
            if cand_words and cand_words[0].casefold() not in {"the", "a", "an", "it", "this", "that"}:
                offset = start + region.find(cand)
                return " ".join(cand_words), "name", offset
        if (
            descriptor
            and len(descriptor.split()) <= 8
            and any(w.strip(".,").casefold() in TITLE_WORDS for w in descriptor.split())
        ):
            return descriptor, "descriptor", start
        return None, None, start


def _looks_like_person(text: str) -> bool:
    words = text.split()
    return (
        2 <= len(words) <= 3
        and all(w[:1].isupper() for w in words)
        and not any(w.casefold().strip(".,") in ORG_WORDS for w in words)
    )


def _same_name(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if not a or not b:
        return False
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return all(w in long for w in short)


def _attribution_after(
    text: str, seg: _Segment, limit: int, finder: _SpeakerFinder
) -> tuple[str | None, str | None, int]:
    end = _sentence_end(text, seg.outer_end, min(limit, seg.outer_end + ATTRIBUTION_WINDOW))
    window = text[seg.outer_end : end]
    if not re.match(r"^\s*[,?!—–-]?\s*\S", window) or window.lstrip()[:1] in QUOTE_PAIRS:
        return None, None, 0
    verbs = _speech_verb_positions(window)
    if not verbs:
        m = re.search(r"according\s+to\s+", window, re.IGNORECASE)
        if m and len(window[: m.start()].split()) <= 1:
            s = seg.outer_end + m.end()
            return finder.from_region(s, end, seg.outer_start)
        return None, None, 0
    verb = verbs[0]
    if len(window[: verb.start()].split()) > 8:
        return None, None, 0
    subject_start, subject_end = seg.outer_end, seg.outer_end + verb.start()
    if window[: verb.start()].strip(" ,?!—–-\n"):
        return finder.from_region(subject_start, subject_end, seg.outer_start)
    # "…," said X (of Y). — the speaker follows the verb, up to a clause break.
    after = seg.outer_end + verb.end()
    stop = re.compile(r"[,;.(]\s|[.;]$|\s(?:who|which|in|on|at|after|before|when|while|during|as)\s").search(
        text, after, end
    )
    return finder.from_region(after, stop.start() if stop else end, seg.outer_start)


def _attribution_before(
    text: str, seg: _Segment, floor: int, finder: _SpeakerFinder
) -> tuple[str | None, str | None, int]:
    start = max(floor, seg.outer_start - ATTRIBUTION_WINDOW)
    window = text[start : seg.outer_start]
    # Only the clause just before the quotation: from the last sentence end.
    cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "), window.rfind("\n"))
    if cut >= 0:
        start, window = start + cut + 2, window[cut + 2 :]
    acc = ACCORDING_TO_RE.search(window.rstrip(" ,:"))
    m = re.search(r"\baccording\s+to\s+([^,:]+)[,:]?\s*$", window, re.IGNORECASE)
    if m:
        return finder.from_region(start + m.start(1), start + m.end(1), seg.outer_start)
    del acc
    if not window.rstrip().endswith((":", ",")) and not _speech_verb_positions(window[-40:]):
        return None, None, 0
    verbs = _speech_verb_positions(window)
    if not verbs:
        return None, None, 0
    verb = verbs[-1]
    subject = window[: verb.start()]
    clause = max(subject.rfind(", "), subject.rfind("; "))
    sub_start = start + (
        clause + 2 if clause >= 0 and not _mention_spans(finder, start + clause, start + verb.start()) else 0
    )
    return finder.from_region(sub_start, start + verb.start(), seg.outer_start)


def _mention_spans(finder: _SpeakerFinder, start: int, end: int) -> bool:
    """Whether a comma at ``start`` belongs to an apposition of a mention before it ("Putin, the president,")."""
    return any(m.end == start for m in finder.mentions)


def find_quotes(article: Article, mentions: Sequence[Mention]) -> list[RawQuote]:
    """The direct quotations of ``article`` with their speakers (surface forms), in order."""
    text = article.text
    segments = _find_segments(text)
    finder = _SpeakerFinder(article, mentions, segments)
    paragraphs = _paragraphs(text)
    quotes: list[RawQuote] = []
    previous: tuple[str | None, str | None, str | None, int] | None = None  # speaker, kind, role, paragraph
    for k, seg in enumerate(segments):
        quote_text = " ".join(text[a:b] for a, b in seg.parts if b > a).strip().rstrip(",")
        if not quote_text:
            continue
        next_start = segments[k + 1].outer_start if k + 1 < len(segments) else len(text)
        para_start = paragraphs[seg.paragraph][0] if seg.paragraph < len(paragraphs) else 0
        first_para = next(p for p, (s, e) in enumerate(paragraphs) if s <= seg.outer_start < e + 1)
        floor = max(paragraphs[first_para][0], segments[k - 1].outer_end if k else 0)
        speaker, kind, pos = _attribution_after(text, seg, next_start, finder)
        if speaker is None:
            speaker, kind, pos = _attribution_before(text, seg, floor, finder)
        if (
            speaker is None
            and first_para > 0
            and text[paragraphs[first_para][0] :].lstrip()[:1] in QUOTE_PAIRS
        ):
            prev_s, prev_e = paragraphs[first_para - 1]
            if text[prev_s:prev_e].rstrip().endswith(":"):
                fake = _Segment(prev_e, prev_e, prev_e, prev_e, first_para - 1, True, [])
                speaker, kind, pos = _attribution_before(text, fake, prev_s, finder)
        role = finder.role_for(speaker, pos) if speaker and kind in {"name", "pronoun"} else None
        if speaker is None and previous is not None and previous[0] and previous[3] >= first_para - 1:
            speaker, kind, role = previous[0], "continued", previous[2]
        n_words = len(quote_text.split())
        if speaker is None or (n_words < MIN_QUOTE_WORDS and kind == "continued"):
            previous = (
                None if speaker is None and seg.paragraph != (previous[3] if previous else -1) else previous
            )
            continue
        quotes.append(RawQuote(article.id, quote_text, seg.start, seg.end, speaker, kind, role))
        previous = (speaker, kind, role, seg.paragraph)
        del para_start
    return quotes


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of ``text`` inside quotation marks (a quotation over two paragraphs gives two)."""
    return [part for seg in _find_segments(text) for part in seg.parts]
