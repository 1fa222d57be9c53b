"""The other systems: published figures on PolNeAR, and textacy's ``direct_quotations`` run live (the
``[eval]`` extra), paragraph by paragraph where it refuses a whole document."""

from __future__ import annotations

from typing import Any

from ...model import Article
from ._data import OutputQuote

#: Published results (``shared/data/README.md``): span-level F1, each span scored separately, exact match
#: unless said otherwise, on PolNeAR's official test compartment or on PARC 3.0 — not comparable.
PUBLISHED: tuple[dict[str, Any], ...] = (
    {
        "system": "BERT + CofeNet (COLING 2022)",
        "corpus": "PolNeAR test",
        "source_f1": 83.2,
        "cue_f1": 75.3,
        "content_f1": 72.9,
    },
    {"system": "BERT-CRF", "corpus": "PolNeAR test", "source_f1": 82.2, "cue_f1": 74.9, "content_f1": 71.0},
    {
        "system": "Stanford CoreNLP quote annotator",
        "corpus": "PolNeAR test",
        "source_f1": 13.9,
        "cue_f1": None,
        "content_f1": 17.5,
    },
    {
        "system": "BBC Citron",
        "corpus": "PARC 3.0",
        "source_f1": 82.0,
        "content_f1": 59.3,
        "source_f1_overlap": 85.3,
        "content_f1_overlap": 83.3,
    },
)


# --------------------------------------------------------------------------------------------------
# Systems
# --------------------------------------------------------------------------------------------------


class _Textacy:
    """textacy's ``direct_quotations`` on the project's spaCy model (full pipeline: it reads lemmas)."""

    def __init__(self) -> None:
        try:
            import spacy
            from textacy.extract.triples import direct_quotations
        except ImportError as exc:
            raise ImportError("textacy is not installed: pip install 'storydesk[eval]'") from exc
        from ...analyse.rules import DEFAULT_SPACY_MODEL, MAX_PARSE_CHARS

        self.nlp = spacy.load(DEFAULT_SPACY_MODEL)
        self.extract = direct_quotations
        self.max_chars = MAX_PARSE_CHARS
        self.fallbacks = 0

    def parse(self, article: Article) -> Any:
        return self.nlp(article.text[: self.max_chars])

    def quotes(self, doc: Any) -> list[OutputQuote]:
        try:
            triples = list(self.extract(doc))
        except ValueError:  # an odd number of quotation marks: textacy bails out on the whole document
            self.fallbacks += 1
            triples = []
            for para in _paragraph_spans(doc):
                try:
                    triples.extend(self.extract(para.as_doc()))
                except ValueError:
                    continue
        return [OutputQuote(t.content.text, " ".join(tok.text for tok in t.speaker) or None) for t in triples]


def _paragraph_spans(doc: Any) -> list[Any]:
    spans, start = [], 0
    for tok in doc:
        if "\n\n" in tok.text or (tok.is_space and tok.text.count("\n") >= 2):
            if tok.i > start:
                spans.append(doc[start : tok.i])
            start = tok.i + 1
    if start < len(doc):
        spans.append(doc[start:])
    return spans
