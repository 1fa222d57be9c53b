"""The ``storydesk`` command: parses arguments, calls :mod:`storydesk.service`, renders. Nothing else.

Exit codes: 0 everything worked; 1 some inputs failed (the rest was processed); 2 usage or
configuration error; 3 a store error; 4 not found; 130 / 143 stopped by SIGINT / SIGTERM.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .config import DOCS, Settings, load_settings
from .errors import ConfigError, NotFoundError, StoreError, StorydeskError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_PARTIAL, EXIT_USAGE, EXIT_STORE, EXIT_NOT_FOUND = 1, 2, 3, 4


class _Progress:
    """A rich progress bar that appears only on a terminal and only once a run has lasted a second."""

    def __init__(self, label: str, *, quiet: bool, total: int | None = None) -> None:
        self.enabled = not quiet and sys.stderr.isatty()
        self.label, self.total, self.start = label, total, time.monotonic()
        self.counts: dict[str, int] = {}
        self._bar: Any = None
        self._task: Any = None

    def __call__(self, what: str, n: int) -> None:
        self.counts[what] = self.counts.get(what, 0) + n
        if not self.enabled:
            return
        if self._bar is None and time.monotonic() - self.start > 1.0:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._bar = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.fields[counts]}"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=self.total, counts="")
        if self._bar is not None:
            text = ", ".join(f"{v} {k}{'s' if v != 1 else ''}" for k, v in self.counts.items())
            self._bar.update(self._task, counts=text)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived; raised in the main thread so that the command unwinds cleanly."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _stop_on_signals() -> Iterator[None]:
    """SIGINT (Ctrl-C, or ``kill -INT`` of this process alone, even if the shell started it ignoring
    SIGINT) and SIGTERM raise :class:`Interrupted`: each article's transaction commits whole or not at all,
    worker pools are stopped at once, and the next run goes on from what is stored. A second signal ends
    the process without unwinding."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, _frame: object) -> None:
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_DFL)
        raise Interrupted(signum)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _stoppable(fn: F) -> F:
    """A command that writes for a while: SIGINT and SIGTERM stop it cleanly (see _stop_on_signals)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _stop_on_signals():
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _fail(message: str, code: int) -> None:
    click.echo(f"storydesk: error: {message}", err=True)
    sys.exit(code)


def _handle_errors(fn: F) -> F:
    """Turn storydesk's exceptions into one line on stderr and an exit code: the only place that does."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Interrupted as exc:
            name = signal.Signals(exc.signum).name
            _fail(
                f"stopped by {name}; what was stored is kept: run the same command again to go on",
                128 + exc.signum,
            )
        except ConfigError as exc:
            _fail(str(exc), EXIT_USAGE)
        except NotFoundError as exc:
            _fail(str(exc), EXIT_NOT_FOUND)
        except StoreError as exc:
            _fail(str(exc), EXIT_STORE)
        except StorydeskError as exc:
            _fail(str(exc), EXIT_PARTIAL)

    return wrapper  # type: ignore[return-value]


def _settings(ctx: click.Context, **overrides: Any) -> Settings:
    obj = ctx.find_root().obj or {}
    sets = dict(obj.get("sets", {}))
    sets.update({k: v for k, v in overrides.items() if v is not None})
    settings, _ = load_settings(config_file=obj.get("config"), overrides=sets)
    return settings


def db_option(fn: F) -> F:
    return click.option(
        "--db",
        metavar="FILE|URL",
        help="Store: a SQLite file or a SQLAlchemy URL (default: user data folder).",
    )(fn)


def format_option(default: str | None = None) -> Callable[[F], F]:
    def deco(fn: F) -> F:
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(["text", "md", "json", "html"]),
            default=default,
            help="Output format (default: text on a terminal, json otherwise for show/brief is text).",
        )(fn)

    return deco


def quiet_option(fn: F) -> F:
    return click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary line.")(fn)


def _notice(message: str) -> None:
    """What a waiting writer says ("waiting for another ingest (pid N) ..."), on stderr."""
    click.echo(f"storydesk: {message}", err=True)


def _report_failures(failures: list[Any], quiet: bool) -> None:
    for f in failures:
        click.echo(f"storydesk: skipped {f.origin}: {f.reason}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="storydesk")
@click.option("--config", type=click.Path(dir_okay=False), help="A TOML settings file.")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Override a setting (repeatable).")
@click.option("-v", "--verbose", count=True, help="Log what each stage does (-vv for debug).")
@click.pass_context
def main(ctx: click.Context, config: str | None, sets: tuple[str, ...], verbose: int) -> None:
    """storydesk: news articles in, one cited briefing per real-world story out.

    \b
    Examples:
      storydesk brief examples/
      storydesk brief --format md ~/news/*.html
      storydesk analyse --format json article.txt
      storydesk ingest ~/news && storydesk stories
      storydesk show STORY_ID --format html > story.html
      storydesk serve --port 8000
    """
    pairs = {}
    for item in sets:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"expected KEY=VALUE, got {item!r}", param_hint="--set")
        pairs[key.strip()] = value
    ctx.obj = {"config": config, "sets": pairs}
    logging.basicConfig(
        level=[logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)],
        format="%(levelname)s %(name)s: %(message)s",
    )


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@format_option()
@db_option
@click.option("--sentences", type=int, help="Most sentences per summary (setting summary_sentences).")
@click.option(
    "--summarizer",
    type=click.Choice(["extractive", "llm"]),
    help="'llm': written by the model at llm_url, every sentence verified (setting summarizer).",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file.")
@quiet_option
@click.pass_context
@_handle_errors
@_stoppable
def brief(
    ctx: click.Context,
    paths: tuple[Path, ...],
    fmt: str | None,
    db: str | None,
    sentences: int | None,
    summarizer: str | None,
    output: Path | None,
    quiet: bool,
) -> None:
    """Read articles under PATHS and print one briefing per story, largest story first.

    Files and folders are read recursively: HTML (also .gz), text, JSONL, RSS/Atom, WARC.
    With --db the articles are also stored, and the briefings cover their stories in the store.

    \b
    Examples:
      storydesk brief examples/
      storydesk brief --format json news/ > briefing.json
      storydesk brief --format html -o briefing.html news/
    """
    from . import service
    from .render import render

    settings = _settings(ctx, db=db, summary_sentences=sentences, summarizer=summarizer)
    fmt = fmt or ("text" if sys.stdout.isatty() or output is None else "json")
    progress = _Progress("Briefing", quiet=quiet)
    try:
        if db:
            with service.Desk(settings, notice=_notice) as desk:
                report = desk.ingest(list(paths), progress=progress)
                briefings = desk.briefings_for(report.article_ids)
                failures = report.failures
        else:
            result = service.brief(list(paths), settings, progress=progress)
            briefings, failures = result.briefings, result.failures
    finally:
        progress.close()
    text = render(briefings, fmt)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    _report_failures(failures, quiet)
    if failures:
        sys.exit(EXIT_PARTIAL)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "text"]),
    default=None,
    help="Output format (default: text on a terminal, json otherwise).",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file.")
@quiet_option
@click.pass_context
@_handle_errors
def analyse(
    ctx: click.Context, inputs: tuple[Path, ...], fmt: str | None, output: Path | None, quiet: bool
) -> None:
    """Show what storydesk reads in each article under INPUTS, in input order.

    For every article: its title, outlet (and whether storydesk inferred it from the page), date, the
    text as stored, and character offsets into that text of its sentences, named entities (with the
    actor each belongs to), quotations (speaker, speech verb) and dates (TIMEX3 type, value, and what a
    relative date was resolved against). In JSON, `input` names the file and, for JSONL, the line
    (1-based). Nothing is stored; articles are not grouped.

    \b
    Examples:
      storydesk analyse article.txt
      storydesk analyse --format json news.jsonl > analysis.json
      storydesk analyse --format json page.html | jq '.articles[0].quotes'
    """
    from . import service
    from .render import render_analysis

    settings = _settings(ctx)
    fmt = fmt or ("text" if sys.stdout.isatty() and output is None else "json")
    progress = _Progress("Analysing", quiet=quiet)
    try:
        result = service.analyse(list(inputs), settings, progress=progress)
    finally:
        progress.close()
    text = render_analysis(result.articles, fmt)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    _report_failures(result.failures, quiet)
    if result.failures:
        sys.exit(EXIT_PARTIAL)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@quiet_option
@click.pass_context
@_handle_errors
@_stoppable
def ingest(ctx: click.Context, paths: tuple[Path, ...], db: str | None, quiet: bool) -> None:
    """Add the articles under PATHS to the store and update their stories.

    Each article is stored in its own transaction: an interrupted ingest loses at most the article in
    flight, and running it again picks up where it stopped. Ingesting the same article twice changes nothing.

    \b
    Examples:
      storydesk ingest examples/
      storydesk ingest --db team.db feeds/*.xml crawl.warc.gz
    """
    from . import service

    settings = _settings(ctx, db=db)
    progress = _Progress("Ingesting", quiet=quiet)
    try:
        with service.Desk(settings, notice=_notice) as desk:
            report = desk.ingest(list(paths), progress=progress)
    finally:
        progress.close()
    _report_failures(report.failures, quiet)
    if not quiet:
        click.echo(report.line(), err=True)
    if report.failures:
        sys.exit(EXIT_PARTIAL)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Run on this Dask cluster (tcp://host:8786); needs a Postgres --db.",
)
@click.option(
    "--workers",
    type=click.IntRange(1),
    help="Start a local Dask cluster of N processes (default: one per core).",
)
@click.option(
    "--work-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the stages' Parquet files; run again with it to resume (needed with --scheduler: "
    "every worker must see it). Default: a folder named after the store beside it.",
)
@click.option(
    "--stop-after",
    type=click.Choice(["read", "dedup", "cluster"]),
    help="Stop once this stage is done (a later run with the same --work-dir goes on from there).",
)
@quiet_option
@click.pass_context
@_handle_errors
def scale(
    ctx: click.Context,
    paths: tuple[Path, ...],
    db: str | None,
    scheduler: str | None,
    workers: int | None,
    work_dir: Path | None,
    stop_after: str | None,
    quiet: bool,
) -> None:
    """Load the articles under PATHS into an empty store with a Dask cluster: the same stories as `ingest`.

    The stages run as Dask tasks over partitions (read + extract, near-duplicates, stories per time
    window, a briefing per story), each writing Parquet to the work folder: a run that stopped resumes
    where it was. `stories`, `show` and `serve` read the result as they read an ingest's.

    \b
    Examples:
      storydesk scale --db news.db --workers 2 crawl/
      storydesk scale --db postgresql+psycopg://db/news --scheduler tcp://head:8786 --work-dir /shared/run1 /shared/cc-news/
    """
    from . import service

    if scheduler and workers:
        raise click.UsageError("give --scheduler or --workers, not both")
    if scheduler and work_dir is None:
        raise click.UsageError("--scheduler needs --work-dir (a folder every worker mounts)")
    settings = _settings(ctx, db=db)
    options = service.scale_options(
        settings, work_dir=work_dir, scheduler=scheduler, workers=workers, stop_after=stop_after
    )
    progress = _Progress("Scaling", quiet=quiet)
    try:
        report = service.scale(list(paths), settings, options, progress=progress)
    finally:
        progress.close()
    _report_failures(report.failures, quiet)
    if not quiet:
        click.echo(report.line(), err=True)
    if report.failures:
        sys.exit(EXIT_PARTIAL)


@main.command()
@db_option
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0)
@click.option("--since", metavar="YYYY-MM-DD", help="Only stories with articles on or after this date.")
@click.option("--until", metavar="YYYY-MM-DD", help="Only stories with articles on or before this date.")
@click.option("--actor", help="Only stories mentioning this actor.")
@click.option(
    "--related", metavar="ID", help="Only the stories of the same subject as story ID (its related stories)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@click.pass_context
@_handle_errors
def stories(
    ctx: click.Context,
    db: str | None,
    limit: int,
    offset: int,
    since: str | None,
    until: str | None,
    actor: str | None,
    related: str | None,
    as_json: bool,
) -> None:
    """List stored stories, newest first: id, title, articles, outlets, date range.

    \b
    Examples:
      storydesk stories
      storydesk stories --since 2019-04-01 --actor Putin
      storydesk stories --related 3f2a9c0d1e2b4a5c
    """
    import dataclasses

    from . import service

    with service.Desk(_settings(ctx, db=db)) as desk:
        rows = desk.stories(
            limit=limit, offset=offset, since=since, until=until, actor=actor, related=related
        )
        ungrouped = desk.ungrouped()
    if ungrouped:
        click.echo(
            f"storydesk: {ungrouped} article{'s' if ungrouped != 1 else ''} not yet grouped into stories "
            "(an ingest is running or was interrupted; `storydesk repair` groups them)",
            err=True,
        )
    for r in rows:
        if as_json:
            click.echo(json.dumps(dataclasses.asdict(r), ensure_ascii=False))
        else:
            first, last = (r.first_published or "")[:10], (r.last_published or "")[:10]
            span = f"{first}–{last}" if first != last else first or "undated"
            click.echo(f"{r.id}  {r.article_count:>3} art {r.outlet_count:>3} out  {span:<21}  {r.title}")


@main.command()
@click.argument("story_id")
@db_option
@format_option()
@click.pass_context
@_handle_errors
def show(ctx: click.Context, story_id: str, db: str | None, fmt: str | None) -> None:
    """Print the briefing of one stored story.

    \b
    Examples:
      storydesk show 3f2a9c0d1e2b4a5c
      storydesk show 3f2a9c0d1e2b4a5c --format md
    """
    from . import service
    from .render import render

    with service.Desk(_settings(ctx, db=db)) as desk:
        b = desk.briefing(story_id)
    click.echo(render([b], fmt or "text"), nl=False)


@main.command()
@db_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to listen on; any other than loopback prints what it exposes (writes need api_token).",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--get", "get_path", metavar="PATH", help="Answer one request in-process and print it; no server."
)
@click.option(
    "--watch", "watch", is_flag=True, help="Also poll the followed sources, as `storydesk watch` does."
)
@click.option(
    "--interval",
    metavar="DURATION",
    help="With --watch: poll sources this often (90s, 15m, 1h; setting poll_interval).",
)
@click.pass_context
@_handle_errors
def serve(
    ctx: click.Context,
    db: str | None,
    host: str,
    port: int,
    get_path: str | None,
    watch: bool,
    interval: str | None,
) -> None:
    """Serve the web page and the JSON API over the store.

    With --watch the same process polls the followed sources when due and ingests what is new, on a
    background thread that starts and stops with the server (for a small installation; a failing pass is
    logged and shown on the Sources page, never fatal).

    Only this machine can connect unless --host names another interface; then a warning says what is
    exposed, and write endpoints stay off without an api_token (of 16 characters or more).

    \b
    Examples:
      storydesk serve
      storydesk serve --db team.db --host 0.0.0.0 --port 8080
      storydesk serve --watch --interval 15m
      storydesk serve --get /api/stories
    """
    from contextlib import ExitStack

    from . import service
    from .web import create_app, exposure_notice, request_lock_timeout

    if interval and not watch:
        raise click.UsageError("--interval applies to --watch")
    if watch and get_path:
        raise click.UsageError("--watch runs with the server; leave out --get")
    settings = _settings(ctx, db=db)
    notice = None if get_path else exposure_notice(host, port, settings)
    with ExitStack() as stack:
        # a write request (or a watch pass) waits for another ingest at most request_lock_timeout, then
        # answers 503 (the pass fails and the next comes after the back-off)
        desk = stack.enter_context(service.Desk(settings, lock_timeout=request_lock_timeout(settings)))
        watcher = stack.enter_context(service.Watcher(desk, interval=interval)) if watch else None
        app = create_app(settings, desk=desk, watcher=watcher)
        if get_path:
            from fastapi.testclient import TestClient

            with TestClient(app) as client:
                resp = client.get(get_path)
            click.echo(resp.text)
            sys.exit(0 if resp.status_code < 400 else EXIT_NOT_FOUND)
        import uvicorn

        if notice:
            click.echo(f"storydesk: warning: {notice}", err=True)
        uvicorn.run(app, host=host, port=port, log_level="warning")


@main.group()
def sources() -> None:
    """Follow live sources: RSS, Atom and JSON feeds, news sitemaps, single pages (see `watch`).

    \b
    Examples:
      storydesk sources add https://example.org/feed.xml https://example.org/news-sitemap.xml
      storydesk sources import subscriptions.opml
      storydesk sources list
    """


def _echo_added(report: Any, quiet: bool) -> None:
    for s in report.added:
        click.echo(f"{s.id}  {s.url}" + (f"  [{', '.join(s.tags)}]" if s.tags else ""))
    for f in report.problems:
        click.echo(f"storydesk: refused {f.origin}: {f.reason}", err=True)
    if not quiet:
        click.echo(report.line(), err=True)
    if report.problems:
        sys.exit(EXIT_PARTIAL)


@sources.command("add")
@click.argument("urls", nargs=-1, required=True)
@click.option(
    "--kind",
    type=click.Choice(["auto", "feed", "sitemap", "page"]),
    default="auto",
    show_default=True,
    help="auto: a feed or a sitemap, told by its first answer; page: the URL itself is an article.",
)
@click.option("--tag", "tags", multiple=True, help="A tag for these sources (repeatable).")
@click.option("--interval", metavar="DURATION", help="Poll these sources this often (90s, 15m, 1h, 1d).")
@db_option
@quiet_option
@click.pass_context
@_handle_errors
def sources_add(
    ctx: click.Context,
    urls: tuple[str, ...],
    kind: str,
    tags: tuple[str, ...],
    interval: str | None,
    db: str | None,
    quiet: bool,
) -> None:
    """Follow the feeds, sitemaps or pages at URLS; nothing is fetched until `watch`.

    \b
    Examples:
      storydesk sources add https://example.org/rss.xml
      storydesk sources add --tag world --interval 15m https://example.org/news-sitemap.xml
      storydesk sources add --kind page https://example.org/live-blog
    """
    from . import service

    with service.Desk(_settings(ctx, db=db)) as desk:
        report = service.add_sources(desk, list(urls), kind=kind, tags=tags, interval=interval)  # type: ignore[arg-type]
    _echo_added(report, quiet)


@sources.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@db_option
@quiet_option
@click.pass_context
@_handle_errors
def sources_import(ctx: click.Context, file: Path, db: str | None, quiet: bool) -> None:
    """Follow every feed of an OPML file; its folders become tags ("News/World").

    \b
    Example:
      storydesk sources import subscriptions.opml
    """
    from . import service

    with service.Desk(_settings(ctx, db=db)) as desk:
        report = service.import_opml(desk, file)
    _echo_added(report, quiet)


def _when(value: str | None) -> str:
    return value.replace("T", " ")[:16] + " UTC" if value else "never"


@sources.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines (every field).")
@click.pass_context
@_handle_errors
def sources_list(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """Show each followed source: last fetch, status, 304 hits, entries, errors, next poll.

    \b
    Examples:
      storydesk sources list
      storydesk sources list --json | jq .last_error
    """
    import dataclasses

    from . import service

    with service.Desk(_settings(ctx, db=db)) as desk:
        listings = service.list_sources(desk)
    for item in listings:
        s, c = item.source, item.counts
        if as_json:
            row = {**dataclasses.asdict(s), "entries": dataclasses.asdict(c)}
            click.echo(json.dumps(row, ensure_ascii=False))
            continue
        status = (s.last_status or "new").replace("_", " ") + (f" {s.http_status}" if s.http_status else "")
        click.echo(
            f"{s.id}  {s.kind:<7} {status:<16} last {_when(s.last_fetch_at)}  304s {s.not_modified_count}/"
            f"{s.fetch_count}  entries {c.total} ({c.ingested} in, {c.pending} pending, {c.failed} failed, "
            f"{c.old} old)  errors {s.error_count}  next {_when(s.next_poll_at)}  {s.url}"
        )
        if s.last_error:
            click.echo(f"    last error: {s.last_error}")


@sources.command("remove")
@click.argument("ident", metavar="ID")
@db_option
@click.pass_context
@_handle_errors
def sources_remove(ctx: click.Context, ident: str, db: str | None) -> None:
    """Stop following a source (ID, a unique id prefix, or its URL); its articles and stories stay.

    \b
    Example:
      storydesk sources remove 3f2a9c0d1e2b
    """
    from . import service

    with service.Desk(_settings(ctx, db=db)) as desk:
        removed = service.remove_source(desk, ident)
    click.echo(f"removed {removed.id}  {removed.url}")


@main.command()
@click.option("--once", is_flag=True, help="One pass over the due sources, then exit (for cron).")
@click.option(
    "--interval", metavar="DURATION", help="Poll sources this often (90s, 15m, 1h; setting poll_interval)."
)
@db_option
@quiet_option
@click.pass_context
@_handle_errors
@_stoppable
def watch(ctx: click.Context, once: bool, interval: str | None, db: str | None, quiet: bool) -> None:
    """Poll the followed sources when due and ingest what is new, like `ingest` (Ctrl-C stops).

    Exit status with --once: 0 when every source and page worked, 1 when some failed.

    \b
    Examples:
      storydesk watch
      storydesk watch --once --interval 15m      # from cron, every 15 minutes
    """
    from . import service

    def show(report: Any) -> None:
        for f in report.failures:
            click.echo(f"storydesk: failed {f.origin}: {f.reason}", err=True)
        if not quiet:
            click.echo(report.line(), err=True)

    desk = service.Desk(_settings(ctx, db=db), notice=_notice)
    with desk, service.Watcher(desk, interval=interval) as watcher:
        progress = _Progress("Watching", quiet=quiet or not once)
        try:
            report = watcher.run(once=once, on_pass=show, progress=progress)
        except KeyboardInterrupt:
            report = None
        finally:
            progress.close()
    if once and report is not None and report.failures:
        sys.exit(EXIT_PARTIAL)


def _checkup_lines(c: Any) -> list[tuple[str, bool, str]]:
    """(check, ok, what it found) for each line of ``doctor``."""
    m = c.membership
    found = f"{len(c.integrity)} problem(s), first: {c.integrity[0]}" if c.integrity else "ok"
    rows = [("integrity", not c.integrity, found)]
    if c.integrity and not c.revisions:
        return rows  # too damaged to check further
    if c.schema_current:
        rows.append(("schema", True, f"ok (revision {c.latest})"))
    else:
        at = ",".join(c.revisions) or "no storydesk tables"
        rows.append(("schema", False, f"at {at}, latest {c.latest}"))
        return rows
    rows.append(("full-text index", c.fulltext is None, c.fulltext or "ok"))
    problems = [
        f"{len(m.in_several)} articles in several stories" if m.in_several else "",
        f"{len(m.empty_stories)} stories without articles" if m.empty_stories else "",
        f"{len(m.stray_copies)} near-duplicates away from their original's story" if m.stray_copies else "",
        f"{len(m.copy_chains)} near-duplicates folded into a near-duplicate" if m.copy_chains else "",
    ]
    rows.append(("story membership", not m.damaged, "; ".join(p for p in problems if p) or "ok"))
    if not m.ungrouped:
        rows.append(("grouping", True, "ok (every article is in a story)"))
    elif c.busy:
        rows.append(("grouping", True, f"{m.ungrouped} articles not grouped yet: {c.busy} is ingesting"))
    else:
        rows.append(("grouping", False, f"{m.ungrouped} articles in no story (an interrupted ingest)"))
    return rows


@main.command()
@db_option
@click.pass_context
@_handle_errors
def doctor(ctx: click.Context, db: str | None) -> None:
    """Check the store: integrity, schema, full-text index, every article in exactly one story.

    Changes nothing (not even the schema). Exit status 0 when healthy, 1 when `storydesk repair` has
    something to do.

    \b
    Example:
      storydesk doctor --db team.db
    """
    from . import service

    with service.Desk(_settings(ctx, db=db), migrate=False) as desk:
        checkup = desk.checkup()
    for name, ok, found in _checkup_lines(checkup):
        click.echo(f"{'ok  ' if ok else 'FAIL'}  {name:<17} {found}")
    if not checkup.ok:
        click.echo("storydesk: problems found; `storydesk repair` repairs what it can", err=True)
        sys.exit(EXIT_PARTIAL)


@main.command()
@db_option
@quiet_option
@click.pass_context
@_handle_errors
@_stoppable
def repair(ctx: click.Context, db: str | None, quiet: bool) -> None:
    """Repair the store: apply missing migrations, rebuild the full-text index, group again the articles
    of stories with inconsistent membership, and group every article left in no story.

    Waits for a running ingest (setting lock_timeout). Prints what it did, then the checks of `doctor`.
    Damaged indexes are rebuilt; a damaged table is not: restore a backup (exit status 3).

    \b
    Example:
      storydesk repair --db team.db
    """
    from . import service

    progress = _Progress("Repairing", quiet=quiet)
    try:
        with service.Desk(_settings(ctx, db=db), notice=_notice, migrate=False) as desk:
            report = desk.repair(progress=progress)
    finally:
        progress.close()
    for action in report.actions or ["nothing to repair"]:
        click.echo(f"repaired: {action}")
    assert report.after is not None
    for name, ok, found in _checkup_lines(report.after):
        click.echo(f"{'ok  ' if ok else 'FAIL'}  {name:<17} {found}")
    if report.after.integrity:
        _fail(
            "a table of the database file is damaged, which repair cannot mend: restore a backup", EXIT_STORE
        )
    if not report.after.ok:
        sys.exit(EXIT_PARTIAL)


@main.group()
def config() -> None:
    """Inspect settings (defaults < TOML file < STORYDESK_* variables < --set)."""


@config.command("show")
@click.pass_context
@_handle_errors
def config_show(ctx: click.Context) -> None:
    """Print each setting, its value and where the value came from.

    \b
    Example:
      STORYDESK_SUMMARY_SENTENCES=3 storydesk config show
    """
    obj = ctx.find_root().obj or {}
    settings, origin = load_settings(config_file=obj.get("config"), overrides=obj.get("sets", {}))
    for name in DOCS:
        value = getattr(settings, name)
        if "key" in name or "token" in name:
            value = "***" if value else ""
        click.echo(f"{name} = {value!r}  ({origin[name]})")
    click.echo(f"# store: {settings.db_url}")


def _register_subcommands() -> None:
    """Command groups that live beside the code they drive (``storydesk eval``)."""
    from .eval.cli import eval_group

    main.add_command(eval_group)


_register_subcommands()

if __name__ == "__main__":  # pragma: no cover
    main()
