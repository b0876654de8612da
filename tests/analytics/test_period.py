"""Reporting periods: labels people type, boundaries in the workspace's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from app.analytics.period import InvalidPeriod, PeriodKind, months_of, parse_period

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("2026-12-01", PeriodKind.day, date(2026, 12, 1), date(2026, 12, 2)),
        ("2026-W49", PeriodKind.week, date(2026, 11, 30), date(2026, 12, 7)),
        ("2020-W53", PeriodKind.week, date(2020, 12, 28), date(2021, 1, 4)),
        ("2026-12", PeriodKind.month, date(2026, 12, 1), date(2027, 1, 1)),
        ("2024-02", PeriodKind.month, date(2024, 2, 1), date(2024, 3, 1)),
        ("2026-Q4", PeriodKind.quarter, date(2026, 10, 1), date(2027, 1, 1)),
        ("2026", PeriodKind.year, date(2026, 1, 1), date(2027, 1, 1)),
    ],
)
def test_labels_parse_to_whole_days(text: str, kind: PeriodKind, start: date, end: date) -> None:
    period = parse_period(text)
    assert (period.kind, period.start, period.end) == (kind, start, end)
    assert period.label == text


@pytest.mark.parametrize(
    "text",
    ["2026-13", "2026-00", "2021-W53", "2026-W00", "2026-02-30", "26", "0999", "2026-Q5", ""],
)
def test_impossible_periods_are_422_with_a_field_error(text: str) -> None:
    with pytest.raises(InvalidPeriod) as caught:
        parse_period(text, field="query.period")
    assert caught.value.status == 422
    assert caught.value.code == "invalid_period"
    assert [e.field for e in caught.value.errors] == ["query.period"]


def test_bounds_are_midnights_in_the_workspace_zone() -> None:
    start, end = parse_period("2026-11").bounds(SHANGHAI)
    assert start == datetime(2026, 10, 31, 16, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
    # 23:30 in Shanghai on the last day is still November there, December in UTC
    late = datetime(2026, 11, 30, 15, 30, tzinfo=UTC)
    assert start <= late < end


def test_neighbours_and_days_left() -> None:
    q4 = parse_period("2026-Q4")
    assert q4.previous().label == "2026-Q3"
    assert q4.next().label == "2027-Q1"
    assert parse_period("2026-W01").previous().label == "2025-W52"
    assert q4.days == 92
    assert q4.days_left(date(2026, 12, 31)) == 1
    assert q4.days_left(date(2027, 1, 1)) == 0
    assert q4.days_left(date(2026, 9, 1)) == 92
    assert [m.label for m in months_of(q4)] == ["2026-10", "2026-11", "2026-12"]
