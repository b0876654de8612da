"""Reporting periods: one parser and one calendar for every analytic, target and report.

A period is written the way people say it: ``2026-12-01`` (a day), ``2026-W49`` (an ISO
week), ``2026-12`` (a month), ``2026-Q4`` (a quarter) or ``2026`` (a year). It covers whole
days in the workspace's time zone; `bounds()` turns it into the aware instants
``[start, end)`` that timestamp columns are compared with, so a payment at 23:30 in Shanghai
on the last day of the month counts in that month even though it is the next day in UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from app.errors import FieldError, UnprocessableEntity


class PeriodKind(StrEnum):
    day = "day"
    week = "week"
    month = "month"
    quarter = "quarter"
    year = "year"


PERIOD_PATTERN = r"^\d{4}(-(\d{2}(-\d{2})?|Q[1-4]|W\d{2}))?$"
PERIOD_DESCRIPTION = (
    "Reporting period in the workspace time zone: `2026-12-01` (day), `2026-W49` (ISO week), "
    "`2026-12` (month), `2026-Q4` (quarter) or `2026` (year)"
)

_FORMS = (
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), PeriodKind.day),
    (re.compile(r"^(\d{4})-W(\d{2})$"), PeriodKind.week),
    (re.compile(r"^(\d{4})-(\d{2})$"), PeriodKind.month),
    (re.compile(r"^(\d{4})-Q([1-4])$"), PeriodKind.quarter),
    (re.compile(r"^(\d{4})$"), PeriodKind.year),
)


class InvalidPeriod(UnprocessableEntity):
    code = "invalid_period"
    title = "Invalid period"


@dataclass(frozen=True, slots=True)
class Period:
    kind: PeriodKind
    start: date
    #: the first day after the period
    end: date

    @property
    def label(self) -> str:
        match self.kind:
            case PeriodKind.day:
                return self.start.isoformat()
            case PeriodKind.week:
                year, week, _ = self.start.isocalendar()
                return f"{year}-W{week:02d}"
            case PeriodKind.month:
                return f"{self.start.year}-{self.start.month:02d}"
            case PeriodKind.quarter:
                return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
            case PeriodKind.year:
                return str(self.start.year)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """The period as aware instants ``[start, end)`` in `zone`."""
        return datetime.combine(self.start, time.min, zone), datetime.combine(
            self.end, time.min, zone
        )

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end

    def days_left(self, today: date) -> int:
        """Whole days still to come, today included (0 once the period is over)."""
        if today >= self.end:
            return 0
        return (self.end - max(today, self.start)).days

    def previous(self) -> Period:
        return period_containing(self.kind, self.start - timedelta(days=1))

    def next(self) -> Period:
        return period_containing(self.kind, self.end)


def period_containing(kind: PeriodKind, day: date) -> Period:
    """The period of `kind` that `day` falls in."""
    match kind:
        case PeriodKind.day:
            return Period(kind, day, day + timedelta(days=1))
        case PeriodKind.week:
            start = day - timedelta(days=day.weekday())
            return Period(kind, start, start + timedelta(days=7))
        case PeriodKind.month:
            start = day.replace(day=1)
            return Period(kind, start, _add_months(start, 1))
        case PeriodKind.quarter:
            start = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
            return Period(kind, start, _add_months(start, 3))
        case PeriodKind.year:
            return Period(kind, date(day.year, 1, 1), date(day.year + 1, 1, 1))


def parse_period(text: str, field: str = "query.period") -> Period:
    """Parse a period label; a malformed or impossible one is a 422 `invalid_period`."""
    value = text.strip()
    for pattern, kind in _FORMS:
        match = pattern.match(value)
        if match is None:
            continue
        parts = [int(p) for p in match.groups()]
        try:
            return _build(kind, parts)
        except ValueError as exc:
            raise _invalid(text, field, str(exc)) from exc
    raise _invalid(text, field, "expected YYYY, YYYY-Qn, YYYY-MM, YYYY-Www or YYYY-MM-DD")


def months_of(period: Period) -> list[Period]:
    """The calendar months overlapping `period`, in order."""
    months = []
    current = period_containing(PeriodKind.month, period.start)
    while current.start < period.end:
        months.append(current)
        current = current.next()
    return months


def _build(kind: PeriodKind, parts: list[int]) -> Period:
    year = parts[0]
    if not 1900 <= year <= 2999:
        raise ValueError("year out of range (1900-2999)")
    match kind:
        case PeriodKind.day:
            return period_containing(kind, date(year, parts[1], parts[2]))
        case PeriodKind.week:
            return period_containing(kind, date.fromisocalendar(year, parts[1], 1))
        case PeriodKind.month:
            return period_containing(kind, date(year, parts[1], 1))
        case PeriodKind.quarter:
            return period_containing(kind, date(year, parts[1] * 3 - 2, 1))
        case PeriodKind.year:
            return period_containing(kind, date(year, 1, 1))


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _invalid(text: str, field: str, why: str) -> InvalidPeriod:
    return InvalidPeriod(
        f"{text!r} is not a period: {why}", errors=[FieldError(field=field, message=why)]
    )
