from __future__ import annotations

import asyncio

import pytest

from bot.channels.platform import Background, WebhookError, fit_bytes, fit_chars, parse_json_body, split_text


async def test_updates_of_one_conversation_run_in_arrival_order() -> None:
    background, order, release = Background(), [], asyncio.Event()

    async def slow_first() -> None:
        await release.wait()
        order.append("tg:1 first")

    async def second() -> None:
        order.append("tg:1 second")

    async def other_conversation() -> None:
        order.append("tg:2")
        release.set()

    background.run(slow_first(), "tg:1")
    background.run(second(), "tg:1")
    background.run(other_conversation(), "tg:2")
    await background.drain()
    assert order == ["tg:2", "tg:1 first", "tg:1 second"]


async def test_a_failing_update_is_logged_and_the_next_one_still_runs(caplog: pytest.LogCaptureFixture) -> None:
    background, done = Background(), []

    async def broken() -> None:
        raise RuntimeError("boom")

    async def fine() -> None:
        done.append(True)

    background.run(broken(), "fb:1")
    background.run(fine(), "fb:1")
    await background.drain()
    assert done == [True]
    assert "conversation fb:1: processing a webhook update failed" in caplog.text


@pytest.mark.parametrize(("body", "status", "code"), [
    (b"{", 400, "invalid_json"), (b"\xff", 400, "invalid_encoding"), (b" " * 300_000, 413, "body_too_large"),
])
def test_bad_bodies_are_refused(body: bytes, status: int, code: str) -> None:
    with pytest.raises(WebhookError) as error:
        parse_json_body(body)
    assert (error.value.status, error.value.code) == (status, code)


def test_split_text_keeps_words_whole_and_respects_the_limit() -> None:
    text = " ".join(f"word{i}" for i in range(100))
    pieces = split_text(text, 50)
    assert all(len(p) <= 50 for p in pieces)
    assert " ".join(pieces) == text


def test_fitting_keeps_whole_characters() -> None:
    assert fit_bytes("Ελλάδα", 5) == "Ελ"  # 2 bytes per Greek letter: no half character
    assert fit_chars("Περισσότερες πληροφορίες", 20) == "Περισσότερες πληροφ…"
    assert fit_chars("Ναι", 20) == "Ναι"


async def test_api_calls_share_one_session_per_loop_until_it_is_closed() -> None:
    from bot.channels.platform import api_session, close_session

    first = api_session()
    assert api_session() is first
    await close_session()
    assert first.closed
    second = api_session()
    assert second is not first and not second.closed
    await close_session()
