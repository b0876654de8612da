"""Hostile and broken input: always a 4xx problem, never a 500, and nothing written."""

from __future__ import annotations

import io
import re
import typing
import uuid
import zipfile
from collections.abc import Callable
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select, text

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


# --- the corpus of issue 9: every money field, every date, 1 MB text, broken files -------

ANY_ID = "01a22f7d-cf75-73b1-9fee-d2d3dc83bd32"  # well-formed; validation answers first
ORDER = {"order_number": "B-1", "channel": "shop", "ordered_at": "2026-03-01T10:00:00+08:00"}
PAYMENT = {"contract_id": ANY_ID, "currency": "CNY", "method": "cash"}

#: names of the fields that carry money in request bodies
MONEY_FIELDS = frozenset(
    {"amount", "unit_price", "list_price", "budget", "actual_cost", "target_value"}
)

#: negative, beyond NUMERIC(18,2), not finite, more than two decimals, not a number
BAD_MONEY: list[object] = [
    -1,
    "-0.01",
    1e20,
    "1e20",
    "NaN",
    "Infinity",
    "-Infinity",
    "1.234",
    "12abc",
    True,
]


def _line(v: object) -> dict[str, object]:
    return {"name": "i", "quantity": "1", "unit_price": v}


#: (method, path, field) → a body valid but for `field`, which gets the value
MONEY_CASES: dict[tuple[str, str, str], Callable[[object], object]] = {
    ("POST", "/api/v1/opportunities", "amount"): lambda v: {
        "customer_id": ANY_ID,
        "name": "x",
        "amount": v,
    },
    ("POST", "/api/v1/opportunities", "items[].unit_price"): lambda v: {
        "customer_id": ANY_ID,
        "name": "x",
        "items": [_line(v)],
    },
    ("PATCH", "/api/v1/opportunities/{opportunity_id}", "amount"): lambda v: {"amount": v},
    ("PATCH", "/api/v1/opportunities/{opportunity_id}", "items[].unit_price"): lambda v: {
        "items": [_line(v)]
    },
    ("POST", "/api/v1/contracts", "amount"): lambda v: {"customer_id": ANY_ID, "amount": v},
    ("PATCH", "/api/v1/contracts/{contract_id}", "amount"): lambda v: {"amount": v},
    ("PUT", "/api/v1/contracts/{contract_id}/payment-plan", "installments[].amount"): lambda v: {
        "installments": [{"due_date": "2026-12-31", "amount": v}]
    },
    ("POST", "/api/v1/invoices", "amount"): lambda v: {
        "contract_id": ANY_ID,
        "title": "抬头",
        "amount": v,
        "tax_rate": "0.13",
    },
    ("POST", "/api/v1/payments", "amount"): lambda v: {**PAYMENT, "amount": v},
    ("POST", "/api/v1/payments", "allocations[].amount"): lambda v: {
        **PAYMENT,
        "amount": "1.00",
        "allocations": [{"installment_id": ANY_ID, "amount": v}],
    },
    ("PUT", "/api/v1/payments/by-external-id/{source}/{external_id}", "amount"): lambda v: {
        **PAYMENT,
        "amount": v,
    },
    (
        "PUT",
        "/api/v1/payments/by-external-id/{source}/{external_id}",
        "allocations[].amount",
    ): lambda v: {
        **PAYMENT,
        "amount": "1.00",
        "allocations": [{"installment_id": ANY_ID, "amount": v}],
    },
    ("POST", "/api/v1/orders", "amount"): lambda v: {**ORDER, "amount": v},
    ("POST", "/api/v1/orders", "items[].unit_price"): lambda v: {**ORDER, "items": [_line(v)]},
    ("PUT", "/api/v1/orders/by-external-id/{source}/{external_id}", "amount"): lambda v: {
        **ORDER,
        "amount": v,
    },
    ("PUT", "/api/v1/orders/by-external-id/{source}/{external_id}", "items[].unit_price"): (
        lambda v: {**ORDER, "items": [_line(v)]}
    ),
    ("POST", "/api/v1/products", "list_price"): lambda v: {
        "sku": "S",
        "name": "n",
        "list_price": v,
    },
    ("PATCH", "/api/v1/products/{product_id}", "list_price"): lambda v: {"list_price": v},
    ("PUT", "/api/v1/products/by-external-id/{source}/{external_id}", "list_price"): lambda v: {
        "sku": "S",
        "name": "n",
        "list_price": v,
    },
    ("POST", "/api/v1/campaigns", "budget"): lambda v: {"name": "c", "budget": v},
    ("POST", "/api/v1/campaigns", "actual_cost"): lambda v: {"name": "c", "actual_cost": v},
    ("PATCH", "/api/v1/campaigns/{campaign_id}", "budget"): lambda v: {"budget": v},
    ("PATCH", "/api/v1/campaigns/{campaign_id}", "actual_cost"): lambda v: {"actual_cost": v},
    ("POST", "/api/v1/targets", "target_value"): lambda v: {
        "subject_kind": "workspace",
        "period": "2026-12",
        "metric": "won_amount",
        "target_value": v,
    },
    ("PATCH", "/api/v1/targets/{target_id}", "target_value"): lambda v: {"target_value": v},
}

#: batch upserts answer per item (test_bad_money_in_a_batch_fails_only_that_item)
BATCH_MONEY = {
    ("POST", "/api/v1/orders/batch/upsert", "items[].amount"): lambda v: {**ORDER, "amount": v},
    ("POST", "/api/v1/orders/batch/upsert", "items[].items[].unit_price"): lambda v: {
        **ORDER,
        "items": [_line(v)],
    },
    ("POST", "/api/v1/payments/batch/upsert", "items[].amount"): lambda v: {**PAYMENT, "amount": v},
    ("POST", "/api/v1/payments/batch/upsert", "items[].allocations[].amount"): lambda v: {
        **PAYMENT,
        "amount": "1.00",
        "allocations": [{"installment_id": ANY_ID, "amount": v}],
    },
    ("POST", "/api/v1/products/batch/upsert", "items[].list_price"): lambda v: {
        "sku": "S",
        "name": "n",
        "list_price": v,
    },
}

#: money fields that write nothing at all
MONEY_EXEMPT = {
    ("POST", "/api/v1/analytics/rfm/preview", "sample.amount"): "a preview: nothing is saved",
}


def _concrete(path: str) -> str:
    return re.sub(r"{(\w+)}", lambda m: "erp" if m[1] == "source" else ANY_ID, path)


def _loc(field: str) -> str:
    """`items[].unit_price` → `body.items.0.unit_price` (the first element is the bad one)."""
    return "body." + field.replace("[]", ".0")


async def _written(session, tenant) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Rows per tenant table (and their summed versions): equal before and after means a
    request wrote nothing anywhere, audit log and outbox included."""
    from app.core.models import Base

    parts = []
    for table in Base.metadata.sorted_tables:
        if "workspace_id" not in table.c or table.name in VOLATILE:
            continue
        versions = "coalesce(sum(version), 0)" if "version" in table.c else "0"
        parts.append(f"SELECT '{table.name}', count(*) + {versions} FROM {table.name}")
    await use(session, tenant.id)
    rows = await session.execute(text(" UNION ALL ".join(parts)))
    return {name: int(n) for name, n in rows}


#: tables every authenticated request may touch (its session, the rate-limit window)
VOLATILE = frozenset({"user_sessions", "rate_limit_counters"})


def _money_fields(spec: dict) -> set[tuple[str, str, str]]:  # type: ignore[type-arg]
    schemas = spec["components"]["schemas"]

    def deref(s: dict) -> dict:  # type: ignore[type-arg]
        while "$ref" in s:
            s = schemas[s["$ref"].rsplit("/", 1)[1]]
        return s

    found: set[tuple[str, str, str]] = set()

    def walk(method: str, path: str, schema: dict, prefix: str, depth: int) -> None:  # type: ignore[type-arg]
        schema = deref(schema)
        for name, prop in schema.get("properties", {}).items():
            for option in prop.get("anyOf", [prop]):
                option = deref(option)
                if name in MONEY_FIELDS and option.get("type") in ("number", "string"):
                    found.add((method, path, prefix + name))
                if depth < 4 and option.get("type") == "array" and "items" in option:
                    walk(method, path, option["items"], f"{prefix}{name}[].", depth + 1)
                elif depth < 4 and "properties" in option:
                    walk(method, path, option, f"{prefix}{name}.", depth + 1)

    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            content = op.get("requestBody", {}).get("content", {}).get("application/json")
            if content:
                walk(method.upper(), path, content["schema"], "", 0)
    return found


def test_every_money_field_is_in_the_corpus(app) -> None:  # type: ignore[no-untyped-def]
    found = _money_fields(_spec(app))
    known = set(MONEY_CASES) | set(BATCH_MONEY) | set(MONEY_EXEMPT)
    assert found - known == set(), "add these money fields to MONEY_CASES (or BATCH_MONEY)"
    assert known - found == set(), "these cases name fields that no longer exist"


@pytest.mark.parametrize("case", sorted(MONEY_CASES), ids=" ".join)
async def test_bad_money_is_a_422_on_its_field(owner_client, session, tenant, case) -> None:
    method, path, field = case
    before = await _written(session, tenant)
    for value in BAD_MONEY:
        r = await owner_client.request(method, _concrete(path), json=MONEY_CASES[case](value))
        assert r.status_code == 422, (value, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        problem = r.json()
        assert problem["code"] == "validation_error"
        assert [e["field"] for e in problem["errors"]] == [_loc(field)], (value, problem)
    assert await _written(session, tenant) == before


@pytest.mark.parametrize("case", sorted(BATCH_MONEY), ids=" ".join)
async def test_bad_money_in_a_batch_fails_only_that_item(
    owner_client, session, tenant, case
) -> None:
    method, path, field = case
    before = await _written(session, tenant)
    item_field = field.removeprefix("items[].")
    for n, value in enumerate(BAD_MONEY):
        item = {"external_source": "erp", "external_id": f"x{n}", **BATCH_MONEY[case](value)}
        if "sku" in item:
            item["sku"] = f"S{n}"
        r = await owner_client.request(method, path, json={"items": [item]})
        assert r.status_code == 200, (value, r.text)
        result = r.json()
        assert (result["created"], result["failed"]) == (0, 1), (value, result)
        assert [e["field"] for e in result["items"][0]["errors"]] == [
            "body.items.0." + _loc(item_field).removeprefix("body.")
        ], (value, result)
        r = await owner_client.request(method, path, json={"items": [item], "all_or_none": True})
        assert r.status_code == 422, (value, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    assert await _written(session, tenant) == before


async def test_the_largest_amount_is_kept_to_the_cent(owner_client) -> None:
    """9,999,999,999,999,999.99 fits NUMERIC(18,2); a line total or a sum above it is a
    422 on the lines, not a database overflow."""
    customer = (await owner_client.post("/api/v1/customers", json={"name": "大客户"})).json()
    top = "9999999999999999.99"
    deal = await owner_client.post(
        "/api/v1/opportunities", json={"customer_id": customer["id"], "name": "d", "amount": top}
    )
    assert deal.status_code == 201, deal.text
    assert deal.json()["amount"] == top
    r = await owner_client.post(
        "/api/v1/opportunities",
        json={"customer_id": customer["id"], "name": "d", "items": [_line(top), _line(top)]},
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"].startswith("body.items")
    r = await owner_client.post(
        "/api/v1/orders",
        json={**ORDER, "customer_id": customer["id"], "items": [_line(top), _line(top)]},
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"].startswith("body.items")


# --- dates and times ---------------------------------------------------------------------


def _request_schemas() -> list[type]:
    import app.main  # noqa: F401  (every router, so every request schema, is imported)
    from app.core.schemas import RequestSchema

    found: list[type] = []
    stack = list(RequestSchema.__subclasses__())
    while stack:
        cls = stack.pop()
        found.append(cls)
        stack.extend(cls.__subclasses__())
    return found


def _date_fields() -> list[tuple[type, str, bool]]:
    """(schema, field, is datetime) for every date or datetime field of a request."""
    out = []
    for cls in _request_schemas():
        for name, info in cls.model_fields.items():  # type: ignore[attr-defined]
            kinds = {info.annotation, *typing.get_args(info.annotation)}
            for kind in list(kinds):
                kinds |= set(typing.get_args(kind))
            if datetime in kinds or date in kinds:
                out.append((cls, name, datetime in kinds))
    return out


def test_every_request_date_and_time_stays_within_the_years() -> None:
    """Year 1 at +14:00 does not exist in UTC and 9999 at -14:00 overflows it: every date
    and time field of every request answers a field error for them (and accepts 2026)."""
    from pydantic import ValidationError

    fields = _date_fields()
    assert len(fields) >= 30
    for cls, name, is_time in fields:
        bad = (
            ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "1899-12-31T00:00:00Z"]
            if is_time
            else ["0001-01-01", "9999-12-31", "1899-12-31"]
        )
        for value in bad:
            with pytest.raises(ValidationError) as caught:
                cls.model_validate({name: value})  # type: ignore[attr-defined]
            mine = [e for e in caught.value.errors() if e["loc"][:1] == (name,)]
            assert mine, (cls.__name__, name, value)
            assert "between the years 1900 and 2999" in mine[0]["msg"], (cls.__name__, name)
        good = "2026-03-01T10:00:00+08:00" if is_time else "2026-03-01"
        assert not [e for e in _errors(cls, {name: good}) if e["loc"][:1] == (name,)], (cls, name)


def _errors(cls: type, data: dict[str, object]) -> list[typing.Any]:
    from pydantic import ValidationError

    try:
        cls.model_validate(data)  # type: ignore[attr-defined]
    except ValidationError as exc:
        return exc.errors()
    return []


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/tasks", {"title": "t", "due_at": "0001-01-01T00:00:00+14:00"}),
        ("/api/v1/tasks", {"title": "t", "due_at": "9999-12-31T23:59:59-14:00"}),
        (
            "/api/v1/opportunities",
            {"customer_id": ANY_ID, "name": "d", "expected_close_date": "0001-01-01"},
        ),
    ],
)
async def test_times_beyond_utc_are_a_422_not_an_overflow(
    owner_client, session, tenant, path, body
) -> None:
    before = await _written(session, tenant)
    r = await owner_client.post(path, json=body)
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["message"].endswith("between the years 1900 and 2999")
    assert await _written(session, tenant) == before


async def test_follow_ups_out_of_range_write_nothing(owner_client, session, tenant) -> None:
    c = (await owner_client.post("/api/v1/customers", json={"name": "跟进"})).json()
    before = await _written(session, tenant)
    for field in ("occurred_at", "next_follow_up_at"):
        for value in (
            "0001-01-01T00:00:00+14:00",
            "9999-12-31T23:59:59-14:00",
            "1000-01-01T00:00:00Z",
        ):
            r = await owner_client.post(
                "/api/v1/activities",
                json={"customer_id": c["id"], "kind": "call", "content": "x", field: value},
            )
            assert r.status_code == 422, (field, value, r.text)
            assert r.json()["errors"][0]["field"] == f"body.{field}"
    assert await _written(session, tenant) == before


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"updated_since": "0001-01-01T00:00:00+14:00"}, 400),
        ({"updated_since": "9999-12-31T23:59:59-14:00"}, 400),
        ({"created_after": "0001-01-01T00:00:00+14:00"}, 422),
        ({"created_before": "9999-12-31T23:59:59-14:00"}, 422),
    ],
)
async def test_query_times_beyond_utc_are_4xx(owner_client, params, status) -> None:
    r = await owner_client.get("/api/v1/customers", params=params)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")


# --- 1 MB of text ------------------------------------------------------------------------

MEGABYTE = "x" * 1_048_576

_SPEC: dict[str, typing.Any] = {}


def _spec(app) -> dict[str, typing.Any]:  # type: ignore[no-untyped-def]
    """The contract, built once for the module (building it takes seconds)."""
    if not _SPEC:
        _SPEC.update(app.openapi())
    return _SPEC


#: create and update bodies of the major resources, valid but for the field under test
TEXT_BODIES: dict[tuple[str, str], dict[str, object]] = {
    ("POST", "/api/v1/customers"): {"name": "n", "force": True},
    ("PATCH", "/api/v1/customers/{customer_id}"): {},
    ("POST", "/api/v1/customers/{customer_id}/contacts"): {"name": "n"},
    ("POST", "/api/v1/activities"): {"customer_id": ANY_ID, "kind": "note", "content": "c"},
    ("POST", "/api/v1/tasks"): {"title": "t"},
    ("POST", "/api/v1/leads"): {"name": "n"},
    ("POST", "/api/v1/opportunities"): {"customer_id": ANY_ID, "name": "n"},
    ("PATCH", "/api/v1/opportunities/{opportunity_id}"): {},
    ("POST", "/api/v1/contracts"): {"customer_id": ANY_ID},
    ("POST", "/api/v1/tickets"): {"subject": "s"},
    ("POST", "/api/v1/orders"): {**ORDER, "amount": "1.00"},
    ("POST", "/api/v1/products"): {"sku": "S", "name": "n", "list_price": "1.00"},
    ("POST", "/api/v1/payments"): {**PAYMENT, "amount": "1.00"},
    ("POST", "/api/v1/invoices"): {
        "contract_id": ANY_ID,
        "title": "t",
        "amount": "1",
        "tax_rate": "0",
    },
}


def _text_fields(spec: dict, method: str, path: str) -> list[tuple[str, bool]]:  # type: ignore[type-arg]
    """(field, is a list of strings) for every free-text field of a request body."""
    op = spec["paths"][path][method.lower()]
    schema = op["requestBody"]["content"]["application/json"]["schema"]
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    out = []
    for name, prop in schema["properties"].items():
        for option in prop.get("anyOf", [prop]):
            if option.get("type") == "string" and not {"format", "enum", "pattern"} & set(option):
                out.append((name, False))
            elif option.get("type") == "array" and option.get("items", {}).get("type") == "string":
                if not {"format", "enum", "pattern"} & set(option["items"]):
                    out.append((name, True))
            elif option.get("type") == "object":
                out.append((name, False))  # custom fields: {"key": text}
    return out


@pytest.mark.parametrize("endpoint", sorted(TEXT_BODIES), ids=" ".join)
async def test_a_megabyte_in_any_text_field_is_refused(
    app, owner_client, session, tenant, endpoint
) -> None:
    method, path = endpoint
    fields = _text_fields(_spec(app), method, path)
    assert fields
    ids = {}
    if "{" in path:  # a real row, so the body reaches the checks behind validation
        customer = await owner_client.post("/api/v1/customers", json={"name": "c", "force": True})
        deal = await owner_client.post(
            "/api/v1/opportunities", json={"customer_id": customer.json()["id"], "name": "d"}
        )
        ids = {"customer_id": customer.json()["id"], "opportunity_id": deal.json()["id"]}
    before = await _written(session, tenant)
    for name, is_list in fields:
        body = dict(TEXT_BODIES[endpoint])
        if name == "custom_fields":
            body[name] = {"note": MEGABYTE}
        else:
            body[name] = [MEGABYTE] if is_list else MEGABYTE
        r = await owner_client.request(method, path.format(**ids), json=body)
        assert r.status_code in (413, 422), (name, r.status_code, r.text[:300])
        assert r.headers["content-type"].startswith("application/problem+json")
        assert len(r.content) < 10_000, (name, "the answer echoes the megabyte")
    assert await _written(session, tenant) == before


# --- broken spreadsheets -----------------------------------------------------------------


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _replace_part(workbook: bytes, part: str, content: bytes) -> bytes:
    """The workbook with one zip member replaced (a damaged part, as a broken writer or a
    truncated copy leaves it)."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in source.infolist():
            z.writestr(item, content if item.filename == part else source.read(item.filename))
    return out.getvalue()


GOOD_BOOK = _xlsx([["客户名称", "电话"], ["甲公司", "13800138000"]])
SHEET = "xl/worksheets/sheet1.xml"
_NS = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'


def _sheet(*rows: bytes) -> bytes:
    return _NS + b"".join(rows) + b"</sheetData></worksheet>"


def _row(n: int, cell: str) -> bytes:
    return f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{cell}</t></is></c></row>'.encode()


HEADER_ROW, GOOD_ROW = _row(1, "客户名称"), _row(2, "Good Co")

#: files an import must refuse or report on, never a 500, never a partial write
BROKEN_FILES: dict[str, tuple[str, bytes]] = {
    "xlsx truncated": ("a.xlsx", GOOD_BOOK[: len(GOOD_BOOK) // 2]),
    "xlsx garbage after the zip magic": ("a.xlsx", b"PK\x03\x04" + b"\x00junk" * 200),
    "xlsx broken content types": ("a.xlsx", _replace_part(GOOD_BOOK, "[Content_Types].xml", b"no")),
    "xlsx broken workbook part": ("a.xlsx", _replace_part(GOOD_BOOK, "xl/workbook.xml", b"<x")),
    "xlsx unclosed sheet xml": ("a.xlsx", _replace_part(GOOD_BOOK, SHEET, _NS + b"<row><c>")),
    "xlsx header cell points past the strings": (
        "a.xlsx",
        _replace_part(GOOD_BOOK, SHEET, _sheet(b'<row r="1"><c r="A1" t="s"><v>99</v></c></row>')),
    ),
    "xlsx damage below a good row": (
        "a.xlsx",
        _replace_part(
            GOOD_BOOK,
            SHEET,
            _sheet(HEADER_ROW, GOOD_ROW, b'<row r="3"><c r="A3" t="d"><v>not a date</v></c></row>'),
        ),
    ),
    "xlsx named .csv": ("a.csv", GOOD_BOOK),
    "csv invalid utf-8 and gb18030": ("a.csv", "客户名称\n".encode() + b"\xff\xfe\xfa\n"),
    "csv with NUL bytes": ("a.csv", "客户名称\n甲\x00公司\n".encode()),
    "csv cell of a megabyte": ("a.csv", ("客户名称\n" + "x" * 1_000_000 + "\n").encode()),
    "csv only a byte-order mark": ("a.csv", b"\xef\xbb\xbf"),
    "csv 300 columns": ("a.csv", (",".join(f"c{i}" for i in range(300)) + "\n").encode()),
    "empty file": ("a.csv", b""),
    "legacy xls": ("a.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100),
}


@pytest.mark.parametrize("case", sorted(BROKEN_FILES))
@pytest.mark.parametrize("dry_run", [True, False], ids=["dry run", "run"])
async def test_broken_files_are_refused_or_fail_with_a_report(
    owner_client, maker, session, tenant, case, dry_run
) -> None:
    from app.imports import service as imports

    filename, content = BROKEN_FILES[case]
    r = await owner_client.post(
        "/api/v1/imports",
        files={"file": (filename, content)},
        data={"entity": "customers", "dry_run": str(dry_run).lower()},
    )
    assert r.status_code < 500, r.text
    if r.status_code >= 400:
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["code"] in ("unreadable_file", "unsupported_file_type", "invalid_mapping")
        assert r.json()["detail"]
    elif dry_run:
        assert r.status_code == 201, r.text
        assert r.json()["counts"]["valid"] == 0 or case == "xlsx damage below a good row"
    else:
        # the upload read the header only; the run reads the rest and says why it failed
        assert r.status_code == 202, r.text
        job_id = uuid.UUID(r.json()["id"])
        assert await imports.run_import(maker, job_id, tenant.id) == "failed"
        job = (await owner_client.get(f"/api/v1/imports/{job_id}")).json()
        assert job["status"] == "failed"
        assert "nothing was written" in job["message"] or job["message"].startswith("The ")
    await use(session, tenant.id)
    assert await session.scalar(select(func.count()).select_from(Customer)) == 0


# --- hostile text where it is read back --------------------------------------------------


async def test_a_formula_for_a_name_is_exported_as_text(owner_client) -> None:
    """openpyxl writes text starting with "=" as a formula: the export must keep it text."""
    name = '=HYPERLINK("http://example.com/x","点我")'
    r = await owner_client.post("/api/v1/customers", json={"name": name, "force": True})
    assert r.status_code == 201, r.text
    book = await owner_client.get("/api/v1/exports/customers", params={"format": "xlsx"})
    assert book.status_code == 200, book.text
    sheet = load_workbook(io.BytesIO(book.content)).worksheets[0]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value == name]
    assert cells, "the name is in the workbook"
    assert all(c.data_type == "s" for c in cells)


async def test_hostile_search_sort_and_cursor_never_fail(app, owner_client) -> None:
    """Every list with `q`, `sort` or `cursor`: injection strings, emoji, LIKE wildcards and
    forged cursors are a page or a 4xx problem, never a 500."""
    values = {
        "q": ["'; DROP TABLE customers; --", "%_\\", "<script>alert(1)</script>", "😀🚀 客户"],
        "sort": ["-id; DROP TABLE customers", "name,,", "-" * 50],
        "cursor": ["AAAA", "eyJ4IjoxfQ", "%%%", "x" * 1999],
    }
    checked = 0
    for path, operations in _spec(app)["paths"].items():
        op = operations.get("get")
        if op is None or "{" in path:
            continue
        names = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
        required = {p["name"] for p in op.get("parameters", []) if p.get("required")}
        if required:
            continue  # their own tests give the period etc.
        for name in names & set(values):
            for value in values[name]:
                r = await owner_client.get(path, params={name: value})
                assert r.status_code < 500, (path, name, value, r.text)
                if r.status_code >= 400:
                    assert r.headers["content-type"].startswith("application/problem+json")
                checked += 1
    assert checked > 50


@pytest.mark.parametrize("raw", ["%FF%FE%FA", "%00", "%C0%AF", "%ED%A0%80"])
async def test_invalid_utf8_in_a_query_is_not_a_500(owner_client, raw) -> None:
    for path in ("/api/v1/customers", "/api/v1/contacts", "/api/v1/leads", "/api/v1/tickets"):
        r = await owner_client.get(f"{path}?q={raw}")
        assert r.status_code in (200, 400, 422), (path, r.text)


@pytest.mark.parametrize("etag", ['W/"' + "9" * 100_000 + '"', '"99999999999"', 'W/"٣"', '"-1"'])
async def test_a_forged_if_match_is_a_400(owner_client, etag) -> None:
    task = (await owner_client.post("/api/v1/tasks", json={"title": "t"})).json()
    r = await owner_client.patch(
        f"/api/v1/tasks/{task['id']}", json={"title": "u"}, headers={"If-Match": etag.encode()}
    )
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "invalid_if_match"
