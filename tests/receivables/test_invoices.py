"""Invoices: tax, issue, void, and invoiced vs received vs contract amount per contract."""

from __future__ import annotations

from datetime import date

from tests.auth.test_auth import assert_problem
from tests.contracts.helpers import make_contract, make_customer


async def _setup(session, tenant):  # type: ignore[no-untyped-def]
    customer = await make_customer(session, tenant.id, tenant.owner, "杭州云栖数据科技有限公司")
    contract = await make_contract(
        session,
        customer,
        tenant.owner,
        "113000.00",
        plan=[(date(2026, 3, 1), "56500.00"), (date(2026, 6, 1), "56500.00")],
    )
    await session.commit()
    return contract


def _invoice(contract, amount, **extra) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return {
        "contract_id": str(contract.id),
        "title": "杭州云栖数据科技有限公司",
        "taxpayer_id": "91330100MA2B3C4D5E",
        "invoice_type": "special",
        "amount": amount,
        "tax_rate": "0.13",
    } | extra


async def test_invoiced_received_and_contract_amount_per_contract(
    session, tenant, owner_client
) -> None:
    contract = await _setup(session, tenant)
    issued = await owner_client.post(
        "/api/v1/invoices", json=_invoice(contract, "56500.00", number="04400001")
    )
    assert issued.status_code == 201, issued.text
    got = issued.json()
    assert (got["status"], got["number"], got["issued_on"]) == ("issued", "04400001", "2026-03-15")
    assert got["tax_amount"] == "6500.00"  # 56,500 × 0.13 / 1.13
    requested = await owner_client.post(
        "/api/v1/invoices", json=_invoice(contract, "10000.00", invoice_type="normal")
    )
    assert requested.json()["status"] == "requested"
    assert requested.json()["tax_amount"] == "1150.44"  # 10,000 × 0.13 / 1.13 = 1150.442…
    paid = await owner_client.post(
        "/api/v1/payments",
        json={
            "contract_id": str(contract.id),
            "amount": "30000.00",
            "currency": "CNY",
            "method": "bank_transfer",
        },
    )
    assert paid.status_code == 201, paid.text
    totals = (await owner_client.get(f"/api/v1/contracts/{contract.id}")).json()
    assert (totals["amount"], totals["totals"]["invoiced"]) == ("113000.00", "56500.00")
    assert totals["totals"]["invoice_requested"] == "10000.00"
    assert totals["totals"]["received"] == "30000.00"
    assert totals["totals"]["outstanding"] == "83000.00"
    issue = await owner_client.post(
        f"/api/v1/invoices/{requested.json()['id']}/issue", json={"number": "04400001"}
    )
    body = assert_problem(issue, 409, "invoice_number_taken")
    assert body["errors"] == [{"field": "body.number", "message": "already used"}]
    issue = await owner_client.post(
        f"/api/v1/invoices/{requested.json()['id']}/issue",
        json={"number": "04400002", "issued_on": "2026-03-14"},
    )
    assert (issue.json()["status"], issue.json()["issued_on"]) == ("issued", "2026-03-14")
    void = await owner_client.post(
        f"/api/v1/invoices/{got['id']}/void", json={"reason": "抬头错误"}
    )
    assert void.json()["status"] == "void"
    totals = (await owner_client.get(f"/api/v1/contracts/{contract.id}")).json()["totals"]
    assert (totals["invoiced"], totals["invoice_requested"]) == ("10000.00", "0.00")
    listed = (
        await owner_client.get(f"/api/v1/invoices?contract_id={contract.id}&status=issued")
    ).json()
    assert [i["number"] for i in listed["data"]] == ["04400002"]


async def test_invoices_never_exceed_the_contract(session, tenant, owner_client) -> None:
    contract = await _setup(session, tenant)
    ok = await owner_client.post("/api/v1/invoices", json=_invoice(contract, "113000.00"))
    assert ok.status_code == 201, ok.text
    over = await owner_client.post("/api/v1/invoices", json=_invoice(contract, "0.01"))
    body = assert_problem(over, 409, "invoice_exceeds_contract")
    assert "at most 0.00 can still be invoiced" in body["detail"]


async def test_invoice_validation(session, tenant, owner_client) -> None:
    contract = await _setup(session, tenant)
    no_taxpayer = _invoice(contract, "100.00")
    del no_taxpayer["taxpayer_id"]
    assert_problem(
        await owner_client.post("/api/v1/invoices", json=no_taxpayer), 422, "taxpayer_id_required"
    )
    for extra, field in [
        ({"tax_rate": "1.5"}, "body.tax_rate"),
        ({"tax_rate": "-0.01"}, "body.tax_rate"),
        ({"amount": "-1"}, "body.amount"),
        ({"invoice_type": "vat"}, "body.invoice_type"),
    ]:
        r = await owner_client.post("/api/v1/invoices", json=_invoice(contract, "100.00") | extra)
        body = assert_problem(r, 422, "validation_error")
        assert body["errors"][0]["field"] == field
    r = await owner_client.post(
        "/api/v1/invoices", json=_invoice(contract, "100.00", currency="EUR")
    )
    assert_problem(r, 422, "currency_mismatch")
