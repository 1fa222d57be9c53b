from __future__ import annotations

import pytest

from storydesk.store._search import fts5_query, split_marked, websearch_query


@pytest.mark.parametrize(
    ("query", "fts5", "web"),
    [
        ("flood river", '("flood") AND ("river")', "flood river"),
        ('"red barn" fire', '("red barn") AND ("fire")', '"red barn" fire'),
        ("a OR b c", '("a" OR "b") AND ("c")', "a or b c"),
        ("still -blue", '(("still")) NOT "blue"', "still -blue"),
        ('NEAR(x, 2) * "', '("NEAR x") AND ("2")', '"NEAR x" 2'),
        ("OR", None, None),
        ("-only", None, None),
        ("*** ()", None, None),
    ],
)
def test_queries_are_rewritten_into_safe_syntax(query: str, fts5: str | None, web: str | None) -> None:
    assert fts5_query(query) == fts5
    assert websearch_query(query) == web


def test_split_marked_returns_plain_text_and_spans() -> None:
    text, spans = split_marked("The \x02flood\x03 and the \x02river\x03 rose")
    assert text == "The flood and the river rose"
    assert [text[s:e] for s, e in spans] == ["flood", "river"]
