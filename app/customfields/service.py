"""Definitions, and the one validator every write path (API, import, batch) calls."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.dependencies import Ctx
from app.core.audit import record_mutation, snapshot
from app.core.pagination import ListParams
from app.core.principal import Principal
from app.customfields import schemas
from app.customfields.repository import CustomFieldRepository
from app.errors import Conflict, FieldError, UnprocessableEntity
from app.models.customer import CustomFieldDef
from app.models.user import User

MONEY_LIMIT = Decimal(10) ** 16  # NUMERIC(18,2)
NUMBER_LIMIT = Decimal(10) ** 15  # exact in a JSON double

FIELDS = (
    "entity",
    "key",
    "label_zh",
    "label_en",
    "type",
    "options",
    "required",
    "default",
    "position",
)


def _coerce(defn: CustomFieldDef, value: Any) -> Any:
    """The stored JSON form of `value` for this definition; ValueError when it doesn't fit."""
    kind = defn.type
    if value is None:
        return None
    if kind in ("text", "long_text"):
        if not isinstance(value, str):
            raise ValueError("must be text")
        limit = 200 if kind == "text" else 10_000
        if len(value) > limit:
            raise ValueError(f"at most {limit} characters")
        return value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError("must be a number")
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise ValueError("must be a number") from None
        if not number.is_finite() or abs(number) >= NUMBER_LIMIT:
            raise ValueError("must be a finite number below 10^15")
        return float(number) if number != number.to_integral_value() else int(number)
    if kind == "money":
        try:
            amount = Decimal(str(value)) if not isinstance(value, bool) else None
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or abs(amount) >= MONEY_LIMIT:
            raise ValueError('must be a decimal amount such as "1000.00" (below 10^16)')
        return str(amount.quantize(Decimal("0.01")))
    if kind == "date":
        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise ValueError("must be a date (YYYY-MM-DD)") from None
    if kind == "boolean":
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value
    if kind == "select":
        if value not in defn.options:
            raise ValueError(f"must be one of: {', '.join(defn.options)}")
        return value
    if kind == "multi_select":
        if not isinstance(value, list) or any(v not in defn.options for v in value):
            raise ValueError(f"must be a list of: {', '.join(defn.options)}")
        return sorted(set(value), key=defn.options.index)
    if kind == "user":
        try:
            return str(uuid.UUID(str(value)))
        except ValueError:
            raise ValueError("must be a user id") from None
    raise ValueError("unsupported field type")


def check_values(
    definitions: Mapping[str, CustomFieldDef],
    values: Mapping[str, Any],
    *,
    current: Mapping[str, Any] | None = None,
    creating: bool,
    field_prefix: str = "body",
) -> tuple[dict[str, Any], list[FieldError], dict[str, uuid.UUID]]:
    """The pure part of `validate_values`, for callers that validate many rows at once.

    Returns the coerced values merged over `current` (defaults applied on create), the
    field errors, and the `user` field values still to be checked against the users table
    (key → user id) — an import checks those of all its rows in one query.
    """
    result = dict(current or {})
    errors: list[FieldError] = []
    for key, raw in values.items():
        path = f"{field_prefix}.custom_fields.{key}"
        defn = definitions.get(key)
        if defn is None:
            errors.append(FieldError(field=path, message="unknown custom field"))
            continue
        try:
            coerced = _coerce(defn, raw)
        except ValueError as exc:
            errors.append(FieldError(field=path, message=str(exc)))
            continue
        if coerced is None:
            result.pop(key, None)
        else:
            result[key] = coerced
    user_refs = {
        k: uuid.UUID(v)
        for k, v in result.items()
        if k in definitions and definitions[k].type == "user" and k in values
    }
    if creating:
        for key, defn in definitions.items():
            if key not in result and defn.default is not None:
                result[key] = defn.default
            if defn.required and result.get(key) in (None, "", []):
                errors.append(
                    FieldError(field=f"{field_prefix}.custom_fields.{key}", message="required")
                )
    return result, errors, user_refs


async def validate_values(
    session: AsyncSession,
    entity: str,
    values: dict[str, Any] | None,
    *,
    current: dict[str, Any] | None = None,
    creating: bool,
    field_prefix: str = "body",
) -> dict[str, Any]:
    """Validated, normalised custom field values merged over `current`.

    Unknown keys, wrong types, missing required values (on create) → 422 with one field
    error per problem (`body.custom_fields.<key>`). Defaults apply on create.
    """
    definitions = {d.key: d for d in await CustomFieldRepository.definitions(session, entity)}
    result, errors, user_refs = check_values(
        definitions, values or {}, current=current, creating=creating, field_prefix=field_prefix
    )
    if user_refs:
        known = set(
            (
                await session.execute(select(User.id).where(User.id.in_(user_refs.values())))
            ).scalars()
        )
        for key, user_id in user_refs.items():
            if user_id not in known:
                errors.append(
                    FieldError(field=f"{field_prefix}.custom_fields.{key}", message="unknown user")
                )
    if errors:
        raise UnprocessableEntity(
            "Some custom fields are invalid.", errors=errors, code="invalid_custom_fields"
        )
    return result


async def filter_conditions(
    session: AsyncSession, entity: str, column: Any, raw_filters: dict[str, str]
) -> list[ColumnElement[bool]]:
    """`cf.<key>=value` query parameters → JSONB containment conditions (GIN-indexed)."""
    definitions = {d.key: d for d in await CustomFieldRepository.definitions(session, entity)}
    conditions: list[ColumnElement[bool]] = []
    errors: list[FieldError] = []
    for key, raw in raw_filters.items():
        defn = definitions.get(key)
        if defn is None:
            errors.append(FieldError(field=f"query.cf.{key}", message="unknown custom field"))
            continue
        try:
            if defn.type == "boolean":
                value: Any = {"true": True, "false": False}[raw.lower()]
            elif defn.type == "multi_select":
                value = [raw]
            elif defn.type == "number":
                value = _coerce(defn, raw)
            else:
                value = _coerce(defn, raw)
        except (ValueError, KeyError):
            errors.append(FieldError(field=f"query.cf.{key}", message="invalid value"))
            continue
        conditions.append(column.contains({key: value}))
    if errors:
        from app.errors import BadRequest

        raise BadRequest(
            "Invalid custom field filter.", errors=errors, code="invalid_custom_field_filter"
        )
    return conditions


async def list_definitions(
    ctx: Ctx, params: ListParams, sort: str, entity: str | None
) -> tuple[Sequence[CustomFieldDef], str | None, bool]:
    filters = [CustomFieldDef.entity == entity] if entity else []
    return await CustomFieldRepository(ctx.session, ctx.principal).page(params, sort, *filters)


def _check_options(kind: str, options: list[str], default: Any) -> None:
    if kind in ("select", "multi_select") and not options:
        raise UnprocessableEntity(
            "Choice fields need options.",
            code="options_required",
            errors=[FieldError(field="body.options", message="at least one option")],
        )
    if len(set(options)) != len(options):
        raise UnprocessableEntity(
            "Options must be unique.",
            code="duplicate_options",
            errors=[FieldError(field="body.options", message="duplicate option")],
        )


async def create_definition(ctx: Ctx, data: schemas.CustomFieldCreate) -> CustomFieldDef:
    _require_admin(ctx.principal)
    _check_options(data.type.value, data.options, data.default)
    taken = await ctx.session.scalar(
        select(
            exists().where(
                CustomFieldDef.entity == data.entity.value,
                CustomFieldDef.key == data.key,
                CustomFieldDef.deleted_at.is_(None),
            )
        )
    )
    if taken:
        raise Conflict(
            "A custom field with this key exists for this entity.",
            code="custom_field_exists",
            errors=[FieldError(field="body.key", message="already in use")],
        )
    defn = CustomFieldDef(
        workspace_id=ctx.principal.workspace_id,
        entity=data.entity.value,
        key=data.key,
        label_zh=data.label_zh,
        label_en=data.label_en,
        type=data.type.value,
        options=data.options,
        required=data.required,
        default=None,
        position=data.position,
    )
    if data.default is not None:
        try:
            defn.default = _coerce(defn, data.default)
        except ValueError as exc:
            raise UnprocessableEntity(
                "The default does not fit the type.",
                code="invalid_default",
                errors=[FieldError(field="body.default", message=str(exc))],
            ) from None
    ctx.session.add(defn)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="custom_field",
        action="created",
        entity_id=defn.id,
        sequence=defn.version,
        before=None,
        after=snapshot(defn, FIELDS),
    )
    return defn


async def update_definition(
    ctx: Ctx, field_id: uuid.UUID, data: schemas.CustomFieldUpdate, if_match: int | None
) -> CustomFieldDef:
    _require_admin(ctx.principal)
    defn = await CustomFieldRepository(ctx.session, ctx.principal).get_writable(
        field_id, if_match=if_match
    )
    before = snapshot(defn, FIELDS)
    for name in ("label_zh", "label_en", "options", "required", "position"):
        if name in data.model_fields_set and getattr(data, name) is not None:
            setattr(defn, name, getattr(data, name))
    _check_options(defn.type, defn.options, None)
    if "default" in data.model_fields_set:
        try:
            defn.default = _coerce(defn, data.default)
        except ValueError as exc:
            raise UnprocessableEntity(
                "The default does not fit the type.",
                code="invalid_default",
                errors=[FieldError(field="body.default", message=str(exc))],
            ) from None
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="custom_field",
        action="updated",
        entity_id=defn.id,
        sequence=defn.version,
        before=before,
        after=snapshot(defn, FIELDS),
    )
    return defn


async def delete_definition(ctx: Ctx, field_id: uuid.UUID) -> None:
    """Retires a definition; stored values stay in the rows (nothing is lost)."""
    _require_admin(ctx.principal)
    defn = await CustomFieldRepository(ctx.session, ctx.principal).get_writable(field_id)
    from datetime import UTC, datetime

    before = snapshot(defn, FIELDS)
    defn.deleted_at = datetime.now(UTC)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="custom_field",
        action="deleted",
        entity_id=defn.id,
        sequence=defn.version,
        before=before,
        after=None,
    )


def _require_admin(principal: Principal) -> None:
    from app.errors import Forbidden

    if not principal.is_admin:
        raise Forbidden("Only owners and admins manage custom fields.")
