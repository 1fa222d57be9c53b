"""Date expressions: each relative form, absolute forms, weekday conflicts, articles without a date."""

from __future__ import annotations

import pytest

from storydesk.analyse.dates import find_dates, resolve_date_expression
from storydesk.analyse.sentences import split_sentences
from storydesk.model import Article

SATURDAY = "2019-04-27"


@pytest.mark.parametrize(
    ("text", "date", "granularity"),
    [
        ("They met on Wednesday in the port.", "2019-04-24", "day"),
        ("They met Wednesday in the port.", "2019-04-24", "day"),
        ("They met last Wednesday in the port.", "2019-04-24", "day"),
        ("They vote on Saturday in the hall.", "2019-04-27", "day"),
        ("The court rules next Tuesday on it.", "2019-04-30", "day"),
        ("The ship docked yesterday at the pier.", "2019-04-26", "day"),
        ("The museum reopens today after repairs.", "2019-04-27", "day"),
        ("They gathered last week in the square.", "2019-04-20", "day"),
        ("Exports fell last month again.", "2019-03", "month"),
        ("The firm lost money last year.", "2018", "year"),
        ("Three days ago the river rose.", "2019-04-24", "day"),
        ("The sanctions came in 2011 after the vote.", "2011", "year"),
        ("Talks stalled since March 2018 over the border.", "2018-03", "month"),
        ("A deal is due at the end of April.", "2019-04", "month"),
        ("The plant closed in November after a fire.", "2018-11", "month"),
        ("The summit was held on April 24 in the east.", "2019-04-24", "day"),
        ("The letter was dated 24 April 2019 by both.", "2019-04-24", "day"),
        ("The treaty took effect on January 1, 1999.", "1999-01-01", "day"),
    ],
)
def test_each_form_resolves_against_publication(text, date, granularity):
    found = resolve_date_expression(text, SATURDAY)
    assert [(d, g) for _, d, g, _ in found] == [(date, granularity)]


def test_weekday_contradicting_its_date_is_flagged_not_resolved_silently():
    [(expr, date, gran, flags)] = resolve_date_expression("Officials met Tuesday (04/22) in Seoul.", SATURDAY)
    assert expr == "Tuesday (04/22)"
    assert date == "2019-04-22" and gran == "day"
    assert flags == ("weekday_mismatch: Tuesday vs 2019-04-22 (Monday)",)
    [(_, _, _, flags)] = resolve_date_expression("Officials met Monday (04/22) in Seoul.", SATURDAY)
    assert flags == ()


def test_no_publication_date_resolves_only_absolute_dates():
    found = resolve_date_expression("They met on Wednesday, as they had in 2011 and last week.", None)
    by_text = {e: d for e, d, _, _ in found}
    assert by_text["on Wednesday"] is None and by_text["last week"] is None
    assert by_text["in 2011"] == "2011"
    assert all("no_publication_date" in f for e, d, _, f in found if d is None)


def test_numbers_and_modal_may_are_not_dates():
    assert resolve_date_expression("Some 2011 people signed. The minister may resign.", SATURDAY) == []


def test_find_dates_gives_sentence_indexes():
    article = Article(
        id="d1",
        title="t",
        text="The vote was on Monday.\n\nA recount followed in 2018 after protests.",
        published=SATURDAY,
    )
    mentions = find_dates(article, split_sentences(article))
    assert [(m.sentence_index, m.date) for m in mentions] == [(0, "2019-04-22"), (1, "2018")]
    assert all(m.article_id == "d1" for m in mentions)
