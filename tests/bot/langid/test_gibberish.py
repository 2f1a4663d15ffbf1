from __future__ import annotations

import pytest

from bot.components.understood import reason
from bot.langid.gibberish import emoji_only, is_gibberish, positive_emoji_only


@pytest.mark.parametrize("text", ["asdkjh", "qwerty zxcv", "dfgdfg", "skdjfhsdkf", "σδφγ", "jfkdl;sa", "ыфвафыв"])
def test_keyboard_mashes_are_not_understood(text: str) -> None:
    assert reason(text) == "gibberish"


@pytest.mark.parametrize("text", ["ok", "hmm", "efxaristw", "recieve the parcel", "провода", "Γεια σας", "Labas",
                                  "nesuprantate", "strength", "rhythms", "NPS?", "/affirm", "dallas"])
def test_words_short_replies_typos_and_button_payloads_are_understood(text: str) -> None:
    assert reason(text) is None


def test_emoji_alone_is_not_understood_unless_a_plain_yes_or_thanks() -> None:
    assert reason("🤔") == "emoji" and reason("😡😡😡") == "emoji"
    assert reason("👍") is None and reason("🙏") is None
    assert emoji_only("👍 👍") and positive_emoji_only("👍 👍")
    assert not emoji_only("???") and not emoji_only("ok 👍")


def test_a_known_word_is_never_gibberish() -> None:
    assert is_gibberish("asdf") and not is_gibberish("asdf", knows={"asdf"}.__contains__)
