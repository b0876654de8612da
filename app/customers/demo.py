"""Demo customers: Chinese and English companies with contacts, tags, follow-ups and tasks,
spread over the demo reps so every screen has something true to show."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from app.customers.normalize import normalize_company_name, normalize_email, normalize_phones
from app.customers.repository import refresh_search_text
from app.demo import DEMO_BUILDERS, DemoContext
from app.models.customer import (
    Activity,
    Contact,
    Customer,
    CustomFieldDef,
    OwnershipChange,
    Tag,
    Task,
)

COMPANIES = [
    # name, short, industry, province, city, level, status, phone, email domain
    (
        "上海浦江精密机械有限公司",
        "浦江精密",
        "制造业",
        "上海",
        "上海",
        "A",
        "active",
        "021-58231100",
        "pujiang-pm.cn",
    ),
    (
        "杭州云栖数据科技有限公司",
        "云栖数据",
        "软件",
        "浙江",
        "杭州",
        "A",
        "active",
        "0571-86001234",
        "yunqi-data.cn",
    ),
    (
        "苏州工业园区恒信电子股份有限公司",
        "恒信电子",
        "电子",
        "江苏",
        "苏州",
        "B",
        "active",
        "0512-62885500",
        "hengxin-elec.com",
    ),
    (
        "广州天河美妆贸易有限公司",
        "天河美妆",
        "零售",
        "广东",
        "广州",
        "B",
        "potential",
        "020-38886677",
        "tianhe-beauty.cn",
    ),
    (
        "深圳前海跨境物流集团",
        "前海物流",
        "物流",
        "广东",
        "深圳",
        "A",
        "active",
        "0755-26669900",
        "qh-logistics.com",
    ),
    (
        "南京紫金餐饮管理有限公司",
        "紫金餐饮",
        "餐饮",
        "江苏",
        "南京",
        "C",
        "dormant",
        "025-84567788",
        "zijin-food.cn",
    ),
    (
        "成都天府农业发展有限公司",
        "天府农业",
        "农业",
        "四川",
        "成都",
        "C",
        "potential",
        "028-85551234",
        "tianfu-agri.cn",
    ),
    (
        "北京中关村智能硬件有限公司",
        "中关村智能",
        "硬件",
        "北京",
        "北京",
        "B",
        "active",
        "010-62345678",
        "zgc-hw.cn",
    ),
    (
        "武汉光谷生物医药有限公司",
        "光谷生物",
        "医药",
        "湖北",
        "武汉",
        "A",
        "potential",
        "027-87654321",
        "optics-bio.cn",
    ),
    (
        "宁波港口机械设备有限公司",
        "宁波港机",
        "制造业",
        "浙江",
        "宁波",
        "B",
        "lost",
        "0574-87001122",
        "nbport-mach.cn",
    ),
    (
        "Harbor Analytics Ltd.",
        "Harbor",
        "Software",
        "上海",
        "上海",
        "A",
        "active",
        "+44 20 7946 0958",
        "harbor-analytics.co.uk",
    ),
    (
        "Northwind Trading Co.",
        "Northwind",
        "Wholesale",
        "广东",
        "深圳",
        "B",
        "active",
        "+1 415-555-0134",
        "northwind.example",
    ),
    (
        "Bluepeak Outdoor Inc.",
        "Bluepeak",
        "Retail",
        "浙江",
        "杭州",
        "C",
        "potential",
        "+1 206-555-0172",
        "bluepeak.example",
    ),
    (
        "Evergreen Medical GmbH",
        "Evergreen",
        "Medical",
        "江苏",
        "苏州",
        "B",
        "active",
        "+49 30 901820",
        "evergreen-med.example",
    ),
]

PEOPLE = [
    "王强",
    "李娜",
    "刘伟",
    "陈敏",
    "杨洋",
    "赵静",
    "黄磊",
    "周婷",
    "吴刚",
    "徐丽",
    "Oliver Smith",
    "Sophia Brown",
    "Liam Johnson",
    "Mia Davis",
]
TITLES = ["采购经理", "总经理", "IT 主管", "财务总监", "Procurement Lead", "CTO"]
FOLLOW_UPS = [
    ("call", "电话沟通需求，客户关注交付周期和售后响应。"),
    ("visit", "上门拜访，参观了生产线，约定下周提交方案。"),
    ("meeting", "线上会议演示产品，对方技术团队反馈积极。"),
    ("wechat", "微信确认报价单已收到，等待内部审批。"),
    ("email", "Sent the revised quotation and the service-level terms."),
    ("note", "客户预算下季度才能批复，保持月度联系。"),
]


async def build_customers(ctx: DemoContext) -> None:
    rng = random.Random(20261130)  # the same demo every time
    s = ctx.session
    tags = {}
    for name, color in (
        ("重点客户", "red"),
        ("老客户转介绍", "gold"),
        ("展会线索", "blue"),
        ("Key account", "purple"),
    ):
        tag = Tag(workspace_id=ctx.workspace_id, name=name, color=color)
        s.add(tag)
        tags[name] = tag
    s.add(
        CustomFieldDef(
            workspace_id=ctx.workspace_id,
            entity="customer",
            key="employees",
            label_zh="员工规模",
            label_en="Employees",
            type="select",
            options=["1-49", "50-199", "200-999", "1000+"],
            position=1,
        )
    )
    s.add(
        CustomFieldDef(
            workspace_id=ctx.workspace_id,
            entity="customer",
            key="annual_budget",
            label_zh="年度预算",
            label_en="Annual budget",
            type="money",
            position=2,
        )
    )
    await s.flush()
    reps = [
        ctx.users[k]
        for k in ("li.lei", "han.meimei", "chen.jing", "huang.min", "emma.wilson", "wang.fang")
    ]
    now = datetime.now(UTC)
    ids = []
    for i, (name, short, industry, province, city, level, status, phone, domain) in enumerate(
        COMPANIES
    ):
        owner = reps[i % len(reps)]
        created = now - timedelta(days=rng.randint(20, 400))
        last = now - timedelta(days=rng.randint(0, 60)) if status != "potential" or i % 2 else None
        customer = Customer(
            workspace_id=ctx.workspace_id,
            kind="company",
            name=name,
            short_name=short,
            industry=industry,
            source=rng.choice(["展会", "官网", "转介绍", "Website"]),
            level=level,
            status=status,
            province=province,
            city=city,
            address=f"{city}市示例路 {rng.randint(1, 999)} 号",
            phones=[phone],
            email=f"info@{domain}",
            website=f"https://www.{domain}",
            owner_id=owner,
            tag_ids=[tags["重点客户"].id]
            if level == "A"
            else ([tags["展会线索"].id] if i % 3 == 0 else []),
            custom_fields={
                "employees": rng.choice(["50-199", "200-999", "1000+"]),
                "annual_budget": f"{rng.randint(5, 200) * 10000}.00",
            },
            created_by=owner,
            created_at=created,
            last_followed_at=last,
            last_followed_sort=last or datetime(1970, 1, 1, tzinfo=UTC),
            next_follow_up_at=now + timedelta(days=rng.randint(-2, 10)) if last else None,
        )
        customer.phones_normalized = normalize_phones(customer.phones)
        customer.email_normalized = normalize_email(customer.email)
        customer.name_normalized = normalize_company_name(name)
        s.add(customer)
        await s.flush()
        ids.append(customer.id)
        person = PEOPLE[i % len(PEOPLE)]
        s.add(
            Contact(
                workspace_id=ctx.workspace_id,
                customer_id=customer.id,
                name=person,
                title=rng.choice(TITLES),
                phones=[f"139{rng.randint(10000000, 99999999)}"],
                email=f"contact{i}@{domain}",
                is_primary=True,
            )
        )
        await s.execute(
            insert(OwnershipChange).values(
                workspace_id=ctx.workspace_id,
                customer_id=customer.id,
                from_user_id=None,
                to_user_id=owner,
                kind="create",
                actor_id=owner,
                occurred_at=created,
            )
        )
        for k in range(rng.randint(1, 4)):
            kind, content = FOLLOW_UPS[(i + k) % len(FOLLOW_UPS)]
            s.add(
                Activity(
                    workspace_id=ctx.workspace_id,
                    customer_id=customer.id,
                    kind=kind,
                    content=content,
                    author_id=owner,
                    created_by=owner,
                    occurred_at=(last or created) - timedelta(days=7 * k),
                )
            )
        if customer.next_follow_up_at:
            s.add(
                Task(
                    workspace_id=ctx.workspace_id,
                    title=f"跟进 {short}",
                    due_at=customer.next_follow_up_at,
                    assignee_id=owner,
                    customer_id=customer.id,
                    kind="follow_up",
                    created_by=owner,
                )
            )
    await refresh_search_text(s, ids)


DEMO_BUILDERS.append(build_customers)
