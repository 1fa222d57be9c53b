import json

from _paths import REPO
from storydesk.extract import extract_article
from storydesk.ingest import read_inputs
from storydesk.model import Failure

EXAMPLES = REPO / "examples"
GOLD = json.loads((EXAMPLES / "expected.json").read_text(encoding="utf-8"))


def test_every_example_extracts_with_metadata_and_no_planted_boilerplate():
    items = list(read_inputs([EXAMPLES]))
    assert not [i for i in items if isinstance(i, Failure)]
    articles = [extract_article(raw) for raw in items]
    assert len(articles) == len(GOLD["articles"]) == 17
    gold = {(g["title"], g["outlet"], g["published"]) for g in GOLD["articles"].values()}
    found = {(a.title, a.outlet, (a.published or "")[:10]) for a in articles}
    assert found == gold
    planted = GOLD["planted"]["boilerplate"]
    for art in articles:
        for para in art.text.split("\n\n"):
            assert not any(para == b or para.startswith(b) for b in planted), (art.path, para)
            assert not para.startswith(("Photo:", "By ")), (art.path, para)
