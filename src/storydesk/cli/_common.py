"""What every command shares: the progress bar, stopping cleanly on SIGINT/SIGTERM, one error handler that
turns a :class:`~storydesk.errors.StorydeskError` into a message and an exit code, the run's settings, and
the options several commands take (``--db``, ``--format``, ``--quiet``)."""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import click

from ..config import Settings, load_settings
from ..errors import ConfigError, NotFoundError, StoreError, StorydeskError

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
            click.echo(
                f"storydesk: error: stopped by {name}; what was stored is kept: run the same command "
                "again to go on",
                err=True,
            )
            # End now rather than through sys.exit: the command has unwound (every store and pool closed,
            # worker processes ended by stop_pool), but the interpreter's exit handlers join
            # concurrent.futures' manager threads and multiprocessing queues' feeder threads, and one
            # blocked on a pipe whose reader was just killed kept a stopped ingest alive past 30 s in CI.
            # Everything written is committed per article, so ending here is as safe as the SIGKILL the
            # reliability suite already survives.
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(128 + exc.signum)
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


def _end_with_report(report: Any, quiet: bool) -> None:
    """A loading command's last words (``ingest``, ``scale``): each skipped input, the report's line, and
    the exit status ``EXIT_PARTIAL`` when any input was skipped."""
    _report_failures(report.failures, quiet)
    if not quiet:
        click.echo(report.line(), err=True)
    if report.failures:
        sys.exit(EXIT_PARTIAL)
