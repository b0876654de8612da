"""What a file column can be imported into, and the mapping suggested from its header.

Header labels include the ones `GET /exports/customers` writes (zh-CN and en), so an
export re-imports without editing the mapping.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from app.customers.exports import COLUMNS as EXPORT_COLUMNS
from app.errors import FieldError, UnprocessableEntity
from app.models.customer import CustomFieldDef


class ImportEntity(StrEnum):
    customers = "customers"
    contacts = "contacts"
    customers_with_contacts = "customers_with_contacts"


@dataclass(frozen=True)
class TargetField:
    field: str
    label_zh: str
    label_en: str


CUSTOMER_FIELDS: tuple[TargetField, ...] = (
    TargetField("name", "名称", "Name"),
    TargetField("short_name", "简称", "Short name"),
    TargetField("kind", "类型", "Kind"),
    TargetField("status", "状态", "Status"),
    TargetField("level", "等级", "Level"),
    TargetField("industry", "行业", "Industry"),
    TargetField("source", "来源", "Source"),
    TargetField("province", "省份", "Province"),
    TargetField("city", "城市", "City"),
    TargetField("district", "区县", "District"),
    TargetField("address", "地址", "Address"),
    TargetField("phones", "电话", "Phones"),
    TargetField("email", "邮箱", "E-mail"),
    TargetField("website", "网站", "Website"),
    TargetField("credit_code", "统一社会信用代码", "Credit code"),
    TargetField("owner", "负责人", "Owner"),
    TargetField("tags", "标签", "Tags"),
    TargetField("external_source", "外部来源", "External source"),
    TargetField("external_id", "外部编号", "External id"),
)
CONTACT_FIELDS: tuple[TargetField, ...] = (
    TargetField("contact_name", "联系人", "Contact name"),
    TargetField("contact_title", "职务", "Contact title"),
    TargetField("contact_phones", "联系人电话", "Contact phones"),
    TargetField("contact_email", "联系人邮箱", "Contact e-mail"),
    TargetField("contact_wechat", "微信", "Contact WeChat"),
)
#: how a contacts-only file names the customer a contact belongs to
CUSTOMER_REFERENCE = ("name", "external_source", "external_id")

_ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "客户名称",
        "公司名称",
        "企业名称",
        "单位名称",
        "客户",
        "公司",
        "customer",
        "customer name",
        "company",
        "company name",
    ),
    "short_name": ("客户简称",),
    "kind": ("客户类型", "type", "customer type"),
    "status": ("客户状态",),
    "level": ("客户等级", "级别", "客户级别", "tier", "grade"),
    "industry": ("所属行业",),
    "source": ("客户来源", "lead source"),
    "province": ("省", "state"),
    "city": ("市",),
    "district": ("区", "县"),
    "address": ("详细地址", "公司地址", "street"),
    "phones": (
        "手机",
        "手机号",
        "手机号码",
        "联系电话",
        "电话号码",
        "座机",
        "phone",
        "mobile",
        "tel",
        "telephone",
    ),
    "email": ("电子邮箱", "邮件", "email", "mail"),
    "website": ("网址", "官网", "url", "web"),
    "credit_code": ("信用代码", "社会信用代码", "税号", "uscc", "unified social credit code"),
    "owner": ("客户负责人", "销售", "归属人", "sales rep", "account owner"),
    "tags": ("tag",),
    "external_source": ("来源系统",),
    "external_id": ("外部id", "source id"),
    "contact_name": ("联系人姓名", "联系人名称", "contact"),
    "contact_title": ("职位", "联系人职务", "联系人职位", "title", "job title", "position"),
    "contact_phones": ("联系人手机", "联系人手机号", "contact phone", "contact mobile"),
    "contact_email": ("联系人email", "contact email"),
    "contact_wechat": ("微信号", "联系人微信", "wechat", "weixin"),
}
#: in a contacts-only file a bare "phone", "e-mail" or "name" is the contact's
_CONTACTS_ONLY = {"phones": "contact_phones", "email": "contact_email"}


def header_key(label: str) -> str:
    """Comparable form of a header: NFKC, lower case, no spaces, marks or `(必填)` notes."""
    text = unicodedata.normalize("NFKC", label).lower().strip()
    text = re.sub(r"\((必填|选填|required|optional)\)$", "", text)
    return re.sub(r"[\s_\-:*·.]+", "", text)


def _labels() -> dict[str, str]:
    """header key → field, for the customers entity."""
    out: dict[str, str] = {}
    known = {f.field for f in (*CUSTOMER_FIELDS, *CONTACT_FIELDS)}
    for key, zh, en in EXPORT_COLUMNS:
        if key in known:
            out.setdefault(header_key(zh), key)
            out.setdefault(header_key(en), key)
    for target in (*CUSTOMER_FIELDS, *CONTACT_FIELDS):
        for label in (target.field, target.label_zh, target.label_en):
            out.setdefault(header_key(label), target.field)
    for field, aliases in _ALIASES.items():
        for alias in aliases:
            out.setdefault(header_key(alias), field)
    return out


_LABELS = _labels()


def allowed_fields(entity: ImportEntity, custom_keys: Iterable[str]) -> list[str]:
    customer = [f.field for f in CUSTOMER_FIELDS] + [f"cf.{k}" for k in custom_keys]
    contact = [f.field for f in CONTACT_FIELDS]
    if entity is ImportEntity.customers:
        return customer
    if entity is ImportEntity.contacts:
        return [*CUSTOMER_REFERENCE, *contact]
    return customer + contact


def suggest_mapping(
    headers: Iterable[str], entity: ImportEntity, definitions: Iterable[CustomFieldDef]
) -> dict[str, str]:
    """file column → field for the headers we recognise; each field taken once, first wins."""
    labels = dict(_LABELS)
    for d in definitions:
        for label in (d.key, f"cf.{d.key}", d.label_zh, d.label_en):
            labels.setdefault(header_key(label), f"cf.{d.key}")
    if entity is not ImportEntity.customers:
        labels[header_key("姓名")] = "contact_name"
    if entity is ImportEntity.contacts:
        labels = {k: _CONTACTS_ONLY.get(v, v) for k, v in labels.items()}
        labels[header_key("name")] = "contact_name"
    allowed = set(allowed_fields(entity, [d.key for d in definitions]))
    mapping: dict[str, str] = {}
    for header in headers:
        field = labels.get(header_key(header))
        if field in allowed and field not in mapping.values():
            mapping[header] = field
    return mapping


def check_mapping(
    mapping: Mapping[str, str | None],
    headers: list[str],
    entity: ImportEntity,
    custom_keys: Iterable[str],
) -> dict[str, str]:
    """The mapping without ignored columns; 422 `invalid_mapping` naming each problem."""
    allowed = set(allowed_fields(entity, custom_keys))
    errors: list[FieldError] = []
    out: dict[str, str] = {}
    for column, field in mapping.items():
        path = f"body.mapping.{column}"
        if column not in headers:
            errors.append(FieldError(field=path, message="not a column of the file"))
        elif not field:
            continue
        elif field not in allowed:
            errors.append(FieldError(field=path, message=f"cannot import {entity} into {field}"))
        elif field in out.values():
            errors.append(FieldError(field=path, message=f"{field} is mapped twice"))
        else:
            out[column] = field
    mapped = set(out.values())
    if entity is ImportEntity.contacts:
        required = ["contact_name"]
        if not mapped & {"name", "external_id"}:
            errors.append(
                FieldError(
                    field="body.mapping",
                    message="map the customer's name or external_id, so contacts find it",
                )
            )
    else:
        required = ["name"]
    errors += [
        FieldError(field="body.mapping", message=f"no column is mapped to {f}")
        for f in required
        if f not in mapped
    ]
    if errors:
        raise UnprocessableEntity(
            "The column mapping is not usable.", errors=errors, code="invalid_mapping"
        )
    return out
