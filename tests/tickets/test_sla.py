"""Business-hours SLA math: hand fixtures (nights, weekends, 国庆 with make-up days, lunch
breaks, pending pauses, Europe/Berlin DST) and properties checked with hypothesis."""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.tickets.sla import (
    Calendar,
    NoWorkingTime,
    add_business_time,
    business_time_between,
    check_periods,
    due_at,
    elapsed,
    parse_hhmm,
)

SH = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
H = timedelta(hours=1)
M = timedelta(minutes=1)
ZERO_TD = timedelta(0)

SPLIT = ((9 * 60, 12 * 60), (13 * 60 + 30, 18 * 60))  # 09:00–12:00, 13:30–18:00 = 7.5 h
WEEKDAYS = dict.fromkeys(range(5), SPLIT)

# 2026 National Day: Oct 1–7 off; Sunday Sep 27 and Saturday Oct 10 are worked (调休)
GUOQING = frozenset(date(2026, 10, d) for d in range(1, 8))
MAKEUP = {date(2026, 9, 27): SPLIT, date(2026, 10, 10): ((9 * 60, 17 * 60),)}


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)  # type: ignore[misc]


def office(zone: ZoneInfo = SH) -> Calendar:
    return Calendar(zone, WEEKDAYS, GUOQING, MAKEUP)


class TestHandFixtures:
    def test_within_one_morning(self) -> None:
        assert add_business_time(office(), sh(2026, 11, 2, 9, 30), 2 * H) == sh(2026, 11, 2, 11, 30)

    def test_lunch_break_is_skipped(self) -> None:
        assert add_business_time(office(), sh(2026, 11, 2, 11, 0), 2 * H) == sh(2026, 11, 2, 14, 30)

    def test_overnight_starts_next_morning(self) -> None:
        # created at 17:00 Monday with 4 h: 1 h today, 3 h Tuesday from 09:00
        assert add_business_time(office(), sh(2026, 11, 2, 17, 0), 4 * H) == sh(2026, 11, 3, 12)

    def test_created_at_night_counts_from_opening(self) -> None:
        assert add_business_time(office(), sh(2026, 11, 2, 23, 15), 30 * M) == sh(
            2026, 11, 3, 9, 30
        )

    def test_weekend_is_skipped(self) -> None:
        # Friday 17:30 + 1 h → Monday 09:30
        assert add_business_time(office(), sh(2026, 11, 6, 17, 30), H) == sh(2026, 11, 9, 9, 30)

    def test_guoqing_holidays_and_makeup_saturday(self) -> None:
        # Wednesday Sep 30 17:00 + 8 h: 1 h on Sep 30, Oct 1–7 off, then 7 h of Thursday
        # Oct 8: 09:00–12:00 and 13:30–17:30
        assert add_business_time(office(), sh(2026, 9, 30, 17), 8 * H) == sh(2026, 10, 8, 17, 30)
        # from Friday Oct 9 17:00, 3 h: 1 h Friday, then the make-up Saturday Oct 10 from 09:00
        assert add_business_time(office(), sh(2026, 10, 9, 17), 3 * H) == sh(2026, 10, 10, 11)

    def test_makeup_sunday_before_the_holiday(self) -> None:
        # Saturday Sep 26 at noon + 1 h → the worked Sunday Sep 27, 10:00
        assert add_business_time(office(), sh(2026, 9, 26, 12), H) == sh(2026, 9, 27, 10)

    def test_between_over_the_holiday(self) -> None:
        cal = office()
        assert business_time_between(cal, sh(2026, 9, 30, 9), sh(2026, 10, 9, 9)) == 15 * H
        assert business_time_between(cal, sh(2026, 10, 9, 9), sh(2026, 9, 30, 9)) == -15 * H

    def test_ending_exactly_at_close(self) -> None:
        assert add_business_time(office(), sh(2026, 11, 2, 17), H) == sh(2026, 11, 2, 18)

    def test_berlin_spring_forward(self) -> None:
        # Sunday 2026-03-29 02:00 → 03:00 CEST; a 24×7 Berlin clock: 01:30 + 1 h = 03:30 local
        cal = Calendar.always(BERLIN)
        start = datetime(2026, 3, 29, 1, 30, tzinfo=BERLIN)
        got = add_business_time(cal, start, H)
        assert got.astimezone(BERLIN).replace(tzinfo=None) == datetime(2026, 3, 29, 3, 30)
        # the local day is 23 hours long
        day = business_time_between(
            cal, datetime(2026, 3, 29, tzinfo=BERLIN), datetime(2026, 3, 30, tzinfo=BERLIN)
        )
        assert day == 23 * H

    def test_berlin_office_hours_keep_local_time_across_dst(self) -> None:
        cal = Calendar(BERLIN, dict.fromkeys(range(5), ((9 * 60, 17 * 60),)))
        # Friday before the autumn change, 16:00 + 2 h → Monday 10:00 local (CET now)
        start = datetime(2026, 10, 23, 16, tzinfo=BERLIN)
        got = add_business_time(cal, start, 2 * H)
        assert got.astimezone(BERLIN).replace(tzinfo=None) == datetime(2026, 10, 26, 10)
        assert got.utcoffset() is not None
        assert got == datetime(2026, 10, 26, 9, tzinfo=UTC)

    def test_pending_pause_moves_the_due_time(self) -> None:
        cal = office()
        start = sh(2026, 11, 2, 9)  # Monday
        target = 4 * H
        assert due_at(cal, start, target, timedelta(0)) == sh(2026, 11, 2, 14, 30)
        # pending from 10:00 to Tuesday 10:00 = 7.5 working hours paused
        pauses = [(sh(2026, 11, 2, 10), sh(2026, 11, 3, 10))]
        paused = business_time_between(cal, *pauses[0])  # type: ignore[arg-type]
        assert paused == 7.5 * H
        due = due_at(cal, start, target, paused)
        assert due == sh(2026, 11, 3, 14, 30)
        assert elapsed(cal, start, due, pauses) == target
        # while still pending, the clock stands still
        open_pause = [(sh(2026, 11, 2, 10), None)]
        assert elapsed(cal, start, sh(2026, 11, 4, 12), open_pause) == H

    def test_zero_is_identity_and_negative_is_refused(self) -> None:
        night = sh(2026, 11, 2, 23)
        assert add_business_time(office(), night, timedelta(0)) == night
        with pytest.raises(ValueError, match="negative"):
            add_business_time(office(), night, -H)

    def test_calendar_without_work_is_refused(self) -> None:
        with pytest.raises(NoWorkingTime):
            add_business_time(Calendar(SH, {}), sh(2026, 1, 1), H)
        # no walk runs forever: between() on an empty calendar is simply zero
        assert business_time_between(Calendar(SH, {}), sh(2026, 1, 1), sh(2030, 1, 1)) == ZERO_TD

    def test_period_parsing_and_checks(self) -> None:
        assert parse_hhmm("13:30") == 810
        assert parse_hhmm("24:00") == 1440
        for bad in ("24:01", "12:60", "-1:00"):
            with pytest.raises(ValueError, match=r"time of day|invalid literal"):
                parse_hhmm(bad)
        with pytest.raises(ValueError, match="overlap"):
            check_periods([(540, 720), (700, 800)])
        with pytest.raises(ValueError, match="empty"):
            check_periods([(600, 600)])


# --- properties ------------------------------------------------------------------------

ZONES = st.sampled_from(["Asia/Shanghai", "Europe/Berlin", "America/New_York", "UTC"])


@st.composite
def day_periods(draw: st.DrawFn) -> tuple[tuple[int, int], ...]:
    """1–3 disjoint periods in 15-minute steps between 06:00 and 24:00 (away from the
    small hours where DST changes happen, so "local time inside a period" is well defined)."""
    marks = sorted(draw(st.sets(st.integers(24, 96), min_size=2, max_size=6)))
    pairs = [(marks[i] * 15, marks[i + 1] * 15) for i in range(0, len(marks) - 1, 2)]
    return tuple(pairs)


@st.composite
def calendars(draw: st.DrawFn) -> Calendar:
    zone = ZoneInfo(draw(ZONES))
    weekly = {d: draw(day_periods()) for d in draw(st.sets(st.integers(0, 6), min_size=3))}
    base = date(2026, 1, 1)
    offsets = st.integers(0, 400)
    holidays = frozenset(base + timedelta(days=o) for o in draw(st.sets(offsets, max_size=25)))
    workdays = {
        base + timedelta(days=o): draw(day_periods()) for o in draw(st.sets(offsets, max_size=6))
    }
    return Calendar(zone, weekly, holidays, workdays)


instants = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)
)
durations = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=40))
positive = st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(hours=40))

#: bounded and derandomized: the same examples on every run, so CI never flakes on a
#: newly drawn one (a found counterexample becomes a hand fixture above)
FAST = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def inside_working_hours(cal: Calendar, at: datetime) -> bool:
    """Independent of the interval walk: the local clock time is within a period of its
    local day, or exactly at a period's end (24:00 is the next day's 00:00)."""
    local = at.astimezone(cal.zone)
    minute = local.hour * 60 + local.minute + local.second / 60 + local.microsecond / 6e7
    today = cal.periods_on(local.date())
    yesterday = cal.periods_on(local.date() - timedelta(days=1))
    if any(s <= minute <= e for s, e in today):
        return True
    return minute == 0 and any(e == 1440 for _, e in yesterday)


class TestProperties:
    @FAST
    @given(calendars(), instants, positive)
    def test_result_lies_in_working_hours(self, cal: Calendar, t: datetime, d: timedelta) -> None:
        result = add_business_time(cal, t, d)
        assert result > t
        assert inside_working_hours(cal, result)

    @FAST
    @given(calendars(), instants, durations, durations)
    def test_monotonic_in_duration(
        self, cal: Calendar, t: datetime, a: timedelta, b: timedelta
    ) -> None:
        lo, hi = sorted((a, b))
        assert add_business_time(cal, t, lo) <= add_business_time(cal, t, hi)

    @FAST
    @given(calendars(), instants, durations, durations)
    def test_additive(self, cal: Calendar, t: datetime, a: timedelta, b: timedelta) -> None:
        assert add_business_time(cal, add_business_time(cal, t, a), b) == add_business_time(
            cal, t, a + b
        )

    @FAST
    @given(calendars(), instants, durations)
    def test_between_inverts_add(self, cal: Calendar, t: datetime, d: timedelta) -> None:
        assert business_time_between(cal, t, add_business_time(cal, t, d)) == d

    @FAST
    @given(calendars(), instants, instants, instants)
    def test_between_is_additive_over_a_midpoint(
        self, cal: Calendar, a: datetime, b: datetime, c: datetime
    ) -> None:
        a, b, c = sorted((a, b, c))
        assert business_time_between(cal, a, c) == business_time_between(
            cal, a, b
        ) + business_time_between(cal, b, c)

    @FAST
    @given(calendars(), instants, durations, ZONES)
    def test_input_zone_does_not_matter(
        self, cal: Calendar, t: datetime, d: timedelta, zone: str
    ) -> None:
        shown = t.astimezone(ZoneInfo(zone))
        assert add_business_time(cal, shown, d) == add_business_time(cal, t, d)
        later = t + d
        assert business_time_between(
            cal, shown, later.astimezone(ZoneInfo(zone))
        ) == business_time_between(cal, t, later)

    @FAST
    @given(instants, durations, ZONES)
    def test_around_the_clock_is_wall_clock(self, t: datetime, d: timedelta, zone: str) -> None:
        cal = Calendar.always(zone)
        assert add_business_time(cal, t, d) == t + d
        assert business_time_between(cal, t, t + d) == d

    @FAST
    @given(
        calendars(),
        instants,
        st.timedeltas(min_value=timedelta(minutes=1), max_value=timedelta(hours=40)),
        st.lists(
            st.tuples(instants, st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3))),
            max_size=3,
        ),
    )
    def test_pauses_push_the_due_time_by_their_working_time(
        self,
        cal: Calendar,
        start: datetime,
        target: timedelta,
        raw_pauses: list[tuple[datetime, timedelta]],
    ) -> None:
        # disjoint pauses after the start, as a ticket's pending periods would be
        pauses: list[tuple[datetime, datetime | None]] = []
        cursor = start
        for at, length in sorted(raw_pauses):
            begin = max(at, cursor)
            pauses.append((begin, begin + length))
            cursor = begin + length
        paused = sum(
            (business_time_between(cal, a, b) for a, b in pauses if b is not None),
            timedelta(0),
        )
        due = due_at(cal, start, target, paused)
        if all(b is not None and b <= due for _, b in pauses):
            assert elapsed(cal, start, due, pauses) == target


# --- DST gaps and overlaps, holidays that are make-up days, long durations ---------------

NY = ZoneInfo("America/New_York")


def ny(*args: int) -> datetime:
    return datetime(*args, tzinfo=NY)  # type: ignore[misc]


class TestDstAndEdges:
    def test_period_ending_in_the_spring_gap_ends_when_the_clocks_jump(self) -> None:
        # Sunday 2026-03-08, New York: 02:00 EST → 03:00 EDT. "00:00–02:30" ends at 03:00
        # EDT, two real hours; it used to run on to 03:30 EDT (outside the hours shown)
        cal = Calendar(NY, {6: ((0, 150),)})
        day = (ny(2026, 3, 8), ny(2026, 3, 9))
        assert business_time_between(cal, *day) == 2 * H
        assert add_business_time(cal, ny(2026, 3, 8), 2 * H) == ny(2026, 3, 8, 3)
        # the next half hour is worked the following Sunday
        assert add_business_time(cal, ny(2026, 3, 8), 2.5 * H) == ny(2026, 3, 15, 0, 30)

    def test_period_starting_in_the_spring_gap_starts_when_the_clocks_jump(self) -> None:
        cal = Calendar(NY, {6: ((150, 300),)})  # 02:30–05:00
        assert business_time_between(cal, ny(2026, 3, 8), ny(2026, 3, 9)) == 2 * H
        assert add_business_time(cal, ny(2026, 3, 7), M) == ny(2026, 3, 8, 3, 1)
        # a period wholly inside the gap does not exist that day
        inside = Calendar(NY, {6: ((2 * 60 + 10, 2 * 60 + 50),)})
        assert business_time_between(inside, ny(2026, 3, 8), ny(2026, 3, 9)) == ZERO_TD
        assert add_business_time(inside, ny(2026, 3, 8), M) == ny(2026, 3, 15, 2, 11)

    def test_repeated_autumn_hour_is_worked_once_per_real_hour(self) -> None:
        # Sunday 2026-11-01: 02:00 EDT → 01:00 EST; "01:30–03:00" lasts 2.5 real hours and
        # "01:00–01:30" is the first 01:00–01:30
        long_night = Calendar(NY, {6: ((90, 180),)})
        assert business_time_between(long_night, ny(2026, 11, 1), ny(2026, 11, 2)) == 2.5 * H
        # (compared in UTC: an aware time in the repeated hour never equals another zone's)
        after = add_business_time(long_night, ny(2026, 11, 1), H)
        assert after == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
        assert after.astimezone(NY).replace(tzinfo=None) == datetime(2026, 11, 1, 1, 30)
        first = Calendar(NY, {6: ((60, 90),)})
        # 01:30 EDT (the first pass), 05:30 UTC
        assert add_business_time(first, ny(2026, 11, 1), 30 * M) == datetime(
            2026, 11, 1, 5, 30, tzinfo=UTC
        )

    def test_half_hour_dst_zone(self) -> None:
        # Lord Howe Island moves its clocks by 30 minutes: 2026-10-04 02:00 → 02:30
        lh = ZoneInfo("Australia/Lord_Howe")
        cal = Calendar(lh, {6: ((0, 180),)})  # Sunday 00:00–03:00
        day = datetime(2026, 10, 4, tzinfo=lh), datetime(2026, 10, 5, tzinfo=lh)
        assert business_time_between(cal, *day) == 2.5 * H

    def test_midnight_gap(self) -> None:
        # Havana springs forward at midnight (2026-03-08 00:00 → 01:00): a day that begins
        # at 01:00 still has its working hours, and 24:00 of the day before is that jump
        havana = ZoneInfo("America/Havana")
        cal = Calendar.always(havana)
        day = datetime(2026, 3, 8, 1, tzinfo=havana), datetime(2026, 3, 9, tzinfo=havana)
        assert business_time_between(cal, *day) == 23 * H
        evening = Calendar(havana, {5: ((22 * 60, 1440),)})  # Saturday 22:00–24:00
        start = datetime(2026, 3, 7, 22, tzinfo=havana)
        assert add_business_time(evening, start, 2 * H) == datetime(2026, 3, 8, 1, tzinfo=havana)

    def test_holiday_that_is_also_a_makeup_day_is_worked(self) -> None:
        # a date in both lists: the make-up day wins (its own hours), as documented
        day = date(2026, 10, 10)
        cal = Calendar(SH, WEEKDAYS, frozenset({day}), {day: ((9 * 60, 11 * 60),)})
        assert cal.periods_on(day) == ((540, 660),)
        assert add_business_time(cal, sh(2026, 10, 9, 17, 30), H) == sh(2026, 10, 10, 9, 30)

    def test_pause_spanning_the_holidays_counts_only_working_time(self) -> None:
        cal = office()
        start = sh(2026, 9, 30, 9)  # Wednesday before National Day
        # pending from Sep 30 17:00 to Oct 9 10:00: 1 h on Sep 30, Oct 1–7 off, Thursday
        # Oct 8 (7.5 h), 1 h of Friday Oct 9
        pause = (sh(2026, 9, 30, 17), sh(2026, 10, 9, 10))
        paused = business_time_between(cal, *pause)
        assert paused == 9.5 * H
        due = due_at(cal, start, 8 * H, paused)
        assert elapsed(cal, start, due, [pause]) == 8 * H
        # worked 6.5 h on Sep 30 before the pause, the remaining 1.5 h after it, from
        # Friday Oct 9 10:00 — 11:30, not on a holiday
        assert due == sh(2026, 10, 9, 11, 30)

    def test_long_duration_on_a_sparse_calendar_is_refused_quickly(self) -> None:
        # a year of working time on one minute a week would lie 10 000 years out (it used
        # to walk for seconds and then fail with OverflowError)
        import time as timer

        tiny = Calendar(SH, {0: ((540, 541),)})
        began = timer.perf_counter()
        with pytest.raises(NoWorkingTime):
            add_business_time(tiny, sh(2026, 1, 1), timedelta(minutes=525_600))
        assert timer.perf_counter() - began < 2
        # the longest target on an ordinary office calendar is fine and quick
        began = timer.perf_counter()
        far = add_business_time(office(), sh(2026, 1, 1), timedelta(minutes=525_600))
        assert far.year == 2030
        assert business_time_between(office(), sh(2026, 1, 1), far) == timedelta(minutes=525_600)
        assert timer.perf_counter() - began < 2

    def test_holidays_covering_every_working_day_for_years(self) -> None:
        # every Monday for 11.5 years off (more than the 10-year horizon)
        mondays = frozenset(date(2026, 1, 5) + timedelta(weeks=w) for w in range(600))
        cal = Calendar(SH, {0: ((540, 600),)}, mondays)
        with pytest.raises(NoWorkingTime):
            add_business_time(cal, sh(2026, 1, 1), H)
        assert business_time_between(cal, sh(2026, 1, 1), sh(2027, 1, 1)) == ZERO_TD


DST_ZONES = st.sampled_from(
    ["America/New_York", "Europe/Berlin", "America/Havana", "Australia/Lord_Howe"]
)


@functools.cache
def _transitions(zone: ZoneInfo) -> list[datetime]:
    out, at = [], datetime(2026, 1, 1, tzinfo=UTC)
    while at.year == 2026:
        nxt = at + timedelta(hours=1)
        if at.astimezone(zone).utcoffset() != nxt.astimezone(zone).utcoffset():
            out.append(nxt)
        at = nxt
    return out


@st.composite
def any_periods(draw: st.DrawFn) -> tuple[tuple[int, int], ...]:
    """1–3 disjoint periods in 10-minute steps anywhere in the day, small hours included."""
    marks = sorted(draw(st.sets(st.integers(0, 144), min_size=2, max_size=6)))
    return tuple((marks[i] * 10, marks[i + 1] * 10) for i in range(0, len(marks) - 1, 2))


@st.composite
def dst_cases(draw: st.DrawFn) -> tuple[Calendar, datetime]:
    """A calendar in a DST zone and an instant within two days of one of its changes."""
    zone = ZoneInfo(draw(DST_ZONES))
    weekly = {d: draw(any_periods()) for d in draw(st.sets(st.integers(0, 6), min_size=1))}
    change = draw(st.sampled_from(_transitions(zone)))
    offset = draw(st.timedeltas(min_value=-2 * 24 * H, max_value=2 * 24 * H))
    return Calendar(zone, weekly), change + offset


def wall_clock_in_a_period(cal: Calendar, at: datetime) -> bool:
    """The wall clock at `at` reads a time inside a working period of its day (the second
    pass through a repeated autumn hour belongs to the period the first pass was in)."""
    local = at.astimezone(cal.zone)
    if local.fold == 1:
        return True
    minute = local.hour * 60 + local.minute + local.second / 60 + local.microsecond / 6e7
    return any(s <= minute < e for s, e in cal.periods_on(local.date()))


class TestDstProperties:
    @FAST
    @given(dst_cases(), st.timedeltas(min_value=timedelta(seconds=1), max_value=30 * H))
    def test_due_is_in_working_hours_across_clock_changes(
        self, case: tuple[Calendar, datetime], d: timedelta
    ) -> None:
        cal, t = case
        result = add_business_time(cal, t, d)
        # the last worked instant before the due time was on the wall clock's working hours
        assert wall_clock_in_a_period(cal, result - timedelta(microseconds=1))

    @FAST
    @given(dst_cases(), durations, durations)
    def test_add_and_between_stay_exact_inverses(
        self, case: tuple[Calendar, datetime], a: timedelta, b: timedelta
    ) -> None:
        cal, t = case
        assert business_time_between(cal, t, add_business_time(cal, t, a)) == a
        assert add_business_time(cal, add_business_time(cal, t, a), b) == add_business_time(
            cal, t, a + b
        )
