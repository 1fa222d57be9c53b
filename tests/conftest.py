"""Shared fixtures: invented articles written by the project, and settings per pipeline configuration."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from _paths import SHARED_DATA
from storydesk.config import Settings


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``: the public gold sets the evaluations and quality tests read (never copied here)."""
    assert SHARED_DATA.is_dir(), f"{SHARED_DATA} is missing: the evaluation data sits beside the repository"
    return SHARED_DATA


@pytest.fixture
def fast_settings(tmp_path: Path) -> Settings:
    """No model loading: hashing vectors, no facts layer. For tests of plumbing, not of quality."""
    return Settings(db=str(tmp_path / "fast.db"), embedder="tfidf", facts=False)


@pytest.fixture
def default_settings(tmp_path: Path) -> Settings:
    """The defaults a user gets (MiniLM vectors, spaCy facts), with the store in tmp_path."""
    return Settings(db=str(tmp_path / "default.db"))


_TEMPLATES = [
    "Officials in {place} said the {t} forced thousands of residents from their homes on Monday. "
    "Emergency crews worked through the night while the regional council opened two shelters.",
    "The {t} in {place} left roads closed and schools shut, the regional council said on Tuesday. "
    "Crews from three neighbouring districts joined the response, and volunteers handed out blankets.",
    "Residents of {place} described the {t} as the worst in living memory. "
    "A council spokeswoman promised a full inquiry into the {t} and said insurers had been contacted.",
    "Engineers inspecting the damage from the {t} in {place} warned that repairs could take months. "
    "The mayor of {place} asked the national government for emergency funds to cover the cost.",
    "Aid agencies arrived in {place} on Wednesday after the {t}, bringing water and medical supplies. "
    "Local shops reopened slowly as the council counted the cost of the {t}.",
]


_BRIDGE = [
    "A road bridge over the river Tarn at {place} gave way during the morning rush hour. "
    "Two lorries and a bus fell into the water, and divers recovered the drivers alive.",
    "Structural engineers had flagged corroded steel cables on the {place} span in a survey last year, "
    "documents seen by reporters show. The transport ministry declined to comment on the survey.",
    "Commuters in {place} face detours of up to forty kilometres while the crossing is closed. "
    "Ferry operators added extra sailings across the Tarn estuary to cope with the traffic.",
    "Prosecutors opened an investigation into the maintenance contractor responsible for the {place} bridge. "
    "The company said its inspections met every national standard.",
    "The government pledged to rebuild the {place} crossing within two years at a cost of 90 million crowns. "
    "Opposition deputies demanded an audit of every bridge built in the same decade.",
]


def _story(topic: str, place: str, n: int) -> list[dict[str, str]]:
    outlets = ["Northern Ledger", "Harbour Herald", "Valley Times", "Coast Courier", "Plains Post"]
    templates = _BRIDGE if "bridge" in topic.lower() else _TEMPLATES
    out = []
    for i in range(n):
        outlet = outlets[i % len(outlets)]
        out.append(
            {
                "title": f"{topic} in {place}: {['residents flee', 'roads closed', 'inquiry promised', 'repairs ahead', 'aid arrives'][i % 5]}",
                "outlet": outlet,
                "published": f"2024-03-{10 + i:02d}",
                "url": f"https://{outlet.lower().replace(' ', '')}.example/{place.lower().replace(' ', '-')}-{i}",
                "text": templates[i % len(templates)].format(place=place, t=topic.lower())
                + " "
                + templates[(i + 2) % len(templates)].format(place=place, t=topic.lower()),
            }
        )
    return out


@pytest.fixture
def mixed_jsonl(tmp_path: Path) -> Path:
    """Two invented stories of four articles each plus one off-topic article, as one JSONL file."""
    rows = _story("Flood", "Lower Marsh", 4) + _story("Bridge collapse", "Kettleby", 4)
    rows.append(
        {
            "title": "Chess club wins county cup",
            "outlet": "Village Voice",
            "published": "2024-03-12",
            "text": "The chess club of Ashwell won the county cup after a tense final round against Brindle. "
            "Its captain thanked the volunteers who run the Thursday evening sessions at the library.",
        }
    )
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path
