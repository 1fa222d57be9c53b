"""`storydesk eval verify` end to end on a small labelled set written by the test."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from storydesk.cli import main
from storydesk.errors import IngestError
from storydesk.eval.faithfulness import balanced_accuracy, choose_threshold, read_faithfulness

_ARTICLES = [
    (
        "The river Tarn burst its banks at Kettleby on Monday after three days of rain. "
        "More than 400 homes were flooded and 1,200 people were moved to shelters. "
        "Mayor Anna Lindqvist asked the national government for emergency funds."
    ),
    (
        "Striker Tomas Berg scored twice as Harbour City beat Valley Rovers 3-1 on Saturday. "
        "The win lifts Harbour City to second place in the league. "
        "Coach Maria Olsen said the team had played its best football of the season."
    ),
]
_SUPPORTED = [
    "The river Tarn burst its banks at Kettleby on Monday.",
    "More than 400 homes were flooded and 1,200 people were moved to shelters.",
    "Mayor Anna Lindqvist asked the government for emergency funds.",
    "Tomas Berg scored twice as Harbour City beat Valley Rovers 3-1.",
    "The win lifts Harbour City to second place in the league.",
    "Maria Olsen said the team had played its best football of the season.",
]
_UNSUPPORTED = [
    "The river Tarn burst its banks at Kettleby on Friday.",
    "More than 900 homes were flooded and 5,000 people were moved to shelters.",
    "Mayor Erik Dahl asked the European Union for emergency funds.",
    "Tomas Berg scored three times as Harbour City lost to Valley Rovers 1-4.",
    "The defeat drops Harbour City to last place in the league.",
    "Maria Olsen resigned after the match, saying the team had not improved.",
]


def _row(n: int, claim: str, label: int, cut: str = "val") -> dict:
    return {
        "id": f"t{n}",
        "dataset": "CLIFF",
        "origin": "cnndm",
        "cut": cut,
        "source": _ARTICLES[0 if n % 6 < 3 else 1],
        "claim": claim,
        "label": label,
        "level": "summary",
        "model_name": "BART",
        "era": "SOTA",
        "aggrefact_ftsota": True,
        "label_info": {},
    }


def _write(path: Path, cut: str = "val") -> Path:
    rows = [_row(n, c, 1, cut) for n, c in enumerate(_SUPPORTED)]
    rows += [_row(n, c, 0, cut) for n, c in enumerate(_UNSUPPORTED)]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


def test_eval_verify_json_rows_and_predictions(tmp_path: Path) -> None:
    data = _write(tmp_path / "faith.jsonl")
    preds = tmp_path / "preds.jsonl"
    args = ["eval", "verify", "--data", str(data), "--json", "--predictions", str(preds)]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["task"] == "verify" and out["data"] == str(data)
    rows = {(r["system"], r["component"]): r for r in out["rows"]}
    ours = rows[("storydesk-offline", "CLIFF:cnndm:summary")]
    assert ours["n"] == 12 and ours["unsupported"] == 6
    # clear-cut inventions (numbers, names, dates, reversed outcomes) against copies of the article
    assert ours["balanced_accuracy"] >= 90.0
    assert ("word-overlap", "CLIFF:cnndm:summary") in rows
    assert rows[("QuestEval (published, test cut)", "CLIFF:cnndm:summary")]["balanced_accuracy"] == 74.0
    lines = [json.loads(line) for line in preds.read_text().splitlines()]
    assert [p["id"] for p in lines] == [f"t{n}" for n in range(6)] * 2
    assert set(lines[0]) == {"id", "score", "supported"}
    assert sum(p["supported"] for p in lines[:6]) >= 5 and sum(p["supported"] for p in lines[6:]) <= 1


def test_eval_verify_table_and_choose(tmp_path: Path) -> None:
    data = _write(tmp_path / "faith.jsonl")
    table = CliRunner().invoke(main, ["eval", "verify", "--data", str(data)], catch_exceptions=False)
    assert table.exit_code == 0, table.output
    assert "storydesk-offline" in table.output and "balanced_accuracy" in table.output
    chosen = CliRunner().invoke(
        main, ["eval", "verify", "--data", str(data), "--choose"], catch_exceptions=False
    )
    assert chosen.exit_code == 0, chosen.output
    rules = json.loads(chosen.stdout)
    assert set(rules["weights"]) == {"bias", "novel", "cosine", "unfound", "negation"}
    assert "CLIFF:cnndm:summary" in rules["component_thresholds"]


def test_a_test_cut_needs_the_dev_cut(tmp_path: Path) -> None:
    data = _write(tmp_path / "faith-test.jsonl", cut="test")
    result = CliRunner().invoke(main, ["eval", "verify", "--data", str(data)])
    assert result.exit_code != 0
    assert "not a dev cut: pass --dev" in str(result.exception) + result.output


def test_bad_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(_row(0, "x", 1)) + "\n{not json\n")
    with pytest.raises(IngestError, match=r"bad.jsonl:2: not a faithfulness pair"):
        read_faithfulness(path)


def test_threshold_choice_and_balanced_accuracy() -> None:
    labels = np.array([1, 1, 1, 0, 0])
    scores = np.array([0.9, 0.8, 0.4, 0.3, 0.5])
    t = choose_threshold(labels, scores)
    assert 0.5 < t <= 0.8  # accepts 0.9 and 0.8, rejects the rest: TPR 2/3, TNR 1
    assert balanced_accuracy(labels, scores >= t) == pytest.approx(((2 / 3 + 1) / 2, 2 / 3, 1.0))
