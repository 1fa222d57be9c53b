"""The analyse stage's record: sentences always, the facts layer's reading only with a spaCy pipeline,
the parse cached per process and run in a memory zone after the first parses."""

from __future__ import annotations

from storydesk.analyse import AnalysisOptions, ArticleAnalysis, ArticleFacts, add_facts, analyse_article
from storydesk.analyse._nlp import load_nlp
from storydesk.analyse.sentences import split_sentences
from storydesk.model import Article

TEXT = (
    "VLADIVOSTOK -- North Korean leader Kim Jong-un met Russian President Vladimir Putin on Thursday "
    "at a university campus on Russky Island.\n\n"
    '"We had a very substantive and open exchange of views," Putin told reporters after the talks.\n\n'
    "Kim arrived on Wednesday on an armoured train after crossing the border."
)


def test_without_a_pipeline_an_analysis_has_sentences_and_no_facts() -> None:
    article = Article(id="s", title="", text=TEXT, published="2019-04-26")
    analysis = analyse_article(article)
    assert isinstance(analysis, ArticleAnalysis)
    assert analysis.id == "s" and analysis.article is article
    assert list(analysis.sentences) == split_sentences(article)
    assert analysis.facts is None


def test_article_facts_are_cached_and_typed() -> None:
    nlp = load_nlp()
    article = Article(id="z", title="", text=TEXT, published="2019-04-26")
    first = analyse_article(article, nlp=nlp)
    assert isinstance(first.facts, ArticleFacts)
    assert analyse_article(article, nlp=nlp).facts is first.facts
    assert {d.date for d in first.facts.dates} >= {"2019-04-25", "2019-04-24"}
    assert first.facts.mentions and first.facts.quotes


def test_facts_added_later_keep_the_sentences() -> None:
    article = Article(id="later", title="", text=TEXT, published="2019-04-26")
    plain = analyse_article(article)
    full = add_facts(plain, load_nlp())
    assert full.sentences is plain.sentences and full.facts is not None
    assert add_facts(full, load_nlp()) is full


def test_parsing_new_words_does_not_grow_spacys_vocabulary() -> None:
    """After a process's first parses, each parse runs in a spaCy memory zone: the names it reads are
    dropped from the vocabulary again, so a long ingest's worker does not keep every word it has seen."""
    nlp = load_nlp()
    before = len(nlp.vocab.strings)
    lexemes = sum(1 for _ in nlp.vocab)  # the index (spaCy's len(nlp.vocab) counts the freed ones too)
    text = (
        "Governor Zorvexia Quintrell met Mayor Plimbarto Oskvedran in Vantreluna on Tuesday.\n\n"
        "Quintrell said the Drobnetsk bridge would reopen in Marquavel next spring."
    )
    article = Article(id="zone", title="Z", text=text, outlet="Test Post", published="2019-04-26")
    got = analyse_article(article, nlp=nlp, options=AnalysisOptions(warm_parses=0)).facts
    assert got is not None
    assert len(nlp.vocab.strings) == before
    assert sum(1 for _ in nlp.vocab) == lexemes
    names = {m.text for m in got.mentions}
    assert "Zorvexia Quintrell" in names or "Quintrell" in names  # the mentions outlive the zone


def test_articles_parsed_together_read_the_same_facts_as_one_by_one() -> None:
    """analyse_articles parses the articles not cached yet through nlp.pipe in batches: the same
    mentions, quotations and dates as parsing each alone, in order, cached like analyse_article's."""
    from storydesk.analyse import _facts, analyse_articles

    nlp = load_nlp()
    texts = [TEXT, TEXT.replace("Putin", "Medvedev"), TEXT.replace("Thursday", "Friday"), "No names here."]
    arts = [Article(id=f"pipe-{i}", title="", text=t, published="2019-04-26") for i, t in enumerate(texts)]
    alone = [analyse_article(a, nlp=nlp).facts for a in arts]
    _facts._cache.clear()
    together = analyse_articles(arts, nlp=nlp, options=AnalysisOptions(pipe_batch=3, warm_parses=0))
    assert list(together) == [a.id for a in arts]
    assert [together[a.id].facts for a in arts] == alone
    assert all(together[a.id].facts is not alone[i] for i, a in enumerate(arts))  # parsed again here
    assert analyse_articles(arts[:2], nlp=nlp)[arts[1].id].facts is together[arts[1].id].facts  # cached
    assert analyse_articles(arts)[arts[0].id].facts is None  # no pipeline: sentences only


class _RecordingPipeline:
    """The real spaCy pipeline, noting the texts of every ``pipe`` call."""

    def __init__(self, nlp) -> None:  # type: ignore[no-untyped-def]
        self.nlp, self.calls = nlp, []

    def __call__(self, text):  # type: ignore[no-untyped-def]
        self.calls.append([text])
        return self.nlp(text)

    def pipe(self, texts, batch_size):  # type: ignore[no-untyped-def]
        self.calls.append(list(texts))
        return self.nlp.pipe(self.calls[-1], batch_size=batch_size)

    def memory_zone(self):  # type: ignore[no-untyped-def]
        return self.nlp.memory_zone()


def test_articles_are_parsed_together_up_to_a_bound_on_characters() -> None:
    """spaCy's transient memory grows with the text parsed at once (#17): a pipe batch holds at most
    ``pipe_chars`` characters (an article longer than that alone) and ``pipe_batch`` articles, and reads
    the same facts as one batch of all."""
    from storydesk.analyse import _facts, analyse_articles

    nlp = load_nlp()
    texts = [TEXT, TEXT.replace("Putin", "Medvedev"), TEXT * 3, "No names here.", TEXT.replace("Kim", "Moon")]
    arts = [Article(id=f"chars-{i}", title="", text=t, published="2019-04-26") for i, t in enumerate(texts)]
    _facts._cache.clear()
    whole = analyse_articles(arts, nlp=nlp, options=AnalysisOptions(pipe_batch=16, pipe_chars=10**6))
    _facts._cache.clear()
    recorder = _RecordingPipeline(nlp)
    bound = 2 * len(TEXT) + 10
    options = AnalysisOptions(pipe_batch=16, pipe_chars=bound, warm_parses=0)
    bounded = analyse_articles(arts, nlp=recorder, options=options)
    sizes = [[len(t) for t in call] for call in recorder.calls]
    assert sizes == [[len(texts[0]), len(texts[1])], [len(texts[2])], [len(texts[3]), len(texts[4])]]
    assert all(sum(s) <= bound for s in sizes if len(s) > 1)
    assert [bounded[a.id].facts for a in arts] == [whole[a.id].facts for a in arts]
    _facts._cache.clear()
    recorder.calls.clear()
    analyse_articles(arts, nlp=recorder, options=AnalysisOptions(pipe_batch=2, pipe_chars=10**6))
    assert [len(call) for call in recorder.calls] == [2, 2, 1]


def test_the_facts_cache_keeps_at_most_its_bound() -> None:
    """``cache_articles`` bounds the articles whose facts a process keeps (a briefing worker keeps few,
    #17): the most recently used stay, 0 keeps none; the facts read are the same."""
    from storydesk.analyse import _facts, analyse_articles

    nlp = load_nlp()
    texts = [TEXT, TEXT.replace("Putin", "Medvedev"), TEXT.replace("Kim", "Moon"), "No names here."]
    arts = [Article(id=f"bound-{i}", title="", text=t, published="2019-04-26") for i, t in enumerate(texts)]
    _facts._cache.clear()
    kept = analyse_articles(arts, nlp=nlp, options=AnalysisOptions(cache_articles=2))
    assert [key[0] for key in _facts._cache] == ["bound-2", "bound-3"]
    single = analyse_article(arts[0], nlp=nlp, options=AnalysisOptions(cache_articles=2))
    assert [key[0] for key in _facts._cache] == ["bound-3", "bound-0"]
    _facts._cache.clear()
    none = analyse_articles(arts, nlp=nlp, options=AnalysisOptions(cache_articles=0))
    assert not _facts._cache
    assert [none[a.id].facts for a in arts] == [kept[a.id].facts for a in arts]
    assert single.facts == kept[arts[0].id].facts
