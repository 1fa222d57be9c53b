"""``storydesk analyse`` (#15, part 1): what the analyse stage found in each article, in input order, with
character offsets into the stored text — on real articles nobody here wrote (PolNeAR's political news
with gold quotations, TimeBank documents with gold TIMEX3 dates, from ../shared/data)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from storydesk.cli import main

ARTICLE_KEYS = [
    "id",
    "input",
    "title",
    "outlet",
    "outlet_inferred",
    "published",
    "text",
    "sentences",
    "entities",
    "quotes",
    "dates",
]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _lines(path: Path, picks: list[int]) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    return [rows[i] for i in picks]


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _check_spans(a: dict[str, Any]) -> None:
    """Every reported string is the stored text at its offsets."""
    text = a["text"]
    assert a["sentences"] and all(0 <= s < e <= len(text) and text[s:e].strip() for s, e in a["sentences"])
    assert a["sentences"] == sorted(a["sentences"])
    for kind in ("entities", "quotes", "dates"):
        for item in a[kind]:
            s, e = item["span"]
            assert text[s:e] == item["text"], (kind, item)
    for q in a["quotes"]:
        # A continued quotation keeps its speaker without naming them again: no speaker_span.
        assert q["speaker"] is not None or q["speaker_span"] is None, q
        if q["speaker_span"]:
            s, e = q["speaker_span"]
            assert 0 <= s < e <= len(text) and text[s:e].strip()
            assert not (s < q["span"][1] and q["span"][0] < e), "the speaker is named outside the quotation"


def test_analyse_json_on_real_articles_in_input_order(shared_data: Path, tmp_path: Path) -> None:
    polnear = _lines(shared_data / "quotes" / "polnear-dev.jsonl", [14, 56, 58, 95])
    lines = []
    for r in polnear:
        lines.append(json.dumps({k: r[k] for k in ("title", "outlet", "published", "text")}))
        if len(lines) == 2:
            lines += ["", '{"title": "no text here"}']  # a blank line, then a bad one: named, skipped
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    code, out, err = run("analyse", "--format", "json", str(path))
    assert code == 1, err  # one input failed, the others were analysed
    assert f"{path}:4" in err and "'text'" in err
    articles = json.loads(out)["articles"]
    assert [a["input"] for a in articles] == [{"path": str(path), "line": n} for n in (1, 2, 5, 6)]
    assert [a["title"] for a in articles] == [r["title"] for r in polnear]
    for a, gold in zip(articles, polnear, strict=True):
        assert list(a) == ARTICLE_KEYS
        assert (a["outlet"], a["outlet_inferred"], a["published"]) == (
            gold["outlet"],
            False,
            gold["published"],
        )
        _check_spans(a)
        for e in a["entities"]:
            assert set(e) == {"text", "span", "type", "canonical"}
        for q in a["quotes"]:
            assert set(q) == {"text", "span", "speaker", "speaker_span", "cue", "direct"}
        for d in a["dates"]:
            assert set(d) == {"text", "span", "type", "value", "anchor"}

    # The quotations are PolNeAR's gold direct quotations (found in the stored text by their words).
    found = total = 0
    for a, gold in zip(articles, polnear, strict=True):
        outputs = [set(_words(q["text"])) for q in a["quotes"]]
        for attr in gold["attributions"]:
            if not attr["direct"]:
                continue
            words = set(_words(attr["content"]))
            total += 1
            found += any(len(words & o) >= 0.5 * min(len(words), len(o)) for o in outputs if o)
    assert total >= 18 and found >= 0.8 * total, (found, total)
    # A later bare surname is given the article's full name as its actor.
    canon = {(e["text"], e["canonical"]) for a in articles for e in a["entities"] if e["type"] == "PERSON"}
    surnames = {(t, c) for t, c in canon if c and c != t and len(t.split()) == 1 and c.split()[-1] == t}
    assert surnames, canon


def test_analyse_dates_match_timebank_and_name_their_anchor(shared_data: Path, tmp_path: Path) -> None:
    docs = _lines(shared_data / "timex" / "timex-dev.jsonl", [10, 21, 24])
    path = tmp_path / "timebank.jsonl"
    path.write_text(
        "".join(
            json.dumps({"title": d.get("title") or d["id"], "published": d["published"], "text": d["text"]})
            + "\n"
            for d in docs
        ),
        encoding="utf-8",
    )
    code, out, err = run("analyse", "--format", "json", str(path))
    assert code == 0, err
    articles = json.loads(out)["articles"]
    matched = total = 0
    for a, gold in zip(articles, docs, strict=True):
        _check_spans(a)
        ours = {(d["text"], d["value"]) for d in a["dates"]}
        for t in gold["timexes"]:
            if t["type"] == "DATE":
                total += 1
                matched += (t["text"], t["value"]) in ours
        for d in a["dates"]:
            if d["anchor"] and d["anchor"].startswith("published:"):
                assert d["anchor"] == f"published:{a['published'][:10]}"
    assert total >= 12 and matched >= 0.6 * total, (matched, total)


def test_analyse_text_format_and_other_inputs(shared_data: Path, tmp_path: Path) -> None:
    (gold,) = _lines(shared_data / "quotes" / "polnear-dev.jsonl", [95])
    page = tmp_path / "article.txt"
    page.write_text(f"{gold['title']}\n\n{gold['text']}\n", encoding="utf-8")
    code, out, err = run("analyse", "--format", "json", str(page))
    assert code == 0, err
    (a,) = json.loads(out)["articles"]
    assert a["input"] == {"path": str(page), "line": None} and a["title"] == gold["title"]
    _check_spans(a)
    code, text, err = run("analyse", "--format", "text", str(page))
    assert code == 0, err
    assert text.startswith(f"━━ {gold['title']}\n") and f"{a['id']} · " in text
    assert "\nEntities\n" in text and "\nQuotes\n" in text
    for q in a["quotes"]:
        assert f"{q['span'][0]:>6}-{q['span'][1]:<6}" in text


def test_analyse_help_and_a_missing_input(tmp_path: Path) -> None:
    code, out, _ = run("analyse", "--help")
    assert code == 0 and "Example" in out and "--format [json|text]" in out
    code, out, err = run("analyse", str(tmp_path / "nothing.txt"))
    assert code == 1 and json.loads(out) == {"articles": []} and "nothing.txt" in err
