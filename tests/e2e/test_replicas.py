"""Two replicas of every process on one machine, sharing one Redis: the same answers, and
nothing lost (DESIGN.md, "Scale past one machine").

Beside the session's stack (replica A) a second action server, Rasa server and handoff
service (replica B) start on their own ports against the same Redis, as a second machine
behind a load balancer would. REST messages of one conversation go to either Rasa; an
agent works a ticket through either handoff service with one log-in.
"""
from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from typing import Iterator

import pytest

from bot.kb import DEFAULT_ROOT, KnowledgeBase
from scripts.stack import Stack, free_port
from tests.conftest import RunningStack
from tests.e2e.agent_client import AgentClient
from tests.e2e.client import RasaClient, matches
from tests.e2e.conftest import PASSWORD
from tests.e2e.customer import SocketCustomer


@dataclass
class ReplicaB:
    rasa: RasaClient
    handoff_url: str


@pytest.fixture(scope="module")
def replica_b(running_stack: RunningStack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReplicaB]:
    stack = Stack(log_dir=tmp_path_factory.mktemp("replica-b") / "log")
    stack.env.update({k: v for k, v in running_stack.stack.env.items()
                      if k not in ("ACTION_SERVER_URL", "NLG_URL")})
    try:
        stack.use_redis(running_stack.redis.url)
        stack.start_actions(free_port())
        handoff_port = free_port()
        stack.use_nlg(handoff_port, running_stack.token)
        rasa_url = stack.start_rasa(running_stack.model, free_port(), running_stack.token)
        handoff_url = stack.start_handoff(handoff_port, rasa_url, running_stack.token)
        yield ReplicaB(RasaClient(rasa_url, running_stack.token), handoff_url)
    finally:
        stack.stop()


def user_texts(tracker: dict) -> list[str]:
    return [e["text"] for e in tracker["events"] if e["event"] == "user"]


def actions(tracker: dict) -> list[str]:
    return [e["name"] for e in tracker["events"] if e["event"] == "action"]


def test_a_conversation_moving_between_replicas_gets_the_same_answers(
        running_stack: RunningStack, replica_b: ReplicaB) -> None:
    a = RasaClient(running_stack.rasa_url, running_stack.token)
    messages = ["Καλησπέρα σας", "τι είναι το NPS;", "ευχαριστώ πολύ"]
    moving, staying = f"moving-{uuid.uuid4().hex[:8]}", f"staying-{uuid.uuid4().hex[:8]}"
    moved = [(a if i % 2 == 0 else replica_b.rasa).say(moving, text) for i, text in enumerate(messages)]
    stayed = [a.say(staying, text) for text in messages]

    nps = KnowledgeBase.load(DEFAULT_ROOT).article("el", "metric-nps")
    assert nps is not None and moved[1][0].startswith(nps.title)
    assert moved[1][0] == stayed[1][0]  # the article, word for word, from replica B
    assert [len(replies) for replies in moved] == [len(replies) for replies in stayed]
    for replica in (a, replica_b.rasa):  # both read the one tracker in Redis
        tracker = replica.tracker(moving)
        assert user_texts(tracker) == messages
        assert actions(tracker) == actions(a.tracker(staying))
        assert tracker["slots"]["language"] == "el"


def test_simultaneous_messages_through_both_replicas_are_all_kept(
        running_stack: RunningStack, replica_b: ReplicaB) -> None:
    a = RasaClient(running_stack.rasa_url, running_stack.token)
    sender = f"burst-{uuid.uuid4().hex[:8]}"
    a.say(sender, "Hello")
    texts = [f"message {n}: is there a fee for express delivery?" for n in range(8)]
    barrier = threading.Barrier(len(texts))
    failures: list[BaseException] = []

    def send(n: int) -> None:
        try:
            barrier.wait()
            (a if n % 2 == 0 else replica_b.rasa).say(sender, texts[n])
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=send, args=(n,)) for n in range(len(texts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    received = user_texts(replica_b.rasa.tracker(sender))
    assert sorted(received[1:]) == sorted(texts)  # each once: the lock store serialised them
    assert len(received) == len(texts) + 1


def test_a_ticket_escalated_on_one_replica_is_worked_from_the_other(
        running_stack: RunningStack, replica_b: ReplicaB, agents: tuple[str, str]) -> None:
    a = RasaClient(running_stack.rasa_url, running_stack.token)
    maria = AgentClient(running_stack.handoff_url, agents[0], PASSWORD)  # logged in on A
    maria.heartbeat(available=False)
    sender = f"replicas-{uuid.uuid4().hex[:8]}"
    replica_b.rasa.say(sender, "Hello")
    [queued] = replica_b.rasa.say(sender, "I want to talk to a human")
    assert matches(queued, "utter_handoff_queued", "en"), queued
    ticket_id = a.tracker(sender)["slots"]["handoff_ticket"]
    assert maria.wait_for_ticket(lambda t: t["id"] == ticket_id)["status"] == "waiting"

    maria.url = replica_b.handoff_url  # the same session cookie, the other handoff service
    assert maria.post(f"/api/tickets/{ticket_id}/claim").status_code == 200
    written = ["My order is 48213", "It came without the charger", "Can you send one?"]
    for n, text in enumerate(written):
        assert (a if n % 2 == 0 else replica_b.rasa).say(sender, text) == []  # a person owns it
    maria.url = running_stack.handoff_url
    transcript = maria.wait_for_transcript(ticket_id, written)
    customer_texts = [e["text"] for e in transcript if e["kind"] == "customer"]
    assert all(customer_texts.count(text) == 1 for text in written)

    maria.url = replica_b.handoff_url
    assert maria.post(f"/api/tickets/{ticket_id}/messages", {"text": "A charger is on its way."}).status_code == 201
    assert maria.post(f"/api/tickets/{ticket_id}/close").status_code == 200
    for replica in (a, replica_b.rasa):
        bot_texts = [e["text"] for e in replica.tracker(sender)["events"] if e["event"] == "bot"]
        assert bot_texts.count("A charger is on its way.") == 1
        assert matches(bot_texts[-1], "utter_ask_csat", "en"), bot_texts[-1]


def test_an_agent_reply_through_the_other_replica_reaches_the_widget(
        running_stack: RunningStack, replica_b: ReplicaB, agents: tuple[str, str]) -> None:
    """The visitor's socket is on Rasa A; the handoff service of replica B sends the agent's
    reply through Rasa B, whose socket.io server passes it on through Redis."""
    nikos = AgentClient(replica_b.handoff_url, agents[1], PASSWORD)
    nikos.heartbeat(available=False)  # online but away: the ticket waits for his claim
    customer = SocketCustomer(running_stack.rasa_url, metadata={"locale": "en-GB"})
    try:
        customer.say("Hello")
        customer.next_text()
        customer.say("I want to talk to a human")
        assert matches(customer.next_text(), "utter_handoff_queued", "en")
        a = RasaClient(running_stack.rasa_url, running_stack.token)
        ticket_id = a.tracker(customer.session_id)["slots"]["handoff_ticket"]
        assert nikos.post(f"/api/tickets/{ticket_id}/claim").status_code == 200
        assert nikos.post(f"/api/tickets/{ticket_id}/messages", {"text": "Nikos here, how can I help?"}).status_code == 201
        assert customer.next_text() == "Nikos here, how can I help?"
        assert nikos.post(f"/api/tickets/{ticket_id}/close").status_code == 200
        assert matches(customer.next_text(), "utter_ask_csat", "en")
    finally:
        customer.close()
