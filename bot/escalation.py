"""When frustration sends a conversation to a person: the one place that says so.

The frustration component sets the ``frustration`` slot (0..1) on every message. At
``ESCALATE_AT`` or above the escalation policy runs ``action_handoff`` at once, whatever
the message was; ``actions/escalation.py`` reads the same values for the ticket's reason
and priority.
"""

FRUSTRATION_SLOT = "frustration"
ESCALATE_AT = 0.8
HANDOFF_ACTION = "action_handoff"
