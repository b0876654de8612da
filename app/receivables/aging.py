"""Aging, DSO and the expected cash-in calendar.

Aging: the open installments (not void, not fully paid) of approved contracts (active,
expired, terminated) in the caller's receivables scope, grouped by customer, contract
owner or the owner's team, with their outstanding amounts in buckets of days past due on
`as_of`: current (not yet due), 1–30, 31–60, 61–90 and over 90. One set-based query; the
rows are then ordered by total (largest first) and paged with a cursor.

DSO (days sales outstanding), per currency, over a 90-day window ending on `as_of`:

    DSO = receivables due ÷ billed × 90

where "receivables due" is the outstanding amount of installments due on or before
`as_of`, and "billed" the amount of all installments (paid or not, not void) falling due
in the 90 days [as_of − 89, as_of]. Rounded HALF_UP to 0.1 day; null when nothing was
billed. Example: 30,000.00 billed in the window, 10,000.00 of it and 5,000.00 from
earlier still unpaid → 15,000 ÷ 30,000 × 90 = 45.0 days.

`as_of` moves the day past-due days are counted to; amounts paid are those recorded now,
so a future `as_of` answers "who will be late by then if nothing more comes in".
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from app.auth.dependencies import Ctx
from app.contracts import clock
from app.contracts.money import ZERO
from app.core.pagination import decode_cursor, encode_cursor
from app.errors import BadRequest, FieldError, InvalidCursor
from app.receivables import repository, schemas

DSO_WINDOW = 90
MAX_CASH_IN_DAYS = 3 * 366


def _in_range(day: date | None, name: str) -> date | None:
    if day is not None and not 1900 <= day.year <= 2999:
        raise BadRequest(
            f"`{name}` must be a day between the years 1900 and 2999.",
            code="invalid_parameter",
            errors=[FieldError(field=f"query.{name}", message="out of range")],
        )
    return day


def dso(receivables_due: Decimal, billed: Decimal, window: int = DSO_WINDOW) -> Decimal | None:
    if billed <= 0:
        return None
    return (receivables_due / billed * window).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


async def aging(
    ctx: Ctx,
    group_by: schemas.AgingGroupBy,
    as_of: date | None,
    limit: int,
    cursor: str | None,
) -> schemas.AgingReport:
    day = _in_range(as_of, "as_of") or await clock.today(ctx.session)
    sort_name = f"aging:{group_by.value}"
    after = None
    if cursor:
        total, position = decode_cursor(cursor, sort_name)
        key, _, currency = str(position).rpartition("|")
        if not isinstance(total, Decimal) or not currency:
            raise InvalidCursor("The cursor is malformed; start again without one.")
        after = repository.AgingAfter(total, key, currency)
    rows, totals = await repository.aging_page(
        ctx.session, ctx.principal, group_by.value, day, limit, after
    )
    more = len(rows) > limit
    page = rows[:limit]
    next_cursor = None
    if more and page:
        last = page[-1]
        next_cursor = encode_cursor(sort_name, last.total, f"{last.tiebreak}|{last.currency}")
    labels = await repository.group_labels(
        ctx.session, group_by.value, {r.key for r in page if r.key is not None}
    )
    billed = await repository.billed_between(
        ctx.session, ctx.principal, day - timedelta(days=DSO_WINDOW - 1), day
    )
    due = {t.currency: Decimal(t.due) for t in totals}
    return schemas.AgingReport(
        as_of=day,
        group_by=group_by,
        data=[
            schemas.AgingRow(
                key=r.key,
                label=labels.get(r.key) if r.key else None,
                **_amounts(r),
            )
            for r in page
        ],
        next_cursor=next_cursor,
        has_more=more,
        totals=[schemas.AgingBuckets(**_amounts(t)) for t in totals],
        dso=[
            schemas.Dso(
                currency=c,
                days=dso(due.get(c, ZERO), billed.get(c, ZERO)),
                receivables_due=due.get(c, ZERO),
                billed=billed.get(c, ZERO),
                window_days=DSO_WINDOW,
            )
            for c in sorted(set(due) | set(billed))
        ],
    )


def _amounts(row: Any) -> dict[str, Any]:
    return {
        "currency": row.currency,
        **{name: getattr(row, name) for name in repository.AGING_BUCKETS},
        "total": row.total,
        "installments": int(row.installments),
    }


def _period_end(start: date, period: schemas.CashInPeriod) -> date:
    if period is schemas.CashInPeriod.week:
        return start + timedelta(days=6)
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


async def cash_in(
    ctx: Ctx, period: schemas.CashInPeriod, start: date | None, end: date | None
) -> schemas.CashInCalendar:
    """Outstanding amounts by the week or month they fall due, from today (or `start`);
    what is already late is listed apart, as `overdue`."""
    today = await clock.today(ctx.session)
    first = _in_range(start, "start") or today
    _in_range(end, "end")
    last = end or (
        first + timedelta(weeks=12)
        if period is schemas.CashInPeriod.week
        else first + timedelta(days=365)
    )
    if last < first or (last - first).days > MAX_CASH_IN_DAYS:
        raise BadRequest(
            "`end` must be after `start` and at most three years later.",
            code="invalid_parameter",
            errors=[FieldError(field="query.end", message="out of range")],
        )
    rows = await repository.cash_in(
        ctx.session, ctx.principal, period.value, max(first, today), last
    )
    overdue = await repository.overdue_before(ctx.session, ctx.principal, today)
    return schemas.CashInCalendar(
        period=period,
        start=first,
        end=last,
        overdue=[
            schemas.CashInOverdue(currency=c, amount=amount, installments=n)
            for c, (amount, n) in sorted(overdue.items())
        ],
        data=[
            schemas.CashInBucket(
                start=r.start,
                end=_period_end(r.start, period),
                currency=r.currency,
                amount=r.amount,
                installments=r.installments,
            )
            for r in rows
        ],
    )
