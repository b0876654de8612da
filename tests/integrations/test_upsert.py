"""Upsert by external id and batch upserts: what an ERP or shop integration relies on."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from decimal import Decimal

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.models.audit import AuditEntry
from app.models.customer import Contact, Customer, Notification, OwnershipChange
from app.models.event import Event
from app.models.orders import Order, OrderItem
from app.models.receivables import Installment, Payment
from tests.auth.test_auth import assert_problem
from tests.contracts.helpers import make_contract, make_customer
from tests.factories import create_api_key, create_user, use

API = "/api/v1"


def order(n: int, **extra: object) -> dict[str, object]:
    return {
        "external_source": "shop",
        "external_id": f"SO-{n}",
        "order_number": f"SO-{n}",
        "channel": "tmall",
        "ordered_at": "2026-03-01T10:00:00+08:00",
        "items": [{"name": "茶叶 Tea", "quantity": "2", "unit_price": "49.50"}],
        **extra,
    }


async def _count(session, model, *conditions) -> int:  # type: ignore[no-untyped-def]
    return int(await session.scalar(select(func.count()).select_from(model).where(*conditions)))


class TestPutByExternalId:
    async def test_first_put_creates_201_then_updates_200(self, owner_client, session) -> None:
        url = f"{API}/customers/by-external-id/erp/C-1"
        r = await owner_client.put(url, json={"name": "上海云杉科技有限公司"})
        assert r.status_code == 201, r.text
        first = r.json()
        assert first["external_source"] == "erp"
        assert first["external_id"] == "C-1"
        assert r.headers["ETag"]
        r = await owner_client.put(url, json={"name": "上海云杉科技", "city": "上海"})
        assert r.status_code == 200, r.text
        second = r.json()
        assert second["id"] == first["id"]
        assert second["name"] == "上海云杉科技"
        assert second["city"] == "上海"
        assert second["version"] == first["version"] + 1
        # a resend of the same data changes nothing
        r = await owner_client.put(url, json={"name": "上海云杉科技", "city": "上海"})
        assert r.status_code == 200
        assert r.json()["version"] == second["version"]
        events = (
            await session.execute(
                select(Event.type).where(Event.entity_id == uuid.UUID(first["id"]))
            )
        ).scalars()
        assert sorted(events) == ["customer.created", "customer.updated"]

    async def test_body_key_must_match_the_url(self, owner_client) -> None:
        r = await owner_client.put(
            f"{API}/products/by-external-id/erp/P-1",
            json={
                "sku": "P-1",
                "name": "Widget",
                "list_price": "10.00",
                "external_source": "erp",
                "external_id": "P-2",
            },
        )
        body = assert_problem(r, 422, "external_id_mismatch")
        assert body["errors"][0]["field"] == "body.external_id"

    async def test_every_resource_upserts(self, owner_client, session, tenant) -> None:
        product = await owner_client.put(
            f"{API}/products/by-external-id/erp/P-1",
            json={"sku": "TEA-1", "name": "龙井 Longjing", "list_price": "88.00"},
        )
        assert product.status_code == 201, product.text
        customer = await owner_client.put(
            f"{API}/customers/by-external-id/erp/C-9", json={"name": "Acme Trading Ltd"}
        )
        contact = await owner_client.put(
            f"{API}/contacts/by-external-id/erp/P-9",
            json={"name": "王芳", "customer_external_id": "C-9", "title": "采购"},
        )
        assert contact.status_code == 201, contact.text
        assert contact.json()["customer_id"] == customer.json()["id"]
        contact = await owner_client.put(
            f"{API}/contacts/by-external-id/erp/P-9", json={"name": "王芳", "title": "经理"}
        )
        assert contact.status_code == 200, contact.text
        assert contact.json()["title"] == "经理"
        placed = await owner_client.put(
            f"{API}/orders/by-external-id/shop/SO-1",
            json={**order(1, customer_external_id="C-9"), "external_source": "shop"},
        )
        assert placed.status_code == 201, placed.text
        # the buyer id is the customer's id in the same source system: erp ≠ shop
        assert placed.json()["customer_id"] is None
        placed = await owner_client.put(
            f"{API}/orders/by-external-id/erp/SO-1",
            json={
                "order_number": "SO-1",
                "channel": "erp",
                "ordered_at": "2026-03-01T10:00:00+08:00",
                "customer_external_id": "C-9",
                "items": [
                    {
                        "product_id": product.json()["id"],
                        "name": "龙井",
                        "quantity": "1.5",
                        "unit_price": "88.00",
                    }
                ],
            },
        )
        assert placed.status_code == 201, placed.text
        assert placed.json()["customer_id"] == customer.json()["id"]
        assert placed.json()["matched_by"] == "external_id"
        assert placed.json()["amount"] == "132.00"

    async def test_order_update_replaces_lines_and_amount(
        self, owner_client, session, tenant
    ) -> None:
        url = f"{API}/orders/by-external-id/shop/SO-7"
        first = (await owner_client.put(url, json=order(7))).json()
        assert first["amount"] == "99.00"
        r = await owner_client.put(url, json={**order(7), "status": "shipped"})
        assert r.status_code == 200
        assert r.json()["status"] == "shipped"
        assert r.json()["version"] == first["version"] + 1
        lines = [{"name": "Cup", "quantity": "3", "unit_price": "10.00"}]
        r = await owner_client.put(url, json={**order(7), "items": lines})
        assert r.json()["amount"] == "30.00"
        assert [i["name"] for i in r.json()["items"]] == ["Cup"]
        await use(session, tenant.id)
        assert await _count(session, OrderItem, OrderItem.order_id == uuid.UUID(first["id"])) == 1

    async def test_a_rep_cannot_update_a_colleagues_customer(
        self, owner_client, session, tenant, client_for
    ) -> None:
        url = f"{API}/customers/by-external-id/erp/C-5"
        await owner_client.put(url, json={"name": "Owner's customer"})
        rep = await create_user(session, tenant.id, role="sales")
        await session.commit()
        r = await (await client_for(rep)).put(url, json={"name": "Taken over"})
        assert_problem(r, 409, "external_id_taken")


class TestBatch:
    async def test_thousand_orders_with_ten_invalid(self, owner_client, session, tenant) -> None:
        items = [order(n) for n in range(1000)]
        bad = list(range(5, 1000, 100))
        for n in bad:
            items[n] = {**items[n], "ordered_at": "yesterday"}
        r = await owner_client.post(f"{API}/orders/batch/upsert", json={"items": items})
        assert r.status_code == 200, r.text
        body = r.json()
        assert (body["created"], body["updated"], body["failed"]) == (990, 0, 10)
        failed = [i for i in body["items"] if i["code"]]
        assert [i["index"] for i in failed] == bad
        assert failed[0]["errors"][0]["field"] == "body.items.5.ordered_at"
        assert all(i["id"] is None and not i["created"] for i in failed)
        assert [i["index"] for i in body["items"]] == list(range(1000))
        await use(session, tenant.id)
        assert await _count(session, Order, Order.external_source == "shop") == 990
        assert await _count(session, OrderItem) == 990
        assert await _count(session, Event, Event.type == "order.created") == 990
        assert await _count(session, AuditEntry, AuditEntry.entity == "order") == 990

    async def test_resending_a_batch_updates_only_what_changed(self, owner_client) -> None:
        items = [order(n) for n in range(3)]
        await owner_client.post(f"{API}/orders/batch/upsert", json={"items": items})
        items[1] = {**items[1], "status": "completed"}
        body = (await owner_client.post(f"{API}/orders/batch/upsert", json={"items": items})).json()
        assert (body["created"], body["updated"], body["unchanged"]) == (0, 1, 2)
        assert [i["created"] for i in body["items"]] == [False, False, False]

    async def test_all_or_none_writes_nothing_on_one_bad_item(
        self, owner_client, session, tenant
    ) -> None:
        items = [order(1), order(2, channel="")]
        r = await owner_client.post(
            f"{API}/orders/batch/upsert", json={"items": items, "all_or_none": True}
        )
        body = assert_problem(r, 422, "batch_rejected")
        assert [i["code"] for i in body["items"]] == [None, "validation_error"]
        await use(session, tenant.id)
        assert await _count(session, Order) == 0

    async def test_items_need_a_key_once(self, owner_client) -> None:
        no_key = {k: v for k, v in order(1).items() if not k.startswith("external_")}
        r = await owner_client.post(
            f"{API}/orders/batch/upsert", json={"items": [order(1), order(1), no_key, 42]}
        )
        codes = [i["code"] for i in r.json()["items"]]
        assert codes == [None, "duplicate_in_batch", "external_id_required", "validation_error"]

    async def test_limits_of_the_batch(self, owner_client) -> None:
        too_many = [order(n) for n in range(1001)]
        r = await owner_client.post(f"{API}/orders/batch/upsert", json={"items": too_many})
        assert_problem(r, 422, "validation_error")
        assert_problem(
            await owner_client.post(f"{API}/orders/batch/upsert", json={"items": []}),
            422,
            "validation_error",
        )

    async def test_idempotency_key_replays_the_batch(self, owner_client, session, tenant) -> None:
        body = {"items": [order(1), order(2)]}
        headers = {"Idempotency-Key": "sync-2026-03-01"}
        first = await owner_client.post(f"{API}/orders/batch/upsert", json=body, headers=headers)
        again = await owner_client.post(f"{API}/orders/batch/upsert", json=body, headers=headers)
        assert again.headers.get("Idempotent-Replayed") == "true"
        assert again.json() == first.json()
        assert again.json()["created"] == 2

    async def test_customers_batch_applies_the_duplicate_policy(
        self, owner_client, session, tenant
    ) -> None:
        await owner_client.patch(
            f"{API}/settings/customers", json={"duplicate_policy": {"phone": "block"}}
        )
        await owner_client.post(
            f"{API}/customers", json={"name": "北京大成贸易", "phones": ["13800138000"]}
        )
        items = [
            {"external_source": "erp", "external_id": "A", "name": "杭州新茶", "phones": []},
            {
                "external_source": "erp",
                "external_id": "B",
                "name": "Another name",
                "phones": ["+86 138 0013 8000"],
            },
        ]
        body = (
            await owner_client.post(f"{API}/customers/batch/upsert", json={"items": items})
        ).json()
        assert body["created"] == 1
        assert body["items"][1]["code"] == "duplicate_blocked"
        await use(session, tenant.id)
        assert await _count(session, Customer, Customer.external_source == "erp") == 1

    async def test_customers_batch_classifies_each_match_by_the_policy(
        self, owner_client, session, tenant, client_for
    ) -> None:
        """Existing matches and matches within the batch, as if created one by one: a
        credit code blocks, a phone or e-mail warns (force saves it and tells the owner)."""
        code = "91330100716105852F"
        rep = await create_user(session, tenant.id, role="manager")
        await session.commit()
        theirs = await (await client_for(rep)).post(
            f"{API}/customers",
            json={"name": "杭州西湖茶业有限公司", "phones": ["13900139000"], "credit_code": code},
        )
        assert theirs.status_code == 201, theirs.text

        def item(n: int, **fields: object) -> dict[str, object]:
            return {"external_source": "erp", "external_id": f"D-{n}", **fields}

        items = [
            item(0, name="上海甲公司", credit_code=code),  # existing credit code: blocked
            item(1, name="上海乙公司", phones=["139 0013 9000"]),  # existing phone: warn
            item(2, name="上海丙公司", phones=["+86 139-0013-9000"], force=True),  # forced
            item(3, name="北京丁公司", email="Buyer@Example.COM"),
            item(4, name="北京戊公司", email="buyer@example.com"),  # same batch: warn
            item(5, name="北京己公司", email="buyer@example.com", force=True),  # forced
            item(6, name="深圳庚公司", credit_code="91110000MA0123456P"),
            item(7, name="深圳辛公司", credit_code="91110000MA0123456P", force=True),  # blocked
            item(8, name="北京丁 有限公司", force=True),  # exact normalised name of 3: forced
            item(9, name="成都壬公司", owner_id=str(uuid.uuid4())),  # before the duplicates
        ]
        body = (
            await owner_client.post(f"{API}/customers/batch/upsert", json={"items": items})
        ).json()
        codes = [i["code"] for i in body["items"]]
        assert codes == [
            "duplicate_blocked",
            "duplicate_customer",
            None,
            None,
            "duplicate_customer",
            None,
            None,
            "duplicate_blocked",
            None,
            "invalid_reference",
        ], body
        assert body["items"][9]["errors"] == [
            {"field": "body.items.9.owner_id", "message": "unknown or inactive user"}
        ]
        created = {i["index"]: i["id"] for i in body["items"] if i["created"]}
        await use(session, tenant.id)
        rows = {
            str(c.id): c
            for c in (
                await session.execute(select(Customer).where(Customer.external_source == "erp"))
            ).scalars()
        }
        assert set(rows) == set(created.values())
        forced = rows[created[2]]
        assert forced.phones_normalized == ["+8613900139000"]
        assert forced.search_text == "上海丙公司 +86 139-0013-9000 +8613900139000"
        assert rows[created[3]].email == "Buyer@example.com"
        assert rows[created[3]].email_normalized == "buyer@example.com"
        assert rows[created[8]].name_normalized == "北京丁"
        # the owner of the forced-past customer hears of it, once
        notices = (
            (
                await session.execute(
                    select(Notification.entity_id).where(
                        Notification.user_id == rep.id, Notification.kind == "duplicate_conflict"
                    )
                )
            )
            .scalars()
            .all()
        )
        assert notices == [uuid.UUID(theirs.json()["id"])]
        ledger = await _count(session, OwnershipChange, OwnershipChange.customer_id.in_(list(rows)))
        assert ledger == len(rows)
        event = (
            await session.execute(select(Event).where(Event.entity_id == uuid.UUID(created[2])))
        ).scalar_one()
        assert event.type == "customer.created"
        assert event.data["phones"] == ["+86 139-0013-9000"]
        assert event.data["owner_id"] == str(tenant.owner.id)

    async def test_customers_batch_all_or_none(self, owner_client, session, tenant) -> None:
        items = [
            {"external_source": "erp", "external_id": "A", "name": "甲公司", "email": "a@x.cn"},
            {"external_source": "erp", "external_id": "B", "name": "乙公司", "email": "a@x.cn"},
        ]
        r = await owner_client.post(
            f"{API}/customers/batch/upsert", json={"items": items, "all_or_none": True}
        )
        body = assert_problem(r, 422, "batch_rejected")
        assert [i["code"] for i in body["items"]] == [None, "duplicate_customer"]
        await use(session, tenant.id)
        assert await _count(session, Customer, Customer.external_source == "erp") == 0

    async def test_contacts_and_products_batches(self, owner_client, session, tenant) -> None:
        await owner_client.put(f"{API}/customers/by-external-id/erp/C-1", json={"name": "Acme"})
        contacts = [
            {
                "external_source": "erp",
                "external_id": f"K-{n}",
                "name": f"联系人 {n}",
                "customer_external_id": "C-1",
            }
            for n in range(3)
        ] + [
            {
                "external_source": "erp",
                "external_id": "K-x",
                "name": "Lost",
                "customer_external_id": "C-404",
            }
        ]
        body = (
            await owner_client.post(f"{API}/contacts/batch/upsert", json={"items": contacts})
        ).json()
        assert body["created"] == 3
        assert body["items"][3]["code"] == "invalid_reference"
        assert body["items"][3]["errors"][0]["field"] == "body.items.3.customer_external_id"
        products = [
            {
                "external_source": "erp",
                "external_id": "P-1",
                "sku": "S-1",
                "name": "One",
                "list_price": "1.00",
            },
            {
                "external_source": "erp",
                "external_id": "P-2",
                "sku": "S-1",
                "name": "Two",
                "list_price": "2.00",
            },
        ]
        body = (
            await owner_client.post(f"{API}/products/batch/upsert", json={"items": products})
        ).json()
        assert body["created"] == 1
        assert body["items"][1]["code"] == "sku_taken"
        await use(session, tenant.id)
        assert await _count(session, Contact, Contact.external_source == "erp") == 3


class TestPayments:
    async def test_payment_upsert_allocates_once_and_refuses_other_money(
        self, owner_client, session, tenant
    ) -> None:
        customer = await make_customer(session, tenant.id, tenant.owner)
        contract = await make_contract(
            session,
            customer,
            tenant.owner,
            "1000.00",
            plan=[(date(2026, 1, 31), "300.00"), (date(2026, 2, 28), "700.00")],
        )
        await session.commit()
        url = f"{API}/payments/by-external-id/bank/TX-1"
        body = {
            "contract_id": str(contract.id),
            "amount": "400.00",
            "currency": "CNY",
            "method": "bank_transfer",
            "received_on": "2026-03-10",
        }
        r = await owner_client.put(url, json=body)
        assert r.status_code == 201, r.text
        assert [a["amount"] for a in r.json()["allocations"]] == ["300.00", "100.00"]
        again = await owner_client.put(url, json={**body, "reference": "BANK-REF-1"})
        assert again.status_code == 200, again.text
        assert again.json()["reference"] == "BANK-REF-1"
        body_other = {**body, "amount": "500.00"}
        assert_problem(await owner_client.put(url, json=body_other), 409, "payment_immutable")
        await use(session, tenant.id)
        allocated = await session.scalar(select(func.sum(Installment.allocated_amount)))
        assert allocated == Decimal("400.00")
        assert await _count(session, Payment) == 1
        # over the outstanding amount: the receivables rule answers, per item
        items = [
            {**body, "external_source": "bank", "external_id": "TX-2", "amount": "600.00"},
            {**body, "external_source": "bank", "external_id": "TX-3", "amount": "1.00"},
        ]
        result = (
            await owner_client.post(f"{API}/payments/batch/upsert", json={"items": items})
        ).json()
        assert result["items"][0]["code"] is None
        assert result["items"][1]["code"] == "exceeds_outstanding"


class TestConcurrency:
    async def test_fifty_parallel_puts_of_one_id_make_one_row(self, committed) -> None:
        app, tenant, maker = committed
        async with maker() as s:
            key = await create_api_key(s, tenant.owner, ["*"])
        transport = httpx.ASGITransport(app=app)
        url = f"{API}/customers/by-external-id/erp/RACE-1"
        async with httpx.AsyncClient(
            transport=transport, base_url="http://t", headers={"Authorization": f"Bearer {key}"}
        ) as client:
            results = await asyncio.gather(
                *[client.put(url, json={"name": "并发客户", "city": f"c{n}"}) for n in range(50)]
            )
        codes = sorted(r.status_code for r in results)
        assert codes == [200] * 49 + [201], codes
        assert len({r.json()["id"] for r in results}) == 1
        async with maker() as s, s.begin():
            await use(s, tenant.id)
            assert await _count(s, Customer, Customer.external_id == "RACE-1") == 1

    async def test_parallel_batches_of_the_same_orders(self, committed) -> None:
        app, tenant, maker = committed
        async with maker() as s:
            key = await create_api_key(s, tenant.owner, ["*"])
        transport = httpx.ASGITransport(app=app)
        items = [order(n) for n in range(50)]
        async with httpx.AsyncClient(
            transport=transport, base_url="http://t", headers={"Authorization": f"Bearer {key}"}
        ) as client:
            results = await asyncio.gather(
                *[
                    client.post(
                        f"{API}/orders/batch/upsert",
                        json={"items": items[::-1] if n % 2 else items},
                    )
                    for n in range(6)
                ]
            )
        assert all(r.status_code == 200 for r in results), [r.text for r in results]
        assert sum(r.json()["created"] for r in results) == 50
        async with maker() as s, s.begin():
            await use(s, tenant.id)
            assert await _count(s, Order) == 50


async def test_the_same_key_in_another_workspace_is_its_own_row(
    owner_client, session, tenant, client_for
) -> None:
    from tests.factories import create_workspace

    url = f"{API}/customers/by-external-id/erp/SHARED-1"
    mine = (await owner_client.put(url, json={"name": "A 公司"})).json()
    other = await create_workspace(session, "Other")
    await session.commit()
    theirs = await (await client_for(other.owner)).put(url, json={"name": "B 公司"})
    assert theirs.status_code == 201
    assert theirs.json()["id"] != mine["id"]
    again = await owner_client.get(f"{API}/customers/{mine['id']}")
    assert again.json()["name"] == "A 公司"


class TestFastPaths:
    """The batch's shortcuts answer exactly as the general validators do."""

    @settings(max_examples=3000, deadline=None)
    @given(
        st.text(alphabet="aZ09._+-@x", min_size=3, max_size=24)
        | st.from_regex(r"[A-Za-z0-9._+-]{1,8}@[A-Za-z0-9.-]{1,12}\.[A-Za-z]{1,4}", fullmatch=True)
    )
    def test_batch_email_is_emailstr(self, text: str) -> None:
        from pydantic import TypeAdapter, ValidationError
        from pydantic.networks import EmailStr

        from app.integrations.schemas import BatchEmail

        def answer(adapter: TypeAdapter[str]) -> str | None:
            try:
                return adapter.validate_python(text)
            except ValidationError:
                return None

        assert answer(TypeAdapter(BatchEmail)) == answer(TypeAdapter(EmailStr))

    @pytest.mark.parametrize(
        "text",
        ["Postmaster@Example.com", "a@b.test", "a@x.localhost", "x@ab--c.com", "a@b.c", "A@B.CO"],
    )
    def test_batch_email_edge_cases(self, text: str) -> None:
        from pydantic import TypeAdapter, ValidationError
        from pydantic.networks import EmailStr

        from app.integrations.schemas import BatchEmail

        answers = []
        for adapter in (TypeAdapter(BatchEmail), TypeAdapter(EmailStr)):
            try:
                answers.append(adapter.validate_python(text))
            except ValidationError:
                answers.append(None)
        assert answers[0] == answers[1]

    def test_cn_mobiles_normalise_as_phonenumbers_does(self) -> None:
        import random

        import phonenumbers

        from app.customers.normalize import normalize_phone

        def parsed(text: str) -> str | None:
            number = phonenumbers.parse(text, "CN")
            if not phonenumbers.is_possible_number(number):
                return None
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

        rng = random.Random(7)
        for prefix in range(1300, 2000):
            for _ in range(3):
                text = f"{prefix}{rng.randrange(10**7):07d}"
                assert normalize_phone(text) == parsed(text), text
