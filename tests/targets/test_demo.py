"""The demo workspace shows live targets, leaderboards and commission on first start."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest
from sqlalchemy import select, text

from app.analytics.period import PeriodKind, period_containing
from app.contracts import clock as workspace_clock
from app.demo import DEMO_EMAIL, ensure_demo
from app.models.user import User
from tests.factories import login_as, use


@pytest.fixture
def clock() -> None:
    """The demo is dated from the real today: no moved clock here."""
    return None


async def test_demo_has_targets_leaderboards_and_commission(committed, owner_engine) -> None:
    app, _, maker = committed
    demo = await ensure_demo(maker)
    assert demo.created
    try:
        async with maker() as s:
            await use(s, demo.workspace_id)
            owner = await s.scalar(select(User).where(User.email == DEMO_EMAIL))
            today = await workspace_clock.today(s)
            transport = httpx.ASGITransport(app=app, client=("10.2.0.1", 1234))
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                await login_as(s, client, owner)
                for kind in (PeriodKind.month, PeriodKind.quarter):
                    period = period_containing(kind, today).label
                    r = await client.get("/api/v1/targets/progress", params={"period": period})
                    assert r.status_code == 200, r.text
                    items = r.json()["items"]
                    assert {i["subject_kind"] for i in items} == {"user", "team", "workspace"}
                    assert {i["metric"] for i in items} == {
                        "won_amount",
                        "payments_received",
                        "new_customers",
                        "follow_ups",
                    }
                month = period_containing(PeriodKind.month, today).label
                board = await client.get(
                    "/api/v1/analytics/leaderboard",
                    params={"metric": "follow_ups", "period": str(today.year)},
                )
                assert any(Decimal(r["value"]) > 0 for r in board.json()["rows"])
                plans = (await client.get("/api/v1/commission/plans")).json()["data"]
                assert [p["currency"] for p in plans] == ["USD", "CNY"]
                statements = await client.get(
                    "/api/v1/commission/statements", params={"period": str(today.year)}
                )
                assert statements.status_code == 200, statements.text
                rows = statements.json()["data"]
                assert any(Decimal(r["commission"]) > 0 for r in rows)
                stats = await client.get(
                    "/api/v1/analytics/activity-stats", params={"period": month}
                )
                assert stats.status_code == 200, stats.text
    finally:
        async with owner_engine.begin() as conn:
            await conn.execute(
                text("DELETE FROM workspaces WHERE id = :id"), {"id": demo.workspace_id}
            )
