"""Kill the handoff service mid-conversation and start it again: no customer message is
lost or duplicated, and a ticket is never assigned twice, even to two agents clicking at
the same moment."""
from __future__ import annotations

import threading
import uuid

from tests.conftest import RunningStack
from tests.e2e.agent_client import AgentClient
from tests.e2e.client import RasaClient, matches
from tests.e2e.conftest import PASSWORD


def test_messages_survive_a_killed_handoff_service(running_stack: RunningStack, agents: tuple[str, str]) -> None:
    maria = AgentClient(running_stack.handoff_url, agents[0], PASSWORD)
    maria.heartbeat(available=False)  # online but away: tickets wait for a manual claim
    customer = RasaClient(running_stack.rasa_url, running_stack.token)
    sender = f"crash-{uuid.uuid4().hex[:8]}"
    customer.say(sender, "Hello")
    [queued] = customer.say(sender, "I want to talk to a human")
    assert matches(queued, "utter_handoff_queued", "en"), queued
    ticket_id = customer.tracker(sender)["slots"]["handoff_ticket"]
    ticket = maria.wait_for_ticket(lambda t: t["id"] == ticket_id)
    assert (ticket["status"], ticket["channel"], ticket["language"]) == ("waiting", "rest", "en")

    running_stack.stack.kill("handoff")
    written = ["My order number is 48213", "It arrived with a broken handle",
               "Photos attached to the e-mail I sent, ünïcödé name: Žaneta Ščerbė"]
    for text in written:
        assert customer.say(sender, text) == []  # the bot stays silent: a human owns the chat
    port = int(running_stack.handoff_url.rsplit(":", 1)[1])
    running_stack.handoff_url = running_stack.stack.start_handoff(port, running_stack.rasa_url, running_stack.token)

    nikos = AgentClient(running_stack.handoff_url, agents[1], PASSWORD)
    maria = AgentClient(running_stack.handoff_url, agents[0], PASSWORD)
    transcript = maria.wait_for_transcript(ticket["id"], written)
    customer_texts = [e["text"] for e in transcript if e["kind"] == "customer"]
    for text in written:
        assert customer_texts.count(text) == 1

    barrier = threading.Barrier(2)
    results: dict[str, int] = {}

    def claim(agent: AgentClient, name: str) -> None:
        barrier.wait()
        results[name] = agent.post(f"/api/tickets/{ticket['id']}/claim").status_code

    threads = [threading.Thread(target=claim, args=(a, n)) for a, n in ((maria, "maria"), (nikos, "nikos"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()) == [200, 409]
    winner = next(name for name, status in results.items() if status == 200)
    assert maria.ticket(ticket["id"])["ticket"]["agent_id"] == winner

    # The conversation is still the agent's: the tracker has every message, the bot said nothing.
    events = customer.tracker(sender)["events"]
    user_texts = [e["text"] for e in events if e["event"] == "user"]
    assert user_texts[-3:] == written
    assert [e for e in events if e["event"] == "bot"][-1]["text"] == queued
