"""Actors: named-entity mentions per article (with the roles the article gives) merged across a story.

Per article, :func:`extract_mentions` reads spaCy's entities and attaches a role when the text gives
one: a title before the name ("Deputy Foreign Minister Igor Morgulov", "North Korean leader Kim
Jong-un"), an apposition after it ("Putin, the Russian president,"), an affiliation ("Andrei Lankov of
Seoul's Kookmin University"). A title spaCy put inside a person's name is cut off it and becomes the
role: "Field Marshal Tomas Berg" is the mention "Tomas Berg" with the role "Field Marshal" (honorifics —
Mr, Mrs, Dr — are cut off too, and are no role).

Per story, :func:`merge_entities` groups mentions of one actor under one canonical name and returns an
:class:`ActorResolver` that maps any later surface form (a speaker, "Mr Kim", "the North Korean leader")
to that name. The merging cascade for people:

1. same normalised name (case, hyphens, honorifics, titles, possessives ignored): "Kim Jong-un" = "Kim
   Jong Un" = "Mr Kim Jong-un";
2. a bare surname joins the one longer name ending with it, and a shorter name whose words all occur, in
   order, in exactly one longer name joins it: "Putin" → "Vladimir Putin", "Kim" → "Kim Jong Un"; left
   alone when two longer names would fit ("Kim" with Kim Jong Un and Kim Yo Jong; "Berg" with a father
   and a son, Tomas Berg and Anders Berg);
3. a role descriptor alone ("the North Korean leader") → the one person of the story given that role
   (exact role, else the same head word and nationality), never when two people share it.

The canonical name is the most complete form, the most frequent among equally complete ones, without
a title.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model import Article, Entity, EntityType, Mention
from .rules import (
    AFFILIATION_RE,
    APPOSITION_RE,
    DATELINE_RE,
    DEMONYM_ENDINGS,
    DESCRIPTOR_HEADS,
    ENTITY_LABELS,
    GPE_VOTE_DATELINE,
    GPE_VOTE_PLACE_CONTEXT,
    GPE_VOTE_POSSESSIVE_TITLE,
    HONORIFICS,
    MAX_ENTITIES,
    MONTHS,
    NAME_PARTICLES,
    ORG_VOTE_ORG_WORD,
    ORG_WORDS,
    PAIRED_TITLE_WORDS,
    PERSON_VOTE_SPEAKER,
    PERSON_VOTE_TITLE,
    PLACE_CONTEXT_RE,
    SPEECH_VERBS,
    TITLE_HONORIFIC_ONLY,
    TITLE_MODIFIERS,
    TITLE_RUN_MODIFIERS,
    TITLE_WORDS,
    WEEKDAYS,
)

__all__ = [
    "extract_mentions",
    "merge_entities",
    "ActorResolver",
    "actor_name",
    "name_key",
    "role_key",
    "title_length",
]

_POSSESSIVE = re.compile(r"[’']s?$")
_NON_WORD = re.compile(r"[^\w\s]")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
#: A full stop after a word of three or more small letters ends a sentence ("Korea. President"); one after
#: an abbreviation ("U.S.", "Inc.", "Mr.") does not.
_SENTENCE_END = re.compile(r"(?<=[a-z]{3})\.\s+")


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s\-‐–]+", text) if w]


def _bare(word: str) -> str:
    return word.casefold().strip(".")


def title_length(words: Sequence[str]) -> int:
    """How many words open ``words`` (a name) as a title: "Field Marshal Tomas Berg" → 2, "Prime Minister
    Narendra Modi" → 2, "Mr Kim" → 1, "Kim Jong Un" → 0.

    The title is a run of title words, modifiers and honorifics ending in a title word or an honorific;
    at least one word is left after it.
    """
    end = 0
    previous = ""
    for i, word in enumerate(words[:-1]):
        low = _bare(word)
        if len(low) == 1 and len(words) - i > 2:
            break  # "M. Night Shyamalan": an initial, not "M." (Monsieur)
        if low in HONORIFICS or low in TITLE_WORDS or previous in PAIRED_TITLE_WORDS.get(low, ()):
            end = i + 1
        elif low not in TITLE_MODIFIERS and low not in TITLE_RUN_MODIFIERS:
            break
        previous = low
    return end


def name_key(text: str) -> tuple[str, ...]:
    """The comparable form of a name: lower-case words without honorifics, titles, dots or possessives."""
    text = _ARTICLE.sub("", text.strip())
    words = [_NON_WORD.sub("", _POSSESSIVE.sub("", w)).casefold() for w in _words(text)]
    words = [w for w in words if w]
    words = words[title_length(words) :]
    while len(words) > 1 and (
        words[0] in HONORIFICS or words[0] in TITLE_WORDS or words[0] in TITLE_MODIFIERS
    ):
        words.pop(0)
    return tuple(words)


def role_key(role: str) -> tuple[str, ...]:
    """The comparable form of a role: lower-case words without articles and possessive endings."""
    return tuple(w for w in name_key(role) if w not in {"the", "a", "an", "of", "s"})


def _is_title_word(word: str) -> bool:
    return word.casefold().strip(".") in TITLE_WORDS or word.casefold().strip(".") in HONORIFICS


def _word_before_title(doc: Any, i: int) -> bool:
    """Whether token ``i``, a one-word entity, stands before a title that opens a person's name: "Bangladeshi"
    in "Bangladeshi Prime Minister Sheikh Hasina" (which the small spaCy model labels PERSON) modifies the
    title; it names no person."""
    if doc[i].ent_iob_ != "B" or (i + 1 < len(doc) and doc[i + 1].ent_iob_ == "I"):
        return False
    j = i + 1
    while j < len(doc) and not (doc[j].ent_iob_ == "B" and doc[j].ent_type_ == "PERSON"):
        if _bare(doc[j].text) not in TITLE_WORDS and _bare(doc[j].text) not in TITLE_MODIFIERS:
            return False
        j += 1
    run = [_bare(t.text) for t in doc[i + 1 : j]]
    return j < len(doc) and any(w in TITLE_WORDS for w in run)


def _prefix_role(doc: Any, start: int) -> str | None:
    """A title standing before the name that starts at token ``start``: "Deputy Foreign Minister", "North
    Korean leader", "Field Marshal"."""
    i = start - 1
    if i < 0:
        return None
    if doc[i].text.endswith(".") and i > 0 and doc[i - 1].ent_type_ == "PERSON":
        # "… from strongman Hun Sen. Hun Sen complained": "Sen." ends the name before, it is no title
        return None
    paired = PAIRED_TITLE_WORDS.get(_bare(doc[i].text), frozenset())
    if not _is_title_word(doc[i].text) and not (i > 0 and _bare(doc[i - 1].text) in paired):
        return None
    first = i
    after_of = False  # the token just passed was "of"/"for": only a title word may stand before it
    while i >= 0:
        tok = doc[i]
        low = tok.lower_.strip(".")
        if tok.is_sent_start and not (low in TITLE_WORDS or low in TITLE_MODIFIERS or tok.ent_type_):
            break
        if after_of and low not in TITLE_WORDS:
            break  # "the FUNCINPEC party of Prince Ranariddh": "party of" is not a title, "Minister of" is
        after_of = low in {"of", "for"}
        if low in TITLE_WORDS or low in TITLE_MODIFIERS or low in TITLE_RUN_MODIFIERS or low in HONORIFICS:
            first = i
        elif i > 0 and _bare(doc[i - 1].text) in PAIRED_TITLE_WORDS.get(low, ()):
            first = i
        elif tok.ent_type_ in {"NORP", "GPE", "ORG"} and tok.ent_iob_ != "":
            first = i
        elif (
            tok.ent_type_ == "PERSON"
            and tok.text.casefold().endswith(DEMONYM_ENDINGS)
            and _word_before_title(doc, i)
        ):
            first = i  # "Bangladeshi Prime Minister": a nationality labelled PERSON
        elif tok.text in {"'s", "’s"} and i > 0 and doc[i - 1].ent_type_ in {"GPE", "ORG", "NORP"}:
            first = i
        elif low in {"of", "for"} and i > 0:
            pass  # kept only when a title word stands before it (first moves past it then)
        else:
            break
        i -= 1
    low, high = first, start
    while low < high and _bare(doc[low].text) in HONORIFICS | {"of", "for", "the", "a", "an"}:
        low += 1
    while high > low and _bare(doc[high - 1].text) in HONORIFICS | TITLE_HONORIFIC_ONLY:
        high -= 1  # "Prime Minister Sheikh Hasina": the role ends before the honorific
    if low == high:
        return None
    return doc[low:high].text.strip() or None


def _name_start(ent: Any) -> int:
    """The token where a person's name starts inside the entity ``ent``: after words that are no part of a
    name ("Nevertheless Danforth", "the Donald Trump") and after a title ("Field Marshal Tomas Berg")."""
    start = ent.start
    while start < ent.end - 1:
        tok = ent.doc[start]
        lower = not tok.text[:1].isupper()
        if not (lower or (tok.is_sent_start and tok.is_stop and tok.pos_ not in {"AUX", "PROPN"})):
            break
        start += 1
    return start + title_length([t.text for t in ent.doc[start : ent.end]])


def _surname_left_out(doc: Any, i: int) -> bool:
    """Whether token ``i``, just after a one-word person entity, is the rest of the name spaCy cut off:
    "Premier Romano Prodi battled Tuesday" gives the entity "Romano" only, which then joined another
    Romano of the story (DUC 2004 d30055t: the political scientist Sergio Romano became "Prime Minister").
    A capitalised proper noun in no entity, right after the name, that is no title, date or
    organisation word."""
    if i >= len(doc) or i == 0:
        return False
    tok = doc[i]
    word = tok.text
    return (
        doc[i - 1].whitespace_ == " "
        and tok.ent_iob_ == "O"
        and tok.pos_ == "PROPN"
        and not tok.is_sent_start
        and word.isalpha()
        and word[:1].isupper()
        and word[1:].islower()
        and word.casefold() not in TITLE_WORDS | HONORIFICS | TITLE_MODIFIERS
        and word.casefold() not in MONTHS
        and word.casefold() not in WEEKDAYS
        and not _has_org_word(word)
    )


def _apposition_role(text: str, end: int) -> str | None:
    """A role after the name: "Putin, the Russian president," → "Russian president"."""
    m = APPOSITION_RE.match(text[end : end + 120])
    if not m:
        return None
    role = m.group(2).strip()
    words = [_POSSESSIVE.sub("", w).casefold() for w in _words(role)]
    if not any(w in TITLE_WORDS for w in words) or len(words) > 10:
        return None
    if m.group(1) is None and words[0] in SPEECH_VERBS:
        return None  # "a lawyer who represents Wadih el Hage, told the judge": a verb, not a role
    return role


def _affiliation(text: str, end: int) -> str | None:
    """An affiliation after the name ("of Seoul's Kookmin University"), up to the end of its sentence:
    "Kim Jong Il of North Korea. President Clinton is …" is "of North Korea" (DUC 2004 d30049t had the
    role "of North Korea. President Clinton")."""
    m = AFFILIATION_RE.match(text[end : end + 100])
    if not m:
        return None
    affiliation = _SENTENCE_END.split(m.group(1), maxsplit=1)[0]
    return affiliation.strip().rstrip(".") or None


def _written_as_name(text: str) -> bool:
    """Whether ``text`` is written as a name: each piece capitalised (particles aside), none twice —
    not "pro-Yeltsin", "Christie and Sessions" or "Arafat Arafat"."""
    pieces = [p for p in re.split(r"[\s\-‐–]+", _POSSESSIVE.sub("", text.strip())) if p]
    if any(not p[0].isupper() and p.casefold() not in NAME_PARTICLES for p in pieces):
        return False
    return len({p.casefold() for p in pieces}) == len(pieces)


def _title_then_full_name(ent: Any) -> bool:
    """Whether the entity ``ent`` is a title, then a name of two or more capitalised words ("Prince Norodom
    Ranariddh"); not a company named with a title word ("General Motors", "General Electric Capital")."""
    rest = [t.text for t in ent[1:]]
    return (
        len(ent) > 2
        and _is_title_word(ent[0].text)
        and all(w[:1].isupper() and w.isalpha() and not w.isupper() for w in rest)
        and not _has_org_word(" ".join(rest))
    )


def _has_org_word(name: str) -> bool:
    return any(_NON_WORD.sub("", w).casefold() in ORG_WORDS for w in _words(name))


def extract_mentions(article: Article, doc: Any, offset: int = 0) -> list[Mention]:
    """The actor mentions spaCy finds in ``doc`` (a parse of ``article.text``), each with its role if given."""
    text = article.text
    mentions: list[Mention] = []
    for ent in doc.ents:
        etype = ENTITY_LABELS.get(ent.label_)
        if etype is None:
            continue
        if etype == "PERSON" and len(ent) == 1 and _word_before_title(doc, ent.start):
            # "Bangladeshi Prime Minister Sheikh Hasina": the word before the title names no person. A
            # nationality is read as one; another word ("Obama chief of staff Rahm Emanuel") is left out.
            if not ent.text.casefold().endswith(DEMONYM_ENDINGS):
                continue
            etype = "NORP"
        start, end = ent.start_char + offset, ent.end_char + offset
        surface = text[start:end]
        role: str | None = None
        name_start = ent.start
        if etype in {"ORG", "GPE"} and not _has_org_word(surface):
            # "Governor Helena Marsh" labelled ORG: a title before the name makes it a person.
            title = _prefix_role(doc, ent.start)
            if title and any(w.casefold().strip(".") in TITLE_WORDS for w in _words(title)):
                etype = "PERSON"
            elif etype == "ORG" and _title_then_full_name(ent):
                etype = "PERSON"  # "Prince Norodom Ranariddh" labelled ORG: the title inside the entity
        if etype == "PERSON":
            # "Field Marshal Tomas Berg" as one entity: the title is the role, not part of the name.
            name_start = _name_start(ent)
            start = doc[name_start].idx + offset
            if ent.end - name_start == 1 and _surname_left_out(doc, ent.end):
                end = doc[ent.end].idx + len(doc[ent.end].text) + offset
            surface = text[start:end]
            prefix = _prefix_role(doc, name_start)
            affiliation = _affiliation(text, end)
            apposition = _apposition_role(text, end)
            if prefix and affiliation:
                role = f"{prefix} of {affiliation}"
            else:
                role = prefix or apposition or (f"of {affiliation}" if affiliation else None)
        surface = _POSSESSIVE.sub("", surface) if surface.endswith(("'s", "’s")) else surface
        trimmed = surface.rstrip(" ,;:")  # "Big Machine Records," as spaCy cut one entity
        end -= len(surface) - len(trimmed)
        surface = trimmed
        mentions.append(
            Mention(article_id=article.id, text=surface, type=etype, start=start, end=end, role=role)  # type: ignore[arg-type]
        )
    return mentions


@dataclass
class _Group:
    keys: set[tuple[str, ...]] = field(default_factory=set)
    forms: Counter[str] = field(default_factory=Counter)
    types: Counter[str] = field(default_factory=Counter)
    articles: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    mentions: int = 0
    votes: Counter[str] = field(default_factory=Counter)  # context evidence (``_type_evidence``)
    full_types: Counter[str] = field(default_factory=Counter)  # spaCy's labels of the names of 2+ words

    def add(self, mention: Mention, key: tuple[str, ...]) -> None:
        self.keys.add(key)
        self.forms[mention.text.strip()] += 1
        self.types[mention.type] += 1
        if len(key) > 1:
            self.full_types[mention.type] += 1
        self.mentions += 1
        if mention.article_id not in self.articles:
            self.articles.append(mention.article_id)
        if mention.role and role_key(mention.role) not in {role_key(r) for r in self.roles}:
            self.roles.append(mention.role)

    def canonical(self) -> str:
        person = self.type() == "PERSON"

        def score(form: str) -> tuple[int, bool, int, int]:
            words = len(name_key(form))
            if person:  # a full name as most mentions write it: one article's "Sam Ram Rainsy" is a typo
                return (min(words, len(form.split()), 2), True, self.forms[form], words)
            return (words, not form.isupper() or len(form) <= 4, self.forms[form], 0)

        best = max(self.forms, key=score)
        words = _ARTICLE.sub("", best).split()
        if self.type() == "PERSON":  # "General Motors" keeps its first word
            words = words[title_length(words) :]
        while len(words) > 1 and words[0].casefold().strip(".") in HONORIFICS | TITLE_WORDS:
            words.pop(0)
        return " ".join(words)

    def type(self) -> EntityType:
        """The type by vote over mentions and context evidence; spaCy's majority breaks ties.

        When the actor is also written in full, spaCy's labels of the full name are the mentions' votes:
        the small model labels a bare surname it does not know as a place ("Pinochet" GPE 45 times in
        ten AP and NYT articles, "Augusto Pinochet" PERSON every time)."""
        votes = self.votes + (self.full_types or self.types)
        return max(votes, key=lambda t: (votes[t], self.types[t], t == "PERSON"))  # type: ignore[arg-type]


def _is_subsequence(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    it = iter(long)
    return all(w in it for w in short)


class ActorResolver:
    """Maps surface forms of a story's actors (names, "Mr Kim", role descriptors) to canonical names."""

    def __init__(self, groups: Sequence[_Group]) -> None:
        self._by_key: dict[tuple[str, ...], int] = {}
        self._groups = list(groups)
        self._names = [g.canonical() for g in groups]
        self._types: list[EntityType] = [g.type() for g in groups]
        self._roles: dict[tuple[str, ...], set[int]] = defaultdict(set)
        self._heads: dict[str, set[int]] = defaultdict(set)
        for i, g in enumerate(groups):
            for key in g.keys:
                self._by_key.setdefault(key, i)
            if self._types[i] != "PERSON":
                continue
            for role in g.roles:
                rk = role_key(role)
                if rk:
                    self._roles[rk].add(i)
                    self._heads[rk[-1]].add(i)

    def resolve(self, text: str) -> str | None:
        """The canonical name ``text`` refers to, or ``None`` when it names no known actor (or is ambiguous)."""
        index = self.resolve_index(text)
        return None if index is None else self._names[index]

    def resolve_index(self, text: str) -> int | None:
        key = name_key(text)
        if not key:
            return None
        if key in self._by_key:
            return self._by_key[key]
        fits = {i for k, i in self._by_key.items() if len(k) > len(key) and _is_subsequence(key, k)}
        fits = {i for i in fits if self._types[i] == "PERSON"}
        if len(fits) == 1:
            return fits.pop()
        described = self._resolve_described(text)
        return described if described is not None else self.resolve_descriptor(text)

    def _resolve_described(self, text: str) -> int | None:
        """A description, then a known person's name: "Republican presidential candidate Donald Trump",
        "Former Secretary of State Madeleine Albright" → the person, when the description ends in a title
        or role word (or "TITLE of Place")."""
        words = _ARTICLE.sub("", text.strip()).split()
        for i in range(1, len(words)):
            before = [_bare(_POSSESSIVE.sub("", w)) for w in words[:i]]
            if len(before) >= 3 and before[-2] == "of" and words[i - 1][:1].isupper():
                before = before[:-2]  # "Secretary of State", "Minister of Defence"
            if before[-1] not in TITLE_WORDS and before[-1] not in DESCRIPTOR_HEADS:
                continue
            index = self._by_key.get(name_key(" ".join(words[i:])))
            if index is not None and self._types[index] == "PERSON":
                return index
        return None

    def resolve_descriptor(self, text: str) -> int | None:
        """A role descriptor ("the North Korean leader") → the one person given that role."""
        rk = role_key(text)
        if not rk or rk[-1] not in TITLE_WORDS:
            return None
        exact = self._roles.get(rk, set())
        if len(exact) == 1:
            return next(iter(exact))
        if exact:
            return None
        # Same head word ("leader") and every other word found in the candidate's roles.
        candidates = set()
        for i in self._heads.get(rk[-1], set()):
            words = {w for r in self._groups[i].roles for w in role_key(r)}
            if set(rk) <= words:
                candidates.add(i)
        return candidates.pop() if len(candidates) == 1 else None

    def people_named(self, word: str) -> int:
        """How many of the actors who are people have ``word`` (one word) as a word of their name."""
        key = name_key(word)
        if len(key) != 1:
            return 0
        return sum(
            1
            for i, g in enumerate(self._groups)
            if self._types[i] == "PERSON" and any(key[0] in k for k in g.keys if len(k) > 1)
        )

    def roles_of(self, name: str) -> tuple[str, ...]:
        for i, n in enumerate(self._names):
            if n == name:
                return tuple(self._groups[i].roles)
        return ()


def _type_evidence(
    key: tuple[str, ...],
    mentions: Sequence[Mention],
    articles: Mapping[str, Article],
    datelines: set[tuple[str, ...]],
    speakers: Counter[tuple[str, ...]],
) -> Counter[str]:
    """Votes for an actor's type beyond spaCy's labels (see the ``*_VOTE_*`` rules)."""
    votes: Counter[str] = Counter()
    if key in datelines:
        votes["GPE"] += GPE_VOTE_DATELINE
    if speakers.get(key):
        votes["PERSON"] += PERSON_VOTE_SPEAKER * speakers[key]
    for m in mentions:
        if m.role and any(w in TITLE_WORDS for w in role_key(m.role)):
            votes["PERSON"] += PERSON_VOTE_TITLE
        if _has_org_word(m.text):
            votes["ORG"] += ORG_VOTE_ORG_WORD
        article = articles.get(m.article_id)
        if article is None:
            continue
        before = article.text[max(0, m.start - 40) : m.start]
        after = article.text[m.start + len(m.text) : m.end + 30]
        if PLACE_CONTEXT_RE.search(before):
            votes["GPE"] += GPE_VOTE_PLACE_CONTEXT
        poss = re.match(r"[’']s\s+([\w-]+)", after)
        if poss and poss.group(1).casefold() in TITLE_WORDS:
            votes["GPE"] += GPE_VOTE_POSSESSIVE_TITLE
    return votes


def _datelines(articles: Mapping[str, Article]) -> set[tuple[str, ...]]:
    out = set()
    for a in articles.values():
        m = DATELINE_RE.match(a.text)
        if m:
            out.add(name_key(m.group(1).title()))
    return out


def _group_mentions(
    mentions: Iterable[Mention],
    articles: Mapping[str, Article] | None = None,
    speakers: Iterable[str] = (),
) -> list[_Group]:
    """Mentions grouped by actor; each group's ``votes`` decide its type.

    1. the same name is one actor whatever label spaCy gave each mention ("Brastov" PERSON and ORG);
    2. a one-word name joins the one longer name ending with it, whatever its label ("Velkan" ORG →
       "Dario Velkan"; names only: not "pro-Velkan"), and stays apart when two end with it (a father and a
       son); a person's shorter name joins the one longer person name containing its words in order ("Kim"
       → "Kim Jong Un");
    3. the type is voted: each mention's label, plus titles and quotes for a person, datelines and place
       prepositions for a place, organisation words for an organisation.
    """
    articles = articles or {}
    by_key: dict[tuple[str, ...], list[Mention]] = defaultdict(list)
    for m in mentions:
        key = name_key(m.text)
        if key:
            by_key[key].append(m)
    datelines = _datelines(articles)
    speaker_keys: Counter[tuple[str, ...]] = Counter(k for sp in speakers if (k := name_key(sp)))
    votes = {
        k: Counter(m.type for m in ms) + _type_evidence(k, ms, articles, datelines, speaker_keys)
        for k, ms in by_key.items()
    }

    def is_person(k: tuple[str, ...]) -> bool:
        v = votes[k]
        return bool(v) and max(v, key=lambda t: (v[t], t == "PERSON")) == "PERSON"

    def _glued(k: tuple[str, ...]) -> bool:
        """Whether ``k`` is two or more of the story's other actors run together, none a person: "Chile
        Spain" (from "relations between Chile Spain and Britain"), "Swiss-Chilean"."""
        return not is_person(k) and all((w,) in by_key and not is_person((w,)) for w in k)

    parent: dict[tuple[str, ...], tuple[str, ...]] = {}
    keys = sorted(by_key, key=len, reverse=True)
    written_as_names = {k for k, ms in by_key.items() if any(_written_as_name(m.text) for m in ms)}
    for key in keys:
        if len(key) == 1:
            # "Velkan" → "Dario Velkan", "Sorang" → "Republic of Sorang"; never "Carrowford" → "University of
            # Carrowford": an organisation named after a place is not the place; "pro-Yeltsin" is no name.
            ending = {
                _root(parent, k)
                for k in keys
                if len(k) > 1
                and k[-1] == key[0]
                and not _has_org_word(" ".join(k))
                and k in written_as_names
                and not _glued(k)
            }
            if len(ending) == 1:
                parent[key] = ending.pop()
                continue
            if ending:
                continue  # two full names end with it: ambiguous
        if not is_person(key):
            continue
        longer = [k for k in keys if len(k) > len(key) and _is_subsequence(key, k) and is_person(k)]
        roots = {_root(parent, k) for k in longer}
        if len(roots) == 1:
            parent[key] = roots.pop()
    groups: dict[tuple[str, ...], _Group] = {}
    for key, ms in by_key.items():
        group = groups.setdefault(_root(parent, key), _Group())
        for m in ms:
            group.add(m, key)
        group.votes.update(_type_evidence(key, ms, articles, datelines, speaker_keys))
    return list(groups.values())


def _root(parent: Mapping[Any, Any], key: Any) -> Any:
    while key in parent:
        key = parent[key]
    return key


def merge_entities(
    mentions: Iterable[Mention],
    articles: Mapping[str, Article] | None = None,
    *,
    speakers: Iterable[str] = (),
) -> tuple[tuple[Entity, ...], ActorResolver]:
    """The story's actors (most-cited first) and a resolver for later surface forms.

    ``articles`` maps article ids to articles, for the outlets of each actor and the context its type is
    voted on; ``speakers`` are the surface forms quotations are attributed to (a speaker is a person).
    """
    groups = _group_mentions(mentions, articles, speakers)
    groups.sort(key=lambda g: (-len(g.articles), -g.mentions, g.canonical()))
    resolver = ActorResolver(groups)
    entities = []
    for g in groups[:MAX_ENTITIES]:
        outlets: list[str] = []
        for aid in g.articles:
            outlet = articles[aid].outlet if articles and aid in articles else None
            if outlet and outlet not in outlets:
                outlets.append(outlet)
        name = g.canonical()
        aliases = tuple(sorted({f for f in g.forms if f != name}))
        etype = g.type()
        # A one-word name left apart because two of the story's people share it gathers their titles:
        # "Kim" (Kim Dae-jung, Kim Deog-ryong) had the lawmaker's title (DUC 2004 d30049t). It has none.
        shared = all(len(k) == 1 for k in g.keys) and resolver.people_named(name) > 1
        entities.append(
            Entity(
                name=name,
                type=etype,
                articles=tuple(g.articles),
                outlets=tuple(outlets),
                roles=tuple(g.roles)
                if etype == "PERSON" and not shared
                else (),  # "a major U.S. …" gives no role to a place
                aliases=aliases,
            )
        )
    return tuple(entities), resolver


def actor_name(speaker: str, kind: str | None, resolver: ActorResolver) -> str:
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
