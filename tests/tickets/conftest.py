from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.contracts.helpers import Clock
from tests.factories import create_team, create_user

SH = ZoneInfo("Asia/Shanghai")
#: Monday 2 November 2026, 10:00 in Shanghai
MONDAY_10 = datetime(2026, 11, 2, 10, tzinfo=SH)

OFFICE = {
    "name": "上海客服 Shanghai office",
    "weekly_hours": [
        {
            "weekday": d,
            "periods": [{"start": "09:00", "end": "12:00"}, {"start": "13:30", "end": "18:00"}],
        }
        for d in range(1, 6)
    ],
    "holidays": [{"date": "2026-10-01", "name": "国庆节"}],
    "workdays": [
        {"date": "2026-10-10", "name": "国庆调休", "periods": [{"start": "09:00", "end": "17:00"}]}
    ],
}
TARGETS = {
    "urgent": {"first_response_minutes": 30, "resolution_minutes": 240},
    "high": {"first_response_minutes": 60, "resolution_minutes": 480},
    "normal": {"first_response_minutes": 120, "resolution_minutes": 960},
}


@pytest.fixture
def clock(monkeypatch):  # type: ignore[no-untyped-def]
    return Clock(monkeypatch, MONDAY_10)


@dataclass
class Desk:
    owner: httpx.AsyncClient
    lead: Any
    agents: list[Any]
    team: Any
    calendar_id: str
    policy_id: str


@pytest.fixture
async def desk(session, tenant, owner_client, clock) -> Desk:  # type: ignore[no-untyped-def]
    """A service team (a manager and two agents in name order), an office-hours calendar,
    a default SLA policy and a round-robin routing rule to the team."""
    team = await create_team(session, tenant.id, "客服部 Service")
    lead = await create_user(session, tenant.id, role="manager", team=team)
    a = await create_user(session, tenant.id, role="service", team=team)
    b = await create_user(session, tenant.id, role="service", team=team)
    a.name, b.name, lead.name = "Agent A", "Agent B", "Lead L"
    await session.commit()
    cal = await owner_client.post("/api/v1/business-calendars", json=OFFICE)
    assert cal.status_code == 201, cal.text
    policy = await owner_client.post(
        "/api/v1/sla-policies",
        json={
            "name": "Standard",
            "calendar_id": cal.json()["id"],
            "targets": TARGETS,
            "warning_minutes": 15,
        },
    )
    assert policy.status_code == 201, policy.text
    rule = await owner_client.post(
        "/api/v1/ticket-routing-rules",
        json={"name": "All to service", "team_id": str(team.id), "strategy": "round_robin"},
    )
    assert rule.status_code == 201, rule.text
    return Desk(owner_client, lead, [a, b], team, cal.json()["id"], policy.json()["id"])
