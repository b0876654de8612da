"""Hostile and broken input: always a 4xx problem, never a 500, and nothing written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.models.customer import Customer
from tests.factories import use

HOSTILE_NAMES = [
    "'; DROP TABLE customers; --",
    "<script>alert('x')</script>",
    "Robert'); DELETE FROM users WHERE ('1'='1",
    "😀🚀 客户 ☃",
    "ﾃｽﾄ（株）",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
async def test_hostile_text_is_stored_verbatim(owner_client, name) -> None:
    r = await owner_client.post("/api/v1/customers", json={"name": name, "force": True})
    assert r.status_code == 201, r.text
    got = (await owner_client.get(f"/api/v1/customers/{r.json()['id']}")).json()
    assert got["name"] == name


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"name": "x" * 1_000_000}, 422),
        ({"name": ""}, 422),
        ({"name": "ok", "phones": ["1" * 5000]}, 422),
        ({"name": "ok", "next_follow_up_at": "not a date"}, 422),
        ({"name": "ok", "created_at": "2020-01-01"}, 422),
        ({"name": "ok", "tag_ids": ["not-a-uuid"]}, 422),
        ({"name": "ok", "custom_fields": {"x": 1}}, 422),
        ({"name": "ok", "owner_id": "00000000-0000-0000-0000-000000000000"}, 422),
        ({"name": 12345}, 422),
        ([1, 2, 3], 422),
    ],
)
async def test_invalid_customer_bodies_write_nothing(
    owner_client, session, tenant, body, status
) -> None:
    r = await owner_client.post("/api/v1/customers", json=body)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    await use(session, tenant.id)
    assert await session.scalar(select(func.count()).select_from(Customer)) == 0


async def test_invalid_utf8_body_is_400(owner_client) -> None:
    r = await owner_client.post(
        "/api/v1/customers",
        content=b'{"name": "\xff\xfe"}',
        headers={"content-type": "application/json"},
    )
    assert r.status_code in (400, 422), r.text
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_number_custom_field_rejects_huge_and_nan(owner_client) -> None:
    await owner_client.post(
        "/api/v1/custom-fields",
        json={
            "entity": "customer",
            "key": "budget",
            "label_zh": "预算",
            "label_en": "Budget",
            "type": "money",
        },
    )
    for value in ("1e400", "NaN", "-Infinity", "abc", True):
        r = await owner_client.post(
            "/api/v1/customers",
            json={"name": f"n{value}", "custom_fields": {"budget": value}, "force": True},
        )
        assert r.status_code == 422, (value, r.text)
    ok = await owner_client.post(
        "/api/v1/customers",
        json={"name": "fine", "custom_fields": {"budget": "-1234.5"}, "force": True},
    )
    assert ok.json()["custom_fields"]["budget"] == "-1234.50"


async def test_dates_out_of_range_are_4xx(owner_client) -> None:
    c = (await owner_client.post("/api/v1/customers", json={"name": "d"})).json()
    r = await owner_client.post(
        "/api/v1/activities",
        json={
            "customer_id": c["id"],
            "kind": "call",
            "content": "x",
            "occurred_at": "99999-01-01T00:00:00Z",
        },
    )
    assert 400 <= r.status_code < 500, r.text
    r = await owner_client.post(
        "/api/v1/activities",
        json={
            "customer_id": c["id"],
            "kind": "call",
            "content": "x",
            "occurred_at": "2026-01-01T00:00:00",
        },
    )
    assert r.status_code == 422, r.text
