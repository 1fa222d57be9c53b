"""Outlets a page names itself, and actors' names, measured on the public data in ../shared/data (#15).

Usage::

    .venv/bin/python bench/outlets_names_eval.py outlets   # datelines, site-name lines, bylines (~1 min)
    .venv/bin/python bench/outlets_names_eval.py names     # titles and surnames (spaCy parses ~2,000
                                                           # articles once, cached in /tmp)

``outlets``:

* datelines: the first paragraph of every DUC story article (1,067) and the paragraph after PolNeAR's
  title line (924): how many open with a dateline storydesk reads, against a loose pattern (a parenthesis
  in the first 80 characters), and whether the outlet read agrees with the article's gold metadata (DUC's
  ``outlet``, by initials; PolNeAR's ``author``, which names the agency of wire copy);
* place datelines that must not be taken for an agency: openings of capitals and a dash (``ROME - ``,
  ``WASHINGTON _``) in PolNeAR, ECB+ and DUC;
* site-name lines: each Zyte page's own site name (``og:site_name`` as trafilatura reads it) above its
  headline, with and without the page's URL; false alarms on real headlines above their next line
  (PolNeAR titles, ECB+ first lines, TimeBank titles, Zyte titles);
* bylines: PolNeAR's ``author`` field as a ``By …`` line — which name an outlet.

``names`` (one merge per PolNeAR article, one per DUC story):

* PolNeAR's gold attribution sources that are a name after a title ("Sen. Bernie Sanders", "Mr. Trump",
  "Former Secretary of State Madeleine Albright"): resolved by the article's ``ActorResolver`` to an actor
  whose name has no title and holds the source's surname;
* gold sources that are one word ("Sanders"): joined to the article's one full person name ending with it;
  never joined when two full names end with it (Bill and Hillary Clinton);
* DUC stories: person actors whose canonical name opens with a title; one-word person actors left apart
  although exactly one full name of the story ends with them.

The title list below is the measure's own, written for it (not the rules storydesk applies).
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import re
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
CACHE = Path("/tmp/storydesk-names-eval")

LOOSE_DATELINE = re.compile(r"^[^\n]{0,80}?\(\s*([A-Z][\w.& -]{0,30}?)\s*\)")
PLACE_OPENING = re.compile(r"^[A-Z][A-Z.'’ -]+?\s*(?:--|[—–_-])")
EVAL_TITLES = re.compile(
    r"^(?:(?:Former|Acting|Deputy|Vice|Prime|Field|Chief|Lt\.|Lieutenant|Presumptive|Republican|Democratic|"
    r"presidential|front-runner|nominee|candidate|U\.S\.|House|Senate|Majority|Minority|Speaker|Leader|"
    r"Secretary|of|State|Attorney|General|Gen\.|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Sen\.|Senator|Rep\.|Representative|"
    r"Gov\.|Governor|President|Chairman|Chairwoman|Judge|Justice|Mayor|Marshal|Minister|Pope|King|Queen|"
    r"Prince|Ambassador|Adm\.|Admiral|Col\.|Colonel|Sgt\.|Capt\.|Maj\.)\s+)+"
)
EVAL_TITLE_WORD = re.compile(
    r"^(?:Mr|Mrs|Ms|Dr|Sen|Senator|Rep|Gov|Governor|President|Prime|Field|Marshal|Marshall|General|Gen|"
    r"Chairman|Secretary|Minister|Judge|Justice|Mayor|Former|Deputy|Vice|Presumptive|Pope|King|Queen|"
    r"Prince|Ambassador|Lt|Col|Adm|Sgt|Capt|Maj|Chief|Speaker)\.?$"
)
FULL_NAME = re.compile(r"[A-Z][\w.'’]*(?: [A-Z][\w.'’-]*){1,3}")


def _jsonl(name: str) -> list[dict[str, Any]]:
    with (DATA / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def outlets() -> None:
    from storydesk.extract import read_dateline
    from storydesk.extract._html import extract_html
    from storydesk.extract._outlet import initials, is_site_name
    from storydesk.extract._text import parse_byline

    print("datelines naming an outlet (first paragraph of the text)")
    for name, rows, meta in (
        ("DUC stories", _jsonl("stories/duc-stories.jsonl"), "outlet"),
        ("PolNeAR", _jsonl("quotes/polnear-dev.jsonl"), "author"),
    ):
        c: collections.Counter[str] = collections.Counter()
        for r in rows:
            paragraphs = _paragraphs(r["text"])
            if r.get("title") and paragraphs and paragraphs[0].rstrip(".") == r["title"].rstrip("."):
                paragraphs = paragraphs[1:]
            first = paragraphs[0] if paragraphs else ""
            c["articles"] += 1
            c["loose candidates"] += bool(LOOSE_DATELINE.match(first))
            dateline = read_dateline(first)
            if dateline is None:
                continue
            c["read"] += 1
            gold = r.get(meta)
            if not gold:
                c["no metadata to compare"] += 1
            elif dateline.outlet in {gold, initials(gold)} or dateline.outlet in gold.split():
                c["agree with metadata"] += 1
            else:
                c["differ from metadata"] += 1
        print(f"  {name}: " + ", ".join(f"{k} {v}" for k, v in c.items()))

    openings = []
    for name in ("quotes/polnear-dev.jsonl", "stories/ecbplus-dev.jsonl", "stories/duc-stories.jsonl"):
        for r in _jsonl(name):
            openings += [
                p for p in _paragraphs(r["text"])[:3] if PLACE_OPENING.match(p) and "(" not in p[:40]
            ]
    taken = [o[:30] for o in openings if read_dateline(o)]
    print(f"place datelines (ROME - , WASHINGTON _ …) taken for an outlet: {len(taken)} of {len(openings)}")

    root = DATA / "extraction-zyte"
    gold = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    found = collections.Counter()
    titles = []
    for key, record in sorted(gold.items()):
        html = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8", "replace")
        page = extract_html(html, record["url"])
        if page is None or not page.title:
            continue
        titles.append((page.title, record["articleBody"].split("\n")[0]))
        if not page.sitename or page.sitename.startswith("http"):
            continue
        found["pages"] += 1
        found["without url"] += is_site_name(page.sitename, following=page.title)
        found["with url"] += is_site_name(page.sitename, following=page.title, url=record["url"])
    print(
        f"site-name lines of {found['pages']} Zyte pages read as such: {found['without url']} without the URL, "
        f"{found['with url']} with it"
    )
    headlines = [
        (r["title"], (_paragraphs(r["text"]) + ["", ""])[1]) for r in _jsonl("quotes/polnear-dev.jsonl")
    ]
    for r in _jsonl("stories/ecbplus-dev.jsonl"):
        p = _paragraphs(r["text"])
        if len(p) > 1:
            headlines.append((p[0], p[1]))
    for r in _jsonl("timex/timex-dev.jsonl"):
        if r.get("title") and _paragraphs(r["text"]):
            headlines.append((r["title"], _paragraphs(r["text"])[0]))
    headlines += titles
    alarms = [h for h, nxt in headlines if h and nxt and is_site_name(h.strip(), following=nxt.strip())]
    alone = [h for h, _ in headlines if h and is_site_name(h.strip(), following=None)]
    print(
        f"real headlines taken for a site name: {len(alarms)} of {len(headlines)} "
        f"({len(alone)} without looking at the next line)"
    )

    bylines: collections.Counter[str | None] = collections.Counter()
    unread = 0
    for r in _jsonl("quotes/polnear-dev.jsonl"):
        author = r.get("author")
        if not author:
            continue
        byline = parse_byline(author if author.lower().startswith("by ") else f"By {author}")
        if byline is None:
            unread += 1
        else:
            bylines[byline.outlet] += 1
    named = {k: v for k, v in bylines.items() if k}
    print(
        f"PolNeAR bylines: {sum(bylines.values())} read, {unread} not; naming an outlet: "
        f"{sum(named.values())} {dict(sorted(named.items(), key=lambda kv: -kv[1]))}"
    )


def _docs(name: str, rows: list[dict[str, Any]]) -> list[Any]:
    import spacy
    from spacy.tokens import DocBin

    from storydesk.analyse._nlp import load_nlp
    from storydesk.analyse.rules import MAX_PARSE_CHARS

    path = CACHE / f"{name}.spacy"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        bin_ = DocBin(store_user_data=False)
        for doc in load_nlp().pipe((r["text"][:MAX_PARSE_CHARS] for r in rows), batch_size=32):
            bin_.add(doc)
        bin_.to_disk(path)
    return list(DocBin().from_disk(path).get_docs(spacy.blank("en").vocab))


def names() -> None:
    from storydesk.analyse.entities import extract_mentions, merge_entities
    from storydesk.model import Article

    out: collections.Counter[str] = collections.Counter()
    rows = _jsonl("quotes/polnear-dev.jsonl")
    for r, doc in zip(rows, _docs("polnear", rows), strict=True):
        a = Article(id=r["id"], title=r["title"] or "", text=r["text"], outlet=r["outlet"])
        entities, resolver = merge_entities(extract_mentions(a, doc), {a.id: a})
        full = {e.name for e in entities if e.type == "PERSON" and FULL_NAME.fullmatch(e.name)}
        for att in r["attributions"]:
            src = (att["source"] or "").strip()
            if att["source_is_pronoun"] or not src:
                continue
            titled = EVAL_TITLES.match(src)
            rest = src[titled.end() :] if titled else ""
            if titled and re.fullmatch(r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}", rest):
                out["titled sources"] += 1
                got = resolver.resolve(src)
                surname = re.sub(r"[’']s$", "", rest.split()[-1]).rstrip(".")
                if got and not EVAL_TITLE_WORD.match(got.split()[0]):
                    out["titled: resolved to a title-free name"] += 1
                    out["titled: … holding the surname"] += surname in got.replace("-", " ").split()
            elif re.fullmatch(r"[A-Z][a-z][\w'’-]+", src):
                ending = {n for n in full if n.split()[-1] == src}
                got = resolver.resolve(src)
                if len(ending) == 1:
                    out["surname, one full name ends with it"] += 1
                    out["  … joined to it"] += got in ending
                elif len(ending) > 1:
                    out["surname, two or more full names end with it"] += 1
                    out["  … joined to one of them (wrong)"] += got in ending
    print("PolNeAR gold sources (one merge per article)")
    for k, v in out.items():
        print(f"  {k}: {v}")

    out.clear()
    rows = _jsonl("stories/duc-stories.jsonl")
    stories: dict[str, list[Any]] = collections.defaultdict(list)
    for r, doc in zip(rows, _docs("duc", rows), strict=True):
        a = Article(id=r["id"], title=r["title"] or "", text=r["text"], outlet=r["outlet"])
        stories[r["story"]].append((a, extract_mentions(a, doc)))
    for items in stories.values():
        entities, _ = merge_entities([m for _, ms in items for m in ms], {a.id: a for a, _ in items})
        people = [e.name for e in entities if e.type == "PERSON"]
        full = [n for n in people if len(n.split()) > 1]
        out["person actors"] += len(people)
        out["… named with a title"] += sum(1 for n in people if EVAL_TITLE_WORD.match(n.split()[0]))
        for n in people:
            if len(n.split()) == 1:
                candidates = sum(1 for f in full if f.split()[-1] == n)
                out["one-word actors apart, one full name ends with it"] += candidates == 1
                out["one-word actors apart, two or more end with it"] += candidates > 1
    print(f"DUC stories ({len(stories)}, one merge per story)")
    for k, v in out.items():
        print(f"  {k}: {v}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=["outlets", "names"])
    args = parser.parse_args()
    outlets() if args.what == "outlets" else names()


if __name__ == "__main__":
    main()
