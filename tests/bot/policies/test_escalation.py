"""The escalation policy through Rasa's own tracker, domain and model-storage APIs."""
from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policies.escalation import EscalationPolicy

DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet, request_human]
slots:
  frustration: {type: float, influence_conversation: false, mappings: [{type: custom}]}
  handoff_state:
    type: categorical
    values: [waiting, offline, rating]
    mappings: [{type: custom}]
actions: [action_handoff]
responses:
  utter_greet: [{text: hi}]
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


def test_mild_frustration_leaves_the_dialogue_to_the_other_policies(policy: EscalationPolicy) -> None:
    assert predicted(policy, UserUttered("hello", {"name": "greet"}), SlotSet("frustration", 0.5)) is None


def test_no_second_escalation_while_waiting(policy: EscalationPolicy) -> None:
    assert predicted(policy, SlotSet("handoff_state", "waiting"), UserUttered("!!!", {"name": "greet"}),
                     SlotSet("frustration", 0.99)) is None


def test_only_right_after_the_customers_message(policy: EscalationPolicy) -> None:
    assert predicted(policy, UserUttered("hello", {"name": "greet"}), SlotSet("frustration", 0.99),
                     ActionExecuted("action_handoff")) is None
