import pytest

from _paths import REPO
from storydesk.extract import extract_article
from storydesk.extract._article import clean_author
from storydesk.ingest import read_inputs
from storydesk.model import RawDocument

NEWS = REPO / "examples" / "news"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Coastal Wire Service; April", "Coastal Wire Service"),
        ("Jane Doe; John Smith", "Jane Doe; John Smith"),
        ("April 25, 2019", None),
        ("", None),
    ],
)
def test_clean_author_drops_date_pieces(given, expected):
    assert clean_author(given) == expected


def test_wire_byline_gives_a_clean_author():
    path = NEWS / "eastgate-times-2019-04-25-velkan-guarantees.html"
    (raw,) = [r for r in read_inputs([path]) if isinstance(r, RawDocument)]
    art = extract_article(raw)
    assert art.author == "Coastal Wire Service"
    assert "By Coastal Wire Service" not in art.text


def test_headline_repeated_as_first_line_is_removed():
    html = (
        "<html><head><title>Ferry terminal approved</title></head><body><article>"
        "<h1>Ferry terminal approved</h1>"
        "<p>The harbour council approved the new ferry terminal on Friday after a long debate.</p>"
        "<p>Work on the eastern quay is due to start in the autumn, the council said.</p>"
        "</article></body></html>"
    )
    art = extract_article(RawDocument(origin="p.html", kind="html", content=html))
    assert art.title == "Ferry terminal approved"
    assert art.text.startswith("The harbour council approved")
    assert art.removed[0] == "Ferry terminal approved"


def test_control_characters_never_reach_the_text() -> None:
    from storydesk.extract import extract_article
    from storydesk.model import RawDocument

    raw = RawDocument(
        origin="t.txt",
        kind="text",
        content="A title\x00 here\n\nBody\x00 text with a \x07bell and more words.",
    )
    a = extract_article(raw)
    assert "\x00" not in a.text + a.title and "\x07" not in a.text
    assert "Body text" in a.text.replace("  ", " ")


def test_untitled_single_paragraph_text_keeps_its_body() -> None:
    """A JSONL record with text but no title must not lose its text to the title."""
    from storydesk.extract import extract_article
    from storydesk.model import RawDocument

    body = (
        "HANOI (AP) _ Cashew prices rose sharply on Friday after a poor harvest, traders said. "
        "Processing plants cut shifts as supplies ran short, and exporters warned of higher prices abroad."
    )
    a = extract_article(RawDocument(origin="x.jsonl:3", kind="text", content=body, published="1998-01-02"))
    assert a.text == body
    assert a.title and body.startswith(a.title.rstrip("…"))
