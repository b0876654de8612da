"""Orders: matching to customers (buyer id, phone, e-mail), the review list, manual match."""

from __future__ import annotations

from sqlalchemy import func, select

from app.models.customer import Customer
from app.models.orders import Order
from tests.auth.test_auth import assert_problem
from tests.factories import create_user, use


async def _customers(session, tenant):  # type: ignore[no-untyped-def]
    await use(session, tenant.id)
    rows = {
        "shop": Customer(
            workspace_id=tenant.id,
            name="天猫老客户",
            owner_id=tenant.owner.id,
            external_source="tmall",
            external_id="buyer-42",
        ),
        "phone": Customer(
            workspace_id=tenant.id,
            name="王女士",
            owner_id=tenant.owner.id,
            phones=["138 0013 8000"],
            phones_normalized=["+8613800138000"],
        ),
        "mail": Customer(
            workspace_id=tenant.id,
            name="Redwood Apparel",
            owner_id=tenant.owner.id,
            email="Buyer@Redwood.com",
            email_normalized="buyer@redwood.com",
        ),
    }
    session.add_all(rows.values())
    await session.flush()
    await session.commit()
    return rows


def _order(number: str, **extra) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return {
        "order_number": number,
        "channel": "tmall",
        "ordered_at": "2026-03-01T10:00:00+08:00",
        "items": [
            {"sku": "TEA-01", "name": "龙井 250g", "quantity": "3", "unit_price": "33.33"},
            {"name": "礼盒", "quantity": "0.5", "unit_price": "0.05"},
        ],
    } | extra


async def test_matching_by_buyer_id_then_phone_then_email(session, tenant, owner_client) -> None:
    c = await _customers(session, tenant)
    cases = [
        (
            _order(
                "T1", external_source="tmall", external_id="o-1", customer_external_id="buyer-42"
            ),
            c["shop"],
            "external_id",
        ),
        (_order("T2", customer_phone="+86 138-0013-8000"), c["phone"], "phone"),
        (_order("T3", customer_email="BUYER@redwood.com"), c["mail"], "email"),
        # a known buyer id wins over a phone of another customer
        (
            _order(
                "T4",
                external_source="tmall",
                external_id="o-4",
                customer_external_id="buyer-42",
                customer_phone="13800138000",
            ),
            c["shop"],
            "external_id",
        ),
    ]
    for body, customer, how in cases:
        r = await owner_client.post("/api/v1/orders", json=body)
        assert r.status_code == 201, r.text
        assert (r.json()["customer_id"], r.json()["matched_by"]) == (str(customer.id), how)
    first = (await owner_client.get("/api/v1/orders?sort=ordered_at&limit=1")).json()["data"][0]
    # 3 × 33.33 = 99.99; 0.5 × 0.05 = 0.025 → 0.03 (HALF_UP); the order total is their sum
    assert [i["amount"] for i in first["items"]] == ["99.99", "0.03"]
    assert first["amount"] == "100.02"
    mine = (await owner_client.get(f"/api/v1/orders?customer_id={c['shop'].id}")).json()["data"]
    assert sorted(o["order_number"] for o in mine) == ["T1", "T4"]


async def test_unmatched_orders_are_kept_for_review_and_matched_by_hand(
    session, tenant, owner_client, client_for
) -> None:
    c = await _customers(session, tenant)
    await use(session, tenant.id)
    session.add(
        Customer(
            workspace_id=tenant.id,
            name="同号客户",
            owner_id=tenant.owner.id,
            phones_normalized=["+8613800138000"],
        )
    )
    await session.commit()
    stranger = await owner_client.post(
        "/api/v1/orders", json=_order("U1", customer_phone="13900000000", amount="59.00")
    )
    assert stranger.status_code == 201, stranger.text
    assert stranger.json()["customer_id"] is None
    assert stranger.json()["amount"] == "59.00"
    assert stranger.json()["match_note"] == "no customer with this buyer id, phone or e-mail"
    shared = await owner_client.post(
        "/api/v1/orders", json=_order("U2", customer_phone="13800138000")
    )
    assert shared.json()["customer_id"] is None
    assert shared.json()["match_note"] == "ambiguous: several customers share the phone"
    matched = await owner_client.post(
        "/api/v1/orders", json=_order("M1", customer_id=str(c["mail"].id))
    )
    assert matched.json()["matched_by"] == "manual"
    review = (await owner_client.get("/api/v1/orders?matched=false")).json()["data"]
    assert sorted(o["order_number"] for o in review) == ["U1", "U2"]
    r = await owner_client.post(
        f"/api/v1/orders/{stranger.json()['id']}/match", json={"customer_id": str(c["phone"].id)}
    )
    assert (r.json()["customer_id"], r.json()["matched_by"]) == (str(c["phone"].id), "manual")
    review = (await owner_client.get("/api/v1/orders?matched=false")).json()["data"]
    assert [o["order_number"] for o in review] == ["U2"]
    # a rep sees orders of their own customers only, never the review list
    rep = await create_user(session, tenant.id, role="sales")
    await session.commit()
    rep_client = await client_for(rep)
    assert (await rep_client.get("/api/v1/orders?matched=false")).json()["data"] == []
    assert_problem(await rep_client.get(f"/api/v1/orders/{shared.json()['id']}"), 404, "not_found")


async def test_bad_orders_are_refused(session, tenant, owner_client) -> None:
    await _customers(session, tenant)
    ok = await owner_client.post(
        "/api/v1/orders", json=_order("D1", external_source="jd", external_id="x-1")
    )
    assert ok.status_code == 201
    dup = await owner_client.post(
        "/api/v1/orders", json=_order("D1", external_source="jd", external_id="x-1")
    )
    body = assert_problem(dup, 409, "order_exists")
    assert body["id"] == ok.json()["id"]
    cases = [
        ({"ordered_at": "2026-03-01T10:00:00"}, "body.ordered_at"),
        ({"currency": "yuan"}, "body.currency"),
        ({"amount": "-1"}, "body.amount"),
        ({"items": [{"name": "x", "quantity": "0", "unit_price": "1"}]}, "body.items.0.quantity"),
        ({"status": "lost"}, "body.status"),
    ]
    for extra, field in cases:
        body = assert_problem(
            await owner_client.post("/api/v1/orders", json=_order("B", **extra)),
            422,
            "validation_error",
        )
        assert body["errors"][0]["field"] == field, (extra, body)
    huge = _order("B", items=[{"name": "x", "quantity": "99999999999", "unit_price": "1e15"}])
    body = assert_problem(
        await owner_client.post("/api/v1/orders", json=huge), 422, "validation_error"
    )
    assert body["errors"] == [
        {"field": "body.items.0", "message": "quantity × unit price is too large"}
    ]
    no_amount = _order("B", items=[])
    assert_problem(
        await owner_client.post("/api/v1/orders", json=no_amount), 422, "validation_error"
    )
    unknown = await owner_client.post(
        "/api/v1/orders", json=_order("B", customer_id="0190c7a0-0000-7000-8000-000000000000")
    )
    assert_problem(unknown, 422, "invalid_reference")
    await use(session, tenant.id)
    assert await session.scalar(select(func.count()).select_from(Order)) == 1


async def test_a_rep_matches_orders_only_to_customers_they_can_see(
    session, tenant, owner_client, client_for
) -> None:
    rep = await create_user(session, tenant.id, role="sales")
    colleague = await create_user(session, tenant.id, role="sales")
    await use(session, tenant.id)
    theirs = Customer(
        workspace_id=tenant.id,
        name="同事的客户",
        owner_id=colleague.id,
        phones=["13800138000"],
        phones_normalized=["+8613800138000"],
    )
    mine = Customer(
        workspace_id=tenant.id,
        name="我的客户",
        owner_id=rep.id,
        email="me@buyer.cn",
        email_normalized="me@buyer.cn",
    )
    session.add_all([theirs, mine])
    await session.commit()
    rep_client = await client_for(rep)
    probe = await rep_client.post(
        "/api/v1/orders",
        json=_order("P1", customer_phone="13800138000", external_source="jd", external_id="p-1"),
    )
    assert probe.status_code == 201, probe.text
    assert (probe.json()["customer_id"], probe.json()["matched_by"]) == (None, None)
    assert probe.json()["match_note"] == (
        "no customer you can see has this buyer id, phone or e-mail"
    )
    assert str(theirs.id) not in probe.text
    own = await rep_client.post("/api/v1/orders", json=_order("P2", customer_email="me@buyer.cn"))
    assert (own.json()["customer_id"], own.json()["matched_by"]) == (str(mine.id), "email")
    # the same buyer recorded by the owner (whole workspace) is matched
    by_owner = await owner_client.post(
        "/api/v1/orders", json=_order("P3", customer_phone="138-0013-8000")
    )
    assert (by_owner.json()["customer_id"], by_owner.json()["matched_by"]) == (
        str(theirs.id),
        "phone",
    )
    # nor does a duplicate order number from the shop name another rep's order
    taken = await owner_client.post(
        "/api/v1/orders",
        json=_order("P4", customer_id=str(theirs.id), external_source="jd", external_id="p-4"),
    )
    again = await rep_client.post(
        "/api/v1/orders", json=_order("P4", external_source="jd", external_id="p-4")
    )
    body = assert_problem(again, 409, "order_exists")
    assert "id" not in body
    assert taken.json()["id"] not in again.text


async def test_order_times_outside_the_accepted_years_are_refused(
    session, tenant, owner_client
) -> None:
    await _customers(session, tenant)
    for moment in (
        "0001-01-01T00:00:00+14:00",
        "1899-12-31T23:59:59+08:00",
        "9999-12-31T23:59:59-12:00",
    ):
        body = assert_problem(
            await owner_client.post("/api/v1/orders", json=_order("Y", ordered_at=moment)),
            422,
            "validation_error",
        )
        assert [e["field"] for e in body["errors"]] == ["body.ordered_at"], moment
    for name, moment in (
        ("ordered_from", "0001-01-01T00:00:00+14:00"),
        ("ordered_to", "9999-12-31T23:59:59-12:00"),
    ):
        body = assert_problem(
            await owner_client.get("/api/v1/orders", params={name: moment}),
            400,
            "invalid_parameter",
        )
        assert body["errors"] == [{"field": f"query.{name}", "message": "out of range"}]
    edge = await owner_client.post(
        "/api/v1/orders", json=_order("Y", ordered_at="1900-01-01T00:00:00+14:00")
    )
    assert edge.status_code == 201, edge.text
    listed = await owner_client.get(
        "/api/v1/orders",
        params={
            "ordered_from": "1900-01-01T00:00:00+14:00",
            "ordered_to": "2999-12-31T23:59:59-12:00",
        },
    )
    assert [o["order_number"] for o in listed.json()["data"]] == ["Y"]
