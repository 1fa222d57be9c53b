"""A story's headline: the title of the article most central to its summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ...model import Article, SummarySentence, title_opens_text
from ...text import content_stems
from .options import DEFAULT_SUMMARY_OPTIONS, SummaryOptions

__all__ = ["headline"]


def headline(
    articles: Sequence[Article],
    summary: Sequence[SummarySentence],
    options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS,
) -> str:
    """A title for the story: the title of the article most central to the summary, else its first line
    (at most ``headline_words`` words).

    A title extraction cut from the text's first line (:func:`~storydesk.model.title_opens_text`: a JSONL
    record or text file without a headline) is no headline: it carries the dateline ("JERUSALEM (AP) _ …")
    and is cut mid-sentence. Then the summary's first sentence, cleaned of its dateline, heads the story.
    """
    titled = [a for a in articles if a.title and a.title.strip() and not title_opens_text(a.title, a.text)]
    if titled:
        summary_words: Counter[str] = Counter()
        for s in summary:
            summary_words.update(set(content_stems(s.text)))
        cited: Counter[str] = Counter(c for s in summary for c in s.citations)

        def score(a: Article) -> tuple[float, int, int]:
            content = content_stems(a.title)
            overlap = sum(summary_words[w] for w in content) / (len(content) ** 0.5 or 1.0)
            return (overlap, cited[a.id], -len(a.title))

        return max(titled, key=score).title.strip()
    if summary:
        words = summary[0].text.split()
        text = " ".join(words[: options.headline_words])
        return text if len(words) <= options.headline_words else text.rstrip(",;:") + "…"
    return "Untitled story"
