"""The import rule of ARCHITECTURE.md, read from the source (AST), function-level imports included.

A stage imports only ``model``, ``errors``, ``config``, ``text`` and earlier stages; only ``cli`` and ``web``
import ``service``; no module imports itself back through others (no import circle).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import storydesk

SRC = Path(storydesk.__file__).resolve().parent

#: What every part may use.
BASE = frozenset({"model", "errors", "config", "text"})
#: The stages in the order the data moves; a stage may import the ones before it.
STAGES = ("ingest", "extract", "sources", "analyse", "group", "brief")

ALLOWED: dict[str, frozenset[str]] = {
    "model": frozenset(),
    "errors": frozenset(),
    "text": frozenset({"errors"}),
    "config": frozenset({"errors"}),
    **{stage: BASE | set(STAGES[:i]) for i, stage in enumerate(STAGES)},
    "store": BASE,
    "render": BASE,
    # the run's parts (embedder, spaCy pipeline) and the worker processes that run stage functions
    "components": BASE | set(STAGES),
    "workers": BASE | set(STAGES) | {"components"},
    # the streaming ingest's machinery (storing, placing, briefing), ordered by pipeline; the store
    # only through a protocol
    "stream": BASE | set(STAGES) | {"components", "workers"},
    # the one place that knows the order of the stages: never SQL, HTTP or the interfaces
    "pipeline": BASE | set(STAGES) | {"components", "workers", "stream"},
    "scale": BASE | set(STAGES) | {"components", "workers", "stream", "pipeline", "store", "render"},
    "service": BASE
    | set(STAGES)
    | {"components", "workers", "stream", "pipeline", "store", "render", "scale"},
    "eval": BASE | set(STAGES) | {"components", "workers", "pipeline"},
    "web": BASE | {"service", "render"},
    "cli": BASE | {"service", "render", "eval", "web"},
    "__init__": BASE,
    "__main__": {"cli"},
}


def _modules() -> dict[str, Path]:
    out = {}
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(module: str, path: Path) -> Iterator[tuple[str, int]]:
    """Every storydesk module ``module`` imports (at any depth of the file), with its line."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "storydesk":
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "storydesk":
                continue
            for alias in node.names:  # "from . import x" may import a module
                sub = f"{target}.{alias.name}"
                yield (sub if sub in MODULES else target), node.lineno


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _graph() -> dict[str, set[str]]:
    return {m: {t for t, _ in _imports(m, p) if t in MODULES and t != m} for m, p in MODULES.items()}


def test_every_part_is_declared() -> None:
    undeclared = sorted({_part(m) for m in MODULES} - ALLOWED.keys())
    assert not undeclared, f"add these packages/modules to ALLOWED and ARCHITECTURE.md: {undeclared}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_follow_the_rule(module: str) -> None:
    part = _part(module)
    bad = []
    for target, line in _imports(module, MODULES[module]):
        other = _part(target)
        if other == part or other == "__init__" and target == "storydesk":
            if (
                other == "__init__"
                and part not in ("cli", "__init__", "eval", "service")
                and target == "storydesk"
            ):
                bad.append(f"line {line}: imports the package root")
            continue
        if other not in ALLOWED.get(part, frozenset()):
            bad.append(f"line {line}: {part} may not import {other} ({target})")
    assert not bad, f"{module}: " + "; ".join(bad)


def test_only_cli_and_web_import_service() -> None:
    users = {
        _part(m)
        for m, p in MODULES.items()
        for t, _ in _imports(m, p)
        if _part(t) == "service" and _part(m) != "service"
    }
    assert users <= {"cli", "web"}, users


def test_no_import_circle() -> None:
    graph = _graph()
    seen: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(m: str) -> None:
        seen[m] = 1
        stack.append(m)
        for t in sorted(graph[m]):
            if seen.get(t) == 1:
                circles.append(stack[stack.index(t) :] + [t])
            elif t not in seen:
                visit(t)
        stack.pop()
        seen[m] = 2

    for m in sorted(graph):
        if m not in seen:
            visit(m)
    # a package importing its own submodule from __init__ is how packages export; not a circle
    real = [
        c
        for c in circles
        if not all(a.startswith(b + ".") or b.startswith(a + ".") for a, b in zip(c, c[1:], strict=False))
    ]
    assert not real, "import circles:\n" + "\n".join(" -> ".join(c) for c in real)
