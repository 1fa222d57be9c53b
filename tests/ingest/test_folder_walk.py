import logging
from pathlib import Path

from _paths import REPO
from storydesk.ingest import read_inputs
from storydesk.model import Failure, RawDocument

EXAMPLES = REPO / "examples"


def _split(items):
    items = list(items)
    return [i for i in items if isinstance(i, RawDocument)], [i for i in items if isinstance(i, Failure)]


def _folder_with_non_inputs(tmp_path: Path) -> Path:
    (tmp_path / "story.txt").write_text("A title\n\nThe council met on Friday to vote on the budget.")
    (tmp_path / "README.md").write_text("# Notes\n\nThese are not articles.\n")
    (tmp_path / "expected.json").write_text('{"stories": {}}\n')
    (tmp_path / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (tmp_path / "table.csv").write_text("a,b\n1,2\n")
    (tmp_path / "LICENSE").write_text("Permission is hereby granted to nobody in particular.\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "notes.md").write_text("more notes\n")
    (tmp_path / "sub" / "page.HTML").write_text("<html><body><p>Nested page text here.</p></body></html>")
    return tmp_path


def test_folder_walk_skips_files_of_no_input_kind_quietly(tmp_path, caplog):
    folder = _folder_with_non_inputs(tmp_path)
    with caplog.at_level(logging.DEBUG, logger="storydesk.ingest"):
        docs, fails = _split(read_inputs([folder]))
    assert fails == []
    assert sorted(Path(d.origin).name for d in docs) == ["page.HTML", "story.txt"]
    skipped = [r for r in caplog.records if "skipping" in r.getMessage()]
    assert {Path(str(r.args[0])).name for r in skipped} == {
        "README.md",
        "expected.json",
        "chart.png",
        "table.csv",
        "LICENSE",
        "notes.md",
    }
    assert all(r.levelno == logging.DEBUG for r in skipped)


def test_explicitly_named_file_of_unknown_suffix_is_still_sniffed(tmp_path):
    folder = _folder_with_non_inputs(tmp_path)
    html = folder / "saved-page.download"
    html.write_text("<!doctype html><html><body><p>Sniffed page text.</p></body></html>")
    docs, fails = _split(read_inputs([html]))
    assert fails == [] and [d.kind for d in docs] == ["html"]
    # a named file that is no input kind gives one clear Failure each
    for name, why in [
        ("README.md", "unknown file type"),
        ("chart.png", "PNG"),
        ("table.csv", "unknown file"),
    ]:
        docs, fails = _split(read_inputs([folder / name]))
        assert docs == [] and len(fails) == 1, name
        assert fails[0].origin == str(folder / name) and why in fails[0].reason


def test_examples_folder_reads_only_the_articles():
    docs, fails = _split(read_inputs([EXAMPLES]))
    assert fails == []
    assert all("/news/" in d.origin for d in docs)
    assert not any(d.origin.endswith(("expected.json", "README.md")) for d in docs)
