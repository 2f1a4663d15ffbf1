"""The escalation policy through Rasa's own tracker, domain and model-storage APIs."""
from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.escalation import ACKNOWLEDGE_AT, OFFER_HUMAN, OFFER_INSTEAD_OF
from bot.policies.escalation import EscalationPolicy

DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet, thank, goodbye, out_of_scope, ask_question, affirm, request_human]
slots:
  frustration: {type: float, influence_conversation: false, mappings: [{type: custom}]}
  handoff_state:
    type: categorical
    values: [waiting, offline, rating]
    mappings: [{type: custom}]
actions: [action_handoff]
responses:
  utter_greet: [{text: hi}]
  utter_frustration_offer_human: [{text: sorry}]
""")


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> EscalationPolicy:
    return EscalationPolicy.create(
        EscalationPolicy.get_default_config(), LocalModelStorage(tmp_path_factory.mktemp("m")),
        Resource("escalation"), ExecutionContext(GraphSchema({}), "test"),
    )


def predicted(policy: EscalationPolicy, *events) -> str | None:
    tracker = DialogueStateTracker.from_events("c1", [ActionExecuted("action_listen"), *events], DOMAIN.slots)
    prediction = policy.predict_action_probabilities(tracker, DOMAIN)
    best = max(range(len(prediction.probabilities)), key=prediction.probabilities.__getitem__)
    return DOMAIN.action_names_or_texts[best] if prediction.probabilities[best] > 0 else None


def test_very_frustrated_customer_goes_to_a_person_whatever_they_wrote(policy: EscalationPolicy) -> None:
    assert predicted(policy, UserUttered("hello", {"name": "greet"}), SlotSet("frustration", 0.93),
                     ) == "action_handoff"


@pytest.mark.parametrize(("intent", "level"), [("ask_question", 0.7), ("affirm", 0.7), ("greet", 0.45)])
def test_a_question_a_yes_or_mild_frustration_is_left_to_the_other_policies(
        policy: EscalationPolicy, intent: str, level: float) -> None:
    # A question is acknowledged by the knowledge-base action before its answer; a yes
    # belongs to the flow that asked.
    assert predicted(policy, UserUttered("...", {"name": intent}), SlotSet("frustration", level)) is None


@pytest.mark.parametrize("intent", ["greet", "thank", "goodbye", "out_of_scope"])
def test_frustrated_small_talk_gets_a_person_offered_instead(policy: EscalationPolicy, intent: str) -> None:
    assert intent in OFFER_INSTEAD_OF
    assert predicted(policy, UserUttered("thanks for nothing", {"name": intent}),
                     SlotSet("frustration", ACKNOWLEDGE_AT)) == OFFER_HUMAN


def test_the_offer_is_the_whole_reply(policy: EscalationPolicy) -> None:
    assert predicted(policy, UserUttered("bye, useless", {"name": "goodbye"}), SlotSet("frustration", 0.7),
                     ActionExecuted(OFFER_HUMAN)) == "action_listen"


def test_no_offer_while_waiting_for_a_person(policy: EscalationPolicy) -> None:
    assert predicted(policy, SlotSet("handoff_state", "waiting"), UserUttered("hello??", {"name": "greet"}),
                     SlotSet("frustration", 0.7)) is None


def test_no_second_escalation_while_waiting(policy: EscalationPolicy) -> None:
    assert predicted(policy, SlotSet("handoff_state", "waiting"), UserUttered("!!!", {"name": "greet"}),
                     SlotSet("frustration", 0.99)) is None


def test_only_right_after_the_customers_message(policy: EscalationPolicy) -> None:
    assert predicted(policy, UserUttered("hello", {"name": "greet"}), SlotSet("frustration", 0.99),
                     ActionExecuted("action_handoff")) is None
