"""The LLM writer against a real OpenAI-compatible server on 127.0.0.1 with canned replies: exactly the
unfaithful sentences are rejected, for the stated reasons; every failure gives the extractive summary and
one line saying why."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from llm_server import STORY, ChatServer, story_sentences

from storydesk.brief.llm import OpenAIChatClient, Plan, make_plan, write_summary
from storydesk.brief.verify import OfflineChecker
from storydesk.group.embed import get_embedder
from storydesk.model import Claim, SummarySentence


@dataclass(frozen=True)
class _Facts:
    entities: tuple = ()
    quotes: tuple = ()
    timeline: tuple = ()
    claims: tuple = ()


@pytest.fixture(scope="module")
def checker() -> OfflineChecker:
    return OfflineChecker(get_embedder("minilm"))


def _plan() -> Plan:
    sents = story_sentences()
    picks = [("a-herald", 0), ("a-herald", 1), ("b-times", 1), ("a-herald", 2)]
    summary = [SummarySentence(sents[a][i].text, (a,), a, i) for a, i in picks]
    facts = _Facts(
        claims=(
            Claim(
                sents["a-herald"][3].text,
                "disputed",
                ("a-herald",),
                ("Harbour Herald",),
                (1,),
                0.9,
                "number: 12 vs 14",
            ),
            Claim(
                sents["b-times"][2].text,
                "disputed",
                ("b-times",),
                ("Valley Times",),
                (0,),
                0.9,
                "number: 14 vs 12",
            ),
        )
    )
    return make_plan("Floods in Kettleby", summary, STORY, sents, facts)


def _n(plan: Plan, words: str) -> int:
    return next(s.number for s in plan.sources if words in s.text)


def _client(server: ChatServer, model: str, timeout: float = 5.0) -> OpenAIChatClient:
    return OpenAIChatClient(server.url, model, api_key="sekrit", timeout_s=timeout)


def _faithful(plan: Plan) -> list[str]:
    return [
        f"Flood waters forced 3,200 residents of Kettleby from their homes on Monday [{_n(plan, 'Flood waters')}].",
        f'Mayor Anna Lindqvist said the town had "never seen the river this high" and asked the national '
        f"government for emergency funds [{_n(plan, 'Mayor')}].",
        f"The regional council opened two emergency shelters in school halls [{_n(plan, 'shelters')}].",
    ]


def test_plan_numbers_the_extractive_selection_then_both_sides_of_a_dispute() -> None:
    plan = _plan()
    assert [s.number for s in plan.sources] == list(range(1, len(plan.sources) + 1))
    assert plan.extractive == 4
    assert any("12 people" in s.text for s in plan.sources) and any(
        "14 people" in s.text for s in plan.sources
    )
    assert plan.disputes and plan.disputes[0].left == "12" and plan.disputes[0].right == "14"


def test_faithful_summary_is_kept_whole(chat_server: ChatServer, checker: OfflineChecker) -> None:
    plan = _plan()
    chat_server.reply("faithful", "\n".join(_faithful(plan)))
    out = write_summary(plan, _client(chat_server, "faithful"), checker)
    assert out.method == "generated", [v.reasons for v in out.rejected]
    assert [v.text for v in out.sentences] == [s.rsplit(" [", 1)[0] + "." for s in _faithful(plan)]
    assert out.rejected == () and out.note is None
    assert out.usage.calls == 1 and out.usage.prompt_tokens == 120 and out.usage.completion_tokens == 40
    first = out.sentences[0]
    assert first.support[0].article_id == "a-herald" and first.support[0].index == 0
    assert "3200" in first.support[0].matched and "Kettleby" in first.support[0].matched
    request, headers = chat_server.requests[-1]
    assert headers["authorization"] == "Bearer sekrit"
    prompt = request["messages"][-1]["content"]
    assert "[1] (Harbour Herald) Flood waters forced 3,200" in prompt and prompt.endswith("Briefing:")
    assert "disagree on a number: 12 vs 14" in prompt


_UNFAITHFUL = {
    "invented number": (
        "Flood waters forced 4,500 residents of Kettleby from their homes on Monday [{Flood waters}].",
        "number '4500' is not in the cited sentences",
    ),
    "quotation not verbatim": (
        'Mayor Anna Lindqvist said the town had "never seen the water so high" [{Mayor}].',
        'quotation "never seen the water so high" is not verbatim in the cited sentences',
    ),
    "wrong article cited": (
        # the shelters are in the other article
        "The regional council opened emergency shelters in school halls [{Engineers}].",
        "not supported by the cited sentences (offline score",
    ),
    "one side of a dispute": (
        "Twelve people were injured in the floods [{12 people}].",
        "states '12' where the sources disagree (number: '12' vs '14') without '14'",
    ),
    "a source that was not offered": (
        "The river Tarn burst its banks [99].",
        "cites [99], which is not one of the numbered source sentences",
    ),
    "an invented name": (
        "Mayor Anna Lindqvist and Governor Erik Dahl asked the national government for emergency funds [{Mayor}].",
        "name 'Dahl' is not in the cited sentences",
    ),
    "an invented date": (
        "Flood waters forced 3,200 residents of Kettleby from their homes on Tuesday [{Flood waters}].",
        "date 'tuesday' is not in the cited sentences",
    ),
}


@pytest.mark.parametrize("case", sorted(_UNFAITHFUL))
def test_exactly_the_unfaithful_sentence_is_rejected(
    chat_server: ChatServer, checker: OfflineChecker, case: str
) -> None:
    plan = _plan()
    template, reason = _UNFAITHFUL[case]
    bad = re.sub(r"\{([^}]+)\}", lambda m: str(_n(plan, m.group(1))), template)
    good = _faithful(plan)
    chat_server.reply("mixed", "\n".join([good[0], bad, good[1], good[2]]))
    out = write_summary(plan, _client(chat_server, "mixed"), checker)
    assert out.method == "generated"
    assert [v.text for v in out.sentences] == [s.rsplit(" [", 1)[0] + "." for s in good]
    assert len(out.rejected) == 1
    rejected = out.rejected[0]
    assert rejected.text == bad.rsplit(" [", 1)[0] + "."
    assert any(reason in r for r in rejected.reasons), rejected.reasons
    assert out.note == "1 generated sentence(s) rejected by verification"


def test_both_sides_of_a_dispute_pass_the_dispute_rule(
    chat_server: ChatServer, checker: OfflineChecker
) -> None:
    plan = _plan()
    both = (
        f"Officials said 12 people were injured in the floods, while hospital staff said 14 people were injured "
        f"[{_n(plan, '12 people')}][{_n(plan, '14 people')}]."
    )
    chat_server.reply("both", "\n".join([*_faithful(plan), both]))
    out = write_summary(plan, _client(chat_server, "both"), checker)
    verdicts = [*out.sentences, *out.rejected]
    mine = next(v for v in verdicts if v.text.startswith("Officials said 12"))
    assert not any("disagree" in r for r in mine.reasons)
    assert mine.cites == (_n(plan, "12 people"), _n(plan, "14 people"))


def test_too_little_surviving_falls_back_to_extractive(
    chat_server: ChatServer, checker: OfflineChecker
) -> None:
    plan = _plan()
    n = _n(plan, "Flood waters")
    chat_server.reply(
        "inventive",
        "\n".join(
            [
                _faithful(plan)[0],
                f"Flood waters forced 9,000 residents of Kettleby from their homes on Sunday [{n}].",
                f"President Ola Berg visited Kettleby on Tuesday [{n}].",
            ]
        ),
    )
    out = write_summary(plan, _client(chat_server, "inventive"), checker)
    assert out.method == "extractive" and out.sentences == ()
    assert out.note == "extractive summary: only 1 of 3 generated sentences passed verification"
    assert len(out.rejected) == 2
    assert [v.supported for v in out.verdicts] == [True, False, False]


@pytest.mark.parametrize(
    ("canned", "kind", "words"),
    [
        ({"body": "<html>Bad gateway</html>", "status": 200}, "bad_reply", "not JSON"),
        ({"body": '{"object": "chat.completion"}', "status": 200}, "bad_reply", "no choices"),
        ({"content": ""}, "bad_reply", "no text"),
        ({"content": "Flood waters forced 3,200 [1", "finish_reason": "length"}, "truncated", "cut off"),
        ({"content": "I'm sorry, but I can't help with that."}, "refused", "refused"),
        ({"content": "", "finish_reason": "content_filter"}, "refused", "content filter"),
        ({"body": '{"error": {"message": "model is loading"}}', "status": 503}, "unavailable", "HTTP 503"),
        ({"content": "Floods hit Kettleby. Thousands left their homes."}, "format", "citation format"),
        ({"content": "ok [1]", "delay": 2.0}, "timeout", "within 0.5 s"),
    ],
)
def test_each_failure_gives_the_extractive_summary_and_one_line(
    chat_server: ChatServer, checker: OfflineChecker, canned: dict, kind: str, words: str
) -> None:
    chat_server.reply("m", **canned)
    out = write_summary(_plan(), _client(chat_server, "m", timeout=0.5), checker)
    assert out.method == "extractive" and out.sentences == ()
    assert out.note is not None and "\n" not in out.note
    assert out.note.startswith(f"extractive summary: the LLM gave no usable answer ({kind}: ")
    assert words in out.note
    assert out.usage.calls == 1
    # a reply that was parsed was billed: its tokens count even though its text is not used
    billed = kind in {"truncated", "refused", "format"} or (kind == "bad_reply" and words == "no text")
    expected = (120, 40) if billed else (0, 0)
    assert (out.usage.prompt_tokens, out.usage.completion_tokens) == expected


def test_no_server_listening_is_unavailable(checker: OfflineChecker) -> None:
    import socket

    with socket.socket() as s:  # a port that was free a moment ago and has no listener
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = OpenAIChatClient(f"http://127.0.0.1:{port}/v1", "m", timeout_s=2.0)
    out = write_summary(_plan(), client, checker)
    assert out.method == "extractive"
    assert out.note and "(unavailable: cannot reach the LLM endpoint" in out.note
    assert out.usage.failures == 1


def test_unknown_model_is_unavailable_with_the_servers_message(
    chat_server: ChatServer, checker: OfflineChecker
) -> None:
    out = write_summary(_plan(), _client(chat_server, "no-such-model"), checker)
    assert out.note and "HTTP 404: model not found" in out.note


def test_settings_build_the_client_and_the_checker(tmp_path, checker: OfflineChecker) -> None:  # type: ignore[no-untyped-def]
    from storydesk.brief.llm import NullChatClient, chat_client, support_checker
    from storydesk.brief.verify import JudgeChecker
    from storydesk.config import Settings, load_settings
    from storydesk.errors import ConfigError

    assert isinstance(chat_client(Settings()), NullChatClient)
    out = write_summary(_plan(), chat_client(Settings()), checker)
    assert out.method == "extractive"
    assert (
        out.note
        == "extractive summary: the LLM gave no usable answer (unavailable: no LLM endpoint configured (set llm_url))"
    )
    client = chat_client(Settings(llm_url="http://127.0.0.1:9/v1", llm_model="m", llm_timeout=3.0))
    assert (
        isinstance(client, OpenAIChatClient) and client.endpoint == "http://127.0.0.1:9/v1/chat/completions"
    )
    assert isinstance(support_checker(Settings(), checker.embedder), OfflineChecker)
    assert isinstance(
        support_checker(Settings(verify_url="http://127.0.0.1:9/v1"), checker.embedder), JudgeChecker
    )
    settings, origin = load_settings(
        environ={"STORYDESK_VERIFY_URL": "http://127.0.0.1:9/v1"}, config_file=None
    )
    assert settings.verify_url == "http://127.0.0.1:9/v1" and origin["verify_url"] == "$STORYDESK_VERIFY_URL"
    with pytest.raises(ConfigError, match="llm_timeout"):
        load_settings(environ={}, overrides={"llm_timeout": "0"})


def test_parse_reply_reads_trailing_and_leading_citations() -> None:
    from storydesk.brief.llm import parse_reply

    drafts = parse_reply(
        "Here is the briefing:\n"
        "1. Floods hit Kettleby on Monday [1][3]. Thousands left [3].\n"
        "[2] (Harbour Herald) The mayor asked for funds.\n"
        "- The council opened shelters [4, 5]\n"
        "A closing remark without a source."
    )
    assert [(d.text, d.cites) for d in drafts] == [
        ("Floods hit Kettleby on Monday.", (1, 3)),
        ("Thousands left.", (3,)),
        ("The mayor asked for funds.", (2,)),
        ("The council opened shelters.", (4, 5)),
        ("A closing remark without a source.", ()),
    ]
