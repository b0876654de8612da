"""Business-time arithmetic for SLA clocks (pure: no database, no "now").

A calendar says when the clock runs: working periods per weekday in local time (possibly
split, e.g. 09:00–12:00 and 13:30–18:00), holidays (no work) and make-up working days
(调休: a Saturday or Sunday worked, with its own hours), all in one IANA time zone.
Periods are minutes of the local day, `0 <= start < end <= 1440`; 1440 is the next
midnight, so 00:00–24:00 is a whole day whatever its length in a DST zone.

Local periods become absolute (UTC) intervals day by day. A wall-clock time that occurs
twice (clocks set back) is its first occurrence; one that never occurs (clocks set
forward) is the moment the clocks jumped past it, so a period 00:00–02:30 on a night the
clocks go from 02:00 to 03:00 ends at 03:00 and one starting at 02:30 starts at 03:00.
That conversion is monotonic; each interval is still clamped to begin where the previous
one ended, so the intervals are always sorted and disjoint, and everything below walks
them. That makes the two operations exact inverses:

    business_time_between(t, add_business_time(t, d)) == d
    add_business_time(add_business_time(t, a), b) == add_business_time(t, a + b)

The result of adding a positive duration is always inside a working interval or exactly
at the end of one (the moment the last needed second is worked). Adding zero is the
identity.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

Period = tuple[int, int]
"""(start, end) in minutes of the local day, 0 <= start < end <= 1440."""

ZERO = timedelta(0)
#: how far ahead a due time may lie: a calendar that does not provide the working time
#: within this many days is refused (NoWorkingTime) rather than walked for years
HORIZON_DAYS = 10 * 366
HORIZON = timedelta(days=HORIZON_DAYS)
WHOLE_DAY: tuple[Period, ...] = ((0, 1440),)


class NoWorkingTime(ValueError):
    """The calendar does not provide the working time asked for within the horizon."""


def parse_hhmm(text: str) -> int:
    """'09:30' → 570; '24:00' → 1440."""
    hours, minutes = text.split(":")
    value = int(hours) * 60 + int(minutes)
    if not (0 <= int(minutes) < 60 and 0 <= value <= 1440):
        raise ValueError(f"not a time of day: {text!r}")
    return value


def format_hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def check_periods(periods: Sequence[Period]) -> tuple[Period, ...]:
    """Sorted, non-overlapping, non-empty periods; ValueError otherwise."""
    ordered = tuple(sorted(periods))
    last_end = -1
    for start, end in ordered:
        if not (0 <= start < end <= 1440):
            raise ValueError(f"period {format_hhmm(start)}–{format_hhmm(end)} is empty")
        if start < last_end:
            raise ValueError("periods overlap")
        last_end = end
    return ordered


@dataclass(frozen=True)
class Calendar:
    zone: ZoneInfo
    #: weekday (0 = Monday … 6 = Sunday) → working periods
    weekly: Mapping[int, tuple[Period, ...]]
    holidays: frozenset[date] = field(default_factory=frozenset)
    #: make-up working days (调休) and their periods; they win over holidays and weekends
    workdays: Mapping[date, tuple[Period, ...]] = field(default_factory=dict)
    #: local day → its working intervals in UTC (unclamped); a calendar is built per
    #: request or job run, so the cache lives as long as the walks that share it
    _days: dict[date, tuple[tuple[datetime, datetime], ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    @classmethod
    def always(cls, zone: ZoneInfo | str = "UTC") -> Calendar:
        """Around the clock: business time is wall-clock time."""
        tz = ZoneInfo(zone) if isinstance(zone, str) else zone
        return cls(tz, dict.fromkeys(range(7), WHOLE_DAY))

    def periods_on(self, day: date) -> tuple[Period, ...]:
        if day in self.workdays:
            return self.workdays[day]
        if day in self.holidays:
            return ()
        return self.weekly.get(day.weekday(), ())

    def instant(self, naive: datetime) -> datetime:
        """The UTC instant a local wall-clock time names (see the module docstring)."""
        first = naive.replace(tzinfo=self.zone).astimezone(UTC)
        if first.astimezone(self.zone).replace(tzinfo=None) == naive:
            return first
        # in a gap: the two readings of the missing time lie on either side of the jump;
        # find the jump (offsets change on whole seconds)
        other = naive.replace(tzinfo=self.zone, fold=1).astimezone(UTC)
        lo, hi = sorted((int(first.timestamp()), int(other.timestamp())))
        after = datetime.fromtimestamp(hi, UTC).astimezone(self.zone).utcoffset()
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if datetime.fromtimestamp(mid, UTC).astimezone(self.zone).utcoffset() == after:
                hi = mid
            else:
                lo = mid
        return datetime.fromtimestamp(hi, UTC)

    def _local(self, day: date, minute: int) -> datetime:
        if minute >= 1440:
            day, minute = day + timedelta(days=1), minute - 1440
        return self.instant(datetime.combine(day, time(minute // 60, minute % 60)))

    def _day(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        found = self._days.get(day)
        if found is None:
            found = tuple(
                (self._local(day, start), self._local(day, end))
                for start, end in self.periods_on(day)
            )
            self._days[day] = found
        return found

    def intervals(
        self, since: datetime, until: datetime | None = None
    ) -> Iterator[tuple[datetime, datetime]]:
        """Working intervals (UTC, sorted, disjoint) that end after `since`, clipped to
        start no earlier than it; those of local days up to `until` (default: the
        horizon), so a walk always ends."""
        since = since.astimezone(UTC)
        day = since.astimezone(self.zone).date() - timedelta(days=1)
        last = ((until or since + HORIZON).astimezone(self.zone)).date() + timedelta(days=1)
        last_end = since
        while day <= last:
            for begin, end in self._day(day):
                start = max(begin, last_end)
                if end > start:
                    last_end = end
                    yield start, end
            day += timedelta(days=1)

    def is_working(self, at: datetime) -> bool:
        """Inside a working interval (its start included, its end not)."""
        for start, end in self.intervals(at, at):
            return start <= at < end
        return False


def add_business_time(cal: Calendar, start: datetime, duration: timedelta) -> datetime:
    """The instant when `duration` of working time has passed since `start`."""
    if duration < ZERO:
        raise ValueError("duration must not be negative")
    if duration == ZERO:
        return start
    remaining = duration
    for begin, end in cal.intervals(start):
        available = end - begin
        if remaining <= available:
            return begin + remaining
        remaining -= available
    raise NoWorkingTime(
        f"the calendar does not provide {duration} of working time within {HORIZON_DAYS} days"
    )


def business_time_between(cal: Calendar, a: datetime, b: datetime) -> timedelta:
    """Working time from `a` to `b`; negative when `b` is before `a`."""
    if b < a:
        return -business_time_between(cal, b, a)
    total = ZERO
    for begin, end in cal.intervals(a, b):
        if begin >= b:
            break
        total += min(end, b) - begin
    return total


Pause = tuple[datetime, datetime | None]
"""A period the clock stood still (a ticket pending on the customer); open while None."""


def elapsed(cal: Calendar, start: datetime, now: datetime, pauses: Sequence[Pause]) -> timedelta:
    """Working time the clock has run from `start` to `now`, without the pauses."""
    total = business_time_between(cal, start, now)
    for paused_from, paused_until in pauses:
        lo = max(paused_from, start)
        hi = min(paused_until or now, now)
        if hi > lo:
            total -= business_time_between(cal, lo, hi)
    return max(total, ZERO)


def due_at(cal: Calendar, start: datetime, target: timedelta, paused: timedelta) -> datetime:
    """When a clock started at `start` reaches `target`, given `paused` working time spent
    paused before it resumed (the due time moves out by exactly the paused working time)."""
    return add_business_time(cal, start, target + paused)


def seconds(value: timedelta) -> int:
    return int(value.total_seconds())
