from __future__ import annotations

import pytest

from tests.contracts.helpers import Clock
from tests.targets.world import NOW, World, build_world


@pytest.fixture(autouse=True)
def clock(monkeypatch):  # type: ignore[no-untyped-def]
    """Every test here runs on Sunday 15 March 2026, noon in Shanghai."""
    return Clock(monkeypatch, NOW)


@pytest.fixture
async def world(session) -> World:  # type: ignore[no-untyped-def]
    return await build_world(session)


@pytest.fixture
async def as_(world, client_for):  # type: ignore[no-untyped-def]
    """`await as_("mia")` → a client signed in as that person of the world ("owner" too)."""

    async def make(person: str):  # type: ignore[no-untyped-def]
        user = world.tenant.owner if person == "owner" else world.people[person]
        return await client_for(user)

    return make
