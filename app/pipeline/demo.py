"""Demo pipelines: the standard pipeline plus a project-sales one, a product catalogue and
about seventy deals across the stages (some won, some lost, some rotting) on the demo
customers, owned by the reps who own those customers. Creation, win and loss dates spread
over the last five months and expected close dates over the next four, and the deals from
the expo and the website carry those campaigns, so funnel, forecast and campaign ROI have
something to show."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.core.ids import uuid7
from app.demo import DEMO_BUILDERS, DemoContext
from app.models.customer import Contact, Customer
from app.models.lead import Campaign
from app.models.pipeline import (
    LostReason,
    Opportunity,
    OpportunityItem,
    OpportunityStageVisit,
    Pipeline,
    PipelineStage,
    Product,
)
from app.pipeline.service import line_total

PROJECT_STAGES = (
    ("立项评估", "Qualification", 10, "open", 30),
    ("方案设计", "Solution design", 30, "open", 30),
    ("招投标", "Tender", 50, "open", 45),
    ("商务谈判", "Commercial negotiation", 75, "open", 30),
    ("签约", "Signed", 100, "won", None),
    ("未中标", "Not awarded", 0, "lost", None),
)

PRODUCTS = (
    # sku, name, category, unit, list price, currency
    ("RPT-STD", "Rapport 标准版（年）", "软件订阅", "用户/年", "1200.00", "CNY"),
    ("RPT-PRO", "Rapport 专业版（年）", "软件订阅", "用户/年", "2400.00", "CNY"),
    ("RPT-ENT", "Rapport 企业版（年）", "软件订阅", "用户/年", "4800.00", "CNY"),
    ("SVC-IMPL", "实施服务", "服务", "人天", "2500.00", "CNY"),
    ("SVC-TRAIN", "现场培训", "服务", "场", "6000.00", "CNY"),
    ("SVC-DATA", "数据迁移", "服务", "项", "15000.00", "CNY"),
    ("HW-GW100", "智能网关 GW100", "硬件", "台", "3299.00", "CNY"),
    ("HW-SENSOR", "温湿度传感器", "硬件", "个", "268.00", "CNY"),
    ("INT-ERP", "ERP 集成包", "集成", "套", "38000.00", "CNY"),
    ("EN-CLOUD", "Cloud Suite (annual)", "Software", "seat/year", "420.00", "USD"),
    ("EN-SUPPORT", "Premium Support", "Services", "year", "5000.00", "USD"),
    ("EN-ONBOARD", "Onboarding Package", "Services", "package", "2800.00", "USD"),
)

DEALS = 72
#: how far back a closed deal's story is moved (days): wins and losses in several months
CLOSED_AGES = (0, 0, 0, 12, 30, 45, 60, 80, 100, 130)

DEAL_TOPICS = (
    "CRM 年度订阅",
    "销售管理系统升级",
    "数据中台一期",
    "门店数字化改造",
    "ERP 对接项目",
    "客服工单系统",
    "经销商门户",
    "智能仓储试点",
)


async def build_pipeline(ctx: DemoContext) -> None:
    s = ctx.session
    rng = random.Random(20261130)
    now = datetime.now(UTC)
    standard = (await s.execute(select(Pipeline).where(Pipeline.is_default.is_(True)))).scalar_one()
    project = Pipeline(
        workspace_id=ctx.workspace_id,
        name="项目制销售 Project sales",
        description="招投标类的大项目 Tendered projects",
        position=2,
        created_by=ctx.owner_id,
    )
    s.add(project)
    await s.flush()
    for i, (zh, en, probability, kind, rotting) in enumerate(PROJECT_STAGES):
        s.add(
            PipelineStage(
                workspace_id=ctx.workspace_id,
                pipeline_id=project.id,
                name_zh=zh,
                name_en=en,
                position=i,
                probability=probability,
                kind=kind,
                rotting_days=rotting,
            )
        )
    products = [
        Product(
            workspace_id=ctx.workspace_id,
            sku=sku,
            name=name,
            category=category,
            unit=unit,
            list_price=Decimal(price),
            currency=currency,
            active=sku != "HW-SENSOR",
            created_by=ctx.owner_id,
        )
        for sku, name, category, unit, price, currency in PRODUCTS
    ]
    s.add_all(products)
    await s.flush()
    stages = {
        p.id: list(
            (
                await s.execute(
                    select(PipelineStage)
                    .where(PipelineStage.pipeline_id == p.id)
                    .order_by(PipelineStage.position)
                )
            ).scalars()
        )
        for p in (standard, project)
    }
    reasons = list((await s.execute(select(LostReason.id).order_by(LostReason.position))).scalars())
    customers = list(
        (
            await s.execute(
                select(Customer)
                .where(Customer.owner_id.is_not(None), Customer.deleted_at.is_(None))
                .order_by(Customer.created_at, Customer.id)
            )
        ).scalars()
    )
    contacts: dict[uuid.UUID, uuid.UUID] = {}
    for customer_id, contact_id in (
        await s.execute(select(Contact.customer_id, Contact.id).order_by(Contact.created_at))
    ).all():
        contacts.setdefault(customer_id, contact_id)
    campaigns = {
        c.channel: c.id
        for c in (await s.execute(select(Campaign).order_by(Campaign.created_at))).scalars()
    }
    cny = [p for p in products if p.currency == "CNY" and p.active]
    usd = [p for p in products if p.currency == "USD"]
    for n in range(DEALS):
        customer = customers[n % len(customers)]
        pipeline = project if n % 4 == 3 else standard
        pipeline_stages = stages[pipeline.id]
        open_stages = [st for st in pipeline_stages if st.kind == "open"]
        # the outcome mix: most open, some won, some lost
        outcome = "won" if n % 5 == 2 else "lost" if n % 7 == 4 else "open"
        reached = rng.randrange(len(open_stages))
        path = open_stages[: reached + 1]
        if outcome != "open":
            path.append(next(st for st in pipeline_stages if st.kind == outcome))
        english = customer.name.isascii()
        catalogue = usd if english else cny
        currency = "USD" if english else "CNY"
        deal = Opportunity(
            workspace_id=ctx.workspace_id,
            id=uuid7(),
            customer_id=customer.id,
            contact_id=contacts.get(customer.id),
            name=f"{customer.short_name or customer.name} · {DEAL_TOPICS[n % len(DEAL_TOPICS)]}"
            if not english
            else f"{customer.name} · {('Cloud rollout', 'Support renewal', 'Onboarding')[n % 3]}",
            amount=Decimal(0),
            currency=currency,
            pipeline_id=pipeline.id,
            stage_id=path[-1].id,
            status=outcome,
            probability=path[-1].probability,
            owner_id=customer.owner_id,
            source=("展会", "官网表单", "老客户推荐", "电话营销")[n % 4],
            campaign_id=(campaigns.get("展会"), campaigns.get("网站"), None, None)[n % 4],
            created_by=customer.owner_id,
        )
        items = []
        for position, product in enumerate(rng.sample(catalogue, k=min(len(catalogue), 2))):
            quantity = Decimal(rng.choice((1, 2, 5, 10, 20, 50)))
            discount = Decimal(rng.choice((0, 0, 5, 10, 12.5)))
            items.append(
                OpportunityItem(
                    workspace_id=ctx.workspace_id,
                    opportunity_id=deal.id,
                    product_id=product.id,
                    name=product.name,
                    position=position,
                    quantity=quantity,
                    unit=product.unit,
                    unit_price=product.list_price,
                    discount=discount,
                    line_total=line_total(quantity, product.list_price, discount),
                )
            )
        deal.amount = sum((i.line_total for i in items), Decimal(0))
        deal.has_items = True
        # walk the path: each stay a few days; every fifth open deal has sat too long in
        # its stage, the other open deals moved recently
        stays = [timedelta(days=rng.randint(2, 12), hours=rng.randint(0, 23)) for _ in path[:-1]]
        if outcome == "open" and stays and n % 3 == 0:
            stays[0] += timedelta(days=rng.randint(20, 70))  # an older deal, moving again lately
        last_stage = path[-1]
        if outcome == "open" and n % 5 == 0 and last_stage.rotting_days:
            in_last = timedelta(days=last_stage.rotting_days + rng.randint(3, 20))
        elif outcome == "open":
            in_last = timedelta(days=rng.randint(0, 5), hours=rng.randint(1, 23))
        else:
            in_last = timedelta(days=rng.randint(1, 25))
        age = timedelta(days=rng.choice(CLOSED_AGES)) if outcome != "open" else timedelta()
        at = now - age - in_last - sum(stays, timedelta())
        deal.created_at = at
        visits = []
        for index, st in enumerate(path):
            left = at + stays[index] if index < len(stays) else None
            visits.append(
                OpportunityStageVisit(
                    workspace_id=ctx.workspace_id,
                    opportunity_id=deal.id,
                    stage_id=st.id,
                    entered_at=at,
                    left_at=left,
                    moved_by=customer.owner_id,
                )
            )
            if left is not None:
                at = left
        deal.stage_entered_at = at
        deal.expected_close_date = (
            date.today() + timedelta(days=rng.randint(-5, 120)) if outcome == "open" else None
        )
        if outcome == "won":
            deal.won_at = at
        elif outcome == "lost":
            deal.lost_at = at
            deal.lost_reason_id = reasons[n % len(reasons)]
            deal.lost_note = "客户选择了本地供应商" if n % 2 else "预算推迟到明年"
        s.add(deal)
        await s.flush()
        s.add_all([*items, *visits])
    await s.flush()


DEMO_BUILDERS.append(build_pipeline)
