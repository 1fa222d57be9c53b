import json

import nltk
import pytest

from storydesk.eval.datasets import read_mds
from storydesk.eval.rouge import METRICS
from storydesk.eval.summarization import SumyTokenizer, evaluate_summaries, sumy_summary
from storydesk.model import Article

ARTICLES = [
    Article(
        id=f"x{n}",
        title="Harbor flood",
        text=(
            f"Heavy rain flooded the Portwell harbor district on Sunday, outlet {n} reported. "
            "Hundreds of residents left their homes as the water rose through the night. "
            "The mayor opened three schools as emergency shelters for the families.\n\n"
            "Engineers said the old sea wall failed after two days of storms. "
            "Repairs to the sea wall will take at least six weeks, the city said."
        ),
    )
    for n in range(3)
]


@pytest.fixture
def no_nltk_data(monkeypatch):
    monkeypatch.setattr(nltk.data, "path", [])


def test_sumy_tokenizer_needs_no_nltk_data(no_nltk_data):
    tok = SumyTokenizer()
    assert tok.to_sentences("Mr. Lee left at 5 p.m. on Friday. He came back.") == (
        "Mr. Lee left at 5 p.m. on Friday.",
        "He came back.",
    )
    assert tok.to_words("The sea-wall's repair cost $5.5 million.") == (
        "The",
        "sea-wall's",
        "repair",
        "cost",
        "5.5",
        "million",
    )
    for method in ("lexrank", "textrank"):
        summary = sumy_summary(ARTICLES, method, words=20)
        assert len(summary.split()) >= 20
        assert summary.split()[0][0].isupper()
    with pytest.raises(ValueError):
        sumy_summary(ARTICLES, "nope")


def test_evaluate_summaries_table(tmp_path, no_nltk_data):
    path = tmp_path / "tiny.jsonl"
    rows = []
    for n in range(3):
        rows.append(
            {
                "id": f"c{n}",
                "set": "invented",
                "articles": [
                    {
                        "id": a.id,
                        "outlet": "o",
                        "published": f"2020-01-0{k + 1}",
                        "title": None,
                        "text": a.text,
                    }
                    for k, a in enumerate(ARTICLES)
                ],
                "summaries": ["Rain flooded Portwell harbor; the sea wall failed and residents fled."],
                "peers": {"First": "Heavy rain flooded the Portwell harbor district on Sunday."},
            }
        )
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    assert len(read_mds(path)) == 3
    table = evaluate_summaries(path, words=30, embedder="tfidf")
    assert table["task"] == "summarize" and table["data"] == str(path)
    systems = [r["system"] for r in table["rows"]]
    assert systems == ["storydesk", "First", "sumy-LexRank", "sumy-TextRank"]
    ours = table["rows"][0]
    for metric in METRICS:
        assert 0.0 <= ours[metric] <= 100.0
        lo, hi = ours[f"{metric}_ci"]
        assert lo <= ours[metric] <= hi
        assert table["storydesk_minus_best_peer"][metric]["best_peer"] in systems[1:]
    assert ours["rouge1_recall"] > 0
