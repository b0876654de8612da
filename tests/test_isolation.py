"""Every route that takes an id answers 404 to another workspace's ids.

Generated from the OpenAPI contract, so a new route with a path id is covered (and
fails here until this file knows how to make such an id in workspace A).
"""

from __future__ import annotations

import re

from sqlalchemy import text

from app.models.audit import AuditEntry
from tests.factories import create_api_key, create_team, create_user, create_workspace, use

PARAM = re.compile(r"{(\w+)}")


async def test_foreign_ids_are_404_on_every_route(app, session, client_for) -> None:
    a = await create_workspace(session, "A")
    a_user = await create_user(session, a.id, role="sales")
    a_team = await create_team(session, a.id)
    await create_api_key(session, a.owner, ["*"])
    await use(session, a.id)
    key_id = (await session.execute(text("SELECT id FROM api_keys LIMIT 1"))).scalar_one()
    entry = AuditEntry(
        workspace_id=a.id,
        actor_id=a.owner.id,
        actor_kind="user",
        action="created",
        entity="team",
        entity_id=a_team.id,
        changes={},
    )
    session.add(entry)
    await session.flush()
    ids = {"user_id": a_user.id, "team_id": a_team.id, "key_id": key_id, "entry_id": entry.id}
    b = await create_workspace(session, "B")
    await session.commit()
    client = await client_for(b.owner)

    checked = 0
    for template, operations in app.openapi()["paths"].items():
        params = PARAM.findall(template)
        if not params:
            continue
        missing = [p for p in params if p not in ids]
        assert not missing, f"teach test_isolation how to make a {missing} for {template}"
        path = template
        for p in params:
            path = path.replace("{" + p + "}", str(ids[p]))
        for method in operations:
            kwargs = {"json": {}} if method in ("post", "patch", "put") else {}
            r = await client.request(method.upper(), path, **kwargs)
            assert r.status_code == 404, f"{method} {template} → {r.status_code} {r.text}"
            assert r.json()["code"] == "not_found"
            checked += 1
    assert checked >= 10
    # and workspace A's rows are untouched
    await use(session, a.id)
    names = (
        await session.execute(text("SELECT name FROM teams WHERE id = :id"), {"id": a_team.id})
    ).scalar_one()
    assert names == a_team.name
    active = (
        await session.execute(text("SELECT is_active FROM users WHERE id = :id"), {"id": a_user.id})
    ).scalar_one()
    assert active is True
