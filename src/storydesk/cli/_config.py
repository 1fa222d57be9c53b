"""``storydesk config show``: every setting, its value and where it came from."""

from __future__ import annotations

import click

from ..config import DOCS, load_settings
from ._common import _handle_errors


@click.group()
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
