from _paths import FIXTURES
from storydesk.eval.extraction import read_labelled_lines, score_boilerplate

CORPUS = FIXTURES / "boilerplate"


def test_corpus_is_large_and_balanced():
    rows = read_labelled_lines(CORPUS / "lines.tsv")
    assert sum(label == "drop" for label, _ in rows) >= 150
    assert sum(label == "keep" for label, _ in rows) >= 150


def test_removal_precision_and_recall_floors_on_tuning_corpus():
    s = score_boilerplate(read_labelled_lines(CORPUS / "lines.tsv"))
    assert s["precision"] >= 0.95, s["false_drops"]
    assert s["recall"] >= 0.90, s["missed"]


def test_removal_floors_on_held_out_lines():
    s = score_boilerplate(read_labelled_lines(CORPUS / "lines_heldout.tsv"))
    assert s["precision"] >= 0.95, s["false_drops"]
    assert s["recall"] >= 0.80, s["missed"]


def test_scorer_counts():
    s = score_boilerplate([("drop", "Leave a Reply"), ("keep", "Leave a Reply"), ("drop", "He said so.")])
    assert (s["tp"], s["fp"], s["fn"]) == (1, 1, 1)
    assert s["precision"] == 0.5 and s["recall"] == 0.5


def test_removal_floors_on_second_held_out_set():
    rows = read_labelled_lines(CORPUS / "lines_heldout2.tsv")
    assert len(rows) >= 30
    s = score_boilerplate(rows)
    assert s["precision"] >= 0.95, s["false_drops"]
    assert s["recall"] >= 0.80, s["missed"]


def test_every_template_pattern_names_a_word_it_needs() -> None:
    """The substring gate of a template pattern must be a literal of that pattern (else it skips matches)."""
    from storydesk.extract import rules

    for needles, pattern in rules.ANYWHERE:
        source = pattern.pattern.replace("\\", "").lower()
        for needle in needles:
            assert needle == needle.lower() and needle in source, (needle, pattern.pattern)
        # an alternation at the top needs one needle per branch
        assert len(needles) >= 1


def test_gated_template_check_matches_the_ungated_one() -> None:
    """On every labelled line, the gated check decides as searching every pattern would."""

    from storydesk.extract import rules
    from storydesk.extract.boilerplate import is_template_line

    lines = []
    for path in sorted((FIXTURES / "boilerplate").glob("*.tsv")):
        for row in path.read_text(encoding="utf-8").splitlines():
            if row and not row.startswith("#"):
                lines.append(" ".join(row.split("\t", 1)[1].split()))
    assert len(lines) > 400
    for line in lines:
        plain = bool(rules.COPYRIGHT_LINE.match(line)) or any(p.search(line) for _, p in rules.ANYWHERE)
        assert is_template_line(line) == plain, line
