"""``storydesk eval``: quality on the evaluation sets in ../shared/data, next to peers run in the same call.

Each subcommand prints a table, or with ``--json`` one object
``{"task", "data", "rows": [{"system": ..., metrics...}]}``.
"""

from __future__ import annotations

import datetime as _dt
import json
import platform
from pathlib import Path
from typing import Any

import click

__all__ = ["eval_group", "format_table"]


def format_table(result: dict[str, Any], columns: list[str]) -> str:
    rows = result["rows"]
    head = ["system", *columns]
    table = [head]
    for r in rows:
        cells = [str(r.get("system", ""))]
        for c in columns:
            v = r.get(c)
            if isinstance(v, float):
                cells.append(f"{v:.2f}" if abs(v) >= 1.5 else f"{v:.3f}")
            else:
                cells.append("" if v is None else str(v))
        table.append(cells)
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    from storydesk import __version__

    stamp = f"# {result['task']} on {result['data']} — storydesk {__version__}, Python {platform.python_version()}, {_dt.date.today()}"
    extra = [f"# {line}" for line in result.get("notes", [])]
    return "\n".join([stamp, *extra, *lines]) + "\n"


def _emit(result: dict[str, Any], columns: list[str], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
    else:
        click.echo(format_table(result, columns), nl=False)


json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object instead of a table."
)
DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"


#: Packages only the evaluations use, installed by the ``eval`` extra (``pip install 'storydesk[eval]'``).
EVAL_PACKAGES = frozenset({"rouge_score", "sumy", "textacy", "timexy", "dateparser"})


class _EvalGroup(click.Group):
    """A missing evaluation-only package becomes one line naming the extra to install, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ModuleNotFoundError as exc:
            if (exc.name or "").split(".")[0] not in EVAL_PACKAGES:
                raise
            raise click.ClickException(
                f"this evaluation needs the package {exc.name!r}: pip install 'storydesk[eval]'"
            ) from exc


@click.group("eval", cls=_EvalGroup)
def eval_group() -> None:
    """Measure summaries, clustering, extraction, dates and quotes on the evaluation sets, next to peers."""


@eval_group.command("summarize")
@click.option(
    "--data",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="A file in the mds/ format, e.g. ../shared/data/mds/duc2004.jsonl.",
)
@click.option(
    "--words", type=click.IntRange(1), default=100, show_default=True, help="Summary length cut-off."
)
@click.option(
    "--summarizer",
    type=click.Choice(["extractive", "llm"]),
    default="extractive",
    show_default=True,
    help="'llm': also score what summarizer=llm shows (needs llm_url), with the share of generated "
    "sentences rejected.",
)
@click.option(
    "--clusters",
    "first",
    type=click.IntRange(1),
    default=None,
    help="Score only the file's first N clusters (every row on the same clusters).",
)
@json_option
@click.pass_context
def eval_summarize(
    ctx: click.Context, data: Path, words: int, summarizer: str, first: int | None, as_json: bool
) -> None:
    """ROUGE (DUC 2004 protocol) of storydesk, the published peers in the file and live LexRank/TextRank.

    \b
    Example:
      storydesk eval summarize --data ../shared/data/mds/duc2004.jsonl --words 100
    """
    from ..config import load_settings
    from .summarization import evaluate_summaries

    llm_settings = None
    if summarizer == "llm":
        obj = ctx.find_root().obj or {}
        llm_settings, _ = load_settings(config_file=obj.get("config"), overrides=obj.get("sets", {}))
        if not llm_settings.llm_url:
            raise click.ClickException("--summarizer llm needs an LLM endpoint: set llm_url (docs/llm.md)")
    result = evaluate_summaries(data, words=words, llm_settings=llm_settings, first=first)
    ours = next(r for r in result["rows"] if r["system"] == "storydesk")
    notes = [f"{len(result['rows'])} systems, {result['clusters']} clusters, first {words} words"]
    for metric in ("rouge1_recall", "rouge2_recall", "rougeL_recall"):
        lo, hi = ours[f"{metric}_ci"]
        line = f"storydesk {metric} {ours[metric]:.2f}, 95% CI [{lo:.2f}, {hi:.2f}]"
        diff = result["storydesk_minus_best_peer"].get(metric)
        if diff:
            line += (
                f"; minus best peer {diff['best_peer']}: {diff['difference']:+.2f} "
                f"[{diff['ci'][0]:+.2f}, {diff['ci'][1]:+.2f}]"
            )
        notes.append(line)
    lead = next(r for r in result["rows"] if r["system"] == "news-lead")
    gap = ours["first_sentence_minus_news_lead"]
    notes.append(
        f"first summary sentence ({result['product_max_sentences']}-sentence product summary), first "
        f"{result['first_sentence_words']} words, rouge1_recall {ours['first_sentence_rouge1_recall']:.2f}; "
        f"news lead {lead['first_sentence_rouge1_recall']:.2f}; difference {gap['difference']:+.2f} "
        f"[{gap['ci'][0]:+.2f}, {gap['ci'][1]:+.2f}]"
    )
    notes.append(
        f"dangling starts: {ours['dangling_sentences']} of {ours['summary_sentences']} summary sentences "
        f"({ours['dangling_share']:.2f}%)"
    )
    result["notes"] = notes
    cols = ["rouge1_recall", "rouge2_recall", "rougeL_recall", "rouge1_f1", "rouge2_f1", "rougeL_f1"]
    cols += ["first_sentence_rouge1_recall", "dangling_share"]
    if "llm" in result:
        notes.append(
            "storydesk-llm: {clusters_generated} clusters shown a generated summary, {generated_sentences} "
            "generated sentences, {rejected_share}% rejected, {llm_failures} failed calls; {llm_calls} "
            "LLM calls, {prompt_tokens} prompt + {completion_tokens} completion tokens; verification "
            "{verify_ms_median} ms per story (median)".format(**result["llm"])
        )
        if result["llm"]["rejected_reasons"]:
            notes.append(
                "rejected sentences by reason (a sentence may have several): "
                + ", ".join(f"{k} {v}" for k, v in result["llm"]["rejected_reasons"].items())
            )
        cols += ["rejected_share"]
    _emit(result, cols, as_json)


@eval_group.command("cluster")
@click.option(
    "--data",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="Articles with gold story labels, e.g. ../shared/data/stories/duc-stories.jsonl.",
)
@json_option
def eval_cluster(data: Path, as_json: bool) -> None:
    """B-cubed and pairwise F1 of storydesk's story clustering (batch and stream) next to two peers.

    \b
    Example:
      storydesk eval cluster --data ../shared/data/stories/duc-stories.jsonl
    """
    from .clustering import evaluate_clustering

    rows = evaluate_clustering(data)
    result = {"task": "cluster", "data": str(data), "rows": rows}
    cols = [
        "mode",
        "bcubed_precision",
        "bcubed_recall",
        "bcubed_f1",
        "pairwise_f1",
        "stories_found",
        "stories_gold",
    ]
    _emit(result, cols, as_json)


@eval_group.command("extract")
@click.option(
    "--data",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    required=True,
    help="The Zyte benchmark folder, e.g. ../shared/data/extraction-zyte.",
)
@json_option
def eval_extract(data: Path, as_json: bool) -> None:
    """Token-level precision/recall/F1 of the article body: storydesk vs plain trafilatura.

    \b
    Example:
      storydesk eval extract --data ../shared/data/extraction-zyte
    """
    from .extraction import evaluate_extraction

    rows = evaluate_extraction(data)
    result = {"task": "extract", "data": str(data), "rows": rows}
    _emit(result, ["precision", "recall", "f1"], as_json)


@eval_group.command("dates")
@click.option(
    "--data",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="Documents with gold TIMEX3 expressions, e.g. ../shared/data/timex/timex-dev.jsonl.",
)
@click.option(
    "--system",
    "systems",
    multiple=True,
    type=click.Choice(["storydesk", "dateparser.search_dates", "timexy"]),
    help="Run only these systems (repeatable; default: all three).",
)
@json_option
def eval_dates(data: Path, systems: tuple[str, ...], as_json: bool) -> None:
    """TempEval-3 strict, relaxed and value F1 of temporal expressions: storydesk next to live peers.

    Rows for the odd-numbered documents (development half), the even-numbered ones (check half) and all,
    for all TIMEX3 types and for DATE/TIME alone, then the published TempEval-3 rows (another test set).

    \b
    Example:
      storydesk eval dates --data ../shared/data/timex/timex-dev.jsonl
    """
    from .dates import evaluate_dates

    rows = evaluate_dates(data, systems or None)
    result = {
        "task": "dates",
        "data": str(data),
        "rows": rows,
        "notes": [
            "TempEval-3 Task A: strict/relaxed span F1, value F1 = relaxed F1 x value accuracy (percent)",
            "datetime_*: DATE and TIME expressions only; split odd/even = document lines of the file",
            "published rows: TE3-Platinum test set (20 documents), all types, as printed by UzZaman et al. 2013",
        ],
    }
    cols = [
        "split",
        "strict_f1",
        "relaxed_f1",
        "value_f1",
        "datetime_strict_f1",
        "datetime_relaxed_f1",
        "datetime_value_f1",
        "relaxed_precision",
        "relaxed_recall",
        "ms_per_doc",
        "error",
    ]
    _emit(result, cols, as_json)


@eval_group.command("quotes")
@click.option(
    "--data",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="PolNeAR articles with gold attributions, e.g. ../shared/data/quotes/polnear-dev.jsonl.",
)
@click.option("--limit", type=click.IntRange(1), default=None, help="Score only the first N articles.")
@click.option(
    "--examples",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="List N misattributions per system.",
)
@json_option
def eval_quotes(data: Path, limit: int | None, examples: int, as_json: bool) -> None:
    """Quote recall, speaker precision and misattribution: storydesk vs textacy, whole file and halves.

    Rows for two readings of the metric (metric: readme, the data README read literally; strict, a
    shared run of tokens and the person's surname), the trade-off curve of storydesk's speaker
    confidence threshold below the table.

    \b
    Example:
      storydesk eval quotes --data ../shared/data/quotes/polnear-dev.jsonl
    """
    from .quotes import evaluate_quotes

    result = evaluate_quotes(data, limit=limit, examples=examples)
    notes = [
        "split: all lines, odd-numbered lines (calibrated on), even-numbered lines of the file",
        "metric: readme = the data README read literally (multiset token overlap; the gold speaker's last"
        " capitalised word); strict = a shared run of tokens and the person's surname",
        *result["notes"],
    ]
    by_level: dict[float, dict[str, str]] = {}
    for point in result.get("curve", []):
        if point["split"] != "all":
            by_level.setdefault(point["min_confidence"], {})[f"{point['metric']} {point['split']}"] = (
                f"{point['misattribution'] * 100:.2f}% at {point['shown_with_speaker']:.3f}"
            )
    for level, cells in sorted(by_level.items()):
        mark = " (the rule)" if level == result.get("min_confidence") else ""
        notes.append(
            f"curve, speakers with confidence >= {level:.3f}{mark}: misattribution at share of matched quotes"
            " shown with a speaker: " + "; ".join(f"{k} {v}" for k, v in sorted(cells.items()))
        )
    for p in result["published"]:
        figures = ", ".join(f"{k} {v}" for k, v in p.items() if "_f1" in k and v is not None)
        notes.append(f"published ({p['corpus']}, span-level F1; NOT comparable): {p['system']}: {figures}")
    for w in result.get("misattributions", []):
        notes.append(
            f"misattributed ({w['system']}, {w['article']}): {w['text'][:80]!r} -> {w['speaker']!r}; gold {list(w['gold'])}"
        )
    result["notes"] = notes
    cols = [
        "metric",
        "split",
        "articles",
        "quote_recall",
        "speaker_precision",
        "misattribution",
        "misattribution_annotated",
        "shown_with_speaker",
        "gold_quotes",
        "gold_found",
        "output_quotes",
        "matched",
        "with_speaker",
        "wrong_speaker",
        "speaker_unscored",
        "ms_per_article",
    ]
    _emit(result, cols, as_json)


@eval_group.command("verify")
@click.option(
    "--data",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="Labelled (article, claim) pairs, e.g. ../shared/data/faithfulness/faithfulness-dev.jsonl.",
)
@click.option(
    "--dev",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The dev cut the live peers' thresholds are chosen on when --data is a test cut.",
)
@click.option(
    "--predictions",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help='Write one line per pair: {"id", "score", "supported"} (the offline checker).',
)
@click.option(
    "--choose",
    is_flag=True,
    help="Fit the offline score's weights and choose the thresholds on --data (a dev cut); print them "
    "for storydesk/brief/verify/rules.py instead of scoring.",
)
@json_option
@click.pass_context
def eval_verify(
    ctx: click.Context, data: Path, dev: Path | None, predictions: Path | None, choose: bool, as_json: bool
) -> None:
    """Balanced accuracy of the sentence verifier per component, next to word overlap and the published
    checkers (and the judge at verify_url, when set).

    \b
    Example:
      storydesk eval verify --data ../shared/data/faithfulness/faithfulness-dev.jsonl
    """
    from ..brief.llm import support_checker
    from ..config import load_settings
    from ..group.embed import get_embedder
    from .faithfulness import choose as choose_rules
    from .faithfulness import evaluate_faithfulness

    obj = ctx.find_root().obj or {}
    settings, _ = load_settings(config_file=obj.get("config"), overrides=obj.get("sets", {}))
    embedder = get_embedder("minilm")
    if choose:
        click.echo(json.dumps(choose_rules(data, embedder=embedder), indent=2))
        return
    judge = support_checker(settings, embedder) if settings.verify_url else None
    result = evaluate_faithfulness(data, embedder=embedder, dev=dev, judge=judge, predictions=predictions)
    result["notes"] = [
        f"{result['pairs']} pairs; offline checker {result['offline_ms_per_pair']} ms per pair; thresholds "
        "chosen on the dev cut (ba_cv: threshold chosen on one half of the dev rows, scored on the other)",
    ]
    cols = ["component", "n", "unsupported", "balanced_accuracy", "ba_cv", "tpr", "tnr", "threshold"]
    _emit(result, cols, as_json)
