"""Direct quotations and who said them.

The cascade, per quotation (each step runs only when the ones before named no speaker;
``RawQuote.speaker_kind`` records what named it):

1. **segments** — quoted spans paragraph by paragraph, with curly (“…”), straight ("…") and doubled
   apostrophe (''…'') marks; a paragraph that opens a quotation and does not close it continues into the
   next paragraph when that one opens with a mark again (the newspaper convention for quotations running
   over paragraphs);
2. **its own sentence** — read on the spaCy parse the facts layer already made (no second parse): a speech
   verb outside the marks right after the quotation (``"…," X said`` / ``"…," said X`` /
   ``"…," X, a former ambassador, told Y``) or before it and governing it or leading into it
   (``X said: "…"`` / ``X said "…"`` / ``X, the adviser, during a press conference said, "…"`` /
   ``X said the plan was "a disaster"``), or ``according to X``; the speaker is the verb's subject;
3. **lead-in** — a paragraph that opens with the quotation after a paragraph ending ``X said:``;
4. **continuation** — a quotation with no attribution of its own (a sentence of its own) takes the
   speaker of the quotation just before it: in the same paragraph, or when it opens the next paragraph;
   never across another person who is the subject of a clause in between (a new speaker), nor across
   more than a few words of narration;
5. otherwise the quotation is kept **without a speaker** when it reads as speech (at least
   ``MIN_QUOTE_WORDS`` words, not a title), and dropped as a scare quote otherwise, or as words on a
   thing when a speech verb's subject is neither a person nor a source ("The banner read "…"").

The subject names the speaker (:func:`_name_subject`): the named entity it belongs to (or the run of
proper nouns when NER missed it), the name in its apposition ("Clinton's campaign chairman, John Podesta"),
the noun a relative pronoun stands for ("Graham, who said"), a description ("a company spokesman") when no
name is given, or — for "he"/"she" — the one person the pronoun can stand for (:func:`_resolve_pronoun`:
the subject of the nearest earlier sentence that names a person of that gender). Where two people fit, or
the subject is a group ("they", "Trump and Pence"), the quotation keeps no speaker: a wrong name is the
worst error a briefing can make. The text is the article's own characters between the marks.


The package: :mod:`._segments` (step 1), :mod:`._parse` (the parse as the steps read it),
:mod:`._speakers` (who a subject names), :mod:`._attribution` (steps 2-3), :mod:`._cascade` (the order of
the steps, continuations, step 5) and :mod:`._record` (:class:`RawQuote`); thresholds in ``analyse/rules.py``.
"""

from ._cascade import find_quotes
from ._record import RawQuote, quote_key, speaker_confidence
from ._segments import quoted_spans

__all__ = ["RawQuote", "find_quotes", "quote_key", "quoted_spans", "speaker_confidence"]
