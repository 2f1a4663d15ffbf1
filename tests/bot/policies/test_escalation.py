"""The escalation policy through Rasa's own tracker, domain and model-storage APIs."""
from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.escalation import ACKNOWLEDGE_AT, ACKNOWLEDGED_BY_FLOW, OFFER_HUMAN
from bot.policies.escalation import EscalationPolicy

DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet, thank, goodbye, out_of_scope, ask_question, affirm, deny, request_human, rate, switch_language,
          bot_challenge, cancel_handoff, give_email, complain, nlu_fallback, kb_read_more]
slots:
  frustration: {type: float, influence_conversation: false, mappings: [{type: custom}]}
  handoff_state:
    type: categorical
    values: [waiting, offline, rating]
    mappings: [{type: custom}]
actions: [action_handoff, action_kb_answer]
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


@pytest.mark.parametrize(("intent", "level"), [("ask_question", 0.7), ("greet", 0.45), ("deny", 0.45)])
def test_a_question_or_mild_frustration_is_left_to_the_other_policies(
        policy: EscalationPolicy, intent: str, level: float) -> None:
    # A question is acknowledged by the knowledge-base action before its answer.
    assert predicted(policy, UserUttered("...", {"name": intent}), SlotSet("frustration", level)) is None


@pytest.mark.parametrize("intent", sorted(ACKNOWLEDGED_BY_FLOW))
def test_flows_that_acknowledge_the_feeling_themselves_keep_it(policy: EscalationPolicy, intent: str) -> None:
    assert predicted(policy, UserUttered("this is useless", {"name": intent}), SlotSet("frustration", 0.7)) is None


@pytest.mark.parametrize("intent", ["greet", "thank", "goodbye", "out_of_scope", "affirm", "deny", "rate",
                                    "switch_language", "bot_challenge", "cancel_handoff", "give_email"])
def test_a_frustrated_message_of_any_other_intent_gets_a_person_offered_instead(
        policy: EscalationPolicy, intent: str) -> None:
    # "NESUPRANTATE MANES, jau trečią kartą rašau!!!" read as a "no" is no "All right".
    assert predicted(policy, UserUttered("NO. Third time I write!!!", {"name": intent}),
                     SlotSet("frustration", ACKNOWLEDGE_AT)) == OFFER_HUMAN


@pytest.mark.parametrize("asked", [OFFER_HUMAN, "action_kb_answer"])
@pytest.mark.parametrize("intent", ["affirm", "deny"])
def test_a_yes_or_no_to_the_question_just_asked_goes_to_that_flow(
        policy: EscalationPolicy, asked: str, intent: str) -> None:
    assert predicted(policy, ActionExecuted(asked), ActionExecuted("action_listen"),
                     UserUttered("yes, finally!!", {"name": intent}), SlotSet("frustration", 0.7)) is None


def test_a_button_press_gets_its_flow(policy: EscalationPolicy) -> None:
    assert predicted(policy, UserUttered("/deny", {"name": "deny"}), SlotSet("frustration", 0.7)) is None


def test_a_very_frustrated_goodbye_beats_the_goodbye_rule(policy: EscalationPolicy) -> None:
    # Rules predict with full confidence too: the higher priority decides the tie.
    assert policy.priority > 6  # the rule policy's default priority
    assert predicted(policy, UserUttered("bye, idiots", {"name": "goodbye"}), SlotSet("frustration", 0.9)) \
        == "action_handoff"


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
