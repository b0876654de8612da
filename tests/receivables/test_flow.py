"""The pipeline-to-cash flow end to end over the API: win a deal, contract it, approve it,
plan three installments, take a partial payment, watch it fall overdue."""

from __future__ import annotations

from datetime import date

from tests.contracts.helpers import at, make_customer


async def test_deal_to_cash(session, tenant, owner_client, clock) -> None:
    customer = await make_customer(session, tenant.id, tenant.owner, "苏州恒信电子")
    await session.commit()
    api = owner_client
    pipeline = await api.post("/api/v1/pipelines", json={"name": "销售流程", "is_default": True})
    assert pipeline.status_code == 201, pipeline.text
    deal = await api.post(
        "/api/v1/opportunities",
        json={"customer_id": str(customer.id), "name": "MES 系统", "amount": "90000.00"},
    )
    assert deal.status_code == 201, deal.text
    won = await api.post(f"/api/v1/opportunities/{deal.json()['id']}/win", json={})
    assert won.status_code == 200, won.text

    contract = await api.post("/api/v1/contracts", json={"opportunity_id": deal.json()["id"]})
    assert contract.status_code == 201, contract.text
    cid = contract.json()["id"]
    assert (contract.json()["amount"], contract.json()["status"]) == ("90000.00", "draft")
    plan = await api.put(
        f"/api/v1/contracts/{cid}/payment-plan",
        json={
            "installments": [
                {"due_date": "2026-03-10", "amount": "30000.00"},
                {"due_date": "2026-04-10", "amount": "30000.00"},
                {"due_date": "2026-05-10", "amount": "30000.00"},
            ]
        },
    )
    assert plan.status_code == 200, plan.text
    assert (await api.post(f"/api/v1/contracts/{cid}/submit", json={})).status_code == 200
    approved = await api.post(f"/api/v1/contracts/{cid}/approve", json={"comment": "OK"})
    assert approved.json()["status"] == "active"

    payment = await api.post(
        "/api/v1/payments",
        json={
            "contract_id": cid,
            "amount": "45000.00",
            "currency": "CNY",
            "method": "bank_transfer",
            "reference": "CMB-20260315",
        },
    )
    assert payment.status_code == 201, payment.text
    installments = (await api.get(f"/api/v1/contracts/{cid}/payment-plan")).json()["installments"]
    assert [(i["paid"], i["outstanding"], i["status"]) for i in installments] == [
        ("30000.00", "0.00", "paid"),
        ("15000.00", "15000.00", "partially_paid"),
        ("0.00", "30000.00", "pending"),
    ]
    totals = (await api.get(f"/api/v1/contracts/{cid}")).json()["totals"]
    assert (totals["received"], totals["outstanding"], totals["overdue"]) == (
        "45000.00",
        "45000.00",
        "0.00",
    )
    aging = (await api.get("/api/v1/receivables/aging")).json()
    assert (aging["data"][0]["current"], aging["data"][0]["days_1_30"]) == ("45000.00", "0.00")

    clock.set(at(date(2026, 4, 11)))
    second = (await api.get(f"/api/v1/receivables/{installments[1]['id']}")).json()
    assert (second["status"], second["days_overdue"], second["outstanding"]) == (
        "overdue",
        1,
        "15000.00",
    )
    aging = (await api.get("/api/v1/receivables/aging")).json()
    row = aging["data"][0]
    assert (row["label"], row["current"], row["days_1_30"]) == (
        customer.name,
        "30000.00",
        "15000.00",
    )
    totals = (await api.get(f"/api/v1/contracts/{cid}")).json()["totals"]
    assert totals["overdue"] == "15000.00"
