"""The demo workspace a newcomer sees on the first `make run`.

Each domain adds its own realistic data by appending a builder to `DEMO_BUILDERS`; the
platform contributes the team tree and the reps.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth.repository import login_candidates
from app.auth.secrets import hash_password
from app.models.user import Team, User
from app.workspaces.service import create_workspace

DEMO_EMAIL = "owner@demo.rapport.local"
DEMO_PASSWORD = "rapport-demo"
REP_PASSWORD = "rapport-demo"


@dataclass
class DemoContext:
    session: AsyncSession
    workspace_id: uuid.UUID
    owner_id: uuid.UUID
    teams: dict[str, uuid.UUID] = field(default_factory=dict)
    users: dict[str, uuid.UUID] = field(default_factory=dict)


DemoBuilder = Callable[[DemoContext], Awaitable[None]]
DEMO_BUILDERS: list[DemoBuilder] = []
#: modules whose import appends their builder (each domain's demo.py)
DEMO_MODULES = [
    "app.customers.demo",
    "app.pools.demo",
    "app.leads.demo",
    "app.pipeline.demo",
    "app.contracts.demo",
    "app.orders.demo",
    "app.webhooks.demo",
    "app.tickets.demo",
    # after orders and contracts: scores their purchases (and adds a purchase history)
    "app.analytics.value.demo",
    "app.targets.demo",
    "app.commission.demo",
    # last: the reports sum up what the builders above created
    "app.reports.demo",
]


@dataclass
class DemoResult:
    created: bool
    workspace_id: uuid.UUID | None

    def describe(self) -> str:
        state = "created" if self.created else "already present"
        return (
            f"demo workspace {state}\n  sign in as {DEMO_EMAIL} / {DEMO_PASSWORD}\n"
            f"  (reps: li.lei@demo.rapport.local, emma.wilson@demo.rapport.local, ... / "
            f"{REP_PASSWORD})"
        )


TEAM_TREE = [
    ("hq", "总部 Headquarters", None),
    ("east", "华东销售部 East China Sales", "hq"),
    ("east_sh", "上海一组 Shanghai Team 1", "east"),
    ("south", "华南销售部 South China Sales", "hq"),
    ("intl", "International Sales", "hq"),
    ("service", "客户服务部 Customer Service", "hq"),
]

PEOPLE = [
    ("zhang.wei", "张伟", "admin", "hq"),
    ("wang.fang", "王芳", "manager", "east"),
    ("li.lei", "李雷", "sales", "east_sh"),
    ("han.meimei", "韩梅梅", "sales", "east_sh"),
    ("chen.jing", "陈静", "sales", "east"),
    ("liu.yang", "刘洋", "manager", "south"),
    ("huang.min", "黄敏", "sales", "south"),
    ("james.carter", "James Carter", "manager", "intl"),
    ("emma.wilson", "Emma Wilson", "sales", "intl"),
    ("zhao.li", "赵丽", "service", "service"),
    ("sun.hao", "孙浩", "viewer", "hq"),
]


def _load_builders() -> None:
    import importlib

    for module in DEMO_MODULES:
        importlib.import_module(module)


async def ensure_demo(
    maker: async_sessionmaker[AsyncSession], timezone: str = "Asia/Shanghai"
) -> DemoResult:
    _load_builders()
    async with maker() as session, session.begin():
        if await login_candidates(session, DEMO_EMAIL):
            return DemoResult(False, None)
        created = await create_workspace(
            session,
            name="星辰科技 Stellar Tech (demo)",
            owner_name="周明 Zhou Ming",
            owner_email=DEMO_EMAIL,
            password=DEMO_PASSWORD,
            timezone=timezone,
        )
        ctx = DemoContext(session, created.workspace.id, created.owner.id)
        for key, name, parent in TEAM_TREE:
            team = Team(
                workspace_id=ctx.workspace_id,
                name=name,
                parent_id=ctx.teams[parent] if parent else None,
            )
            session.add(team)
            await session.flush()
            ctx.teams[key] = team.id
        created.owner.team_id = ctx.teams["hq"]
        rep_hash = hash_password(REP_PASSWORD)
        for login, name, role, team_key in PEOPLE:
            user = User(
                workspace_id=ctx.workspace_id,
                email=f"{login}@demo.rapport.local",
                name=name,
                role=role,
                team_id=ctx.teams[team_key],
                password_hash=rep_hash,
                is_active=True,
            )
            session.add(user)
            await session.flush()
            ctx.users[login] = user.id
        for build in DEMO_BUILDERS:
            await build(ctx)
        return DemoResult(True, ctx.workspace_id)
