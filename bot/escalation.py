"""When frustration sends a conversation to a person: the one place that says so.

The frustration component sets the ``frustration`` slot (0..1) on every message. At
``ESCALATE_AT`` or above the escalation policy runs ``action_handoff`` at once, whatever
the message was; ``actions/escalation.py`` reads the same values for the ticket's reason
and priority. From ``ACKNOWLEDGE_AT`` the bot acknowledges the feeling and offers a
person: the knowledge-base actions before their answer, and the escalation policy in
place of small talk (``OFFER_INSTEAD_OF``), which would otherwise answer "thanks for
nothing" with "you're welcome".
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
# Intents whose usual reply (a greeting, a goodbye, "you're welcome", "I'm a bot", "I
# can't help with that", "nothing to cancel") ignores a frustrated customer: from
# ACKNOWLEDGE_AT the bot says OFFER_HUMAN instead. Questions get the acknowledgement
# before the answer (actions/kb.py); yes, no, ratings and e-mail addresses belong to the
# flows that asked for them.
OFFER_INSTEAD_OF = frozenset({"greet", "goodbye", "thank", "bot_challenge", "out_of_scope", "cancel_handoff"})
