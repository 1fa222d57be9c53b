"""storydesk.text: each tokenizer keeps what its stage needs, and the stem cache stays bounded."""

from __future__ import annotations

from storydesk import text


def test_rouge_tokens_are_lower_case_ascii_alphanumerics_stemmed() -> None:
    assert text.rouge_tokens("Reporting: 1,200 U.S. troops") == ["report", "1", "200", "u", "s", "troop"]
    assert text.rouge_tokens("The cat") == ["the", "cat"]  # words of three letters are not stemmed


def test_concept_terms_keep_content_words_and_the_bigrams_touching_one() -> None:
    stems, content, bigrams = text.concept_terms("The floods said 12 homes were destroyed")
    assert stems == ("the", "flood", "said", "12", "home", "were", "destroy")
    assert content == {"flood", "home", "destroy"}  # no stop word ("said" included), no digit string
    assert ("the", "flood") in bigrams and ("said", "12") not in bigrams
    assert text.content_stems("The floods said 12 homes were destroyed") == content


def test_claim_tokens_keep_numbers_whole() -> None:
    assert text.claim_tokens("Trade reached $34,500.50 (up 4.5%), Kim Jong-un’s aide said.") == [
        "Trade", "reached", "$34,500.50", "up", "4.5%", "Kim", "Jong-un’s", "aide", "said",
    ]  # fmt: skip


def test_context_and_overlap_words_drop_their_own_stop_lists() -> None:
    assert text.context_words("The two ministers met in Oslo after the vote") == {
        "ministers",
        "met",
        "oslo",
        "vote",
    }
    assert text.overlap_words("The dam would burst after heavy rain") == {"burst", "heavy", "rain"}


def test_shingle_and_search_words_differ_on_apostrophes_and_underscores() -> None:
    assert text.shingle_words("Don't PANIC_now, Zürich!") == ["don't", "panic", "now", "zürich"]
    assert text.word_tokens("Don't PANIC_now, Zürich!") == ["Don", "t", "PANIC_now", "Zürich"]


def test_the_stem_cache_stays_bounded() -> None:
    for n in range(text.STEM_CACHE_WORDS + 1000):
        text.stem(f"wordform{n}ing")
    assert text.stem.cache_info().currsize <= text.STEM_CACHE_WORDS
    assert text.stem("reporting") == "report"
