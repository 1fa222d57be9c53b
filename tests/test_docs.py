"""Docs stay true: the CLI reference matches --help, and the public API is what __all__ says."""

from __future__ import annotations

import importlib.util

import storydesk
from _paths import REPO


def test_cli_reference_is_current() -> None:
    spec = importlib.util.spec_from_file_location("cli_reference", REPO / "scripts" / "cli_reference.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert (REPO / "docs" / "cli.md").read_text() == mod.reference(), "run: python scripts/cli_reference.py"


def test_exported_members() -> None:
    public = {n for n in dir(storydesk) if not n.startswith("_") and n not in {"annotations", "logging"}}
    modules = {n for n in public if type(getattr(storydesk, n)).__name__ == "module"}
    assert set(storydesk.__all__) - {"__version__"} == public - modules


def test_every_setting_is_in_the_readme() -> None:
    from dataclasses import fields

    from storydesk.config import Settings

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### Settings") : readme.index("## The JSON contract")]
    missing = [f.name for f in fields(Settings) if f"`{f.name}`" not in table]
    assert not missing, f"settings missing from the README's settings table: {missing}"
