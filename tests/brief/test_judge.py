"""The LLM judge against the canned OpenAI-compatible server: P(yes) from log-probabilities or text."""

from __future__ import annotations

import math

from llm_server import ChatServer

from storydesk.brief.llm import OpenAIChatClient
from storydesk.brief.verify import Draft, JudgeChecker, SourceSentence, verify_sentences


def test_judge_reads_yes_probability_from_logprobs(chat_server: ChatServer) -> None:
    chat_server.reply("minicheck", "Yes", logprobs={"Yes": math.log(0.8), "No": math.log(0.2)})
    judge = JudgeChecker(OpenAIChatClient(chat_server.url, "minicheck"))
    [score] = judge.score(
        ["The council opened two shelters."], [["The council opened two shelters in halls."]]
    )
    assert abs(score - 0.8) < 1e-6
    request, _ = chat_server.requests[-1]
    assert request["logprobs"] is True and request["top_logprobs"] == 5
    assert "Claim: The council opened two shelters." in request["messages"][-1]["content"]
    assert judge.usage.calls == 1


def test_judge_without_logprobs_reads_the_word_and_a_failure_is_not_support(chat_server: ChatServer) -> None:
    chat_server.reply("plain-no", "No.")
    chat_server.reply("broken", body="oops", status=500)
    assert JudgeChecker(OpenAIChatClient(chat_server.url, "plain-no")).score(["x"], [["y"]]) == [0.0]
    broken = JudgeChecker(OpenAIChatClient(chat_server.url, "broken"))
    assert broken.score(["x"], [["y"]]) == [0.0]
    assert broken.usage.failures == 1 and broken.last_error is not None


def test_verifier_uses_the_judge_and_keeps_the_hard_rules(chat_server: ChatServer) -> None:
    chat_server.reply("yes", "Yes", logprobs={"Yes": math.log(0.9), "No": math.log(0.1)})
    judge = JudgeChecker(OpenAIChatClient(chat_server.url, "yes"))
    sources = {1: SourceSentence(1, "a", 0, "The council opened two shelters on Monday.")}
    ok, invented = verify_sentences(
        [Draft("The council opened two shelters.", (1,)), Draft("The council opened five shelters.", (1,))],
        sources,
        judge,
    )
    assert ok.supported and ok.checker == "judge" and abs(ok.score - 0.9) < 1e-6
    assert not invented.supported and invented.reasons == ("number '5' is not in the cited sentences",)


def test_a_cut_off_judgement_is_no_support_but_its_tokens_count(chat_server: ChatServer) -> None:
    chat_server.reply("cut", "Ye", finish_reason="length")
    judge = JudgeChecker(OpenAIChatClient(chat_server.url, "cut"))
    assert judge.score(["x"], [["y"]]) == [0.0]
    assert judge.usage.failures == 1 and judge.last_error is not None
    assert (judge.usage.prompt_tokens, judge.usage.completion_tokens) == (120, 40)
