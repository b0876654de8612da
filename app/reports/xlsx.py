"""A report as an XLSX workbook: a summary sheet (one row per number) and, for a team, a
members sheet (one row per member). Amounts are numeric cells with two decimals, one row
(or column group) per currency, never added across currencies."""

from __future__ import annotations

import io
from decimal import Decimal

from app.reports import schemas

#: measure → (Chinese, English)
LABELS: dict[str, tuple[str, str]] = {
    "new_customers": ("新增客户", "New customers"),
    "new_leads": ("新增线索", "New leads"),
    "follow_ups": ("跟进记录", "Follow-ups"),
    "visits": ("拜访", "Visits"),
    "deals_created": ("新建商机", "Deals created"),
    "deals_won": ("赢单数", "Deals won"),
    "won_amount": ("赢单金额", "Won amount"),
    "deals_lost": ("输单数", "Deals lost"),
    "lost_amount": ("输单金额", "Lost amount"),
    "payments_received": ("回款", "Payments received"),
    "overdue_receivables": ("逾期应收", "Overdue receivables"),
    "tickets_created": ("新建工单", "Tickets created"),
    "tickets_resolved": ("解决工单", "Tickets resolved"),
}
COUNT_FIELDS = (
    "new_customers",
    "new_leads",
    "follow_ups",
    "visits",
    "deals_created",
    "deals_won",
    "deals_lost",
    "tickets_created",
    "tickets_resolved",
)
MONEY_FIELDS = ("won_amount", "lost_amount", "payments_received", "overdue_receivables")
ORDER = (
    "new_customers",
    "new_leads",
    "follow_ups",
    "visits",
    "deals_created",
    "deals_won",
    "won_amount",
    "deals_lost",
    "lost_amount",
    "payments_received",
    "overdue_receivables",
    "tickets_created",
    "tickets_resolved",
)
TEXT: dict[str, tuple[str, str]] = {
    "summary": ("汇总", "Summary"),
    "members": ("成员", "Members"),
    "report": ("报表", "Report"),
    "subject": ("对象", "Subject"),
    "period": ("周期", "Period"),
    "time_zone": ("时区", "Time zone"),
    "generated_at": ("生成时间", "Generated at"),
    "partial": ("未完结周期", "Period not over"),
    "measure": ("指标", "Measure"),
    "currency": ("币种", "Currency"),
    "value": ("数值", "Value"),
    "count": ("笔数", "Count"),
    "member": ("成员", "Member"),
    "daily": ("日报", "Daily report"),
    "weekly": ("周报", "Weekly report"),
    "monthly": ("月报", "Monthly report"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
}
MONEY_FORMAT = "#,##0.00"


def _t(key: str, lang: schemas.ReportLang) -> str:
    zh, en = TEXT.get(key) or LABELS[key]
    return zh if lang is schemas.ReportLang.zh else en


def _currencies(report: schemas.Report, measure: str) -> list[str]:
    rows = [report.content.totals, *report.content.members]
    return sorted({m.currency for r in rows for m in getattr(r, measure)})


def workbook(report: schemas.Report, lang: schemas.ReportLang) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _t("summary", lang)
    bold = Font(bold=True)
    sheet.append([_t(report.kind.value, lang), report.subject_name])
    sheet.append([_t("period", lang), report.period])
    sheet.append([_t("time_zone", lang), report.time_zone])
    sheet.append([_t("generated_at", lang), report.generated_at.isoformat()])
    sheet.append([_t("partial", lang), _t("yes" if report.partial else "no", lang)])
    sheet.append([])
    sheet.append([_t("measure", lang), _t("currency", lang), _t("value", lang), _t("count", lang)])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    totals = report.content.totals
    for measure in ORDER:
        if measure in COUNT_FIELDS:
            sheet.append([_t(measure, lang), None, getattr(totals, measure), None])
            continue
        amounts = getattr(totals, measure)
        if not amounts:
            sheet.append([_t(measure, lang), None, Decimal("0.00"), 0])
            sheet.cell(sheet.max_row, 3).number_format = MONEY_FORMAT
        for money in amounts:
            sheet.append([_t(measure, lang), money.currency, money.amount, money.count])
            sheet.cell(sheet.max_row, 3).number_format = MONEY_FORMAT
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["C"].width = 18
    if report.content.members:
        members = book.create_sheet(_t("members", lang))
        header: list[str] = [_t("member", lang)]
        columns: list[tuple[str, str | None]] = []
        for measure in ORDER:
            if measure in COUNT_FIELDS:
                header.append(_t(measure, lang))
                columns.append((measure, None))
            else:
                for code in _currencies(report, measure):
                    header.append(f"{_t(measure, lang)} ({code})")
                    columns.append((measure, code))
        members.append(header)
        for cell in members[1]:
            cell.font = bold
        for member in report.content.members:
            row: list[object] = [member.name]
            for measure, wanted in columns:
                if wanted is None:
                    row.append(getattr(member, measure))
                else:
                    found = [m.amount for m in getattr(member, measure) if m.currency == wanted]
                    row.append(found[0] if found else Decimal("0.00"))
            members.append(row)
            for index, (_, wanted) in enumerate(columns, start=2):
                if wanted is not None:
                    members.cell(members.max_row, index).number_format = MONEY_FORMAT
        members.column_dimensions["A"].width = 18
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(report: schemas.Report) -> str:
    return f"report-{report.kind.value}-{report.period}-{report.subject_id.hex[:8]}.xlsx"
