"""Demo leads: two campaigns, a web form, a round-robin rule and leads in every status."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from app.customers.normalize import normalize_phones
from app.demo import DEMO_BUILDERS, DemoContext
from app.models.lead import AssignmentRule, Campaign, Lead, WebForm

LEADS = [
    ("赵先生", "宁波甬江电器有限公司", "浙江", "宁波", "new", "13805740001"),
    ("钱女士", "温州瓯海眼镜厂", "浙江", "温州", "contacted", "13905770002"),
    ("孙经理", "无锡太湖纺织有限公司", "江苏", "无锡", "qualified", "13706180003"),
    ("李工", "合肥科大讯联科技有限公司", "安徽", "合肥", "new", "13605510004"),
    ("周总", "福州闽江建材有限公司", "福建", "福州", "unqualified", "13505910005"),
    ("Chris Taylor", "Redwood Apparel LLC", "上海", "上海", "contacted", "+1 312-555-0199"),
    ("吴小姐", "东莞长安电子厂", "广东", "东莞", "new", "13825590006"),
    ("郑先生", "常州武进机械有限公司", "江苏", "常州", "qualified", "13915190007"),
]


def _note(rule: AssignmentRule, owner: uuid.UUID | None) -> str:
    """What the assignment would have written (see app.leads.assignment)."""
    if owner is None:
        return "no assignment rule matched; waiting in the lead pool"
    if rule.strategy == "least_loaded":
        return f"rule '{rule.name}', least loaded (0 open leads)"
    return f"rule '{rule.name}', round-robin"


async def build_leads(ctx: DemoContext) -> None:
    s = ctx.session
    expo = Campaign(
        workspace_id=ctx.workspace_id,
        name="2026 上海工博会 Industry Expo",
        channel="展会",
        budget=Decimal("80000.00"),
        actual_cost=Decimal("72500.00"),
        start_date=date(2026, 9, 23),
        end_date=date(2026, 9, 27),
        status="completed",
    )
    web = Campaign(
        workspace_id=ctx.workspace_id,
        name="官网询盘 Website inquiries",
        channel="网站",
        budget=Decimal("12000.00"),
        status="active",
    )
    s.add_all([expo, web])
    await s.flush()
    s.add(
        WebForm(
            workspace_id=ctx.workspace_id,
            name="官网联系表单 Contact form",
            token=secrets.token_urlsafe(24),
            source="官网表单",
            campaign_id=web.id,
        )
    )
    east = [ctx.users["li.lei"], ctx.users["han.meimei"], ctx.users["chen.jing"]]
    east_rule = AssignmentRule(
        workspace_id=ctx.workspace_id,
        name="华东官网线索 East China web leads",
        position=1,
        strategy="round_robin",
        user_ids=east,
        conditions={"provinces": ["浙江", "江苏", "上海", "安徽"]},
        state={"last_user_id": str(east[1])},
    )
    s.add(east_rule)
    rest_rule = AssignmentRule(
        workspace_id=ctx.workspace_id,
        name="其他地区 Everything else",
        position=9,
        strategy="least_loaded",
        user_ids=[ctx.users["huang.min"], ctx.users["emma.wilson"]],
        capacity=50,
    )
    s.add(rest_rule)
    await s.flush()
    now = datetime.now(UTC)
    for i, (name, company, province, city, status, phone) in enumerate(LEADS):
        owner = (
            east[i % 3]
            if province in ("浙江", "江苏", "上海", "安徽")
            else (ctx.users["huang.min"] if i % 2 else None)
        )
        s.add(
            Lead(
                workspace_id=ctx.workspace_id,
                name=name,
                company=company,
                province=province,
                city=city,
                status=status,
                phones=[phone],
                phones_normalized=normalize_phones([phone]),
                source="展会" if i % 2 else "官网表单",
                campaign_id=expo.id if i % 2 else web.id,
                owner_id=owner,
                score=40 + 7 * i,
                assigned_rule_id=(east_rule if owner in east else rest_rule).id if owner else None,
                assignment_note=_note(east_rule if owner in east else rest_rule, owner),
                created_at=now - timedelta(days=i * 3),
            )
        )


DEMO_BUILDERS.append(build_leads)
