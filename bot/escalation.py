"""When frustration sends a conversation to a person: the one place that says so.

The frustration component sets the ``frustration`` slot (0..1) on every message. At
``ESCALATE_AT`` or above the escalation policy runs ``action_handoff`` at once, whatever
the message was; ``actions/escalation.py`` reads the same values for the ticket's reason
and priority. From ``ACKNOWLEDGE_AT`` no reply ignores the feeling, whatever the intent
model read: the flows in ``ACKNOWLEDGED_BY_FLOW`` acknowledge it themselves (the
knowledge-base answer after an apology, the handoff, the complaint reply), a yes or no to
a question the bot just asked goes to the flow that asked (``ANSWERS_TO_QUESTION``), and
every other intent gets ``OFFER_HUMAN`` instead of its usual reply, which would answer
"thanks for nothing" with "you're welcome" or "NO!!! third time!" with "All right".
"""

FRUSTRATION_SLOT = "frustration"
TREND_SLOT = "frustration_trend"
# From here the bot acknowledges the feeling before it answers and offers a person.
ACKNOWLEDGE_AT = 0.5
ESCALATE_AT = 0.8
# Added to the queue priority of a ticket that frustration escalated (frustration alone
# gives 0..10 points, VIP 5, each minute of waiting 0.5): it goes before calm tickets.
FRUSTRATION_PRIORITY_BONUS = 10.0
HANDOFF_ACTION = "action_handoff"
OFFER_HUMAN = "utter_frustration_offer_human"
# An apology without an offer, for flows that already have what they asked for (a rating,
# an e-mail address) from a frustrated customer.
SORRY = "utter_frustration_sorry"
# Intents whose own reply acknowledges the feeling from ACKNOWLEDGE_AT: questions and
# messages not understood get the apology before the answer (actions/kb.py), a request
# for a person is handed over, a complaint is answered with empathy and a person on offer.
ACKNOWLEDGED_BY_FLOW = frozenset({"ask_question", "nlu_fallback", "request_human", "complain", "kb_read_more"})
# A yes or no right after one of these is the answer to the question they asked (a person
# on offer, "was this helpful?"), and that flow takes it.
ANSWERS_TO_QUESTION = frozenset({"affirm", "deny"})
ASKING_ACTIONS = frozenset({OFFER_HUMAN, "action_kb_answer", "utter_frustration_acknowledge"})
