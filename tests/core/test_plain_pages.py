"""Plain pages (`paginate(plain=True)`, `RepositoryBase.page(columns=...)`) read rows without
the ORM; they must be the same rows, in the same order, with the same cursors, and a list
row must render exactly as the detail endpoint renders the same record."""

from __future__ import annotations

from app.core.pagination import ListParams
from app.core.principal import Principal, Role
from app.customers.service import LIST_COLUMNS, CustomerRepository
from tests.factories import create_team, create_user, use


async def _tag_and_field(owner_client) -> str:  # type: ignore[no-untyped-def]
    """A tag and a custom field to fill in; returns the tag id."""
    tag = await owner_client.post("/api/v1/tags", json={"name": "重点", "color": "#ff0000"})
    assert tag.status_code == 201, tag.text
    r = await owner_client.post(
        "/api/v1/custom-fields",
        json={
            "entity": "customer",
            "key": "scale",
            "label_zh": "规模",
            "label_en": "Scale",
            "type": "select",
            "options": ["small", "large"],
        },
    )
    assert r.status_code == 201, r.text
    return str(tag.json()["id"])


async def _customers(client, n: int, tag_id: str, name: str = "星河") -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    made = []
    for i in range(n):
        body = {
            "name": f"杭州{name}{i}号科技有限公司",
            "phones": [f"1380013{i:04d}", f"0571-8800{i:04d}"] if i % 2 else [],
            "email": f"buyer{i}@{name}.example.com" if i % 3 else None,
            "website": "https://xinghe.example.com",
            "province": "浙江",
            "city": "杭州",
            "level": "A" if i % 2 else None,
            "tag_ids": [tag_id] if i % 2 else [],
            "custom_fields": {"scale": "large"} if i % 2 else {},
            "external_source": "erp" if i % 4 == 0 else None,
            "external_id": f"{name}-{i}" if i % 4 == 0 else None,
            "force": True,  # the other owner's look-alikes are meant
        }
        r = await client.post("/api/v1/customers", json=body)
        assert r.status_code == 201, r.text
        made.append(r.json())
    return made


async def test_list_rows_render_like_the_detail(owner_client) -> None:
    made = await _customers(owner_client, 6, await _tag_and_field(owner_client))
    listed = (await owner_client.get("/api/v1/customers?limit=200")).json()["data"]
    assert {c["id"] for c in listed} == {c["id"] for c in made}
    for row in listed:
        detail = await owner_client.get(f"/api/v1/customers/{row['id']}")
        assert row == detail.json()
    # the relevance-ranked search reads plain rows too
    found = (await owner_client.get("/api/v1/customers", params={"q": "星河3号"})).json()["data"]
    assert [c["id"] for c in found] == [made[3]["id"]]
    assert found[0] == (await owner_client.get(f"/api/v1/customers/{made[3]['id']}")).json()


async def test_plain_and_orm_pages_walk_the_same_rows(
    session, tenant, client_for, owner_client
) -> None:
    team = await create_team(session, tenant.id)
    manager = await create_user(session, tenant.id, role="manager", team=team)
    rep = await create_user(session, tenant.id, role="sales", team=team)
    outsider = await create_user(session, tenant.id, role="sales")
    await session.commit()
    tag_id = await _tag_and_field(owner_client)
    await _customers(await client_for(rep), 4, tag_id)
    await _customers(await client_for(outsider), 3, tag_id, name="远山")
    await use(session, tenant.id)
    principal = Principal(
        workspace_id=tenant.id, user_id=manager.id, role=Role.manager, team_id=team.id
    )
    repo = CustomerRepository(session, principal)
    for sort in ("-updated_at", "name", "-created_at"):
        orm_ids, plain_ids = [], []
        orm_cursor = plain_cursor = None
        while True:
            rows, orm_next, orm_more = await repo.page(ListParams(3, orm_cursor, None, False), sort)
            plain, plain_next, plain_more = await repo.page(
                ListParams(3, plain_cursor, None, False), sort, columns=LIST_COLUMNS
            )
            assert plain_next == orm_next
            assert plain_more == orm_more
            assert all(set(p) == {c.key for c in LIST_COLUMNS} for p in plain)
            assert [p["id"] for p in plain] == [r.id for r in rows]
            assert [p["updated_at"] for p in plain] == [r.updated_at for r in rows]
            orm_ids += [r.id for r in rows]
            plain_ids += [p["id"] for p in plain]
            orm_cursor, plain_cursor = orm_next, plain_next
            if not orm_more:
                break
        assert plain_ids == orm_ids
        assert len(orm_ids) == 4  # the rep's customers, none of the outsider's
