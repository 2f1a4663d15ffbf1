"""When frustration sends a conversation to a person: the one place that says so.

The frustration component sets the ``frustration`` slot (0..1) on every message. At
``ESCALATE_AT`` or above the escalation policy runs ``action_handoff`` at once, whatever
the message was; ``actions/escalation.py`` reads the same values for the ticket's reason
and priority.
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
