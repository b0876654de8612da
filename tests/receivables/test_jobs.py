"""The daily rounds: overdue and due-soon reminders, contract expiry and renewal reminders."""

from __future__ import annotations

import asyncio
from datetime import date

from sqlalchemy import func, select

from app.contracts.jobs import run_all as contracts_round
from app.core.jobs import runtime
from app.models.contracts import Contract
from app.models.customer import Notification, Task
from app.models.event import Event
from app.models.receivables import Installment
from app.receivables.jobs import run_all as receivables_round
from tests.contracts.helpers import at, make_contract, make_customer
from tests.factories import create_user, use


async def _count(s, model, *where) -> int:  # type: ignore[no-untyped-def]
    return int(await s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def test_overdue_and_due_soon_reminders_once_per_installment(committed) -> None:
    _, tenant, maker = committed
    runtime.sessionmaker = maker
    async with maker() as s, s.begin():
        rep = await create_user(s, tenant.id, role="sales")
        customer = await make_customer(s, tenant.id, rep, "宁波甬江电器")
        contract = await make_contract(
            s,
            customer,
            rep,
            "600.00",
            plan=[
                (date(2026, 3, 14), "100.00"),  # overdue from 03-15
                (date(2026, 3, 17), "200.00"),  # due within 3 days
                (date(2026, 3, 30), "300.00"),  # later: nothing yet
            ],
        )
        await make_contract(
            s, customer, rep, "50.00", status="draft", plan=[(date(2026, 3, 1), "50.00")]
        )
    # just after midnight in Shanghai on 03-15 (16:05 UTC on 03-14)
    now = at(date(2026, 3, 15), hour=0).replace(minute=5)
    first, second = await asyncio.gather(receivables_round(now), receivables_round(now))
    assert (first.overdue + second.overdue, first.due_reminders + second.due_reminders) == (1, 1)
    again = await receivables_round(now)
    assert (again.overdue, again.due_reminders) == (0, 0)
    async with maker() as s, s.begin():
        await use(s, tenant.id)
        kinds = sorted(
            (await s.execute(select(Notification.kind).where(Notification.user_id == rep.id)))
            .scalars()
            .all()
        )
        assert kinds == ["payment_due", "payment_overdue"]
        overdue_note = await s.scalar(
            select(Notification.title).where(Notification.kind == "payment_overdue")
        )
        assert "100.00 CNY" in overdue_note
        assert await _count(s, Task, Task.assignee_id == rep.id) == 2
        events = (
            (await s.execute(select(Event).where(Event.type == "receivable.overdue")))
            .scalars()
            .all()
        )
        assert len(events) == 1
        assert events[0].data["outstanding"] == "100.00"
        assert events[0].data["days_overdue"] == 1
        assert events[0].data["contract_id"] == str(contract.id)
        marked = await _count(s, Installment, Installment.overdue_notified_at.is_not(None))
        assert marked == 1
    # two days later the 03-17 installment is late too: one more, nothing repeated
    later = await receivables_round(at(date(2026, 3, 18)))
    assert (later.overdue, later.due_reminders) == (1, 0)


async def test_expiry_and_renewal_reminder(committed) -> None:
    _, tenant, maker = committed
    runtime.sessionmaker = maker
    async with maker() as s, s.begin():
        rep = await create_user(s, tenant.id, role="sales")
        customer = await make_customer(s, tenant.id, rep)
        ended = await make_contract(s, customer, rep, ends_on=date(2026, 3, 14))
        ending = await make_contract(s, customer, rep, ends_on=date(2026, 4, 10))
        await make_contract(s, customer, rep, ends_on=date(2026, 6, 30))
    now = at(date(2026, 3, 15), hour=1)
    done = await contracts_round(now)
    assert (done.expired, done.renewal_reminders) == (1, 1)
    done = await contracts_round(now)
    assert (done.expired, done.renewal_reminders) == (0, 0)
    async with maker() as s, s.begin():
        await use(s, tenant.id)
        status = dict((await s.execute(select(Contract.id, Contract.status))).tuples().all())
        assert status[ended.id] == "expired"
        assert status[ending.id] == "active"
        note = await s.scalar(select(Notification).where(Notification.kind == "contract_renewal"))
        assert note is not None
        assert (note.user_id, note.entity_id) == (rep.id, ending.id)
        assert await _count(s, Event, Event.type == "contract.expired") == 1
