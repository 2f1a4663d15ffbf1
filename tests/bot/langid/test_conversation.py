from __future__ import annotations

from bot.langid import Detection, NO_LANGUAGE, decide


def detection(language: str, confidence: float, **scores: float) -> Detection:
    return Detection(language, confidence, "lexicon", scores or {language: confidence})


def test_message_without_language_keeps_the_previous_language() -> None:
    decision = decide(NO_LANGUAGE, "el")
    assert decision.language == "el"
    assert decision.changed is False


def test_first_clear_message_sets_the_language() -> None:
    decision = decide(detection("ru", 0.99), None)
    assert decision == decision.__class__("ru", 0.99, True)


def test_unsure_first_message_leaves_the_language_unknown() -> None:
    assert decide(detection("lt", 0.3, lt=0.3, en=0.29, el=0.21, ru=0.2), None).language is None


def test_previous_language_wins_a_close_call() -> None:
    close = detection("en", 0.4, en=0.4, lt=0.35, el=0.15, ru=0.1)
    assert decide(close, "lt").language == "lt"


def test_clearly_different_language_switches() -> None:
    decision = decide(detection("el", 0.99, el=0.99), "en")
    assert decision.language == "el"
    assert decision.changed is True


def test_explicit_request_always_switches() -> None:
    request = Detection("en", 0.99, "switch", {"en": 1.0}, requested=True)
    decision = decide(request, "el")
    assert decision.language == "en"
    assert decision.changed is True


def test_one_or_two_latin_words_never_switch_the_conversation() -> None:
    # "ok", "NPS?", "thanks" in a Greek or Lithuanian conversation: shared, habit, no language.
    for words in (1, 2):
        short = Detection("en", 0.9, "lexicon", {"en": 0.9, "lt": 0.1}, words=words)
        assert decide(short, "el") == decide(short, "el").__class__("el", 0.0, False)
        assert decide(short, "lt").language == "lt"
    longer = Detection("en", 0.9, "lexicon", {"en": 0.9, "lt": 0.1}, words=4)
    assert decide(longer, "lt").language == "en"


def test_a_change_of_script_switches_however_short() -> None:
    assert decide(Detection("ru", 0.99, "script", {"ru": 1.0}, words=1), "en").language == "ru"
