"""Who a speech verb's subject names (:func:`_name_subject`): a named person, a group (no speaker), a
description ("a company spokesman"), or for "he"/"she" the one person the pronoun can stand for
(:func:`_resolve_pronoun`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..rules import (
    ATTRIBUTION_VERBS,
    GROUP_PRONOUNS,
    HONORIFICS,
    INDEFINITE_DETERMINERS,
    MAX_DESCRIPTOR_WORDS,
    PRONOUN_PARAGRAPHS,
    PRONOUN_SENTENCES,
    RELATIVE_PRONOUNS,
    SPEAKER_NOUNS,
    SPEAKER_PRONOUNS,
    SUBJECT_DEPS,
    TITLE_WORDS,
)
from ._parse import _Parse, _people_in, _sentence_subjects


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
        subjects = [c for c in tok.children if c.dep_ in SUBJECT_DEPS]
        if len(subjects) > 1:
            # "CPUC President Marybel Batjer said": the parse gives "said" two subjects, "CPUC" and
            # "Batjer"; the one person among them speaks, and with no single person nobody is named
            people = [c for c in subjects if c.ent_type_ == "PERSON"]
            return people[0] if len(people) == 1 else None
        if subjects:
            return subjects[0]
        if (
            tok.dep_ in {"advcl", "xcomp", "conj", "pcomp", "acl"}
            and tok.head is not tok
            and p.outside(tok.head.i)
        ):
            tok = tok.head
            continue
        return None
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
