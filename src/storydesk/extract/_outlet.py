"""Outlets a page names itself: a site-name line, a byline naming an outlet, a dateline, the URL's host.

Used where the source gives no outlet (see :func:`storydesk.extract.extract_article` for the order). The
rules (``extract/rules.py``) look at the form of a line only; none of them names an outlet.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from . import rules

__all__ = [
    "Dateline",
    "outlet_from_url",
    "host_labels",
    "initials",
    "is_site_name",
    "outlet_of_byline",
    "read_dateline",
]

_LETTERS = re.compile(r"[^\w]+|_")
_VOWELS = frozenset("AEIOUY")


@dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline (or agency prefix) opening an article's text, and the outlet it names."""

    text: str
    """As printed: "HANOI, Vietnam (AP) —", "(CNN)", "AFP –"."""
    outlet: str
    place: str | None
    end: int
    """Where the article's own text starts after it."""


def outlet_from_url(url: str | None) -> str | None:
    """The URL's host without ``www.`` ("https://www.example.org/a" → "example.org"); None without one,
    and for a host that names a machine rather than a publication (an IP address, ``localhost``)."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    except ValueError:
        return None
    host = host.lower().removeprefix("www.")
    if "." not in host or _is_ip_address(host):
        return None  # "localhost", an intranet name, 127.0.0.1: a machine, not a publication
    return host


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def host_labels(url: str | None) -> set[str]:
    """The host's names to compare a site name with: each label but the last, and all of them joined."""
    host = outlet_from_url(url)
    if not host or "." not in host:
        return set()
    labels = host.split(".")[:-1]
    return {label for label in labels if len(label) >= 2} | {"".join(labels)}


def _compact(text: str) -> str:
    return _LETTERS.sub("", text).casefold()


def initials(name: str) -> str:
    """The initials of a name's capitalised words: "Harbour Daily News" → "HDN"."""
    return "".join(w[0] for w in name.split() if w[:1].isupper())


def _names_known(line: str, known: Iterable[str], labels: set[str]) -> bool:
    """Whether ``line`` is one of the ``known`` outlet names or the URL host's name."""
    compact = _compact(line)
    bare = _compact(re.sub(r"^(?i:the)\s+", "", line))
    if any(compact == _compact(k) for k in known if k):
        return True
    return bool(labels) and (compact in labels or bare in labels)


def _looks_like_name(line: str) -> bool:
    """A short run of capitalised words (small words allowed inside), with no sentence punctuation."""
    words = line.split()
    if not 1 <= len(words) <= rules.SITE_NAME_MAX_WORDS or line[-1] in ".!?:;,":
        return False
    if any(c in line for c in '"“”‘’«»()[]{}|'):
        return False
    for i, word in enumerate(words):
        if word.casefold() in rules.SITE_NAME_SMALL_WORDS and i > 0:
            continue
        if not (word[0].isupper() or word[0].isdigit()):
            return False
    return any(c.isalpha() for c in line)


def is_site_name(
    line: str, *, following: str | None, url: str | None = None, known: Iterable[str] = ()
) -> bool:
    """Whether the first line of a page is the site's name rather than the headline.

    It is when it is a domain name, the URL host's name or an outlet the source names (``known``), or a
    short capitalised line holding a masthead word ("Harbour Daily Online") — and, when ``following`` is
    given, the next non-empty line can be the headline (not a sentence-long paragraph).
    """
    line = line.strip()
    if not line:
        return False
    if following is not None:
        if not following.strip() or len(following.split()) > rules.HEADLINE_MAX_WORDS:
            return False
        if _compact(following) == _compact(line):
            return False
    if rules.DOMAIN_RE.match(line):
        return True
    if not _looks_like_name(line):
        return False
    if _names_known(line, known, host_labels(url)):
        return True
    return any(_compact(w) in rules.MASTHEAD_WORDS for w in line.split())


def _outlet_like(piece: str) -> bool:
    """Whether a byline piece names an outlet: a masthead word ("Breitbart News", "USA TODAY", "The
    Washington Post") or one short word in capitals ("AP", "AFP"); never with a reporter's role word."""
    words = piece.split()
    if not words or any(_compact(w) in rules.BYLINE_ROLE_WORDS for w in words):
        return False
    if any(_compact(w) in rules.MASTHEAD_WORDS for w in words):
        return True
    token = words[0].strip(".")
    return len(words) == 1 and token.isalpha() and token.isupper() and 2 <= len(token) <= 5


def outlet_of_byline(name: str, extras: Iterable[str] = ()) -> str | None:
    """The outlet a byline names: the whole name ("By AP", "By Breitbart News"), a piece after a comma
    ("By Jane Doe, USA TODAY") or after a separator ("By Jane Doe | AFP"); None when it names people
    only ("By JACKIE CALMES", "By Lena Hartmann, World Affairs Correspondent")."""
    _, comma, tail = name.rpartition(",")
    if not comma and _outlet_like(name):
        return name
    if comma and _outlet_like(tail.strip()):
        return tail.strip()
    return next((piece for piece in extras if _outlet_like(piece)), None)


def _is_outlet_label(name: str) -> bool:
    first = name.split()[0].casefold().strip(".")
    if first in rules.NOT_OUTLET_LABELS or rules.PARTY_LABEL.match(name):
        return False
    return sum(c.isalpha() for c in name) >= 2


def _is_agency(token: str, known: Iterable[str], labels: set[str]) -> bool:
    if len(token) <= rules.AGENCY_PREFIX_MAX_LETTERS or not (set(token) & _VOWELS):
        return True
    lowered = token.casefold()
    return lowered in labels or any(token == initials(k) or lowered == _compact(k) for k in known if k)


def read_dateline(paragraph: str, *, known: Iterable[str] = (), url: str | None = None) -> Dateline | None:
    """The dateline naming an outlet at the start of ``paragraph`` ("LIMA (CoastWire)Officials said…",
    "(CNN)President…", "HANOI, Vietnam (AP) — …") or an agency prefix ("AFP – The meeting…").

    ``known`` (outlet names the page gives elsewhere) and ``url`` let a longer prefix count as an agency's
    initials. None when the paragraph opens with no such thing, or nothing would be left of it.
    """
    known = list(known)
    labels = host_labels(url)
    for form in rules.DATELINES:
        found = form.match(paragraph)
        if not found or not _is_outlet_label(name := found.group("outlet")):
            continue
        place = found.groupdict().get("place")
        if place is None and name.isalpha() and name.isupper() and not _is_agency(name, known, labels):
            continue  # "(PHOENIX) - …": a place in capitals, not an agency's initials
        return _dateline(paragraph, found, place)
    found = rules.AGENCY_PREFIX.match(paragraph)
    if found and _is_agency(found.group("outlet"), known, labels):
        return _dateline(paragraph, found, None)
    return None


def _dateline(paragraph: str, found: re.Match[str], place: str | None) -> Dateline | None:
    end = found.end()
    if len(paragraph[end:].split()) < 2:
        return None
    outlet = " ".join(found.group("outlet").split())
    return Dateline(text=paragraph[:end].strip(), outlet=outlet, place=place, end=end)
