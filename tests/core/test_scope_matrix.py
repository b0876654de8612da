"""Data scope: every role × scope × operation on a sample resource (the audit log).

The audit log is a real resource with an owner column (the actor), read through the same
`readable_statement()` every list, get, search and export uses; update/delete go through
`RepositoryBase.get_writable()`. The expected visibility is derived from the team tree,
not from the permission table under test.
"""

from __future__ import annotations

import uuid

import pytest

from app.audit.repository import AuditRepository
from app.core.principal import Principal, Role
from app.errors import Forbidden, NotFound
from app.models.audit import AuditEntry
from tests.factories import create_team, create_user, create_workspace, use


@pytest.fixture
async def org(session):  # type: ignore[no-untyped-def]
    t = await create_workspace(session, "Org")
    east = await create_team(session, t.id, "East")
    east_sh = await create_team(session, t.id, "East/Shanghai", parent=east)
    south = await create_team(session, t.id, "South")
    people = {
        "owner": t.owner,
        "admin": await create_user(session, t.id, role="admin"),
        "manager": await create_user(session, t.id, role="manager", team=east),
        "sales": await create_user(session, t.id, role="sales", team=east_sh),
        "peer": await create_user(session, t.id, role="sales", team=east_sh),
        "south_sales": await create_user(session, t.id, role="sales", team=south),
        "service": await create_user(session, t.id, role="service", team=east),
        "viewer": await create_user(session, t.id, role="viewer", team=east_sh),
    }
    entries = {}
    for key, user in people.items():
        entry = AuditEntry(
            workspace_id=t.id,
            actor_id=user.id,
            actor_kind="user",
            action="updated",
            entity="thing",
            entity_id=uuid.uuid4(),
            changes={},
        )
        session.add(entry)
        await session.flush()
        entries[key] = entry.id
    await session.commit()
    return t, people, entries


# who each caller must see, by the org chart: own = self; team = own team subtree
EXPECTED = {
    "owner": {"owner", "admin", "manager", "sales", "peer", "south_sales", "service", "viewer"},
    "admin": {"owner", "admin", "manager", "sales", "peer", "south_sales", "service", "viewer"},
    "manager": {"manager", "sales", "peer", "service", "viewer"},  # East and East/Shanghai
    "viewer": {"sales", "peer", "viewer"},  # East/Shanghai only
    "sales": {"sales"},
    "service": {"service"},
}


@pytest.mark.parametrize("caller", sorted(EXPECTED))
async def test_list_and_get_follow_the_scope(org, client_for, caller) -> None:
    _, people, entries = org
    client = await client_for(people[caller])
    listed = (
        await client.get("/api/v1/audit-log", params={"entity": "thing", "limit": 200})
    ).json()["data"]
    visible = {k for k, eid in entries.items() if str(eid) in {e["id"] for e in listed}}
    assert visible == EXPECTED[caller]
    for key, eid in entries.items():
        r = await client.get(f"/api/v1/audit-log/{eid}")
        assert r.status_code == (200 if key in EXPECTED[caller] else 404), (caller, key)


@pytest.mark.parametrize("caller", sorted(EXPECTED))
async def test_search_filters_cannot_widen_the_scope(org, client_for, caller) -> None:
    _, people, entries = org
    client = await client_for(people[caller])
    for key in entries:
        r = await client.get("/api/v1/audit-log", params={"actor_id": str(people[key].id)})
        ids = {e["id"] for e in r.json()["data"]}
        assert (str(entries[key]) in ids) == (key in EXPECTED[caller])


@pytest.mark.parametrize("role", list(Role))
async def test_write_access_matches_the_role(session, org, role) -> None:
    """update/delete path: invisible → 404, visible but read-only → 403, else the row."""
    t, people, entries = org
    await use(session, t.id)
    caller = people[
        "viewer"
        if role is Role.viewer
        else "sales"
        if role is Role.sales
        else "service"
        if role is Role.service
        else "manager"
        if role is Role.manager
        else "admin"
        if role is Role.admin
        else "owner"
    ]
    principal = Principal(workspace_id=t.id, user_id=caller.id, role=role, team_id=caller.team_id)
    repo = AuditRepository(session, principal)
    for key, eid in entries.items():
        visible = key in EXPECTED[role.value]
        if not visible:
            with pytest.raises(NotFound):
                await repo.get_writable(eid)
        elif not principal.can_write("audit"):
            with pytest.raises(Forbidden):
                await repo.get_writable(eid)
        else:
            assert (await repo.get_writable(eid)).id == eid


async def test_api_key_scope_narrows_but_never_widens(session, org) -> None:
    t, people, _ = org
    sales = people["sales"]
    key_everything = Principal(
        workspace_id=t.id,
        user_id=sales.id,
        role=Role.sales,
        team_id=sales.team_id,
        api_key_id=uuid.uuid4(),
        key_scopes=frozenset({"*"}),
    )
    assert key_everything.scope("audit").value == "own"
    assert not key_everything.can_write("settings")
    read_only = Principal(
        workspace_id=t.id,
        user_id=sales.id,
        role=Role.sales,
        team_id=sales.team_id,
        api_key_id=uuid.uuid4(),
        key_scopes=frozenset({"customers:read"}),
    )
    assert read_only.scope("customers").value == "own"
    assert not read_only.can_write("customers")
    assert read_only.scope("audit").value == "none"
