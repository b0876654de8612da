"""Demo pools: a default public pool (公海) with customers waiting to be claimed, and a
regional pool for South China."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.customers.normalize import normalize_company_name, normalize_phones
from app.customers.repository import refresh_search_text
from app.demo import DEMO_BUILDERS, DemoContext
from app.models.customer import Customer, OwnershipChange
from app.models.pool import Pool

WAITING = [
    ("厦门鹭岛茶业有限公司", "福建", "厦门", "0592-5201314"),
    ("青岛海风啤酒贸易有限公司", "山东", "青岛", "0532-88886666"),
    ("西安古城文化传媒有限公司", "陕西", "西安", "029-87651234"),
    ("Silverline Robotics Ltd.", "上海", "上海", "+86 21 6888 0001"),
    ("长沙星城教育科技有限公司", "湖南", "长沙", "0731-84445555"),
    ("佛山南海五金制品厂", "广东", "佛山", "0757-86223344"),
]


async def build_pools(ctx: DemoContext) -> None:
    s = ctx.session
    main = Pool(
        workspace_id=ctx.workspace_id,
        name="公海 Public pool",
        is_default=True,
        description="所有销售可领取 / open to every rep",
        rules={
            "holding_cap": 200,
            "daily_claim_limit": 10,
            "cooldown_days": 7,
            "mask_contacts": True,
            "reclaim_days": {"default": 30, "A": 60},
            "warn_days_before": 3,
        },
    )
    south = Pool(
        workspace_id=ctx.workspace_id,
        name="华南公海 South China pool",
        member_team_ids=[ctx.teams["south"]],
        rules={
            "holding_cap": 100,
            "mask_contacts": True,
            "reclaim_days": {"default": 45},
            "warn_days_before": 5,
        },
    )
    s.add_all([main, south])
    await s.flush()
    now = datetime.now(UTC)
    ids = []
    for i, (name, province, city, phone) in enumerate(WAITING):
        pool = south if province == "广东" else main
        previous = ctx.users["li.lei" if i % 2 else "chen.jing"]
        customer = Customer(
            workspace_id=ctx.workspace_id,
            name=name,
            province=province,
            city=city,
            phones=[phone],
            phones_normalized=normalize_phones([phone]),
            owner_id=None,
            pool_id=pool.id,
            status="potential",
            level="B" if i % 3 else "C",
            name_normalized=normalize_company_name(name),
            created_at=now - timedelta(days=120 + i),
            updated_at=now - timedelta(days=i),
        )
        s.add(customer)
        await s.flush()
        ids.append(customer.id)
        s.add(
            OwnershipChange(
                workspace_id=ctx.workspace_id,
                customer_id=customer.id,
                from_user_id=previous,
                to_user_id=None,
                kind="reclaim",
                reason="reclaimed: no follow-up for 34 days (rule: 30)",
                occurred_at=now - timedelta(days=i + 1),
            )
        )
    await refresh_search_text(s, ids)


DEMO_BUILDERS.append(build_pools)
