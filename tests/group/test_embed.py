import numpy as np
import pytest

from storydesk.errors import ConfigError
from storydesk.group.embed import (
    EmbedderOptions,
    HashingEmbedder,
    MiniLMEmbedder,
    document_text,
    embed_documents,
    get_embedder,
)
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
    # batching and length sorting must not change a row (a fresh embedder: nothing cached)
    alone = MiniLMEmbedder(EmbedderOptions(cache_texts=0)).embed([TEXTS[2]])
    assert np.allclose(alone[0], v[2], atol=1e-4)
    assert e.embed([]).shape == (0, 384)


class _RecordingSession:
    """The real onnxruntime session, noting the shape of every batch it is given."""

    def __init__(self, session) -> None:  # type: ignore[no-untyped-def]
        self.session, self.shapes = session, []

    def run(self, names, feeds):  # type: ignore[no-untyped-def]
        self.shapes.append(feeds["input_ids"].shape)
        return self.session.run(names, feeds)


def test_minilm_batches_are_bounded_by_width_squared():
    e = MiniLMEmbedder()
    options = e.options
    recorder = _RecordingSession(e._session)
    e._session = recorder
    long = [" ".join(f"word{i} {k} the summit" for i in range(80)) for k in range(6)]  # > 256 pieces
    short = [f"Short sentence number {k} about the summit." for k in range(40)]
    v = e.embed(long + short)
    assert recorder.shapes, "the model was not run"
    for rows, width in recorder.shapes:
        assert rows <= options.batch_size
        assert rows == 1 or rows * width**2 <= options.max_batch_cells, (rows, width)
    assert max(width for _, width in recorder.shapes) == options.max_tokens
    full = options.batch_size
    assert (full, max(w for r, w in recorder.shapes if r == full)) in recorder.shapes
    # the same vectors as one text at a time (without the cache)
    alone = MiniLMEmbedder(EmbedderOptions(cache_texts=0))
    for row, text in ((0, long[0]), (len(long) + 3, short[3])):
        assert np.allclose(alone.embed([text])[0], v[row], atol=1e-4)


def test_minilm_runs_a_recent_text_once():
    e = MiniLMEmbedder(EmbedderOptions(cache_texts=3))
    recorder = _RecordingSession(e._session)
    e._session = recorder
    first = e.embed([TEXTS[0], TEXTS[1], TEXTS[0]])
    assert sum(rows for rows, _ in recorder.shapes) == 2  # a text repeated in a call runs once
    assert np.array_equal(first[0], first[2])
    again = e.embed([TEXTS[1], TEXTS[2]])
    assert sum(rows for rows, _ in recorder.shapes) == 3  # TEXTS[1] came from the cache
    assert np.array_equal(again[0], first[1])
    _check(again, 2)
    e.embed(["a", "b", "c"])  # the cache holds at most 3 texts: the oldest go
    assert list(e._cache) == ["a", "b", "c"]
    before = sum(rows for rows, _ in recorder.shapes)
    e.embed([TEXTS[0]])
    assert sum(rows for rows, _ in recorder.shapes) == before + 1


def test_unknown_embedder_names_choices():
    with pytest.raises(ConfigError, match="minilm"):
        get_embedder("word2vec")


def test_document_text_uses_title_and_lead():
    a = Article(id="x", title="Bridge reopens", text="First para.\n\nSecond para.\n\nThird.\n\nFourth para.")
    t = document_text(a)
    assert t.startswith("Bridge reopens") and "Third." in t and "Fourth" not in t
    assert embed_documents(HashingEmbedder(), [a]).shape[0] == 1


def test_minilm_batches_follow_its_options():
    e = MiniLMEmbedder(EmbedderOptions(batch_size=4, max_tokens=16))
    recorder = _RecordingSession(e._session)
    e._session = recorder
    e.embed([f"Sentence number {k} about the harbour bridge and its long repairs. " * 3 for k in range(10)])
    assert [rows for rows, _ in recorder.shapes] == [4, 4, 2]
    assert max(width for _, width in recorder.shapes) == 16


def test_minilm_threads_do_not_spin_by_default_and_vectors_are_the_same():
    # idle onnxruntime threads spinning for work burn the cores a second process needs (group/rules.py)
    quiet = MiniLMEmbedder(EmbedderOptions(cache_texts=0))
    spinning = MiniLMEmbedder(EmbedderOptions(cache_texts=0, spin=True))
    entry = "session.intra_op.allow_spinning"
    assert quiet._session.get_session_options().get_session_config_entry(entry) == "0"
    with pytest.raises(RuntimeError):  # not set: onnxruntime's default, spinning
        spinning._session.get_session_options().get_session_config_entry(entry)
    assert np.allclose(quiet.embed(TEXTS), spinning.embed(TEXTS), atol=1e-6)


def test_a_title_cut_from_the_first_line_is_not_read_twice():
    """A document without a headline gets the first line as its title, cut at a word with "…" when long
    (#19): the vector reads that line once, as it reads a title that is the whole first line."""
    lead = "HANOI, Vietnam (AP) _ Vietnam has floated the price of cashews due to a shortage of nuts."
    text = f"{lead}\n\nProcessing plants are running short.\n\nExporters expect higher prices."
    for title in (lead, lead[:40].rsplit(" ", 1)[0] + "…"):
        assert document_text(Article(id="x", title=title, text=text)) == document_text(
            Article(id="x", title="", text=text)
        )
    # a headline of its own still comes first
    assert document_text(Article(id="x", title="Cashew prices float", text=text)).startswith("Cashew prices")


def test_minilm_memory_arena_is_off_by_default_and_vectors_are_the_same():
    # onnxruntime's CPU arena keeps the memory of a process's largest call for good (group/rules.py, #17)
    plain = MiniLMEmbedder(EmbedderOptions(cache_texts=0))
    arena = MiniLMEmbedder(EmbedderOptions(cache_texts=0, memory_arena=True))
    assert plain._session.get_session_options().enable_cpu_mem_arena is False
    assert arena._session.get_session_options().enable_cpu_mem_arena is True
    assert plain.embed(TEXTS).tobytes() == arena.embed(TEXTS).tobytes()  # the same bits
