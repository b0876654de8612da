from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.webhooks import dispatch
from tests.factories import Tenant, login_as
from tests.webhooks.receiver import Receiver, receiver


@dataclass
class Live:
    """Committed data, a signed-in owner on a real-session app, and a loopback receiver."""

    client: httpx.AsyncClient
    tenant: Tenant
    maker: async_sessionmaker[AsyncSession]
    receiver: Receiver

    async def endpoint(self, **body: object) -> dict[str, object]:
        r = await self.client.post("/api/v1/webhooks", json={"url": self.receiver.url, **body})
        assert r.status_code == 201, r.text
        created: dict[str, object] = r.json()
        self.receiver.secrets.append(str(created["secret"]))
        return created

    async def run(self) -> dispatch.RunResult:
        return await dispatch.run_once(self.maker, allow_private=True)


@pytest.fixture
def loopback() -> Iterator[Receiver]:
    with receiver() as r:
        yield r


@pytest.fixture
async def live(committed, settings, loopback) -> AsyncIterator[Live]:  # type: ignore[no-untyped-def]
    app, tenant, maker = committed
    app.state.settings = settings.model_copy(update={"webhooks_allow_private": True})
    transport = httpx.ASGITransport(app=app, client=("10.2.0.1", 1234))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        async with maker() as session:
            await login_as(session, client, tenant.owner)
        yield Live(client, tenant, maker, loopback)
