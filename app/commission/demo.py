"""Demo commission plans: the company's standard plan in CNY (less on hardware, more on
services and on VIP customers, with attainment multipliers) and one for the international
team in USD."""

from __future__ import annotations

from decimal import Decimal

from app.demo import DEMO_BUILDERS, DemoContext
from app.models.commission import CommissionPlan


async def build_commission(ctx: DemoContext) -> None:
    author = ctx.users.get("zhang.wei", ctx.owner_id)
    ctx.session.add(
        CommissionPlan(
            workspace_id=ctx.workspace_id,
            name="标准提成方案 Standard commission",
            currency="CNY",
            base_rate=Decimal("3.0000"),
            rules=[
                {"match": "category", "value": "硬件", "rate": "1.5000"},
                {"match": "category", "value": "服务", "rate": "4.0000"},
                {"match": "rfm_tier", "value": "vip", "rate": "5.0000"},
            ],
            attainment_tiers=[
                {"min_attainment": "0.00", "multiplier": "0.8000"},
                {"min_attainment": "80.00", "multiplier": "1.0000"},
                {"min_attainment": "100.00", "multiplier": "1.2000"},
                {"min_attainment": "150.00", "multiplier": "1.5000"},
            ],
            priority=100,
            notes="回款即提成：按回款金额计提，硬件 1.5%，服务 4%，VIP 客户 5%；"
            "完成回款目标 100% 以上 ×1.2，150% 以上 ×1.5。",
            created_by=author,
        )
    )
    if "intl" in ctx.teams:
        ctx.session.add(
            CommissionPlan(
                workspace_id=ctx.workspace_id,
                name="International sales (USD)",
                currency="USD",
                base_rate=Decimal("5.0000"),
                rules=[{"match": "category", "value": "Services", "rate": "6.0000"}],
                attainment_tiers=[
                    {"min_attainment": "0.00", "multiplier": "1.0000"},
                    {"min_attainment": "100.00", "multiplier": "1.2500"},
                ],
                team_id=ctx.teams["intl"],
                priority=10,
                notes="Paid on cash received in USD; 6 % on services.",
                created_by=author,
            )
        )
    await ctx.session.flush()


DEMO_BUILDERS.append(build_commission)
