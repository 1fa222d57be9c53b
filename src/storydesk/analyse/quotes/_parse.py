"""The article's spaCy parse as the cascade reads it (:class:`_Parse`): tokens, offsets, paragraphs, the people
it names and their genders, and the small questions every step asks of it (line breaks, subjects of
sentences, people and words between two offsets)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

from ...model import Mention
from ..rules import (
    ADDRESSEE_VERBS,
    FEMALE_PRONOUNS,
    FEMALE_WORDS,
    GENDER_MIN_SHARE,
    HONORIFICS,
    MALE_PRONOUNS,
    MALE_WORDS,
    NOT_PERSON_WORDS,
    SPEAKER_PRONOUNS,
    SUBJECT_DEPS,
    TITLE_WORDS,
)
from ._segments import _paragraphs, _Segment


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
