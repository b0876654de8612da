"""Demo contracts with payment plans, payments and invoices: drafts waiting, contracts under
review, active ones with paid, partly paid and overdue installments, and expired ones.
Dates are relative to the day the demo is created, so the aging report is always alive."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.contracts.money import ZERO, cents
from app.demo import DEMO_BUILDERS, DemoContext
from app.models.contracts import Contract, ContractCounter
from app.models.customer import Customer
from app.models.pipeline import Opportunity
from app.models.receivables import Installment, Invoice, Payment, PaymentAllocation
from app.receivables.service import tax_included


@dataclass
class Plan:
    title: str
    amount: str
    status: str
    #: (days from today to the due date, share of the amount) per installment
    installments: list[tuple[int, str]]
    #: (days from today it was received, amount, method)
    payments: list[tuple[int, str, str]]
    #: (amount, issued)
    invoices: list[tuple[str, bool]]
    currency: str = "CNY"
    months: int = 12


PLANS = [
    Plan(
        "年度设备维保服务合同",
        "120000.00",
        "active",
        [(-150, "0.3"), (-60, "0.3"), (30, "0.4")],
        [(-148, "36000.00", "bank_transfer"), (-55, "36000.00", "bank_transfer")],
        [("72000.00", True)],
    ),
    Plan(
        "数据中台建设项目",
        "480000.00",
        "active",
        [(-90, "0.5"), (-20, "0.3"), (60, "0.2")],
        [(-85, "240000.00", "bank_transfer"), (-10, "50000.00", "bank_transfer")],
        [("240000.00", True), ("144000.00", False)],
    ),
    Plan(
        "电子元器件年度采购框架协议",
        "256000.00",
        "active",
        [(-120, "0.25"), (-75, "0.25"), (-35, "0.25"), (20, "0.25")],
        [(-118, "64000.00", "bank_transfer")],
        [("64000.00", True)],
    ),
    Plan(
        "跨境物流仓储服务合同",
        "98000.00",
        "active",
        [(-45, "0.5"), (45, "0.5")],
        [(-40, "49000.00", "alipay"), (-5, "20000.00", "alipay")],
        [],
    ),
    Plan(
        "门店装修设计合同",
        "36800.00",
        "active",
        [(-100, "0.5"), (-5, "0.5")],
        [],
        [("18400.00", True)],
    ),
    Plan(
        "Annual SaaS subscription",
        "24000.00",
        "active",
        [(-70, "0.5"), (110, "0.5")],
        [(-68, "12000.00", "bank_transfer")],
        [],
        currency="USD",
    ),
    Plan(
        "智能硬件联合研发协议",
        "150000.00",
        "active",
        [(-200, "0.4"), (-10, "0.6")],
        [(-195, "60000.00", "cheque"), (-3, "40000.00", "bank_transfer")],
        [("60000.00", True)],
    ),
    Plan(
        "食材供应链年度合同",
        "58000.00",
        "active",
        [(-30, "0.5"), (150, "0.5")],
        [(-28, "29000.00", "wechat_pay")],
        [("29000.00", True)],
    ),
    Plan(
        "Warehouse automation pilot",
        "45000.00",
        "active",
        [(-15, "1")],
        [(-12, "45000.00", "bank_transfer")],
        [("45000.00", True)],
        currency="USD",
    ),
    Plan(
        "2025 年度培训服务合同",
        "30000.00",
        "expired",
        [(-330, "0.5"), (-200, "0.5")],
        [(-325, "15000.00", "bank_transfer"), (-190, "15000.00", "bank_transfer")],
        [("30000.00", True)],
        months=-1,
    ),
    Plan(
        "旧版系统运维合同",
        "66000.00",
        "expired",
        [(-300, "0.5"), (-120, "0.5")],
        [(-290, "33000.00", "bank_transfer"), (-100, "20000.00", "cash")],
        [("33000.00", True)],
        months=-1,
    ),
    Plan("农业物联网试点项目", "88000.00", "pending_approval", [(20, "0.5"), (80, "0.5")], [], []),
    Plan(
        "Brand campaign production",
        "18500.00",
        "pending_approval",
        [(30, "1")],
        [],
        [],
        currency="USD",
    ),
    Plan("冷链运输补充协议", "42000.00", "draft", [], [], []),
    Plan("二期扩容项目（草稿）", "210000.00", "draft", [(40, "0.5"), (100, "0.5")], [], []),
]


def _split(amount: Decimal, shares: list[str]) -> list[Decimal]:
    """Installment amounts by share; the last one takes the rounding so they add up."""
    parts = [cents(amount * Decimal(s)) for s in shares[:-1]]
    return [*parts, amount - sum(parts, ZERO)]


async def build_contracts(ctx: DemoContext) -> None:
    s = ctx.session
    rng = random.Random(20261201)
    today = datetime.now(UTC).date()
    customers = list(
        (
            await s.execute(
                select(Customer)
                .where(Customer.owner_id.is_not(None), Customer.deleted_at.is_(None))
                .order_by(Customer.created_at, Customer.id)
            )
        ).scalars()
    )
    if not customers:
        return
    won = list(
        (
            await s.execute(
                select(Opportunity)
                .where(Opportunity.status == "won", Opportunity.deleted_at.is_(None))
                .order_by(Opportunity.created_at, Opportunity.id)
            )
        ).scalars()
    )
    english = [c for c in customers if c.name.isascii()] or customers
    chinese = [c for c in customers if not c.name.isascii()] or customers
    approver = ctx.users.get("wang.fang", ctx.owner_id)
    sequence = 0
    for n, plan in enumerate(PLANS):
        deal = None
        if plan.status == "active":
            deal = next((d for d in won if d.currency == plan.currency and d.amount > 0), None)
            if deal is not None:
                won.remove(deal)
        pool = english if plan.currency != "CNY" else chinese
        customer = next(
            (c for c in customers if deal and c.id == deal.customer_id), pool[n % len(pool)]
        )
        amount = Decimal(deal.amount) if deal else Decimal(plan.amount)
        scale = amount / Decimal(plan.amount)
        first_due = min((d for d, _ in plan.installments), default=0)
        starts = today + timedelta(days=min(first_due, 0) - 20)
        ends = (
            starts + timedelta(days=365)
            if plan.months > 0
            else today - timedelta(days=rng.randint(10, 60))
        )
        sequence += 1
        contract = Contract(
            workspace_id=ctx.workspace_id,
            number=f"HT-{today.year}-{sequence:04d}",
            title=deal.name if deal else plan.title,
            customer_id=customer.id,
            opportunity_id=deal.id if deal else None,
            owner_id=customer.owner_id,
            amount=amount,
            currency=plan.currency,
            signed_on=starts if plan.status in ("active", "expired") else None,
            starts_on=starts,
            ends_on=ends,
            status=plan.status,
            submitted_at=datetime.now(UTC) - timedelta(days=2) if plan.status != "draft" else None,
            submitted_by=customer.owner_id if plan.status != "draft" else None,
            decided_at=datetime.combine(starts, datetime.min.time(), UTC)
            if plan.status in ("active", "expired")
            else None,
            decided_by=approver if plan.status in ("active", "expired") else None,
            decision_comment="同意 / approved" if plan.status in ("active", "expired") else None,
            created_by=customer.owner_id,
        )
        s.add(contract)
        await s.flush()
        installments = await _plan(ctx, contract, plan, today)
        await _payments(ctx, contract, plan, installments, today, scale)
        for amount_text, issued in plan.invoices:
            inv_amount = cents(Decimal(amount_text) * scale)
            rate = Decimal("0.13") if plan.currency == "CNY" else Decimal("0")
            s.add(
                Invoice(
                    workspace_id=ctx.workspace_id,
                    contract_id=contract.id,
                    number=f"0440{rng.randint(1000000, 9999999)}" if issued else None,
                    title=customer.name,
                    taxpayer_id="91310115MA1K4LXX3Q" if plan.currency == "CNY" else None,
                    invoice_type="special" if plan.currency == "CNY" else "other",
                    amount=inv_amount,
                    tax_rate=rate,
                    tax_amount=tax_included(inv_amount, rate),
                    currency=plan.currency,
                    issued_on=today - timedelta(days=rng.randint(1, 30)) if issued else None,
                    status="issued" if issued else "requested",
                )
            )
    s.add(ContractCounter(workspace_id=ctx.workspace_id, year=today.year, value=sequence))
    await s.flush()


async def _plan(ctx: DemoContext, contract: Contract, plan: Plan, today: date) -> list[Installment]:
    shares = [share for _, share in plan.installments]
    rows = []
    for number, ((days, _), part) in enumerate(
        zip(plan.installments, _split(contract.amount, shares) if shares else [], strict=True),
        start=1,
    ):
        inst = Installment(
            workspace_id=ctx.workspace_id,
            contract_id=contract.id,
            number=number,
            due_date=today + timedelta(days=days),
            amount=part,
            allocated_amount=ZERO,
        )
        ctx.session.add(inst)
        rows.append(inst)
    await ctx.session.flush()
    return rows


async def _payments(
    ctx: DemoContext,
    contract: Contract,
    plan: Plan,
    installments: list[Installment],
    today: date,
    scale: Decimal,
) -> None:
    """Payments allocated oldest installment first, as the API would."""
    for days, amount_text, method in plan.payments:
        open_total = sum((i.amount - i.allocated_amount for i in installments), ZERO)
        amount = min(cents(Decimal(amount_text) * scale), open_total)
        if amount <= 0:
            continue
        payment = Payment(
            workspace_id=ctx.workspace_id,
            contract_id=contract.id,
            amount=amount,
            currency=contract.currency,
            received_on=today + timedelta(days=days),
            method=method,
            reference=f"{method.upper()[:4]}-{uuid.uuid4().hex[:8]}",
            overpayment=False,
            allocated_amount=ZERO,
            created_by=contract.owner_id,
        )
        ctx.session.add(payment)
        await ctx.session.flush()
        remaining = amount
        for inst in installments:
            take = min(remaining, inst.amount - inst.allocated_amount)
            if take <= 0:
                continue
            inst.allocated_amount += take
            payment.allocated_amount += take
            remaining -= take
            ctx.session.add(
                PaymentAllocation(
                    workspace_id=ctx.workspace_id,
                    payment_id=payment.id,
                    installment_id=inst.id,
                    amount=take,
                )
            )
            if remaining <= 0:
                break
        await ctx.session.flush()


DEMO_BUILDERS.append(build_contracts)
