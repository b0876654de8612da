"""The demo workspace has a living service desk."""

from __future__ import annotations

from sqlalchemy import func, select, text

from app.demo import ensure_demo
from app.models.ticket import SlaPolicy, Ticket, TicketSurvey
from tests.factories import use


async def test_demo_queue(committed, owner_engine) -> None:
    _, _, maker = committed
    demo = await ensure_demo(maker)
    try:
        async with maker() as s, s.begin():
            await use(s, demo.workspace_id)
            statuses = dict(
                (await s.execute(select(Ticket.status, func.count()).group_by(Ticket.status))).all()
            )
            assert set(statuses) == {"new", "open", "pending", "resolved", "closed"}
            breached = await s.scalar(
                select(func.count()).select_from(Ticket).where(Ticket.resolution_breached)
            )
            assert breached >= 1
            unassigned = await s.scalar(
                select(func.count())
                .select_from(Ticket)
                .where(Ticket.assignee_id.is_(None), Ticket.status == "new")
            )
            assert unassigned == 1
            ratings = (
                await s.execute(select(TicketSurvey.rating).where(TicketSurvey.rating.is_not(None)))
            ).scalars()
            assert sorted(ratings) == [3, 4, 5]
            subjects = list((await s.execute(select(Ticket.subject))).scalars())
            assert any(x.isascii() for x in subjects)
            assert any(not x.isascii() for x in subjects)
            assert await s.scalar(select(func.count()).select_from(SlaPolicy)) == 2
            numbers = sorted((await s.execute(select(Ticket.number))).scalars())
            assert numbers[0] == "GD-000001"
    finally:
        async with owner_engine.begin() as conn:
            await conn.execute(
                text("DELETE FROM workspaces WHERE id = :id"), {"id": demo.workspace_id}
            )
