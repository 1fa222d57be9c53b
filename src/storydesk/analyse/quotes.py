"""Direct quotations and who said them.

The cascade, per quotation (each step runs only when the ones before named no speaker;
``RawQuote.speaker_kind`` records what named it):

1. **segments** — quoted spans paragraph by paragraph, with curly (“…”), straight ("…") and doubled
   apostrophe (''…'') marks; a paragraph that opens a quotation and does not close it continues into the
   next paragraph when that one opens with a mark again (the newspaper convention for quotations running
   over paragraphs);
2. **its own sentence** — read on the spaCy parse the facts layer already made (no second parse): a speech
   verb outside the marks right after the quotation (``"…," X said`` / ``"…," said X`` /
   ``"…," X, a former ambassador, told Y``) or before it and governing it or leading into it
   (``X said: "…"`` / ``X said "…"`` / ``X, the adviser, during a press conference said, "…"`` /
   ``X said the plan was "a disaster"``), or ``according to X``; the speaker is the verb's subject;
3. **lead-in** — a paragraph that opens with the quotation after a paragraph ending ``X said:``;
4. **continuation** — a quotation with no attribution of its own (a sentence of its own) takes the
   speaker of the quotation just before it: in the same paragraph, or when it opens the next paragraph;
   never across another person who is the subject of a clause in between (a new speaker), nor across
   more than a few words of narration;
5. otherwise the quotation is kept **without a speaker** when it reads as speech (at least
   ``MIN_QUOTE_WORDS`` words, not a title), and dropped as a scare quote otherwise, or as words on a
   thing when a speech verb's subject is neither a person nor a source ("The banner read "…"").

The subject names the speaker (:func:`_name_subject`): the named entity it belongs to (or the run of
proper nouns when NER missed it), the name in its apposition ("Clinton's campaign chairman, John Podesta"),
the noun a relative pronoun stands for ("Graham, who said"), a description ("a company spokesman") when no
name is given, or — for "he"/"she" — the one person the pronoun can stand for (:func:`_resolve_pronoun`:
the subject of the nearest earlier sentence that names a person of that gender). Where two people fit, or
the subject is a group ("they", "Trump and Pence"), the quotation keeps no speaker: a wrong name is the
worst error a briefing can make. The text is the article's own characters between the marks.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..model import Article, Mention
from .rules import (
    ADDRESSEE_VERBS,
    AFTER_CLOSED_SENTENCE_TOKENS,
    AFTER_FRAME_TOKENS,
    ATTRIBUTION_VERBS,
    BEFORE_GAP_TOKENS,
    CONFUSABLE_SHARE,
    CONTINUATION_MAX_PARAGRAPHS,
    CONTINUATION_MAX_WORDS,
    FEMALE_PRONOUNS,
    FEMALE_WORDS,
    GENDER_MIN_SHARE,
    GROUP_PRONOUNS,
    HONORIFICS,
    INDEFINITE_DETERMINERS,
    MALE_PRONOUNS,
    MALE_WORDS,
    MAX_DESCRIPTOR_WORDS,
    MIN_QUOTE_WORDS,
    NOT_PERSON_WORDS,
    PRONOUN_PARAGRAPHS,
    PRONOUN_SENTENCES,
    QUOTE_PAIRS,
    RELATIVE_PRONOUNS,
    SPEAKER_CONFIDENCE,
    SPEAKER_NOUNS,
    SPEAKER_PRONOUNS,
    SPEAKER_RISK_FACTORS,
    SUBJECT_DEPS,
    TITLE_WORDS,
)

__all__ = ["RawQuote", "find_quotes", "quote_key", "quoted_spans"]

_PARAGRAPH = re.compile(r"\n\s*\n")
_WORD = re.compile(r"\w+")
_SENTENCE_END = frozenset({".", "!", "?"})
_CLOSERS = frozenset(QUOTE_PAIRS.values())
#: An opening quotation mark ('' is one mark of two characters).
_OPENER = re.compile("|".join(re.escape(m) for m in sorted(QUOTE_PAIRS, key=len, reverse=True)))


@dataclass(frozen=True, slots=True)
class RawQuote:
    """A quotation found in one article, before its speaker is mapped to a story's actor.

    ``speaker`` is the surface form the article uses (a pronoun already replaced by the name it stands
    for), ``None`` when no speaker is certain; ``speaker_kind`` says how it was found: ``"name"``,
    ``"pronoun"``, ``"descriptor"``, ``"continued"`` (or ``None``). ``speaker_start``/``speaker_end`` are
    the offsets of the words that named the speaker and ``cue`` the speech verb, where there are any.
    """

    article_id: str
    text: str
    start: int
    end: int
    speaker: str | None
    speaker_kind: str | None = None
    role: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None
    how: str | None = None
    risks: tuple[str, ...] = ()
    confidence: float = 0.0


def quote_key(text: str) -> str:
    """The comparable form of a quotation: lower-case letters and digits, single spaces."""
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


# --------------------------------------------------------------------------------------------------
# 1. Segments
# --------------------------------------------------------------------------------------------------


@dataclass
class _Segment:
    start: int  # first character inside the marks
    end: int  # one past the last character inside
    outer_start: int
    outer_end: int
    paragraph: int  # the paragraph of the closing mark
    closed: bool
    parts: list[tuple[int, int]]
    first_paragraph: int = -1  # the paragraph of the opening mark


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
        found = _OPENER.search(text, i, end)
        if found is None:
            break
        i, mark = found.start(), found.group(0)
        if mark == '"' and i > start and text[i - 1].isalnum():
            i += 1
            continue
        closer = QUOTE_PAIRS[mark]
        j = text.find(closer, i + len(mark), end)
        if mark == "“":
            # A curly quotation closes with ” (tolerate a straight closing mark).
            alt = text.find('"', i + 1, end)
            j = j if j != -1 and (alt == -1 or j < alt) else alt
            closer = text[j] if j != -1 else closer
        if j == -1:
            segments.append(
                _Segment(i + len(mark), end, i, end, paragraph, False, [(i + len(mark), end)], paragraph)
            )
            break
        segments.append(
            _Segment(i + len(mark), j, i, j + len(closer), paragraph, True, [(i + len(mark), j)], paragraph)
        )
        i = j + len(closer)
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
    for seg in segments:  # trim whitespace inside the parts
        seg.parts = [
            (a + len(text[a:b]) - len(text[a:b].lstrip()), b - (len(text[a:b]) - len(text[a:b].rstrip())))
            for a, b in seg.parts
        ]
    return segments


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of ``text`` inside quotation marks (a quotation over two paragraphs gives two)."""
    return [part for seg in _find_segments(text) for part in seg.parts]


# --------------------------------------------------------------------------------------------------
# The parse, as the cascade reads it
# --------------------------------------------------------------------------------------------------


class _Parse:
    """The article's spaCy parse with what the cascade asks of it: where each token stands."""

    def __init__(self, text: str, doc: Any, segments: Sequence[_Segment], mentions: Sequence[Mention]):
        self.text = text
        self.doc = doc
        self.starts: list[int] = doc.to_array("IDX").tolist() if len(doc) else []
        self.n = len(self.starts)
        # Which segment each token is inside (marks included), -1 outside.
        self.inside = [-1] * self.n
        for k, seg in enumerate(segments):
            for i in range(self.token_at(seg.outer_start), self.n):
                if self.starts[i] >= seg.outer_end:
                    break
                self.inside[i] = k
        paragraphs = _paragraphs(text)
        self.paragraph_starts = [s for s, _ in paragraphs]
        # Sentence number of each token, and each sentence's token span, from the parse's boundaries.
        opens = doc.to_array("SENT_START").tolist() if self.n else []
        self.sentence = [0] * self.n
        self.sentences: list[tuple[int, int]] = []
        current = -1
        for i, flag in enumerate(opens):
            if flag == 1 or i == 0:
                if self.sentences:
                    self.sentences[-1] = (self.sentences[-1][0], i)
                self.sentences.append((i, self.n))
                current += 1
            self.sentence[i] = current
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.mention_starts = [m.start for m in self.mentions]
        self.full_names: dict[str, set[str]] = {}
        for m in self.mentions:
            words = _name_words(m.text)
            if m.type == "PERSON" and len(words) >= 2:
                self.full_names.setdefault(words[-1], set()).add(f"{words[0]} {words[-1]}")
        self._genders: dict[str, str] | None = None

    @property
    def genders(self) -> dict[str, str]:
        """Person id → "m"/"f" (read from the article the first time a pronoun needs it)."""
        if self._genders is None:
            self._genders = _genders(self)
        return self._genders

    def person_id(self, name: str) -> str:
        """One key per person of the article: "Donald J. Trump", "Mr. Trump" and "Trump" share one when the
        article names one Trump in full; with two (Bill and Hillary Clinton) a bare "Clinton" is its own."""
        words = _name_words(name)
        if not words:
            return ""
        if len(words) >= 2:
            return f"{words[0]} {words[-1]}"
        full = self.full_names.get(words[0], set())
        return next(iter(full)) if len(full) == 1 else words[0]

    def token_at(self, char: int) -> int:
        """The first token starting at or after ``char``."""
        return bisect.bisect_left(self.starts, char)

    def paragraph_of(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.paragraph_starts, char) - 1)

    def mention_of(self, i: int) -> Mention | None:
        """The named-entity mention covering token ``i``."""
        char = self.starts[i]
        k = bisect.bisect_right(self.mention_starts, char) - 1
        if k >= 0 and self.mentions[k].start <= char < self.mentions[k].end:
            return self.mentions[k]
        return None

    def outside(self, i: int) -> bool:
        return self.inside[i] == -1


def _name_words(name: str) -> list[str]:
    """The lower-case words of a person's name without honorifics, initials and possessive endings."""
    words = [w.strip(".,’'").casefold() for w in name.split()]
    if words and words[-1].endswith(("’s", "'s")):
        words[-1] = words[-1][:-2]
    return [w for w in words if len(w) > 1 and w not in HONORIFICS and w not in {"jr", "sr", "ii", "iii"}]


def _person_at(p: _Parse, i: int) -> tuple[str, int, int] | None:
    """The person token ``i`` names, as (name, start, end): a PERSON mention, or a run of proper nouns
    that no entity type calls a place, nationality or organisation ("Sexton" tagged ORG by NER is kept
    when it has no organisation word)."""
    m = p.mention_of(i)
    if m is not None:
        if m.type == "PERSON":
            return m.text, m.start, m.end
        if m.type != "ORG" or any(w.casefold().strip(".,") in NOT_PERSON_WORDS for w in m.text.split()):
            return None
        if len(m.text.split()) > 2 or m.text.isupper():
            return None
        return m.text, m.start, m.end
    tok = p.doc[i]
    if tok.tag_ != "NNP" or tok.ent_type_ or tok.lower_ in NOT_PERSON_WORDS:
        return None
    left = i
    while left - 1 >= 0 and p.doc[left - 1].tag_ == "NNP" and p.doc[left - 1].head.i == i:
        left -= 1
    words = [t.text for t in p.doc[left : i + 1]]
    if words[0].casefold().strip(".") in HONORIFICS | TITLE_WORDS and len(words) > 1:
        left += 1
    elif len(words) == 1 and (tok.is_sent_start or p.doc[i - 1].lower_ in {"the", "a", "an"}):
        return None  # "Time, Mr. Pence added, …": one capitalised word opening a sentence is no name
    start = p.doc[left].idx
    return p.text[start : tok.idx + len(tok.text)], start, tok.idx + len(tok.text)


def _genders(p: _Parse) -> dict[str, str]:
    """Person surname → "m"/"f" where the article says so.

    Evidence: an honorific or gendered role at a mention ("Mr. X", "X, a spokeswoman"), and the gendered
    pronouns of sentences that name one person only ("Fiorina was upfront about her distaste").
    """
    votes: dict[str, list[int]] = {}  # surname → [male, female]
    for m in p.mentions:
        if m.type != "PERSON":
            continue
        key = p.person_id(m.text)
        if not key:
            continue
        before = p.text[max(0, m.start - 6) : m.start].casefold().split()
        words = [*before[-1:], *m.text.casefold().split()[:1], *(m.role or "").casefold().split()]
        for w in words:
            w = w.strip(",.")
            if w in MALE_WORDS:
                votes.setdefault(key, [0, 0])[0] += 3
            elif w in FEMALE_WORDS:
                votes.setdefault(key, [0, 0])[1] += 3
    strings = p.doc.vocab.strings
    male_ids = {strings[w] for w in MALE_PRONOUNS}
    female_ids = {strings[w] for w in FEMALE_PRONOUNS}
    proper = {strings["NNP"], strings["NNPS"]}
    lower = p.doc.to_array("LOWER").tolist()
    tags = p.doc.to_array("TAG").tolist()
    for start, end in p.sentences:
        people: set[str] = set()
        male = female = 0
        for i in range(start, end):
            if not p.outside(i):
                continue
            if lower[i] in male_ids:
                male += 1 if people else 0
            elif lower[i] in female_ids:
                female += 1 if people else 0
            elif tags[i] in proper:
                named = p.mention_of(i)
                if named is not None and _person_at(p, i) is not None:
                    people.add(p.person_id(named.text))
        if len(people) == 1 and (male or female) and not (male and female):
            key = next(iter(people))
            if key:
                row = votes.setdefault(key, [0, 0])
                row[0 if male else 1] += 1
    out = {}
    for key, (male, female) in votes.items():
        total = male + female
        if total and male / total >= GENDER_MIN_SHARE:
            out[key] = "m"
        elif total and female / total >= GENDER_MIN_SHARE:
            out[key] = "f"
    return out


# --------------------------------------------------------------------------------------------------
# 2. The quotation's own sentence
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Speaker:
    name: str | None  # None: the subject names nobody certain (a group, an ambiguous pronoun)
    kind: str | None
    start: int | None = None
    end: int | None = None
    cue: str | None = None
    role: str | None = None
    how: str | None = None  # the evidence: "after", "before", "governed", "according_to", "lead_in", …
    risks: tuple[str, ...] = ()  # what could make the name wrong (see SPEAKER_RISK_FACTORS)


_NOBODY = _Speaker(None, None)
#: The quotation is words on a thing, not speech ("The banner read "…""): it is not kept.
_THING = _Speaker(None, "thing")


def _is_speech_verb(tok: Any) -> bool:
    return tok.lower_ in ATTRIBUTION_VERBS and (tok.tag_.startswith("VB") or tok.pos_ == "VERB")


def _subject(p: _Parse, verb: Any) -> Any | None:
    """The grammatical subject of ``verb``, climbing to the verb it depends on when it has none of its
    own ("…, telling reporters" / "X went on to say"), never into a quotation."""
    tok = verb
    for _ in range(3):
        subj = next((c for c in tok.children if c.dep_ in SUBJECT_DEPS), None)
        if subj is not None:
            return subj
        if (
            tok.dep_ in {"advcl", "xcomp", "conj", "pcomp", "acl"}
            and tok.head is not tok
            and p.outside(tok.head.i)
        ):
            tok = tok.head
            continue
        return None
    return None


def _line_break(p: _Parse, i: int) -> bool:
    """Whether token ``i`` is a line break after a finished sentence or quotation (a paragraph end in
    text that separates paragraphs by single newlines)."""
    tok = p.doc[i]
    if not tok.is_space or "\n" not in tok.text:
        return False
    before = p.text[: tok.idx].rstrip()
    return not before or before[-1] in ".!?:\"”'" or before.endswith("''")


def _inverted(p: _Parse, frame: Sequence[int], n: int) -> bool:
    """Whether the verb at ``frame[n]`` opens the frame ("…," said X / Continued X: "…"), so that a name
    after it is its subject; never for verbs whose object is the listener ("told X")."""
    verb = p.doc[frame[n]]
    return verb.lower_ not in ADDRESSEE_VERBS and all(p.doc[i].is_punct for i in frame[:n])


def _after_verb_name(p: _Parse, verb: Any, limit: int) -> Any | None:
    """A name right after the verb ("…," said Foreign Minister Sergei Lavrov): its last token.

    A person mention within the next few words wins over titles before it ("said Army Capt. Christian
    Pardo"); else the run of proper nouns right after the verb."""
    window = []
    for i in range(verb.i + 1, min(limit, verb.i + 8)):
        tok = p.doc[i]
        if not p.outside(i) or tok.text in {",", ";", "(", "—", "–"} or _line_break(p, i):
            break
        window.append(i)
    for i in window:
        m = p.mention_of(i)
        if m is not None and m.type == "PERSON":
            j = i
            while j + 1 < limit and p.doc[j + 1].idx < m.end:
                j += 1
            return p.doc[j]
    skip_to = -1
    for i in window:
        tok = p.doc[i]
        if i <= skip_to:
            continue
        if tok.text == ".":
            return None
        if tok.tag_ in {"NNP", "NNPS"}:
            j = i
            while j + 1 < limit and p.doc[j + 1].tag_ in {"NNP", "NNPS"}:
                j += 1
            if j + 1 < limit and p.doc[j + 1].tag_ == "POS":
                skip_to = j + 1  # "Cleveland's Plain Dealer": the possessor is not the speaker
                continue
            return p.doc[j]
    return None


def _name_subject(p: _Parse, subj: Any, seg_index: int, cue: Any) -> _Speaker:
    """Who ``subj`` (a speech verb's subject) is."""
    low = subj.lower_
    if low in SPEAKER_PRONOUNS:
        return _resolve_pronoun(p, subj, cue)
    if low in GROUP_PRONOUNS or any(c.dep_ == "conj" for c in subj.children):
        return _NOBODY
    if low in RELATIVE_PRONOUNS:
        # "Graham, who said …": the noun the relative clause belongs to.
        head = subj.head.head if subj.head.dep_ == "relcl" else None
        return _name_subject(p, head, seg_index, cue) if head is not None and head is not subj else _NOBODY
    mention = p.mention_of(subj.i)
    if (mention is None or mention.type != "PERSON") and low.strip(".") in TITLE_WORDS | HONORIFICS:
        # "said Army Capt. Christian Pardo": the parse may take the title for the subject, and NER the
        # title for an organisation ("Army Capt").
        after = [p.mention_of(i) for i in range(subj.i + 1, min(p.n, subj.i + 4)) if p.outside(i)]
        mention = next((m for m in after if m is not None and m.type == "PERSON"), mention)
    if mention is not None and subj.tag_ == "NNS" and len(mention.text.split()) == 1:
        return _NOBODY  # "Aides say …" read by NER as a person: a plural common noun is a group
    if mention is not None and mention.type == "NORP":
        return _group_member(p, subj, cue)  # "a New Hampshire Republican": a description, not a name
    if mention is not None:
        doubt = () if mention.type == "PERSON" else ("not_person",)
        return _Speaker(mention.text, "name", mention.start, mention.end, cue.text, mention.role, risks=doubt)
    appos = next((c for c in subj.children if c.dep_ == "appos"), None)
    if appos is not None and subj.tag_ not in {"NNP", "NNPS"}:
        named = _name_subject(p, appos, seg_index, cue)
        if named.kind == "name":
            return named
    if subj.tag_ in {"NNP", "NNPS"} and not _common_noun(subj):
        left = subj.i
        while left - 1 >= 0 and p.doc[left - 1].tag_ in {"NNP", "NNPS"} and p.doc[left - 1].head.i >= subj.i:
            left -= 1
        words = [t.text for t in p.doc[left : subj.i + 1]]
        while len(words) > 1 and words[0].casefold().strip(".") in HONORIFICS | TITLE_WORDS:
            words.pop(0)
            left += 1
        start = p.doc[left].idx
        return _Speaker(
            " ".join(words), "name", start, subj.idx + len(subj.text), cue.text, risks=("no_entity",)
        )
    if subj.pos_ in {"NOUN", "PROPN"} or _common_noun(subj):
        return _descriptor(p, subj, cue)
    return _NOBODY


def _group_member(p: _Parse, subj: Any, cue: Any) -> _Speaker:
    """A speaker described by the group they belong to ("a New Hampshire Republican", "one Iowa
    Democrat"): the whole description from its determiner, which names one unnamed person; the bare
    word ("Republicans said", "Republican") names nobody."""
    left = subj.i
    while left - 1 >= 0 and p.outside(left - 1) and p.doc[left - 1].tag_ in {"NNP", "NNPS", "JJ", "NN"}:
        left -= 1
    det = p.doc[left - 1] if left >= 1 and p.outside(left - 1) else None
    if det is None or det.lower_ not in INDEFINITE_DETERMINERS or subj.tag_ == "NNPS":
        return _NOBODY
    start, end = det.idx, subj.idx + len(subj.text)
    return _Speaker(p.text[start:end], "descriptor", start, end, cue.text)


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > 3 else word


def _common_noun(tok: Any) -> bool:
    """A capitalised common noun opening a sentence ("Aides say …"), not a name."""
    head = _singular(tok.lower_)
    opens = tok.is_sent_start or (tok.i > 0 and "\n" in tok.nbor(-1).text)
    return opens and (head in TITLE_WORDS or head in SPEAKER_NOUNS)


def _descriptor(p: _Parse, subj: Any, cue: Any) -> _Speaker:
    """A description standing for the speaker: "a company spokesman", "the statement" (its head noun a
    role or one of ``SPEAKER_NOUNS``; anything else names no speaker)."""
    head = _singular(subj.lower_)
    if head not in TITLE_WORDS and head not in SPEAKER_NOUNS:
        return _THING
    if subj.tag_ in {"NNS", "NNPS"} or head != subj.lower_:
        return _NOBODY  # "aides say", "officials said": a group, no one speaker
    left = subj.left_edge.i
    right = subj.i
    for child in subj.rights:  # "a spokesman for the campaign"
        if child.dep_ == "prep" and child.lower_ in {"for", "of", "at", "from", "with"}:
            right = child.right_edge.i
        break
    words = [t for t in p.doc[left : right + 1] if p.outside(t.i)]
    if not words or len(words) > MAX_DESCRIPTOR_WORDS or any(t.text in {",", "(", ")"} for t in words):
        words = [t for t in p.doc[left : subj.i + 1] if p.outside(t.i)]
    if not words or len(words) > MAX_DESCRIPTOR_WORDS:
        return _NOBODY
    start, end = words[0].idx, words[-1].idx + len(words[-1].text)
    return _Speaker(p.text[start:end], "descriptor", start, end, cue.text)


def _name_before_verb(p: _Parse, frame: Sequence[int], n: int) -> Any | None:
    """A name opening the frame and standing right before the verb, or before it with only an
    apposition between commas ("…," Gene Sperling, a top outside adviser, said): used when the parse
    gave the verb no subject. Its last token, or None."""
    words = [i for i in frame[:n] if not (p.doc[i].is_punct and p.doc[i].text not in {","})]
    while words and p.doc[words[0]].text == ",":
        words.pop(0)
    if not words:
        return None
    person = _person_at(p, words[0])
    if person is None:
        return None
    last = words[0]
    while last + 1 < p.n and p.starts[last + 1] < person[2]:
        last += 1
    rest = [i for i in words if i > last]
    if not rest:
        return p.doc[last]
    if len(rest) >= 2 and p.doc[rest[0]].text == "," and p.doc[rest[-1]].text == ",":
        if not any(p.doc[i].tag_.startswith("VB") for i in rest):
            return p.doc[last]
    return None


def _attribution_after(p: _Parse, seg: _Segment, k: int) -> _Speaker | None:
    """``"…," X said`` / ``"…," said X`` / ``"…," X, a former ambassador to Chile, told Y``.

    The words between the closing mark and the speech verb must all be its subject (with the subject's
    apposition or relative clause): ``"…," and on Monday, CBS said`` starts a new statement, and so does
    a verb that leads into the next quotation (``"…." Trump replied: "…"``).
    """
    first = p.token_at(seg.outer_end)
    if first >= p.n:
        return None
    para = p.paragraph_of(seg.outer_end - 1)
    closed_sentence = p.text[seg.start : seg.end].rstrip().endswith((".", "…", "!", "?"))
    frame: list[int] = []
    into_next_quote = False
    for i in range(first, min(p.n, first + AFTER_FRAME_TOKENS)):
        tok = p.doc[i]
        if not p.outside(i):
            into_next_quote = True
            break
        if p.paragraph_of(tok.idx) != para or _line_break(p, i):
            break
        if tok.is_space:
            continue
        frame.append(i)
        if tok.text in _SENTENCE_END:
            break
    if not frame or (into_next_quote and p.doc[frame[-1]].text == ":"):
        return None
    for n, i in enumerate(frame):
        tok = p.doc[i]
        if tok.lower_ == "according" and n + 1 < len(frame) and p.doc[frame[n + 1]].lower_ == "to":
            if n > 1:
                return None
            obj = next((c for c in p.doc[frame[n + 1]].children if c.dep_ == "pobj"), None)
            return _found(p, _name_subject(p, obj, k, tok), "according_to", obj) if obj is not None else None
        if not _is_speech_verb(tok):
            continue
        if closed_sentence and (
            n > AFTER_CLOSED_SENTENCE_TOKENS
            or any(c.dep_ in {"ccomp", "xcomp"} and p.outside(c.i) for c in tok.children)
        ):
            return None  # a new sentence with its own content ("She replied that …")
        subj = _subject(p, tok)
        if subj is not None and not p.outside(subj.i):
            subj = None
        climbed = ("climbed",) if subj is not None and subj.head.i != tok.i else ()
        if subj is not None and subj.i < first:
            return None  # the verb's subject stands before the quotation: not its attribution
        if subj is None and _inverted(p, frame, n):
            subj = _after_verb_name(p, tok, frame[-1] + 1)
        if subj is None:
            subj = _name_before_verb(p, frame, n)
            if subj is not None:
                return _found(p, _name_subject(p, subj, k, tok), "after", subj, frame[-1] + 1)
        if subj is None:
            return None
        if subj.i < tok.i:
            between = {t.i for t in subj.subtree}
            if any(j not in between and not p.doc[j].is_punct for j in frame[:n]):
                return None
        speaker = _name_subject(p, subj, k, tok)
        return _found(p, speaker, "after", subj, frame[-1] + 1, tail=subj.i > tok.i, extra=climbed)
    return None


def _quote_roots(p: _Parse, k: int, seg: _Segment) -> list[Any]:
    """Tokens inside the quotation whose head is outside it (where the parse attaches the quotation)."""
    out = []
    for i in range(p.token_at(seg.outer_start), p.n):
        if p.starts[i] >= seg.outer_end:
            break
        tok = p.doc[i]
        if tok.is_punct:
            continue
        if tok.head.i == tok.i or p.inside[tok.head.i] != k:
            out.append(tok)
    return out


def _governs(verb: Any, roots: Sequence[Any]) -> bool:
    """Whether the quotation depends on ``verb`` through verbs only ("X said the plan was "a disaster""),
    not through a noun ("X noted the change from the slogan "…"": the quotation names the slogan)."""
    for tok in roots:
        node = tok
        for _ in range(6):
            if node.head.i == node.i:
                break
            node = node.head
            if node.i == verb.i:
                return True
            if node.pos_ not in {"VERB", "AUX"}:
                break
    return False


def _colon_lead_in(p: _Parse, seg: _Segment) -> bool:
    """Whether the quotation follows a colon in its own paragraph ("X said: "…"")."""
    para_start = p.paragraph_starts[p.paragraph_of(seg.outer_start)]
    return p.text[para_start : seg.outer_start].rstrip().endswith(":")


def _attribution_before(p: _Parse, seg: _Segment, k: int, lead_in: bool = False) -> _Speaker | None:
    """``X said: "…"`` / ``X said "…"`` / ``X, the adviser, during a press conference said, "…"`` /
    ``X said the plan was "a disaster"`` / ``according to X, "…"``. With ``lead_in``, the frame is the
    end of the paragraph before (which ends with a colon)."""
    last = p.token_at(seg.outer_start) - 1
    if lead_in:
        while last >= 0 and p.doc[last].is_space:
            last -= 1
        para_start = p.paragraph_starts[p.paragraph_of(p.starts[last])] if last >= 0 else 0
    else:
        para_start = p.paragraph_starts[p.paragraph_of(seg.outer_start)]
    frame: list[int] = []
    for i in range(last, -1, -1):
        tok = p.doc[i]
        if tok.idx < para_start or not p.outside(i):
            break
        if tok.text in _SENTENCE_END or _line_break(p, i):
            break
        if tok.is_space:
            continue
        frame.append(i)
    frame.reverse()
    if not frame:
        return None
    words = [p.doc[i].lower_ for i in frame]
    # "according to X, …"
    for n in range(len(frame) - 1):
        if words[n] == "according" and words[n + 1] == "to":
            obj = next((c for c in p.doc[frame[n + 1]].children if c.dep_ == "pobj"), None)
            tail = [w for w in words[n + 2 :] if w not in {",", ":"}]
            if obj is not None and len(tail) <= 6:
                return _found(p, _name_subject(p, obj, k, p.doc[frame[n]]), "according_to", obj)
    verbs = [i for i in frame if _is_speech_verb(p.doc[i])]
    if not verbs:
        return None
    verb = p.doc[verbs[-1]]
    gap = [p.doc[i] for i in frame if i > verb.i]
    ends_open = not gap or gap[-1].text in {":", ",", "—", "–", "-"}
    plain_gap = (
        len(gap) <= BEFORE_GAP_TOKENS
        and ends_open
        and not any(t.tag_.startswith("VB") and t.dep_ not in {"aux", "auxpass"} for t in gap)
    )
    if not (plain_gap or (not lead_in and _governs(verb, _quote_roots(p, k, seg)))):
        return None
    subj = _subject(p, verb)
    climbed = ("climbed",) if subj is not None and subj.head.i != verb.i else ()
    if subj is None and _inverted(p, frame, frame.index(verb.i)):
        subj = _after_verb_name(p, verb, p.token_at(seg.outer_start))
    if subj is None or not p.outside(subj.i):
        return None
    # A whole quotation the verb governs ("Putin told reporters "The talks …"") is said before it; a
    # fragment inside the verb's clause ("X said the plan was "a disaster"") is "governed".
    governed = not plain_gap and _fragment(p.text[seg.start : seg.end])
    how = "lead_in" if lead_in else "governed" if governed else "before"
    speaker = _name_subject(p, subj, k, verb)
    return _found(p, speaker, how, subj, frame[-1] + 1, tail=subj.i > verb.i, extra=climbed)


def _found(
    p: _Parse,
    speaker: _Speaker,
    how: str,
    subj: Any,
    limit: int | None = None,
    *,
    tail: bool = False,
    extra: tuple[str, ...] = (),
) -> _Speaker:
    """``speaker`` with the evidence that named it and the risks its phrase shows: another capitalised
    word after the name in the subject's phrase ("Jeff Weaver, Sanders' campaign manager,", "Sen. Claire
    McCaskill (D-Mo.)", "John McCain of Arizona") names a second candidate. With ``tail`` (a name after
    its verb: ``"…," said Sen. Lindsey Graham, R-S.C.``) every word after the name up to ``limit`` is its
    phrase, whatever the parse attached it to. ``extra``: risks the caller saw ("climbed": the subject is
    that of a verb the speech verb depends on, "…, while chanting, "…"")."""
    if speaker.name is None:
        return speaker
    risks = [*speaker.risks, *extra]
    if speaker.kind in {"name", "descriptor"} and speaker.end is not None:
        phrase = (
            [p.doc[i] for i in range(subj.i + 1, limit)] if tail and limit is not None else list(subj.subtree)
        )
        after = [
            t
            for t in phrase
            if t.idx >= speaker.end and p.outside(t.i) and (limit is None or t.i < limit) and t.i != subj.i
        ]
        if any(t.text[:1].isupper() and t.text[:1].isalpha() for t in after):
            risks.append("more_names")
    return replace(speaker, how=how, risks=tuple(dict.fromkeys(risks)))


# --------------------------------------------------------------------------------------------------
# Pronouns
# --------------------------------------------------------------------------------------------------


def _main_verb(tok: Any) -> bool:
    """Whether ``tok`` is the main verb of its sentence (its root, or a verb joined to the root)."""
    return tok.dep_ == "ROOT" or (tok.dep_ == "conj" and tok.head.dep_ == "ROOT")


def _sentence_subjects(p: _Parse, start: int, end: int) -> list[tuple[int, bool, Any]]:
    """The subjects of one sentence (tokens ``start``–``end``, words outside quotations), as
    (rank, is-a-person, what): rank 0 for the main verb's subject, 1 for others; ``what`` is a person's
    (name, start, end), a pronoun token, or ``None`` for someone the pronoun may stand for who is not a
    named person ("the senator", a name NER calls a place)."""
    out = []
    for i in range(start, end):
        tok = p.doc[i]
        if tok.dep_ not in SUBJECT_DEPS or not p.outside(i):
            continue
        rank = 0 if _main_verb(tok.head) else 1
        if tok.lower_ in SPEAKER_PRONOUNS:
            out.append((rank, False, tok))
            continue
        person = _person_at(p, i)
        appos = next((c for c in tok.children if c.dep_ == "appos"), None)
        other = _person_at(p, appos.i) if appos is not None else None
        if person is not None and other is not None and p.person_id(other[0]) != p.person_id(person[0]):
            out.append((rank, False, None))  # "Mr. Putin, Mr. Trump was pressed": the parse cannot tell
            continue
        person = person or other
        if person is not None:
            out.append((rank, True, person))
        elif (
            tok.lower_ in TITLE_WORDS
            or tok.lower_ in {"man", "woman"}
            or (tok.tag_ == "NNP" and tok.ent_type_ not in {"GPE", "NORP"})
        ):
            # Someone described ("the senator"), or a name the parse cannot tell from a place or thing
            # ("Ada Fisher" labelled a building): the pronoun may stand for them.
            out.append((rank, False, None))
    return out


def _people_in(p: _Parse, start: int, end: int) -> set[str]:
    """The people named outside quotations in tokens ``start``–``end`` (person ids)."""
    if start >= end:
        return set()
    first, last = p.starts[start], p.starts[end - 1] + 1
    out = set()
    k = bisect.bisect_left(p.mention_starts, first)
    while k < len(p.mentions) and p.mentions[k].start < last:
        m = p.mentions[k]
        k += 1
        i = p.token_at(m.start)
        if m.type == "PERSON" and i < p.n and p.outside(i):
            out.add(p.person_id(m.text))
    return out


def _resolve_pronoun(p: _Parse, pronoun: Any, cue: Any, depth: int = 0) -> _Speaker:
    """The one person "he"/"she" can stand for, or nobody.

    Walking back over the sentences before the pronoun (words outside quotations only, at most
    ``PRONOUN_SENTENCES`` sentences and ``PRONOUN_PARAGRAPHS`` paragraphs), the first sentence with a
    fitting subject decides: its main verb's subject, else its one other subject. A subject fits when it
    is a person whose gender (as far as the article tells) is the pronoun's, the same pronoun (which then
    stands for the same person), or a description of someone ("the senator", which ends the search with
    nobody). Nobody either when that sentence has two fitting people as subjects ("Sanders held a rally
    while Clinton hosted an event"), or names a fitting person only outside subject position, or when the
    pronoun's own sentence names two fitting people before it ("Hewitt asked Trump about statements he
    had made").
    """
    gender = "m" if pronoun.lower_ == "he" else "f"
    para = p.paragraph_of(pronoun.idx)
    sent = p.sentence[pronoun.i]
    walked = 0
    while sent >= 0 and walked < PRONOUN_SENTENCES:
        start, end = p.sentences[sent]
        end = min(end, pronoun.i) if sent == p.sentence[pronoun.i] else end
        if para - p.paragraph_of(p.starts[start]) > PRONOUN_PARAGRAPHS:
            break
        subjects = _sentence_subjects(p, start, end)
        if any(p.outside(i) and not p.doc[i].is_punct and not p.doc[i].is_space for i in range(start, end)):
            walked += 1
        sent -= 1
        fitting = []
        named = _people_in(p, start, end)
        own = sent + 1 == p.sentence[pronoun.i]
        if own and len({pid for pid in named if p.genders.get(pid, gender) == gender}) > 1:
            return _NOBODY  # "Hewitt asked Trump about statements he had made": two people before it
        for rank, is_person, what in subjects:
            if is_person:
                if p.genders.get(p.person_id(what[0]), gender) == gender:
                    fitting.append((rank, "person", what))
            elif what is None:
                fitting.append((rank, "description", None))
            elif what.lower_ == pronoun.lower_:
                fitting.append((rank, "pronoun", what))
        if not fitting:
            if any(p.genders.get(pid, gender) == gender for pid in named):
                return _NOBODY  # a person of that gender named here, not as a subject: unsure
            continue
        best = min(rank for rank, _, _ in fitting)
        persons = {p.person_id(w[0]) for _, k, w in fitting if k == "person"}
        if len(persons) > 1:
            return _NOBODY  # two people of that gender are subjects here: unsure
        level = [(kind, what) for rank, kind, what in fitting if rank == best]
        people = {p.person_id(w[0]) if k == "person" else (k, id(w)) for k, w in level}
        if len(people) != 1:
            return _NOBODY
        kind, what = level[0]
        if kind == "description":
            return _NOBODY
        if kind == "pronoun":
            if depth >= 2:
                return _NOBODY
            found = _resolve_pronoun(p, what, cue, depth + 1)
            return (
                _Speaker(
                    found.name,
                    "pronoun",
                    pronoun.idx,
                    pronoun.idx + len(pronoun.text),
                    cue.text,
                    found.role,
                    risks=tuple(dict.fromkeys((*found.risks, "pronoun_chain"))),
                )
                if found.name
                else _NOBODY
            )
        name, start_char, _ = max((w for k, w in level), key=lambda w: len(w[0]))
        mention = p.mention_of(p.token_at(start_char))
        role = mention.role if mention is not None else None
        risks = []
        if walked > 1:
            risks.append("pronoun_far")  # the person is named more than one sentence back
        if p.person_id(name) not in p.genders:
            risks.append("gender_unknown")  # nothing in the article gives the person's gender
        if mention is None or mention.type != "PERSON":
            risks.append("not_person")
        return _Speaker(
            name, "pronoun", pronoun.idx, pronoun.idx + len(pronoun.text), cue.text, role, risks=tuple(risks)
        )
    return _NOBODY


# --------------------------------------------------------------------------------------------------
# The cascade
# --------------------------------------------------------------------------------------------------


def _people_between(p: _Parse, start: int, end: int, speaker: str) -> bool:
    """Whether a person other than ``speaker`` is the subject of a clause outside quotations in
    ``text[start:end]`` (a new speaker; "a spokesman for Sanders" in the last attribution is not one)."""
    key = p.person_id(speaker)
    first, last = p.token_at(start), min(p.n, p.token_at(end))
    for i in range(first, last):
        tok = p.doc[i]
        if tok.dep_ not in SUBJECT_DEPS or not p.outside(i):
            continue
        person = _person_at(p, i)
        if person is None:
            if tok.tag_ == "NNP" and tok.ent_type_ not in {"GPE", "NORP"}:
                return True  # a name the parse cannot place: maybe a new speaker
            continue
        if p.person_id(person[0]) != key:
            return True
    return False


def _words_between(p: _Parse, start: int, end: int) -> int:
    return sum(
        1
        for i in range(p.token_at(start), min(p.n, p.token_at(end)))
        if p.outside(i) and not p.doc[i].is_punct and not p.doc[i].is_space
    )


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


def _fragment(text: str) -> bool:
    """Whether a quotation is a fragment woven into the narration ("called it "a disaster""): its first
    letter is lower-case."""
    first = next((ch for ch in text if ch.isalpha()), "")
    return first.islower()


def speaker_confidence(kind: str | None, how: str | None, risks: Sequence[str]) -> float:
    """How likely the speaker is right, from how it was found and what could go wrong (the tables
    ``SPEAKER_CONFIDENCE`` and ``SPEAKER_RISK_FACTORS`` of ``rules.py``); 0 for no speaker."""
    if kind is None or how is None:
        return 0.0
    value = SPEAKER_CONFIDENCE.get(f"{how}:{kind}", SPEAKER_CONFIDENCE.get(how, 0.0))
    for risk in risks:
        value *= SPEAKER_RISK_FACTORS.get(risk, 1.0)
    return round(value, 3)
