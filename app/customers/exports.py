"""`GET /exports/customers`: the list's filters, the caller's scope, streamed as CSV or XLSX."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import literal, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth.dependencies import Ctx, require
from app.core.principal import Principal
from app.core.routing import UnitOfWorkRoute, open_query_prefixes
from app.customers.router import customer_filters
from app.customers.service import CustomerFilters, customer_conditions, scoped_customers
from app.customfields.repository import CustomFieldRepository
from app.db import set_workspace
from app.errors import Forbidden, problem_responses
from app.models.customer import Customer, Tag
from app.models.user import User

router = APIRouter(route_class=UnitOfWorkRoute)
BATCH = 2000

COLUMNS: list[tuple[str, str, str]] = [
    ("id", "ID", "ID"),
    ("name", "名称", "Name"),
    ("short_name", "简称", "Short name"),
    ("kind", "类型", "Kind"),
    ("status", "状态", "Status"),
    ("level", "等级", "Level"),
    ("industry", "行业", "Industry"),
    ("source", "来源", "Source"),
    ("province", "省份", "Province"),
    ("city", "城市", "City"),
    ("district", "区县", "District"),
    ("address", "地址", "Address"),
    ("phones", "电话", "Phones"),
    ("email", "邮箱", "E-mail"),
    ("website", "网站", "Website"),
    ("credit_code", "统一社会信用代码", "Credit code"),
    ("owner", "负责人", "Owner"),
    ("tags", "标签", "Tags"),
    ("last_followed_at", "最近跟进", "Last follow-up"),
    ("next_follow_up_at", "下次跟进", "Next follow-up"),
    ("created_at", "创建时间", "Created"),
]


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


class ExportLang(StrEnum):
    zh = "zh-CN"
    en = "en"


@router.get(
    "/exports/customers",
    tags=["exports"],
    openapi_extra=open_query_prefixes("cf."),
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {
                "text/csv": {},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
            },
            "description": "The file",
        },
        **problem_responses(Forbidden),
    },
)
async def export_customers(
    request: Request,
    format: ExportFormat = Query(ExportFormat.csv, description="csv or xlsx"),
    lang: ExportLang = Query(ExportLang.zh, description="Header language"),
    filters: CustomerFilters = Depends(customer_filters),
    ctx: Ctx = Depends(require("customers")),
) -> StreamingResponse:
    """Customers matching the list's filters, within your scope, custom fields included."""
    # validate filters (400 on bad cf.*) before the stream starts
    await customer_conditions(ctx, filters)
    definitions = list(await CustomFieldRepository.definitions(ctx.session, "customer"))
    header = [(zh if lang is ExportLang.zh else en) for _, zh, en in COLUMNS] + [
        (d.label_zh if lang is ExportLang.zh else d.label_en) for d in definitions
    ]
    keys = [d.key for d in definitions]
    rows = _rows(request.app.state.sessionmaker, ctx.principal, filters, keys)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    if format is ExportFormat.csv:
        return StreamingResponse(
            _csv(header, rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="customers-{stamp}.csv"'},
        )
    return StreamingResponse(
        _xlsx(header, rows),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="customers-{stamp}.xlsx"'},
    )


async def _rows(
    maker: async_sessionmaker[AsyncSession],
    principal: Principal,
    filters: CustomerFilters,
    keys: list[str],
) -> AsyncIterator[list[Any]]:
    """Keyset batches in a read-only transaction of its own (the request's has committed)."""
    async with maker() as session, session.begin():
        await set_workspace(session, principal.workspace_id)
        ctx = Ctx(session, principal)
        conds = await customer_conditions(ctx, filters)
        users: dict[uuid.UUID | None, str] = {
            r.id: r.name for r in await session.execute(select(User.id, User.name))
        }
        tags: dict[uuid.UUID, str] = {
            r.id: r.name for r in await session.execute(select(Tag.id, Tag.name))
        }
        last: tuple[datetime, uuid.UUID] | None = None
        while True:
            stmt = scoped_customers(ctx).where(*conds)
            if last is not None:
                stmt = stmt.where(
                    tuple_(Customer.created_at, Customer.id)
                    > tuple_(literal(last[0]), literal(last[1]))
                )
            batch = (
                (
                    await session.execute(
                        stmt.order_by(Customer.created_at, Customer.id).limit(BATCH)
                    )
                )
                .scalars()
                .all()
            )
            for c in batch:
                yield [
                    str(c.id),
                    c.name,
                    c.short_name,
                    c.kind,
                    c.status,
                    c.level,
                    c.industry,
                    c.source,
                    c.province,
                    c.city,
                    c.district,
                    c.address,
                    " / ".join(c.phones),
                    c.email,
                    c.website,
                    c.credit_code,
                    users.get(c.owner_id, ""),
                    ", ".join(tags.get(t, "") for t in c.tag_ids),
                    _iso(c.last_followed_at),
                    _iso(c.next_follow_up_at),
                    _iso(c.created_at),
                ] + [_cell(c.custom_fields.get(k)) for k in keys]
            if len(batch) < BATCH:
                return
            last = (batch[-1].created_at, batch[-1].id)


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else value


async def _csv(header: list[str], rows: AsyncIterator[list[Any]]) -> AsyncIterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # BOM: Excel opens UTF-8 Chinese correctly
    writer.writerow(header)
    count = 0
    async for row in rows:
        writer.writerow(["" if v is None else v for v in row])
        count += 1
        if count % 500 == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


async def _xlsx(header: list[str], rows: AsyncIterator[list[Any]]) -> AsyncIterator[bytes]:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("customers")
    sheet.append(header)

    def cell(value: Any) -> Any:
        # openpyxl stores text starting with "=" as a formula: a customer named
        # =HYPERLINK(...) would be a live formula in the workbook, not its name
        if isinstance(value, str) and value.startswith("="):
            text = WriteOnlyCell(sheet, value=value)
            text.data_type = "s"
            return text
        return "" if value is None else value

    async for row in rows:
        sheet.append([cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    yield out.getvalue()
