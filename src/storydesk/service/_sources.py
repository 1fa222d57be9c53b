"""Following live sources: add feeds, sitemaps and pages, import OPML, list and remove them.

Nothing is fetched here (:mod:`._watch` polls); the sources live in the store (``Desk.store.sources``),
so ``serve`` and a team's Postgres share them. :func:`poll_options` and :func:`fetch_options` build the
stage's options from settings, once, at the edge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..config import Settings
from ..errors import ConfigError, IngestError
from ..model import EntryCounts, Failure, Source, SourceKind
from ..sources import (
    FetchOptions,
    PollOptions,
    SourceProblem,
    canonical_url,
    check_url,
    iso,
    parse_duration,
    read_opml,
    source_id,
    user_agent,
)

if TYPE_CHECKING:
    from ._desk import Desk

__all__ = [
    "AddReport",
    "SourceListing",
    "add_sources",
    "import_opml",
    "list_sources",
    "remove_source",
    "poll_options",
    "fetch_options",
]


def _now() -> datetime:
    return datetime.now(UTC)


# -- options, built once from settings ----------------------------------------------------------------


def _interval(text: str, what: str) -> int:
    try:
        seconds = parse_duration(text)
    except ValueError as exc:
        raise ConfigError(f"{what}: {exc}") from exc
    return seconds


def poll_options(settings: Settings, interval: str | None = None) -> PollOptions:
    """The pass options of ``settings`` (``interval`` overrides ``poll_interval``)."""
    if settings.max_entry_age_days < 1:
        raise ConfigError("setting 'max_entry_age_days' must be at least 1")
    if settings.fetch_concurrency < 1:
        raise ConfigError("setting 'fetch_concurrency' must be at least 1")
    seconds = (
        _interval(interval, "--interval")
        if interval
        else _interval(settings.poll_interval, "setting 'poll_interval'")
    )
    return PollOptions(
        interval_s=seconds,
        max_entry_age_days=settings.max_entry_age_days,
        concurrency=settings.fetch_concurrency,
    )


def fetch_options(settings: Settings) -> FetchOptions:
    if settings.fetch_timeout <= 0:
        raise ConfigError("setting 'fetch_timeout' must be a positive number of seconds")
    if settings.fetch_max_mb < 1:
        raise ConfigError("setting 'fetch_max_mb' must be at least 1")
    return FetchOptions(
        user_agent=user_agent(__version__, settings.contact_url),
        timeout_s=settings.fetch_timeout,
        max_bytes=settings.fetch_max_mb * 2**20,
        concurrency=settings.fetch_concurrency,
    )


# -- following sources ----------------------------------------------------------------------------------


@dataclass
class AddReport:
    added: list[Source] = field(default_factory=list)
    existing: list[Source] = field(default_factory=list)
    problems: list[Failure] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{len(self.added)} sources added, {len(self.existing)} already followed, "
            f"{len(self.problems)} refused"
        )


@dataclass(frozen=True)
class SourceListing:
    """One followed source as ``sources list`` and the web page show it."""

    source: Source
    counts: EntryCounts


def add_sources(
    desk: Desk,
    urls: Sequence[str],
    *,
    kind: SourceKind = "auto",
    tags: Sequence[str] = (),
    interval: str | None = None,
) -> AddReport:
    """Follow ``urls`` (feeds, sitemaps, or pages with ``kind="page"``); nothing is fetched yet."""
    interval_s = _interval(interval, "--interval") if interval else None
    report = AddReport()
    wanted: list[Source] = []
    for url in urls:
        problem = check_url(url)
        if problem:
            report.problems.append(Failure(url, problem))
            continue
        canon = canonical_url(url)
        wanted.append(
            Source(id=source_id(canon), url=canon, kind=kind, tags=tuple(tags), interval_s=interval_s)
        )
    report.added, report.existing = desk.store.sources.add(wanted, now=iso(_now()))
    return report


def import_opml(desk: Desk, path: str | Path, *, max_bytes: int | None = None) -> AddReport:
    """Follow every feed of an OPML file, its folders as tags; :class:`IngestError` if it is no OPML."""
    path = Path(path)
    limit = max_bytes or desk.settings.max_file_mb * 2**20
    try:
        if path.stat().st_size > limit:
            raise IngestError(
                str(path), f"file is over the limit of {limit / 2**20:.1f} MB (setting max_file_mb)"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    try:
        listed = read_opml(data)
    except SourceProblem as exc:
        raise IngestError(str(path), exc.reason) from exc
    report = AddReport(problems=[Failure(f"{path}: {p.split(':', 1)[0]}", p) for p in listed.problems])
    report.added, report.existing = desk.store.sources.add(listed.sources, now=iso(_now()))
    return report


def list_sources(desk: Desk) -> list[SourceListing]:
    repo = desk.store.sources
    counts = repo.counts()
    return [SourceListing(s, counts.get(s.id, EntryCounts())) for s in repo.all()]


def remove_source(desk: Desk, ident: str) -> Source:
    """Stop following a source (by id, id prefix or URL); its stored articles and stories stay."""
    removed: Source = desk.store.sources.remove(ident)
    return removed
