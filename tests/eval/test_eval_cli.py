"""`storydesk eval` end to end on tiny data sets written by the test: the --json shape and the table."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from click.testing import CliRunner

from storydesk.cli import main

_FACTS = [
    "The river Tarn burst its banks at Kettleby on Monday after three days of rain.",
    "More than 400 homes were flooded and 1,200 people were moved to shelters.",
    "The regional council opened two emergency shelters in school halls.",
    "Engineers said the flood defences had been due for repair since 2019.",
    "The mayor asked the national government for emergency funds.",
    "Insurers sent assessors to the town on Tuesday morning.",
]


def _cluster(cid: str, topic: str) -> dict:
    arts = []
    for i in range(3):
        sents = [f.replace("Tarn", topic) for f in _FACTS[i:] + _FACTS[:i]]
        arts.append(
            {
                "id": f"{cid}-{i}",
                "outlet": f"Outlet {i}",
                "published": f"2024-01-0{i + 1}",
                "title": None,
                "text": "\n\n".join(sents),
            }
        )
    summary = " ".join(f.replace("Tarn", topic) for f in _FACTS[:3])
    return {
        "id": cid,
        "set": "test",
        "articles": arts,
        "summaries": [summary, summary],
        "peers": {"Lead": _FACTS[0].replace("Tarn", topic)},
    }


def _json(args: list[str]) -> dict:
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_eval_summarize_json_and_table(tmp_path: Path) -> None:
    data = tmp_path / "mds.jsonl"
    data.write_text("\n".join(json.dumps(_cluster(c, t)) for c, t in [("c1", "Tarn"), ("c2", "Avon")]) + "\n")
    out = _json(["eval", "summarize", "--data", str(data), "--words", "40", "--json"])
    assert out["task"] == "summarize" and out["data"] == str(data)
    systems = {r["system"]: r for r in out["rows"]}
    assert {"storydesk", "Lead", "sumy-LexRank", "sumy-TextRank"} <= set(systems)
    for key in ("rouge1_recall", "rouge2_recall", "rougeL_recall", "rouge1_f1", "rouge2_f1", "rougeL_f1"):
        assert 0 <= systems["storydesk"][key] <= 100
    assert systems["storydesk"]["rouge1_recall"] > systems["Lead"]["rouge1_recall"]
    for key in ("first_sentence_rouge1_recall", "dangling_share", "dangling_sentences", "summary_sentences"):
        assert key in systems["storydesk"]
    assert "first_sentence_rouge1_recall" in systems["news-lead"]
    table = CliRunner().invoke(main, ["eval", "summarize", "--data", str(data), "--words", "40"]).stdout
    assert "95% CI" in table and "minus best peer" in table and "storydesk" in table
    assert "news-lead" in table and "first summary sentence" in table and "dangling starts:" in table


def test_eval_cluster_json(tmp_path: Path) -> None:
    rows = []
    for story, topic in (("s1", "Tarn"), ("s2", "Avon")):
        for a in _cluster(story, topic)["articles"]:
            rows.append({**a, "story": story})
    rows.append(
        {
            "id": "x",
            "outlet": "O",
            "published": "2024-01-02",
            "title": None,
            "story": "s3",
            "text": "The chess club of Ashwell won the county cup after a tense final round.",
        }
    )
    data = tmp_path / "stories.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    out = _json(["eval", "cluster", "--data", str(data), "--json"])
    assert out["task"] == "cluster"
    modes = {(r["system"], r.get("mode")) for r in out["rows"]}
    assert {("storydesk", "batch"), ("storydesk", "stream")} <= modes
    for r in out["rows"]:
        assert r["stories_gold"] == 3
        assert 0 <= r["bcubed_f1"] <= 1 and 0 <= r["pairwise_f1"] <= 1


def test_eval_extract_json(tmp_path: Path) -> None:
    body = " ".join(_FACTS)
    html = (
        f"<html><head><title>Flood</title></head><body><nav>Home | World</nav><article><h1>Flood</h1>"
        f"{''.join(f'<p>{f}</p>' for f in _FACTS)}<p>Leave a Reply</p></article><footer>© 2024 Net</footer></body></html>"
    )
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "p1.html.gz").write_bytes(gzip.compress(html.encode()))
    (tmp_path / "ground-truth.json").write_text(
        json.dumps({"p1": {"articleBody": body, "url": "https://x.example/1"}})
    )
    out = _json(["eval", "extract", "--data", str(tmp_path), "--json"])
    rows = {r["system"]: r for r in out["rows"]}
    assert set(rows) == {"storydesk", "trafilatura"}
    assert (
        rows["storydesk"]["recall"] > 0.9
        and rows["storydesk"]["precision"] >= rows["trafilatura"]["precision"]
    )
