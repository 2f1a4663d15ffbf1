"""Business hours in the department's own zone, across midnight and daylight-saving time."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from handoff.hours import is_open, next_opening
from handoff.models import Department

UTC = timezone.utc
WEEKDAYS_9_TO_5 = {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


athens = Department(name="greece", timezone="Europe/Athens", hours=WEEKDAYS_9_TO_5)
new_york = Department(name="usa", timezone="America/New_York", hours=WEEKDAYS_9_TO_5)
night = Department(name="night", timezone="Europe/Vilnius",
                   hours={"fri": [["22:00", "02:00"]], "sat": [["10:00", "12:00"], ["20:00", "24:00"]]})


def test_empty_table_is_always_open() -> None:
    always = Department(name="general")
    assert is_open(always, utc(2024, 1, 6, 3, 0))
    assert next_opening(always, utc(2024, 1, 6, 3, 0)) == utc(2024, 1, 6, 3, 0)


@pytest.mark.parametrize("when, expected", [
    (utc(2024, 1, 15, 6, 59), False),   # Monday 08:59 in Athens (UTC+2 in winter)
    (utc(2024, 1, 15, 7, 0), True),     # 09:00
    (utc(2024, 1, 15, 14, 59), True),   # 16:59
    (utc(2024, 1, 15, 15, 0), False),   # 17:00: the end is not included
    (utc(2024, 7, 15, 6, 0), True),     # 09:00 in summer (UTC+3)
    (utc(2024, 7, 15, 14, 0), False),   # 17:00 in summer
    (utc(2024, 1, 13, 10, 0), False),   # Saturday
])
def test_athens(when: datetime, expected: bool) -> None:
    assert is_open(athens, when) is expected


def test_the_same_instant_differs_between_zones() -> None:
    instant = utc(2024, 1, 15, 13, 0)   # 15:00 Athens, 08:00 New York
    assert is_open(athens, instant) and not is_open(new_york, instant)
    later = utc(2024, 1, 15, 16, 0)     # 18:00 Athens, 11:00 New York
    assert not is_open(athens, later) and is_open(new_york, later)
    # Friday 16:30 in New York is already Friday 23:30 in Athens (and Saturday soon in UTC).
    friday = utc(2024, 1, 19, 21, 30)
    assert is_open(new_york, friday) and not is_open(athens, friday)
    # Monday 08:00 UTC is Monday 03:00 in New York, closed; Monday 10:00 in Athens, open.
    assert is_open(athens, utc(2024, 1, 15, 8, 0)) and not is_open(new_york, utc(2024, 1, 15, 8, 0))


@pytest.mark.parametrize("local_wall, expected", [
    ((2024, 1, 19, 21, 59), False),  # Friday before the night shift
    ((2024, 1, 19, 22, 0), True),
    ((2024, 1, 20, 1, 59), True),    # Saturday, still Friday's shift
    ((2024, 1, 20, 2, 0), False),
    ((2024, 1, 20, 11, 0), True),
    ((2024, 1, 20, 12, 30), False),  # between Saturday's two intervals
    ((2024, 1, 20, 23, 59), True),   # "24:00" runs to midnight
    ((2024, 1, 21, 0, 30), False),   # ...and not past it
    ((2024, 1, 26, 0, 30), False),   # Friday just after midnight: Thursday had no night shift
])
def test_intervals_across_midnight(local_wall: tuple[int, ...], expected: bool) -> None:
    from zoneinfo import ZoneInfo

    when = datetime(*local_wall, tzinfo=ZoneInfo("Europe/Vilnius")).astimezone(UTC)
    assert is_open(night, when) is expected


def test_next_opening() -> None:
    friday_evening = utc(2024, 1, 19, 16, 0)                       # 18:00 in Athens
    assert next_opening(athens, friday_evening) == utc(2024, 1, 22, 7, 0)  # Monday 09:00 Athens
    open_now = utc(2024, 1, 15, 10, 0)
    assert next_opening(athens, open_now) == open_now
    early = utc(2024, 1, 15, 5, 0)                                 # Monday 07:00 in Athens
    assert next_opening(athens, early) == utc(2024, 1, 15, 7, 0)
    # Saturday 12:30 in Vilnius (UTC+2): next is 20:00 the same day.
    assert next_opening(night, utc(2024, 1, 20, 10, 30)) == utc(2024, 1, 20, 18, 0)
    # Sunday: next is Friday 22:00.
    assert next_opening(night, utc(2024, 1, 21, 10, 0)) == utc(2024, 1, 26, 20, 0)
    # Across the switch to summer time (last Sunday of March): Monday 09:00 is UTC+3 again.
    assert next_opening(athens, utc(2024, 3, 30, 12, 0)) == utc(2024, 4, 1, 6, 0)


def test_never_open_and_naive_datetimes() -> None:
    closed = Department(name="closed", timezone="Europe/Athens", hours={"mon": []})
    assert not is_open(closed, utc(2024, 1, 15, 10, 0))
    assert next_opening(closed, utc(2024, 1, 15, 10, 0)) is None
    naive = datetime(2024, 1, 15, 7, 0)  # taken as UTC
    assert is_open(athens, naive) and next_opening(athens, naive) == utc(2024, 1, 15, 7, 0)


def test_unknown_zone_is_a_clear_value_error() -> None:
    with pytest.raises(ValueError, match="unknown timezone 'Mars/Olympus'"):
        Department(name="mars", timezone="Mars/Olympus")
    # A record that was valid where it was written but whose zone is unknown here.
    moved = Department(name="moved", timezone="Europe/Athens", hours=WEEKDAYS_9_TO_5)
    object.__setattr__(moved, "timezone", "Mars/Olympus")
    with pytest.raises(ValueError, match="department moved: unknown timezone 'Mars/Olympus'"):
        is_open(moved, utc(2024, 1, 15, 10, 0))
    with pytest.raises(ValueError, match="Mars/Olympus"):
        next_opening(moved, utc(2024, 1, 15, 10, 0))
