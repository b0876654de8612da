"""The demo workspace a newcomer's first `make run` shows."""

from __future__ import annotations

from sqlalchemy import func, select

from app.demo import DEMO_EMAIL, ensure_demo
from app.models.customer import Activity, Contact, Customer, Task
from app.models.lead import Lead
from app.models.pool import Pool
from app.models.user import Team, User
from tests.factories import use


async def test_demo_is_created_once_with_living_data(committed, owner_engine) -> None:
    _, _, maker = committed
    first = await ensure_demo(maker)
    try:
        assert first.created
        again = await ensure_demo(maker)
        assert not again.created
        async with maker() as s, s.begin():
            await use(s, first.workspace_id)
            counts = {
                m.__name__: await s.scalar(select(func.count()).select_from(m))
                for m in (User, Team, Customer, Contact, Activity, Task)
            }
            assert counts["User"] >= 10
            assert counts["Team"] >= 5
            assert counts["Customer"] >= 10
            assert counts["Contact"] >= 10
            assert counts["Activity"] >= 10
            assert await s.scalar(select(func.count()).select_from(Lead)) >= 8
            assert await s.scalar(select(func.count()).select_from(Pool)) >= 1
            pooled = await s.scalar(
                select(func.count()).select_from(Customer).where(Customer.owner_id.is_(None))
            )
            assert pooled >= 5
            names = set((await s.execute(select(Customer.name))).scalars())
            assert any(n.isascii() for n in names)
            assert any(not n.isascii() for n in names)
            found = await s.scalar(
                select(func.count())
                .select_from(Customer)
                .where(Customer.search_text.ilike("%浦江%"))
            )
            assert found == 1
            owner = await s.scalar(select(User).where(User.email == DEMO_EMAIL))
            assert owner is not None
            assert owner.role == "owner"
    finally:
        from sqlalchemy import text

        async with owner_engine.begin() as conn:
            await conn.execute(
                text("DELETE FROM workspaces WHERE id = :id"), {"id": first.workspace_id}
            )
