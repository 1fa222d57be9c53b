from storydesk.dedup import DuplicateIndex, find_near_duplicates, shingles
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
