"""Matching and scoring one article: when an output quote matches a gold one, whose surname a speaker
must contain, whether it names a speaker at all, under the two readings of the metric (``readme``,
``strict``)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ._data import GoldQuote, OutputQuote

#: Share of the shorter text's tokens two quotations must share to match.
MATCH_SHARE = 0.5
#: The README's "group words such as 'Republicans' or 'officials'": capitalised words that name a group
#: of people, never one person's surname (case-folded).
GROUP_WORDS = frozenset(
    """
    republicans democrats americans conservatives liberals progressives independents libertarians gop
    officials voters supporters critics protesters protestors demonstrators people aides advisers
    advisors staffers leaders lawmakers legislators members residents activists experts analysts
    reporters journalists citizens delegates donors senators representatives congressmen governors
    candidates republican democrat democratic
    """.split()
)
#: The strict reading's words that are not a surname: the group words and determiners, honorifics,
#: titles, institutions and name suffixes.
NOT_SURNAMES = GROUP_WORDS | frozenset(
    """
    house senate congress
    the a an another one some many most all both each every his her their its this that these those who
    mr mrs ms miss dr sen rep gov gen lt col sgt capt rev prof president senator governor secretary
    minister chairman chairwoman director ambassador mayor judge justice speaker leader chief
    university institute college center centre foundation committee party campaign council
    jr sr ii iii iv
    """.split()
)
#: Speakers that name nobody.
PRONOUNS = frozenset(
    "i me we us you he him she her it they them his hers its their theirs who whom which that".split()
)

_TOKEN = re.compile(r"\w+")
_EDGE_PUNCT = re.compile(r"^\W+|\W+$")
_SPEAKER_WORD = re.compile(r"[\w’'.-]+")
_POSSESSIVE = re.compile(r"(?:[’']s|[’'])$")
_PARENS = re.compile(r"\([^)]*\)")
_AFFILIATION = re.compile(r"\s+(?:of|from|at|in)\s+.*$")


@dataclass(slots=True)
class QuoteCounts:
    """Counts behind the metrics; they add up over articles."""

    gold_quotes: int = 0
    gold_found: int = 0
    output_quotes: int = 0
    matched: int = 0
    with_speaker: int = 0
    wrong_speaker: int = 0
    speaker_unscored: int = 0
    with_speaker_annotated: int = 0
    wrong_speaker_annotated: int = 0
    wrong: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)

    def add(self, other: QuoteCounts) -> None:
        self.gold_quotes += other.gold_quotes
        self.gold_found += other.gold_found
        self.output_quotes += other.output_quotes
        self.matched += other.matched
        self.with_speaker += other.with_speaker
        self.wrong_speaker += other.wrong_speaker
        self.speaker_unscored += other.speaker_unscored
        self.with_speaker_annotated += other.with_speaker_annotated
        self.wrong_speaker_annotated += other.wrong_speaker_annotated
        self.wrong.extend(other.wrong)

    def metrics(self) -> dict[str, float]:
        recall = self.gold_found / self.gold_quotes if self.gold_quotes else 0.0
        precision = 1.0 - self.wrong_speaker / self.with_speaker if self.with_speaker else 1.0
        annotated = (
            self.wrong_speaker_annotated / self.with_speaker_annotated if self.with_speaker_annotated else 0.0
        )
        named = self.with_speaker + self.speaker_unscored
        return {
            "quote_recall": round(recall, 4),
            "speaker_precision": round(precision, 4),
            "misattribution": round(1.0 - precision, 4),
            "misattribution_annotated": round(annotated, 4),
            "shown_with_speaker": round(named / self.matched, 4) if self.matched else 0.0,
        }


# --------------------------------------------------------------------------------------------------
# The two readings of the metric
# --------------------------------------------------------------------------------------------------


def surname(speaker: str) -> str | None:
    """The README's surname of a gold speaker: its last capitalised word, group words aside.

    Words are the speaker's whitespace-separated words without the punctuation around them and without a
    possessive ending (``Trump's`` is ``Trump``: the clitic is a token of its own in every tokeniser);
    a word is capitalised when it opens with an upper-case letter; :data:`GROUP_WORDS` are skipped.
    Read literally, so ``Griffin, an Obama backer`` gives ``Obama``, ``Sen. Chuck Schumer (D-N.Y.)``
    gives ``D-N.Y`` and ``The spokesman`` gives ``The``. None when no word is left ("the crowd").
    """
    found = None
    for raw in speaker.split():
        word = _POSSESSIVE.sub("", _EDGE_PUNCT.sub("", raw))
        word = _EDGE_PUNCT.sub("", word)
        if word[:1].isupper() and word.casefold() not in GROUP_WORDS:
            found = word
    return found


def strict_surname(speaker: str) -> str | None:
    """The first round's stricter reading of the surname: the person's, not the last capitalised word.

    The last capitalised word of the speaker's name part: parenthesised parts ("(D-N.Y.)") are dropped,
    and so are possessive words ("Clinton's campaign manager" names the manager, not Clinton), an
    affiliation ("of Arizona") and the words in :data:`NOT_SURNAMES`; when the speaker is a name with an
    apposition after a comma ("Griffin, an Obama backer", "Carson's business manager, Armstrong
    Williams"), the first comma-separated part that has such a word is the name part.
    """
    plain = _PARENS.sub(" ", speaker)
    name_part = _AFFILIATION.sub("", plain)
    return _surname_of(name_part) or _surname_of(plain)


def _surname_of(speaker: str) -> str | None:
    for part in speaker.split(","):
        words = []
        for raw in _SPEAKER_WORD.findall(part):
            word = raw.strip(".-")
            if _POSSESSIVE.search(word) or not word[:1].isupper():
                continue
            if word.casefold().strip(".") in NOT_SURNAMES:
                continue
            words.append(word.rstrip("."))
        if words:
            return words[-1]
    return None


def quote_tokens(text: str) -> list[str]:
    """The comparable tokens of a quotation: ``\\w+`` runs, case-folded (marks and case do not count)."""
    return [t.casefold() for t in _TOKEN.findall(text)]


def quotes_overlap(a: Sequence[str], b: Sequence[str]) -> bool:
    """The README's match: the two token lists share at least :data:`MATCH_SHARE` of the shorter one's
    tokens, counted as the size of their multiset intersection (a word twice in both counts twice)."""
    shorter = min(len(a), len(b))
    if shorter == 0:
        return False
    shared = sum((Counter(a) & Counter(b)).values())
    return shared >= MATCH_SHARE * shorter


def _longest_common_run(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest run of consecutive tokens that ``a`` and ``b`` share."""
    if len(a) > len(b):
        a, b = b, a
    best = 0
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0] * (len(b) + 1)
        for j, y in enumerate(b, start=1):
            if x == y:
                current[j] = previous[j - 1] + 1
                if current[j] > best:
                    best = current[j]
        previous = current
    return best


def quotes_share_run(a: Sequence[str], b: Sequence[str]) -> bool:
    """The first round's stricter match: a run of consecutive tokens common to both, at least
    :data:`MATCH_SHARE` of the shorter one's length (a bag of words lets a short quotation "match" a long
    one through its function words)."""
    shorter = min(len(a), len(b))
    if shorter == 0:
        return False
    need = MATCH_SHARE * shorter
    if len(set(a) & set(b)) == 0 or (
        shorter > 1 and len(set(a) & set(b)) < min(need, len(set(a)), len(set(b)))
    ):
        return False  # cheap bound first: too few shared words for any run of that length
    return _longest_common_run(a, b) >= need


@dataclass(frozen=True, slots=True)
class Reading:
    """One reading of the README's metric: how two quotations match and what a gold speaker's surname is."""

    name: str
    match: Callable[[Sequence[str], Sequence[str]], bool]
    surname: Callable[[str], str | None]


#: The README read literally: the headline figures.
README = Reading("readme", quotes_overlap, surname)
#: The first round's stricter reading (a shared run of tokens; the person's surname), shown beside it.
STRICT = Reading("strict", quotes_share_run, strict_surname)
READINGS = (README, STRICT)


def _speaker_words(text: str) -> list[str]:
    return [t.casefold() for t in _TOKEN.findall(_POSSESSIVE.sub("", text))]


def names_speaker(speaker: str | None) -> bool:
    """Whether ``speaker`` names someone (not empty, not a bare pronoun)."""
    words = _speaker_words(speaker or "")
    return bool(words) and not all(w in PRONOUNS for w in words)


def speaker_is_right(speaker: str, name: str) -> bool:
    """Whether ``speaker`` contains the surname ``name`` (as whole words, case-folded)."""
    words, target = _speaker_words(speaker), _speaker_words(name)
    if not target:
        return False
    n = len(target)
    return any(words[i : i + n] == target for i in range(len(words) - n + 1))


def score_article(
    gold: Sequence[GoldQuote], output: Sequence[OutputQuote], reading: Reading = README
) -> QuoteCounts:
    """The counts of one article under one reading of the metric (see the module docstring)."""
    counts = QuoteCounts(gold_quotes=len(gold), output_quotes=len(output))
    gold_tokens = [quote_tokens(g.text) for g in gold]
    gold_surnames = [reading.surname(g.speaker) for g in gold]
    found: set[int] = set()
    for q in output:
        tokens = quote_tokens(q.text)
        hits = [i for i, g in enumerate(gold_tokens) if reading.match(tokens, g)]
        if not hits:
            continue
        found.update(hits)
        counts.matched += 1
        if not names_speaker(q.speaker):
            continue
        surnames = [s for i in hits if (s := gold_surnames[i])]
        if not surnames:
            counts.speaker_unscored += 1
            continue
        counts.with_speaker += 1
        right = any(speaker_is_right(q.speaker or "", s) for s in surnames)
        if not right:
            counts.wrong_speaker += 1
            counts.wrong.append((q.text, q.speaker or "", tuple(gold[i].speaker for i in hits)))
        if not any(gold[i].automatic for i in hits if gold_surnames[i]):
            counts.with_speaker_annotated += 1
            counts.wrong_speaker_annotated += 0 if right else 1
    counts.gold_found = len(found)
    return counts
