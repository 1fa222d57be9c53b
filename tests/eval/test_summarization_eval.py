import json

import nltk
import pytest

from _paths import SHARED_DATA
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
    assert systems == ["storydesk", "news-lead", "First", "sumy-LexRank", "sumy-TextRank"]
    ours = table["rows"][0]
    for metric in METRICS:
        assert 0.0 <= ours[metric] <= 100.0
        lo, hi = ours[f"{metric}_ci"]
        assert lo <= ours[metric] <= hi
        assert table["storydesk_minus_best_peer"][metric]["best_peer"] in systems[2:]
    assert ours["rouge1_recall"] > 0
    # what a reader sees first: the first sentence of the five-sentence summary next to the news lead
    lead = table["rows"][1]
    assert set(lead) == {"system", "first_sentence_rouge1_recall", "first_sentence_rouge1_recall_ci"}
    assert 0 < lead["first_sentence_rouge1_recall"] <= 100 and 0 < ours["first_sentence_rouge1_recall"] <= 100
    assert ours["summary_sentences"] > 0 and 0 <= ours["dangling_sentences"] <= ours["summary_sentences"]
    assert ours["dangling_share"] == round(100 * ours["dangling_sentences"] / ours["summary_sentences"], 2)
    assert table["first_sentence_words"] == 25 and table["product_max_sentences"] == 5


def test_news_lead_is_the_first_sentence_of_the_earliest_article_without_its_dateline():
    from storydesk.analyse import analyse_article
    from storydesk.eval.summarization import news_lead

    # DUC 2003 d100a: the earliest article (XIE19960807.0183, 1996-08-07) is the last of 12 in the file
    cluster = next(c for c in read_mds(SHARED_DATA / "mds" / "duc2003.jsonl") if c.id == "d100a")
    analyses = [analyse_article(a) for a in cluster.articles]
    assert cluster.articles[-1].id == "XIE19960807.0183"
    assert all(a.published > "1996-08-07" for a in cluster.articles[:-1])
    # the dateline stays in the stored text but belongs to no sentence (#15)
    assert cluster.articles[-1].text.lstrip().startswith("TIANJIN, August 7 (Xinhua) -- People's palms")
    assert analyses[-1].sentences[0].text.startswith("People's palms")
    assert news_lead(analyses).startswith(
        "People's palms and fingerprints may be used to diagnose schizophrenia"
    )
    assert news_lead([]) == ""


def test_first_sentences_scores_the_opening_and_counts_dangling_starts_on_dev_clusters():
    from storydesk.brief.summarize import SummaryOptions, summarize
    from storydesk.brief.summarize.cohesion import dangling
    from storydesk.eval.rouge import score_summary
    from storydesk.eval.summarization import first_sentences

    clusters = read_mds(SHARED_DATA / "mds" / "duc2003.jsonl")[:3]
    out = first_sentences(clusters)
    summaries = [summarize(c.articles, SummaryOptions(max_sentences=5)) for c in clusters]
    assert out["sentences"] == sum(len(s) for s in summaries)
    assert out["dangling"] == sum(sum(dangling(s)) for s in summaries)
    for n, (c, summary) in enumerate(zip(clusters, summaries, strict=True)):
        want = score_summary(summary[0].text, list(c.summaries), words=25)["rouge1_recall"]
        assert out["storydesk"].values["rouge1_recall"][n] == pytest.approx(want)
