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


# --- issue #15: every date mention has a span, a TIMEX3 type and value, and its anchor; real data ---------

import gzip  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
from functools import lru_cache  # noqa: E402

from _paths import SHARED_DATA  # noqa: E402


@lru_cache(maxsize=1)
def _duc() -> dict[str, dict]:
    with (SHARED_DATA / "stories" / "duc-stories.jsonl").open(encoding="utf-8") as fh:
        return {row["id"]: row for row in map(json.loads, fh)}


def _article(row: dict, published: str | None = None) -> Article:
    return Article(id=row["id"], title="", text=row["text"], published=published or row["published"])


def _mentions(article: Article) -> dict[str, object]:
    return {m.text: m for m in find_dates(article, split_sentences(article))}


def test_weekday_next_to_its_date_on_a_real_article_and_the_same_text_a_year_later():
    """NYT, 24 July 2000: "… in an editorial on Tuesday, July 25:" — 25 July 2000 was a Tuesday. Dated a
    year later (25 July 2001 was a Wednesday) the same words contradict themselves: flagged, as the
    "Tuesday (03/02)" of a 2022 article must be."""
    row = _duc()["NYT20000724.0545"]
    ok = _mentions(_article(row))["Tuesday, July 25"]
    assert (ok.date, ok.flags) == ("2000-07-25", ())
    moved = _mentions(_article(row, "2001-07-24"))["Tuesday, July 25"]
    assert moved.flags == ("weekday_mismatch: Tuesday vs 2001-07-25 (Wednesday)",)


def test_weekday_in_parentheses_contradicting_its_day_is_flagged_and_unverifiable_without_a_date():
    [(expr, date, _, flags)] = resolve_date_expression("The envoy arrived on Tuesday (03/02).", "2022-03-04")
    assert (expr, date) == ("on Tuesday (03/02)", "2022-03-02")
    assert flags == ("weekday_mismatch: Tuesday vs 2022-03-02 (Wednesday)",)
    # early in the year the month/day still falls in the article's year, so the conflict still shows
    [(_, date, _, flags)] = resolve_date_expression("The envoy arrived on Tuesday (03/02).", "2022-01-20")
    assert date == "2022-03-02" and flags[0].startswith("weekday_mismatch")
    [(_, date, _, flags)] = resolve_date_expression("The envoy arrived on Tuesday (03/02).", None)
    assert date is None and "weekday_unverified" in flags


def test_weekday_with_a_numeric_date_on_a_real_page_is_consistent():
    """A horoscope page of the Zyte set: "Horoscope for Wednesday, 11/20/19" (20 November 2019 was a
    Wednesday): read with its year, no publication date needed, no flag."""
    pages = sorted((SHARED_DATA / "extraction-zyte" / "html").glob("5caf91b8*.html.gz"))
    html = gzip.decompress(pages[0].read_bytes()).decode("utf-8", "replace")
    line = re.search(r"Horoscope for Wednesday, 11/20/19", html)
    assert line
    [(_, date, granularity, flags)] = resolve_date_expression(line.group(0), None)
    assert (date, granularity, flags) == ("2019-11-20", "day", ())


@pytest.mark.parametrize(
    ("doc", "expression", "date", "anchor"),
    [
        # "Indonesia invaded East Timor in 1975 and annexed it the following year."
        ("APW19981124.0554", "the following year", "1976", "sentence:1975"),
        # "Every family was interviewed twice, once in 1988 and again five years later."
        ("NYT19981031.0262", "five years later", "1993", "sentence:1988"),
    ],
)
def test_relative_expression_is_anchored_to_the_explicit_date_of_its_sentence(doc, expression, date, anchor):
    m = _mentions(_article(_duc()[doc]))[expression]
    assert (m.date, m.anchor) == (date, anchor)
    assert m.value == date and m.type == "DATE"


def test_mentions_carry_span_type_value_and_anchor_and_only_days_months_years_are_dated():
    """On 40 TimeBank/AQUAINT documents: spans index the text; durations, sets, references ("now"),
    quarters and anything resolved against a date of an earlier sentence never get a timeline date."""
    rows = [json.loads(x) for x in (SHARED_DATA / "timex" / "timex-dev.jsonl").open(encoding="utf-8")][:40]
    kinds: dict[str, int] = {}
    for row in rows:
        article = Article(id=row["id"], title="", text=row["text"], published=row["published"])
        for m in find_dates(article, split_sentences(article)):
            assert article.text[m.start : m.end] == m.text
            kinds[m.type] = kinds.get(m.type, 0) + 1
            if m.date is None:
                continue
            assert m.type in {"DATE", "TIME"} and m.granularity in {"day", "month", "year"}
            assert m.value and not m.value.endswith("_REF") and not m.value.startswith("P")
            assert "-Q" not in m.value and "XX" not in m.value
            assert m.anchor is None or m.anchor.startswith(("published:", "sentence:"))
            if m.anchor and m.anchor.startswith("published:"):
                assert m.anchor == f"published:{row['published'][:10]}"
    assert kinds.get("DURATION", 0) > 10 and kinds.get("SET", 0) > 0 and kinds["DATE"] > 200


def test_a_date_read_against_an_earlier_mention_stays_out_of_the_timeline():
    """TimeBank wsj_0144 (2 November 1989): "… compared with earnings of $6.1 million a year ago" reports
    the quarter named before it; its gold value is 1988-Q3. The value is right, but a timeline only trusts
    the publication date or an explicit date of the sentence: no date."""
    rows = [json.loads(x) for x in (SHARED_DATA / "timex" / "timex-dev.jsonl").open(encoding="utf-8")]
    row = next(r for r in rows if r["id"] == "wsj_0144")
    article = Article(id=row["id"], title="", text=row["text"], published=row["published"])
    ago = [m for m in find_dates(article, split_sentences(article)) if m.text == "a year ago"]
    gold = {tuple(t["span"]): t["value"] for t in row["timexes"]}
    assert ago and all(gold.get((m.start, m.end)) == m.value == "1988-Q3" for m in ago)
    assert all(m.anchor == "previous:1989-Q3" and m.date is None for m in ago)
    assert all("anchored_to_previous_mention" in m.flags for m in ago)


def test_day_without_year_next_to_a_distant_explicit_date_is_left_out():
    """AP, 28 August 1999, on the Waco film: "… the raid … on Feb. 28, 1993, the FBI recklessly attacked
    the religious group 50 days later, on April 19, …" — April 19 is 1993's, not 1999's: rather than a
    date resolved against the wrong year, none."""
    m = _mentions(_article(_duc()["APW19990828.0159"]))["April 19"]
    assert m.date is None and m.flags == ("ambiguous_anchor: Feb. 28, 1993",)


def test_a_year_that_names_a_thing_does_not_date_its_sentence():
    """AP, 22 Oct 1998: Hun Sen "said in a televised speech marking the anniversary of the 1991 Paris Peace
    Accords": the speech was in 1998, "1991" says which accords. Such a year is flagged and left out of
    the timeline; "diagnosed with colon cancer in 1993", in the same article, still dates its sentence."""
    article = _article(_duc()["APW19981022.0269"])
    found = find_dates(article, split_sentences(article))
    accords = [m for m in found if article.text[m.end : m.end + 20].startswith(" Paris Peace Accords")]
    assert accords and all(m.date is None and "year_modifies_noun" in m.flags for m in accords)
    (cancer,) = [m for m in found if m.text.endswith("1993")]
    assert (cancer.date, cancer.granularity) == ("1993", "year")


@pytest.mark.parametrize(
    ("text", "dated"),
    [
        ("The talks failed since its 1997 coup against him.", None),
        ("Trump won the 2016 election, officials said.", None),
        ("In 1997, he ousted his rival.", "1997"),
        ("The monitoring ran from 1991 to 1993.", "1991"),
    ],
)
def test_a_bare_year_before_a_noun_is_not_a_timeline_date(text: str, dated: str | None) -> None:
    (first, *_) = resolve_date_expression(text, "1998-10-22")
    assert first[1] == dated


def test_a_named_day_is_not_a_weekday_of_the_articles_week():
    """IGN, Monday 18 Nov 2019 (extraction-zyte set): "More Black Friday Deals Are Live". Black Friday
    was 29 Nov; read as a weekday, "Friday" became 15 Nov. A named day is left alone."""
    import gzip

    from storydesk.extract import extract_article
    from storydesk.model import RawDocument

    name = "287e4d9f4af31733aad6534aefb2bd00fb344ec8d6ebf1ac99dbc4d762da0ca4.html.gz"
    page = gzip.decompress((SHARED_DATA / "extraction-zyte" / "html" / name).read_bytes())
    article = extract_article(RawDocument(origin=name, kind="html", content=page.decode("utf-8")))
    assert article.published == "2019-11-18" and "Black Friday" in article.title + article.text
    for m in find_dates(article, split_sentences(article)):
        before = article.text[max(0, m.start - 6) : m.start]
        assert not before.endswith(("Black ", "Cyber ")), (m.text, m.date)


@pytest.mark.parametrize(
    "text", ["Sales on Cyber Monday rose.", "He won on Super Tuesday.", "black friday deals"]
)
def test_named_days_are_not_weekdays(text: str) -> None:
    assert resolve_date_expression(text, "2019-11-18") == []


def test_a_possessive_date_names_a_thing_and_does_not_date_its_sentence():
    """DUC 2004 d30010t (AP, Sunday 8 Nov 1998): "Netanyahu's Cabinet delayed action on the new peace
    accord following Friday's suicide bombing" — the bombing was on Friday, the delay is not dated by it."""
    for text in (
        "Netanyahu's Cabinet delayed action on the new peace accord following Friday's suicide bombing.",
        "Last year's budget rose.",
    ):
        (found,) = resolve_date_expression(text, "1998-11-08")
        assert found[1] is None and "date_modifies_noun" in found[3], found
    (on_friday,) = resolve_date_expression("The bombing on Friday killed two.", "1998-11-08")
    assert on_friday[1] == "1998-11-06"


# -- which dates date their sentence's event (read on the parse); sentences from DUC 2003/2004 articles --


def _event_dates(text: str, published: str) -> dict[str, tuple[str | None, tuple[str, ...]]]:
    from storydesk.analyse import analyse_article
    from storydesk.analyse._nlp import load_nlp

    article = Article(id="x", title="", text=text, published=published)
    facts = analyse_article(article, nlp=load_nlp()).facts
    assert facts is not None
    return {d.text: (d.date, d.flags) for d in facts.dates}


@pytest.mark.parametrize(
    ("text", "expression", "flag"),
    [
        # d30010t (AP, 1998-11-06): the claim was made Friday; the signing was two weeks before
        (
            "The radical Islamic group Hamas claimed responsibility for the attack, the second suicide "
            "bombing since the signing of the land-for-security accord two weeks ago.",
            "two weeks ago",
            "date_in_noun_phrase",
        ),
        (
            "The Israeli Cabinet immediately suspended deliberations on the peace accord that was reached "
            "in Wye Mills, Md., last month.",
            "last month",
            "date_in_noun_clause",
        ),
        (
            "He is also among the 139 candidates for the prize being announced in Oslo on Friday.",
            "Friday",
            "date_in_noun_clause",
        ),
        (
            "Nearly 60 years behind the times, the House voted Friday to condemn the Nazi-Soviet pact of 1939.",
            "1939",
            "date_in_noun_phrase",
        ),
        # DUC 2004 (AP): the talks were in October; the lockout, July 1
        (
            "The decision came after what both sides agreed were the most substantive talks since the "
            "owners imposed a lockout on the players July 1.",
            "July 1",
            "date_in_time_clause",
        ),
        # DUC 2004 d30042t (AP): the trip was in October; the injury, July
        (
            "It was Gadhafi's first known trip abroad since he broke a bone near his hip while exercising "
            "and underwent surgery in July, officials have said.",
            "July",
            "date_in_time_clause",
        ),
        (
            "The union filed a grievance with Feerick before the lockout was imposed July 1.",
            "July 1",
            "date_in_time_clause",
        ),
    ],
)
def test_a_date_that_names_a_thing_does_not_date_the_sentence(text, expression, flag):
    date, flags = _event_dates(text, "1998-11-06")[expression]
    assert date is None and flag in flags


@pytest.mark.parametrize(
    ("text", "expression", "date"),
    [
        (
            "Last month, grenades were hurled at a bus stop in the southern city of Beersheba.",
            "Last month",
            "1998-10",
        ),
        ("A car bomb exploded Friday in a Jerusalem market crowded with Israelis.", "Friday", "1998-11-06"),
        (
            "On Oct. 29, an assailant tried to ram an explosives-rigged car into a bus.",
            "Oct. 29",
            "1998-10-29",
        ),
        # the subject names the event; a bare weekday after the object dates the verb (DUC 2004)
        ("The summit on Wednesday ended without a deal.", "Wednesday", "1998-11-04"),
        (
            "Hun Sen announced a government guarantee Wednesday of all politicians' safety.",
            "Wednesday",
            "1998-11-04",
        ),
        # an "after" clause's event is mostly the sentence's own day (DUC 2004)
        (
            "Two sailors died and 15 others were missing after gale-force winds battered yachts in the "
            "race Monday.",
            "Monday",
            "1998-11-02",
        ),
    ],
)
def test_a_date_of_the_sentence_s_event_is_kept(text, expression, date):
    assert _event_dates(text, "1998-11-06")[expression][0] == date


def test_a_range_of_bare_months_is_a_period_not_a_date():
    """duc2003 d119g (Xinhua, 1996-12-12): "between January and May" had dated the sentence to January 1996."""
    text = (
        "The dam is said to have caused water shortages in Bangladesh, especially in the lean season "
        "between January and May."
    )
    article = Article(id="x", title="", text=text, published="1996-12-12")
    found = {d.text: d for d in find_dates(article, split_sentences(article))}
    assert found["January"].date is None and "month_range" in found["January"].flags
    assert found["May"].date is None
    text = "Prices rose from June to September 1998, the bank said. The vote was held in May."
    article = Article(id="y", title="", text=text, published="1999-02-01")
    found = {d.text: d for d in find_dates(article, split_sentences(article))}
    assert found["June"].date is None  # read against the publication date, not 1998: left out
    assert found["September 1998"].date == "1998-09"
    assert found["May"].date == "1998-05"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # duc2003 d105b (AP, Saturday 1998-12-12): the weekday opens the clause, its verb ("will seek") follows
        (
            "On Sunday, SLOC officials will seek the executive board's approval for their new budget.",
            "1998-12-13",
        ),
        ("Friday, the team will fly home.", "1998-12-18"),
        ("On Friday, the committee met.", "1998-12-11"),
        ("On Sunday, officials said they will meet.", "1998-12-06"),
        ("He arrived Monday and will leave Friday.", "1998-12-07"),
    ],
)
def test_a_weekday_that_opens_its_clause_takes_the_tense_after_it(text, value):
    from storydesk.analyse.timex import tag_timexes

    assert tag_timexes(text, "1998-12-12")[0].value == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # DUC 2004 d31022t (AP, Friday 1998-10-30): the time had been put on the Friday
        (
            "Fire officials were alerted at 11:43 p.m. (2243 GMT) Thursday and had a truck there.",
            "1998-10-29T23:43",
        ),
        ("The blast came at 3 p.m. on Tuesday.", "1998-10-27T15:00"),
        ("The plane landed at 6:10 a.m. (1010 GMT), officials said.", "1998-10-30T06:10"),
    ],
)
def test_a_clock_time_is_on_the_weekday_just_after_it(text, value):
    from storydesk.analyse.timex import tag_timexes

    assert tag_timexes(text, "1998-10-30")[0].value == value


def test_a_weekday_after_a_plan_told_in_the_past_dates_nothing():
    """duc2003 d30028t (AP, Saturday 1998-10-03): "was expected to arrive in Ankara on Monday" had been dated
    to the Monday before; the plan's Monday is the one after, unless it fell through: left out."""
    text = (
        "Necati Utkan told the Anatolia news agency that Mubarak was expected to arrive in Ankara on Monday. "
        "He was arrested on Monday. Police said the men were going to the market when the bomb exploded Friday."
    )
    article = Article(id="x", title="", text=text, published="1998-10-03")
    found = [(d.text, d.date, d.flags) for d in find_dates(article, split_sentences(article))]
    assert found[0] == ("Monday", None, ("future_in_past",))
    assert found[1][:2] == ("Monday", "1998-09-28")
    assert found[2][:2] == ("Friday", "1998-10-02")


@pytest.mark.parametrize(
    "sentence",
    [
        # duc2004 d30042t (AP, Wednesday 1998-12-02): had been dated to the Saturday before
        "A Western diplomat said Annan would travel to Libya on Saturday to meet with authorities there.",
        # duc2004 d30042t (AP, Sunday 1998-12-06): had been dated to the Tuesday before
        "Libyan radio reported that the Parliament had been called to meet Tuesday in Sirte.",
        "The two leaders were to meet Friday in Geneva.",
    ],
)
def test_a_weekday_after_would_or_a_past_summons_dates_nothing(sentence):
    article = Article(id="x", title="", text=sentence, published="1998-12-02")
    [found] = [(d.text, d.date, d.flags) for d in find_dates(article, split_sentences(article))]
    assert found[1:] == (None, ("future_in_past",))


def test_a_weekday_before_would_keeps_its_date():
    text = "Officials said Saturday that they would appeal the ruling."
    article = Article(id="x", title="", text=text, published="1998-12-02")
    [found] = [(d.text, d.date) for d in find_dates(article, split_sentences(article))]
    assert found == ("Saturday", "1998-11-28")
