"""The bundled sample corpus under examples/: present, well-formed, consistent with expected.json.

These tests check the corpus itself (files, markup, headers, the planted features), not storydesk's
output; clustering and fact checks against ``examples/expected.json`` live with the stages they test.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import feedparser
import lxml.html
import pytest

from _paths import REPO

EXAMPLES = REPO / "examples"
NEWS = EXAMPLES / "news"
EXPECTED = EXAMPLES / "expected.json"

CONTENT_NS = "{http://purl.org/rss/1.0/modules/content/}encoded"
SHINGLE_WORDS = 8  # a run this long shared by two stories counts as copied text
OWN_WORDS_RUN = 12  # two outlets of one story (not syndicated) never share a run this long
MIN_WORDS, MAX_WORDS = 250, 600
_WS = re.compile(r"\s+")
_WORD = re.compile(r"[\w’'$£%.,-]+")
_TXT_DATE = re.compile(
    r"^(Last updated on [A-Z][a-z]+ \d{1,2}(st|nd|rd|th), \d{4}|[A-Z][a-z]+day, \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})$"
)

_TXT_HEADER = re.compile(rf"{_TXT_DATE.pattern}|^Source: .+$|^(By|Written by) [A-Z].{{0,80}}$")


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


@dataclass(frozen=True)
class Doc:
    ref: str
    kind: str
    title: str
    body: tuple[str, ...]  # the article's paragraphs, chrome lines included
    visible: str  # all text a reader could see (for snippet checks)


def _html_paragraphs(fragment_root: lxml.html.HtmlElement) -> tuple[str, ...]:
    return tuple(_norm(p.text_content()) for p in fragment_root.iter("p", "div") if _norm(p.text_content()))


def _read_html(path: Path, ref: str) -> Doc:
    root = lxml.html.fromstring(path.read_bytes())
    article = root.find(".//article")
    assert article is not None, f"{ref}: no <article>"
    paras = tuple(_norm(p.text_content()) for p in article.iter("p") if _norm(p.text_content()))
    title = _norm(article.findtext(".//h1") or "")
    body = root.find("body")
    assert body is not None, f"{ref}: no <body>"
    return Doc(ref, "html", title, paras, _norm(body.text_content()))


def _read_txt(path: Path, ref: str) -> Doc:
    """Title on the first non-empty line, then header lines (date, source, byline), then paragraphs.

    Header lines may follow each other directly or be separated by blank lines; both occur.
    """
    text = path.read_text(encoding="utf-8")
    lines = text.strip().splitlines()
    n = 1
    while n < len(lines) and (not lines[n].strip() or _TXT_HEADER.match(lines[n].strip())):
        n += 1
    body = "\n".join(lines[n:])
    paras = tuple(_norm(b) for b in re.split(r"\n\s*\n", body) if b.strip())
    return Doc(ref, "text", lines[0].strip(), paras, _norm(text))


def _read_jsonl(path: Path) -> list[Doc]:
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        paras = tuple(_norm(p) for p in rec["text"].split("\n\n") if p.strip())
        ref = f"news/{path.name}#{rec['id']}"
        docs.append(Doc(ref, "jsonl", rec["title"], paras, _norm(rec["title"] + " " + rec["text"])))
    return docs


def _read_feed(path: Path) -> list[Doc]:
    docs = []
    for item in ET.parse(path).getroot().iter("item"):
        frag = lxml.html.fromstring(f"<div>{item.findtext(CONTENT_NS)}</div>")
        paras = tuple(_norm(p.text_content()) for p in frag.iter("p") if _norm(p.text_content()))
        title = item.findtext("title") or ""
        ref = f"news/{path.name}#{item.findtext('guid')}"
        docs.append(Doc(ref, "feed", title, paras, _norm(title + " " + " ".join(paras))))
    return docs


def load_corpus() -> dict[str, Doc]:
    """Every article of the corpus by its expected.json reference."""
    docs: list[Doc] = []
    for path in sorted(NEWS.iterdir()):
        ref = f"news/{path.name}"
        if path.suffix == ".html":
            docs.append(_read_html(path, ref))
        elif path.suffix == ".txt":
            docs.append(_read_txt(path, ref))
        elif path.suffix == ".jsonl":
            docs.extend(_read_jsonl(path))
        elif path.suffix == ".xml":
            docs.extend(_read_feed(path))
        else:
            raise AssertionError(f"unexpected file in examples/news: {path.name}")
    return {d.ref: d for d in docs}


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def corpus() -> dict[str, Doc]:
    return load_corpus()


def _groups(expected: dict) -> dict[str, str]:
    """Article ref -> group name (a story key, or 'off_topic:<ref>' for each off-topic article)."""
    group = {ref: key for key, refs in expected["stories"].items() for ref in refs}
    group.update({ref: f"off_topic:{ref}" for ref in expected["off_topic"]})
    return group


def _main_text(doc: Doc, boilerplate: list[str]) -> list[str]:
    """Title and paragraphs without the planted page-chrome lines."""
    keep = [doc.title]
    for para in doc.body:
        if not any(para.startswith(b) or para.endswith(b) for b in boilerplate):
            keep.append(para)
    return keep


def _shingles(paragraphs: list[str], n: int) -> set[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for para in paragraphs:
        words = [w.casefold().strip(".,") for w in _WORD.findall(para.replace("“", " ").replace("”", " "))]
        out.update(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
    return out


def test_files_exist():
    assert (EXAMPLES / "README.md").is_file()
    assert EXPECTED.is_file()
    suffixes = {p.suffix for p in NEWS.iterdir()}
    assert {".html", ".txt", ".jsonl", ".xml"} <= suffixes
    assert len(list(NEWS.glob("*.jsonl"))) == 1 and len(list(NEWS.glob("*.xml"))) == 1


def test_readme_lists_every_file_and_story(expected):
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    for path in NEWS.iterdir():
        assert path.name in readme, path.name
    for ref in expected["articles"]:
        assert ref.removeprefix("news/") in readme, ref
    for key in expected["stories"]:
        assert f"**{key}**" in readme, key


def test_corpus_size_and_kinds(corpus):
    assert 16 <= len(corpus) <= 24
    kinds = defaultdict(int)
    for doc in corpus.values():
        kinds[doc.kind] += 1
    assert kinds["html"] > kinds["text"] >= 2
    assert 2 <= kinds["jsonl"] <= 3
    assert 1 <= kinds["feed"] <= 2


def test_expected_references_only_existing_articles(expected, corpus):
    planted = expected["planted"]
    refs = [r for refs in expected["stories"].values() for r in refs] + expected["off_topic"]
    refs += [r for pair in expected["syndicated"] for r in pair]
    refs += [
        p["article"]
        for kind in ("wrong_title", "single_source", "quotes", "relative_dates")
        for p in planted[kind]
    ]
    refs += [r for p in planted["wrong_title"] for r in p["correct_in"]]
    refs += [r for p in planted["disputed"] for r in p["values"]]
    refs += [r for p in planted["corroborated"] for r in p["articles"]]
    refs += list(expected["articles"])
    missing = sorted(set(refs) - set(corpus))
    assert not missing, f"expected.json names articles that do not exist: {missing}"


def test_every_article_in_exactly_one_group(expected, corpus):
    grouped = [r for refs in expected["stories"].values() for r in refs] + expected["off_topic"]
    assert len(grouped) == len(set(grouped)), "an article is listed twice"
    assert set(grouped) == set(corpus)
    assert set(expected["articles"]) == set(corpus)
    assert len(expected["stories"]) >= 3
    assert expected["off_topic"]


def test_each_story_has_three_to_six_outlets(expected):
    for key, refs in expected["stories"].items():
        outlets = {expected["articles"][r]["outlet"] for r in refs}
        syndicated_copies = sum(1 for orig, copy in expected["syndicated"] if orig in refs and copy in refs)
        assert 3 <= len(outlets) - syndicated_copies <= 6, key


def test_article_metadata_matches_files(expected, corpus):
    for ref, meta in expected["articles"].items():
        doc = corpus[ref]
        assert doc.kind == meta["kind"], ref
        assert _norm(doc.title) == _norm(meta["title"]), ref
        assert re.fullmatch(r"2019-04-\d{2}", meta["published"]), ref
        if doc.kind in ("html", "text"):
            assert meta["published"] in ref, f"{ref}: file name should carry the publication date"


def test_every_html_file_parses_with_metadata(expected):
    for path in sorted(NEWS.glob("*.html")):
        ref = f"news/{path.name}"
        meta = expected["articles"][ref]
        root = lxml.html.fromstring(path.read_bytes())
        assert root.tag == "html", ref
        assert _norm(root.findtext(".//head/title") or "").startswith(meta["title"]), ref
        site = root.xpath('//meta[@property="og:site_name"]/@content')
        assert site == [meta["outlet"]], ref
        published = root.xpath('//meta[@property="article:published_time"]/@content')
        assert len(published) == 1 and published[0].startswith(meta["published"] + "T"), ref
        assert root.xpath('//link[@rel="canonical"]/@href') == [meta["url"]], ref
        paras = root.xpath("//article//p")
        assert len(paras) >= 8, ref
        # the markup is balanced: the parser did not have to invent closing tags for <article>
        text = path.read_text(encoding="utf-8")
        for tag in ("html", "head", "body", "article"):
            opened = len(re.findall(rf"<{tag}[\s>]", text))
            assert opened == text.count(f"</{tag}>") == 1, (ref, tag)


def test_txt_files_have_title_date_and_source_lines(expected):
    styles = set()
    for path in sorted(NEWS.glob("*.txt")):
        ref = f"news/{path.name}"
        raw = path.read_text(encoding="utf-8").splitlines()
        lines = [ln.strip() for ln in raw if ln.strip()]
        assert lines[0] == expected["articles"][ref]["title"], ref
        assert _TXT_DATE.match(lines[1]), (ref, lines[1])
        assert lines[2] == "Source: " + expected["articles"][ref]["outlet"], ref
        title_at = next(i for i, ln in enumerate(raw) if ln.strip())
        styles.add("spaced" if not raw[title_at + 1].strip() else "packed")
    assert styles == {"spaced", "packed"}, "both header styles (blank-line separated or not) should occur"


def test_jsonl_records_have_required_fields(expected):
    (path,) = NEWS.glob("*.jsonl")
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        rec = json.loads(line)
        assert {"id", "text", "title", "url", "published", "outlet"} <= set(rec), n
        ref = f"news/{path.name}#{rec['id']}"
        assert expected["articles"][ref]["line"] == n
        assert rec["published"].startswith(expected["articles"][ref]["published"])


def test_rss_feed_is_valid_with_full_text(expected):
    (path,) = NEWS.glob("*.xml")
    root = ET.parse(path).getroot()
    assert root.tag == "rss" and root.get("version") == "2.0"
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert 1 <= len(parsed.entries) <= 2
    for entry in parsed.entries:
        ref = f"news/{path.name}#{entry.id}"
        assert entry.title == expected["articles"][ref]["title"]
        assert len(entry.content[0].value) > 1500
        assert entry.content[0].value.count("<p>") >= 8


def test_articles_are_250_to_600_words(expected, corpus):
    boilerplate = expected["planted"]["boilerplate"]
    for ref, doc in corpus.items():
        words = sum(len(p.split()) for p in _main_text(doc, boilerplate)[1:])
        assert MIN_WORDS <= words <= MAX_WORDS, (ref, words)


def test_no_text_copied_across_stories(expected, corpus):
    boilerplate = expected["planted"]["boilerplate"]
    group = _groups(expected)
    seen: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for ref, doc in corpus.items():
        for sh in _shingles(_main_text(doc, boilerplate), SHINGLE_WORDS):
            seen[sh].add(group[ref])
    copied = [" ".join(sh) for sh, groups in seen.items() if len(groups) > 1]
    assert not copied, f"text shared by different stories: {copied[:5]}"


def test_outlets_of_one_story_use_their_own_words(expected, corpus):
    boilerplate = expected["planted"]["boilerplate"]
    syndicated = {frozenset(pair) for pair in expected["syndicated"]}
    for key, refs in expected["stories"].items():
        shingles = {r: _shingles(_main_text(corpus[r], boilerplate), OWN_WORDS_RUN) for r in refs}
        for i, a in enumerate(refs):
            for b in refs[i + 1 :]:
                if frozenset((a, b)) in syndicated:
                    continue
                shared = shingles[a] & shingles[b]
                assert not shared, (key, a, b, [" ".join(s) for s in list(shared)[:3]])


def test_syndicated_pair_differs_only_in_headline_and_chrome(expected, corpus):
    boilerplate = expected["planted"]["boilerplate"]
    assert expected["syndicated"]
    for original, copy in expected["syndicated"]:
        a, b = corpus[original], corpus[copy]
        assert a.title != b.title
        assert expected["articles"][original]["outlet"] != expected["articles"][copy]["outlet"]
        assert _main_text(a, boilerplate)[1:] == _main_text(b, boilerplate)[1:]
        assert len(_main_text(a, boilerplate)) > 5
        chrome_a = set(a.body) - set(_main_text(a, boilerplate))
        chrome_b = set(b.body) - set(_main_text(b, boilerplate))
        assert chrome_a != chrome_b, "the two copies should carry different bylines/boilerplate"


def test_planted_boilerplate_lines_are_present():
    texts = []
    for path in NEWS.iterdir():
        raw = path.read_text(encoding="utf-8")
        texts.append(
            _norm(lxml.html.fromstring(raw).text_content()) if path.suffix == ".html" else _norm(raw)
        )
    everything = "\n".join(texts)
    planted = json.loads(EXPECTED.read_text(encoding="utf-8"))["planted"]["boilerplate"]
    for line in planted + ["© 2019", "Email:"]:
        assert line in everything, line
    # the chrome is left in as ordinary text in several files, not once
    assert sum("Your email address will not be published" in t for t in texts) >= 3
    assert sum("Share this: Facebook Twitter" in t for t in texts) >= 5


def test_planted_wrong_title(expected, corpus):
    for p in expected["planted"]["wrong_title"]:
        wrong = corpus[p["article"]].visible
        assert p["says"] in wrong and p["correct"] not in wrong
        for ref in p["correct_in"]:
            assert p["correct"] in corpus[ref].visible, ref


def test_planted_disputed_numbers(expected, corpus):
    for p in expected["planted"]["disputed"]:
        values = p["values"]
        assert len(set(values.values())) >= 2, p["claim"]
        for ref, value in values.items():
            assert value in corpus[ref].visible, (ref, value)
            others = [v for r, v in values.items() if r != ref]
            assert not any(o in corpus[ref].visible for o in others), (ref, "states both values")
            assert ref in expected["stories"][p["story"]]


def test_planted_single_source_and_corroborated_facts(expected, corpus):
    for p in expected["planted"]["single_source"]:
        holders = [r for r, d in corpus.items() if p["text"] in d.visible]
        assert holders == [p["article"]], (p["text"], holders)
    for p in expected["planted"]["corroborated"]:
        assert len(p["articles"]) >= 2
        for ref in p["articles"]:
            assert p["text"].casefold() in corpus[ref].visible.casefold(), (ref, p["text"])


def test_planted_quotes_and_relative_dates(expected, corpus):
    for p in expected["planted"]["quotes"]:
        visible = corpus[p["article"]].visible
        assert p["text"] in visible, (p["article"], p["text"])
        assert p["speaker"].split()[-1] in visible
    for p in expected["planted"]["relative_dates"]:
        assert p["phrase"] in corpus[p["article"]].visible, (p["article"], p["phrase"])
        assert p["published"] == expected["articles"][p["article"]]["published"]
    everything = " ".join(d.visible for d in corpus.values())
    assert "“" in everything and "”" in everything and '"' in everything
