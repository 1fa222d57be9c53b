import numpy as np
import pytest

from storydesk.embed import HashingEmbedder, MiniLMEmbedder, document_text, embed_documents, get_embedder
from storydesk.errors import ConfigError
from storydesk.model import Article

TEXTS = [
    "The harbour bridge reopened after repairs to its northern span.",
    "Repairs finished on the northern span, and the harbour bridge reopened.",
    "A violinist won the regional music competition with a sonata.",
]


def _check(v: np.ndarray, n: int) -> None:
    assert v.dtype == np.float32 and v.shape[0] == n
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)


def test_hashing_embedder_similar_texts_closer():
    v = HashingEmbedder().embed(TEXTS)
    _check(v, 3)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2


def test_minilm_embedder_shapes_and_order():
    e = get_embedder("minilm")
    assert isinstance(e, MiniLMEmbedder)
    v = e.embed(TEXTS)
    _check(v, 3)
    assert v.shape[1] == 384
    assert v[0] @ v[1] > 0.8 > v[0] @ v[2]
    # batching and length sorting must not change a row
    alone = e.embed([TEXTS[2]])
    assert np.allclose(alone[0], v[2], atol=1e-4)
    assert e.embed([]).shape == (0, 384)


def test_unknown_embedder_names_choices():
    with pytest.raises(ConfigError, match="minilm"):
        get_embedder("word2vec")


def test_document_text_uses_title_and_lead():
    a = Article(id="x", title="Bridge reopens", text="First para.\n\nSecond para.\n\nThird.\n\nFourth para.")
    t = document_text(a)
    assert t.startswith("Bridge reopens") and "Third." in t and "Fourth" not in t
    assert embed_documents(HashingEmbedder(), [a]).shape[0] == 1
