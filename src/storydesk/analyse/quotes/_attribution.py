"""Steps 2 and 3 of the cascade: the speech verb in a quotation's own sentence, after the quotation
(:func:`_attribution_after`) or before it, governing it or leading into it (:func:`_attribution_before`),
and the lead-in of a paragraph ending "X said:"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ..rules import (
    AFTER_CLOSED_SENTENCE_TOKENS,
    AFTER_FRAME_TOKENS,
    BEFORE_GAP_TOKENS,
)
from ._parse import _inverted, _line_break, _Parse, _person_at
from ._segments import _SENTENCE_END, _Segment
from ._speakers import _is_speech_verb, _name_subject, _Speaker, _subject


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


def _fragment(text: str) -> bool:
    """Whether a quotation is a fragment woven into the narration ("called it "a disaster""): its first
    letter is lower-case."""
    first = next((ch for ch in text if ch.isalpha()), "")
    return first.islower()
