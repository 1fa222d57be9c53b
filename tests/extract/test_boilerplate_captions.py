import pytest

from storydesk.extract.boilerplate import is_boilerplate_line, why_boilerplate

LONG_CAPTION = (
    "Photo: Far-off hills above the reservoir on Monday morning, where engineers had warned for years that "
    "the embankment was weakening. (Valley Courier/Ada Moss)"
)


@pytest.mark.parametrize(
    "line",
    [
        LONG_CAPTION,
        "(Photo: Rescue boats near the bridge on Tuesday, after the river broke its banks at dawn.)",
        "Pictured: The new stadium, which will seat 42,000 when it opens next year after three years of work",
        "Image: Council workers clearing debris from the seafront promenade after the overnight storm hit the town",
        "Photo credit: Ines Dahl for the Courier, taken from the roof of the old customs house at sunrise",
    ],
)
def test_credit_captions_are_removed_at_any_length(line):
    assert len(line.split()) > 14 or line.startswith("(")
    assert why_boilerplate(line) == "is_caption"


@pytest.mark.parametrize(
    "line",
    [
        "By Marta Venn · April 25, 2019",
        "By Coastal Wire Service | April 25, 2019 9:15 PM",
        "By Owen Talbot, April 23, 2019",
        "Written by admin",
    ],
)
def test_bylines_with_dates_are_removed(line):
    assert is_boilerplate_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "The photo, taken by a resident, shows smoke rising above the harbour.",
        "Photographs taken from the air show the extent of the flooding across the valley.",
        "Pictures from the scene showed a crane lying across two lanes of the motorway.",
        "Images released by the police appear to show two men leaving the building.",
        "Readers were asked to share their memories and print the form at home.",
        "She said she would reply to the committee's letter by the end of the week.",
        "By Tuesday afternoon, the fire had spread to three more farms.",
        "By April 25, 2019 the dam had been leaking for a month.",
        "Read more widely, the report suggests a deeper crisis.",
    ],
)
def test_sentences_that_mention_photos_sharing_or_bylines_stay(line):
    assert why_boilerplate(line) is None
