"""Departments' business hours, in the department's own time zone.

``Department.hours`` maps "mon".."sun" to [["09:00", "17:00"], ...] in local wall-clock
time. An interval whose end is not after its start runs past midnight into the next
day (["22:00", "02:00"]); "24:00" ends at midnight. A weekday that is missing from a
non-empty table is closed; an empty table means always open.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from handoff.models import WEEKDAYS, Department, valid_timezone

DAY_MINUTES = 24 * 60


def zone(department: Department) -> ZoneInfo:
    """The department's zone; ValueError naming the zone when it is unknown here."""
    try:
        return valid_timezone(department.timezone)
    except ValueError as exc:
        raise ValueError(f"department {department.name}: {exc}") from None


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _spans(department: Department, weekday: int) -> list[tuple[int, int]]:
    """Intervals of one weekday in minutes from its midnight; the end may pass 1440."""
    spans = []
    for start, end in department.hours.get(WEEKDAYS[weekday], ()):
        first, last = _minutes(start), _minutes(end)
        spans.append((first, last if last > first else last + DAY_MINUTES))
    return sorted(spans)


def _as_utc(now_utc: datetime) -> datetime:
    """Aware UTC; a naive datetime is taken to be UTC already."""
    if now_utc.tzinfo is None:
        return now_utc.replace(tzinfo=timezone.utc)
    return now_utc.astimezone(timezone.utc)


def is_open(department: Department, now_utc: datetime) -> bool:
    """Whether the department is open at this instant."""
    tz = zone(department)
    if not department.hours:
        return True
    local = _as_utc(now_utc).astimezone(tz)
    minute = local.hour * 60 + local.minute + (local.second + local.microsecond / 1e6) / 60
    today = local.weekday()
    if any(start <= minute < end for start, end in _spans(department, today)):
        return True
    # Yesterday's intervals that run past midnight into today.
    return any(minute < end - DAY_MINUTES for _, end in _spans(department, (today - 1) % 7))


def next_opening(department: Department, now_utc: datetime) -> datetime | None:
    """The next instant (UTC) the department is open: now_utc itself when open now,
    None when its table has no opening hours at all."""
    now = _as_utc(now_utc)
    if is_open(department, now):
        return now
    tz = zone(department)
    today: date = now.astimezone(tz).date()
    for offset in range(8):
        day = today + timedelta(days=offset)
        for start, _end in _spans(department, day.weekday()):
            local_start = datetime.combine(day, time(start // 60, start % 60), tzinfo=tz)
            opening = local_start.astimezone(timezone.utc)
            if opening > now:
                return opening
    return None
