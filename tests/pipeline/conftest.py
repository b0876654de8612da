from __future__ import annotations

import pytest

from app.pipeline import service
from tests.factories import use
from tests.pipeline.test_pipeline import default_pipeline


@pytest.fixture
async def pipeline(session, tenant, owner_client):  # type: ignore[no-untyped-def]
    """The workspace's standard pipeline (the test factory skips workspace creation hooks)."""
    await use(session, tenant.id)
    await service.create_default_pipeline(session, tenant.id, None)
    await session.commit()
    return await default_pipeline(owner_client)
