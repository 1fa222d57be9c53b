"""Briefing from stored vectors (#17): the embedder a briefing sees answers known texts without the model,
and its vectors are the model's own, so a briefing from stored vectors is a briefing from scratch."""

from __future__ import annotations

import numpy as np

from storydesk.brief._stored import KnownVectors
from storydesk.group.embed import MiniLMEmbedder

TEXTS = [
    "The council approved the budget on Tuesday.",
    "Flood waters rose overnight in the river valley.",
    "The minister said the talks would resume next week.",
    "Shares fell sharply after the announcement.",
]


class Counting(MiniLMEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.ran: list[str] = []

    def _run(self, texts):  # type: ignore[no-untyped-def]
        self.ran.extend(texts)
        return super()._run(texts)


def test_vectors_do_not_depend_on_what_else_is_embedded() -> None:
    """What makes stored vectors exact: a text's vector is the same alone or in any batch."""
    model = MiniLMEmbedder()
    together = model._run(TEXTS)
    for i, t in enumerate(TEXTS):
        assert model._run([t])[0].tobytes() == together[i].tobytes()
    assert model._run(TEXTS[::-1])[::-1].tobytes() == together.tobytes()


def test_known_texts_are_answered_without_the_model() -> None:
    reference = MiniLMEmbedder().embed(TEXTS)
    model = Counting()
    built: list[int] = []

    def base() -> Counting:
        built.append(1)
        return model

    known = KnownVectors(base, {TEXTS[0]: reference[0], TEXTS[2]: reference[2]})
    out = known.embed([TEXTS[0], TEXTS[2], TEXTS[0]])
    assert not built  # nothing unknown: the model is not even built
    assert out.tobytes() == reference[[0, 2, 0]].tobytes()
    out = known.embed(TEXTS)
    assert model.ran == [TEXTS[1], TEXTS[3]]  # only the unknown texts run
    assert out.dtype == np.float32 and out.tobytes() == reference.tobytes()
    assert list(known.fresh) == [TEXTS[1], TEXTS[3]]
    known.embed(TEXTS)
    assert model.ran == [TEXTS[1], TEXTS[3]]  # once computed, known
