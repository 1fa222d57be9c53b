import json

import pytest

from _paths import REPO, SHARED_DATA
from storydesk.extract import extract_article
from storydesk.extract._text import parse_byline, read_header
from storydesk.ingest import read_inputs
from storydesk.model import RawDocument

EXAMPLES = REPO / "examples"
EXPECTED = json.loads((EXAMPLES / "expected.json").read_text(encoding="utf-8"))["articles"]
TEXT_FILES = sorted((EXAMPLES / "news").glob("*.txt"))


def test_examples_have_text_files_listed_in_expected():
    assert len(TEXT_FILES) >= 4
    assert all(f"news/{p.name}" in EXPECTED for p in TEXT_FILES)


@pytest.mark.parametrize("path", TEXT_FILES, ids=lambda p: p.name)
def test_example_text_header_gives_title_date_outlet(path):
    (raw,) = [r for r in read_inputs([path]) if isinstance(r, RawDocument)]
    art = extract_article(raw)
    gold = EXPECTED[f"news/{path.name}"]
    assert art.title == gold["title"]
    assert art.published is not None and art.published[:10] == gold["published"]
    assert art.outlet == gold["outlet"]
    # the header lines are consumed: none of them is left at the top of the text
    first = art.text.split("\n\n", 1)[0]
    assert parse_byline(first) is None and not first.startswith(("Source:", "Last updated"))
    assert art.title not in art.text


PACKED = """
Harbour strike ends after nine days
Last updated on April 27th, 2019
Source: Valley Gazette
Written by Tomas Reyes, Email: desk@valley.example

Dock workers returned to the quays on Saturday after a nine-day strike over shift patterns ended.
"""

SPREAD = """Harbour strike ends after nine days

Published: 26 April 2019

Outlet: Valley Gazette

By Tomas Reyes · April 25, 2019

Dock workers returned to the quays on Saturday after a nine-day strike over shift patterns ended.
"""


@pytest.mark.parametrize(
    ("text", "published"), [(PACKED, "2019-04-27"), (SPREAD, "2019-04-26")], ids=["packed", "spread"]
)
def test_header_packed_in_one_block_or_spread_over_paragraphs(text, published):
    header = read_header(text, has_title=False)
    assert header.title == "Harbour strike ends after nine days"
    assert header.published == published  # the first date wins over the byline's date
    assert header.outlet == "Valley Gazette"
    assert header.author == "Tomas Reyes"
    assert header.body == [
        "Dock workers returned to the quays on Saturday after a nine-day strike over shift patterns ended."
    ]


def test_byline_date_is_used_when_no_date_line():
    header = read_header("Title here\nBy Jane Doe · April 25, 2019\n\nThe body starts here.", has_title=False)
    assert (header.author, header.published) == ("Jane Doe", "2019-04-25")
    assert header.body == ["The body starts here."]


def test_header_ends_at_first_body_line():
    text = "Title here\nFriday, 2019-04-26 18:08:15\nBy the end of the day the strike was over.\nSource: X"
    header = read_header(text, has_title=False)
    assert header.published == "2019-04-26T18:08:15"
    assert header.outlet is None and header.author is None
    assert header.body[0] == "By the end of the day the strike was over."


def test_given_title_means_the_first_line_may_be_a_header():
    header = read_header("Source: Valley Radio\n\nFarmers began harvesting early.", has_title=True)
    assert header.title is None and header.outlet == "Valley Radio"
    assert header.body == ["Farmers began harvesting early."]


@pytest.mark.parametrize(
    ("line", "name", "date"),
    [
        ("By Marta Venn · April 25, 2019", "Marta Venn", "2019-04-25"),
        ("By Coastal Wire Service | April 25, 2019 9:15 PM", "Coastal Wire Service", "2019-04-25T21:15:00"),
        ("By Owen Talbot, April 23, 2019", "Owen Talbot", "2019-04-23"),
        ("By Jane Doe | Reuters", "Jane Doe", None),
        ("Written by Sarah Colley, Email: desk@gazette.example", "Sarah Colley", None),
    ],
)
def test_parse_byline(line, name, date):
    found = parse_byline(line)
    assert found is not None and (found.name, found.date) == (name, date)


@pytest.mark.parametrize(
    "line", ["By the end of the day", "By April 25, 2019 the dam had burst.", "By 2020 the plant will close"]
)
def test_parse_byline_rejects_sentences(line):
    assert parse_byline(line) is None


# --- issue #15: a page whose headline is printed twice, the copy with a trailing no-break space -----------

POLNEAR = SHARED_DATA / "quotes" / "polnear-dev.jsonl"


def _polnear(article_id: str) -> dict:
    with POLNEAR.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["id"] == article_id:
                return row
    raise KeyError(article_id)


def test_headline_printed_twice_with_a_no_break_space_still_gives_the_date(tmp_path):
    """A real article (PolNeAR, AFP via Breitbart, 28 June 2016) whose text opens by repeating its
    headline, laid out as the page of issue #15: the headline, the headline again ending in U+00A0, then
    "Last updated on <its publication date>". The page must come out dated, so that the body's
    "warned on Wednesday" is resolved against it."""
    row = _polnear("breitbart_2016-06-28_sanders-brexit-s-message-could-d")
    first, rest = row["text"].split("\n", 1)
    assert first.rstrip(".") == row["title"]  # the source repeats its headline (with a full stop)
    page = f"{row['title']}\n{first}\u00a0\nLast updated on June 28th, 2016\n\n{rest}"
    path = tmp_path / "brexit.txt"
    path.write_text(page, encoding="utf-8")
    (raw,) = [r for r in read_inputs([path]) if isinstance(r, RawDocument)]
    art = extract_article(raw)
    assert art.title == row["title"]
    assert art.published == "2016-06-28"
    assert not art.text.startswith(row["title"]) and "Last updated" not in art.text

    from storydesk.analyse.dates import find_dates
    from storydesk.analyse.sentences import split_sentences

    dates = {d.text: d for d in find_dates(art, split_sentences(art))}
    wednesday = dates["Wednesday"]
    assert (wednesday.date, wednesday.granularity) == ("2016-06-22", "day")
    assert wednesday.anchor == "published:2016-06-28" and wednesday.value == "2016-06-22"

    from storydesk.brief.facts import story_facts
    from storydesk.group.embed import get_embedder

    timeline = story_facts([art], embedder=get_embedder("tfidf")).timeline
    assert [e.date for e in timeline if "warned on Wednesday" in e.text] == ["2016-06-22"]


def test_repeated_headline_is_dropped_only_right_after_the_title():
    text = "Ports reopen\nBy Jane Doe\nPorts reopen\n\nThe body starts here."
    header = read_header(text, has_title=False)
    assert header.author == "Jane Doe"
    assert header.body[0] == "Ports reopen"  # not directly after the title: body, not header
    given = read_header("Ports reopen\u00a0\n1 March 2021\n\nThe body.", has_title=True, title="Ports reopen")
    assert (given.published, given.body) == ("2021-03-01", ["The body."])
