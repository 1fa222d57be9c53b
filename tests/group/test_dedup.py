import random
from datetime import date, timedelta

from storydesk.group.dedup import DedupOptions, DuplicateIndex, find_near_duplicates, shingles
from storydesk.model import Article

BODY = (
    "Flood waters rose along the Marren river on Tuesday, forcing the evacuation of three villages "
    "near the town of Elbury. Emergency crews used boats to reach families stranded on rooftops, and "
    "the regional council opened two shelters in school gymnasiums. Forecasters said more rain was "
    "expected overnight and warned that the river could crest a full metre above its record level. "
    "The council leader, Harriet Osei, said the priority was to keep people safe and that damage "
    "would be counted once the water fell. Rail services between Elbury and Dunmore were suspended "
    "after a section of track was undermined, and the main road bridge was closed as a precaution."
)
OTHER_SAME_EVENT = (
    "Residents of Elbury spent a second night in shelters as the Marren kept rising. Harriet Osei, who "
    "leads the council, toured the gymnasiums and promised that insurers would be pressed to pay "
    "quickly. Farmers downstream reported drowned livestock and ruined winter crops, while engineers "
    "inspected the closed road bridge for cracks. Some families criticised the slow warnings, saying "
    "sirens sounded only after water had entered their homes. Forecasters expect drier weather by "
    "the weekend, though the river is likely to stay high for days."
)


def _a(i, text, published="2024-03-05", title="t"):
    return Article(id=i, title=title, text=text, published=published)


def test_shingles_normalise_case_and_punctuation():
    assert shingles("One, two THREE four five six") == {"one two three four five", "two three four five six"}


def test_wire_copies_fold_and_same_event_stays_apart():
    wire = _a(
        "b-copy",
        "ELBURY (Wire) — " + BODY + " Copyright 2024 Wire Service. All rights reserved.",
        published="2024-03-05T14:00",
        title="Villages evacuated as river floods",
    )
    original = _a("a-orig", BODY, published="2024-03-05T09:00", title="Marren floods Elbury")
    trimmed = _a(
        "c-trim",
        "By Staff Reporter\n\n" + BODY.replace(" and the main road bridge was closed as a precaution", ""),
        published="2024-03-05T16:00",
    )
    other = _a("d-other", OTHER_SAME_EVENT, published="2024-03-06")
    dups = find_near_duplicates([wire, other, trimmed, original])
    assert dups == {"b-copy": "a-orig", "c-trim": "a-orig"}


def test_canonical_is_longest_when_same_date_then_smallest_id():
    short = _a("z", BODY)
    long = _a("y", BODY + " Officials will give an update at noon.")
    same = _a("x", BODY)
    assert find_near_duplicates([short, long, same]) == {"z": "y", "x": "y"}
    assert find_near_duplicates([short, same]) == {"z": "x"}


def test_streaming_index_returns_canonical():
    idx = DuplicateIndex()
    assert idx.add(_a("a", BODY)) is None
    assert idx.add(_a("b", OTHER_SAME_EVENT)) is None
    assert idx.add(_a("c", "Updated: " + BODY)) == "a"
    assert idx.add(_a("c", "Updated: " + BODY)) == "a"


def test_shingle_hashes_follow_shingles():
    from storydesk.group.dedup import shingle_hashes

    assert len(shingle_hashes(BODY)) == len(shingles(BODY))
    assert set(shingle_hashes("One, two THREE four five six")) == set(
        shingle_hashes("one two three four five six")
    )
    assert len(shingle_hashes("too short")) == 1 and len(shingle_hashes("")) == 0


def test_index_forgets_articles_beyond_the_horizon():
    idx = DuplicateIndex(DedupOptions(horizon_days=30))
    assert idx.add(_a("a", BODY, published="2024-03-05")) is None
    assert idx.add(_a("b", "Updated: " + BODY, published="2024-03-06")) == "a"
    assert len(idx) == 1 and "b" in idx
    # a month and more later: the original and its copy are forgotten, a re-post is new again
    assert idx.add(_a("c", OTHER_SAME_EVENT, published="2024-04-10")) is None
    assert "a" not in idx and "b" not in idx and len(idx) == 1
    assert idx.add(_a("d", BODY, published="2024-04-11")) is None
    assert idx.add(_a("e", "Again: " + BODY, published="2024-04-12")) == "d"


def test_index_memory_stays_bounded_over_a_long_stream():
    rng = random.Random(3)
    words = (BODY + " " + OTHER_SAME_EVENT).split()
    idx = DuplicateIndex(DedupOptions(horizon_days=30))
    start = date(2024, 1, 1)
    for day in range(400):
        published = (start + timedelta(days=day)).isoformat()
        text = " ".join(rng.choice(words) for _ in range(120))  # a different article every day
        assert idx.add(_a(f"x{day}", text, published=published)) is None
        assert idx.add(_a(f"y{day}", "Copy: " + text, published=published)) == f"x{day}"
    # one original (and its copy) per day within the horizon, however long the stream
    assert len(idx) == 31 and len(idx._canonical) == 31 and len(idx._lsh.keys) == 31


def test_undated_articles_are_capped():
    idx = DuplicateIndex(DedupOptions(max_undated=2))
    for i, text in enumerate([BODY, OTHER_SAME_EVENT, "A third article about something else entirely here."]):
        assert idx.add(_a(f"u{i}", text, published=None)) is None
    assert len(idx) == 2 and "u0" not in idx
    assert idx.add(_a("u3", BODY, published=None)) is None  # its original was pushed out


def test_rebuilt_from_stored_articles_folds_new_copies():
    stored = [_a("a", BODY, published="2024-03-05"), _a("b", OTHER_SAME_EVENT, published="2024-03-06")]
    idx = DuplicateIndex.from_articles(iter(stored))
    assert idx.add(_a("c", BODY + " Updated at noon.", published="2024-03-07")) == "a"
