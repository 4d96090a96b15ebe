"""Messages worded below the window: English as str(), translated by the window."""

from __future__ import annotations

import re

import numpy as np
import pytest

from digitpad.gui import i18n
from digitpad.messages import Message, plain
from digitpad.net.adoption import Decision, Scores, decide
from digitpad.net.lr_ladder import RULE, RULE_MESSAGE, judge

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def chinese(qapp):
    assert i18n.install_translators(qapp, "zh_CN") == "zh_CN"
    yield qapp
    i18n.install_translators(qapp, "en")


def test_a_message_is_its_english_sentence_and_round_trips_as_data() -> None:
    inner = Message("Ctx", "{n:.0%} right", {"n": 0.5})
    outer = Message("Ctx", "Kept: {why}.", {"why": inner})
    assert str(outer) == "Kept: 50% right."
    again = Message.from_dict(outer.as_dict())
    assert again == outer
    assert Message.from_dict("not a message") is None
    assert str(plain("as {it} is")) == "as {it} is"


def test_the_window_says_messages_in_english_by_default(qapp) -> None:
    i18n.install_translators(qapp, "en")
    assert i18n.say(RULE_MESSAGE) == RULE
    assert i18n.say("a plain string") == "a plain string"


def test_the_ladder_verdict_and_rule_in_chinese(chinese) -> None:
    verdict = judge({0.01: np.linspace(2.3, 0.5, 100), 0.1: np.full(100, 5.0)})
    for v in verdict.verdicts:
        said = i18n.say(v.why)
        assert CJK.search(said), said
        assert said != v.reason
    assert CJK.search(i18n.say(RULE_MESSAGE))
    assert "2.30" in i18n.say(RULE_MESSAGE)  # the values are filled in


def test_the_adopt_decision_in_chinese(chinese) -> None:
    right_before = np.array([True] * 8 + [False] * 12)
    right_after = np.array([True] * 20)
    before = Scores(0.4, 1.0, 0.99, right_before, np.ones(20))
    after = Scores(1.0, 0.1, 0.99, right_after, np.ones(20) * 0.1)
    decision = decide(before, after)
    assert decision.adopt
    assert decision.reason.startswith("Adopted: 100% of your drawings")
    said = i18n.say(decision.why)
    assert said.startswith("已采用"), said
    assert "100%" in said


def test_a_translation_that_does_not_fit_gives_english(chinese) -> None:
    odd = Message("LadderRule", "its loss is not a number", {})
    assert CJK.search(i18n.say(odd))
    broken = Message("Nowhere", "needs {value}", {})
    assert i18n.say(broken) == "needs {value}"


def test_decisions_from_tests_may_be_plain_strings() -> None:
    assert Decision(True, "pinned").reason == "pinned"
