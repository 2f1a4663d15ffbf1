"""Human handoff: Redis-backed tickets, queue and routing, and the agent-facing service.

``keys`` names every Redis key, ``models`` the records that cross Redis and HTTP,
``queue`` the atomic store (tickets, transcript log, events, inbox), ``routing`` who
gets which ticket, and ``hours`` the departments' business hours.
"""
