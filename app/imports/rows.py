"""Row validation and the import plan: pure functions over the file and the reference data.

Nothing here touches the database. The service loads what validation needs in a few
set-based queries (users, tags, custom fields, the customers and contacts the file's
identifying values match), `parse_rows` turns each row into typed fields or errors, and
`resolve` applies the duplicate policy and decides what each valid row becomes: a new
customer, an update of an existing one, a contact, or nothing (skipped).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any, Literal

from email_validator import EmailNotValidError, validate_email

from app.core.ids import uuid7
from app.core.principal import Principal
from app.customers.normalize import (
    credit_code_valid,
    normalize_company_name,
    normalize_email,
    normalize_phone,
    normalize_phones,
)
from app.customers.schemas import CustomerKind, CustomerStatus
from app.customfields.service import check_values
from app.imports.fields import ImportEntity
from app.imports.reader import Table
from app.models.customer import Contact, Customer, CustomFieldDef

Policy = Literal["skip", "update", "create"]

#: (file column or None, target field, message)
RowError = tuple[str | None, str, str]

MAX_PHONES = 10
#: separators of list cells (phones, tags, multi-select values)
_SPLIT = re.compile(r"\s*[,，;；、|/]\s*")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_TRUE = {"true", "yes", "y", "1", "是", "对", "√", "✓"}
_FALSE = {"false", "no", "n", "0", "否", "不是", "×", "✗"}

_KINDS = {k.value: k.value for k in CustomerKind} | {
    "公司": "company",
    "企业": "company",
    "单位": "company",
    "个人": "person",
}
_STATUSES = {s.value: s.value for s in CustomerStatus} | {
    "潜在": "potential",
    "潜在客户": "potential",
    "活跃": "active",
    "成交": "active",
    "成交客户": "active",
    "合作中": "active",
    "休眠": "dormant",
    "沉睡": "dormant",
    "流失": "lost",
    "已流失": "lost",
}

#: customer columns an import writes (besides ids, owner and bookkeeping)
CUSTOMER_COLUMNS = (
    "kind",
    "name",
    "short_name",
    "industry",
    "source",
    "level",
    "status",
    "province",
    "city",
    "district",
    "address",
    "phones",
    "email",
    "website",
    "credit_code",
    "tag_ids",
    "external_source",
    "external_id",
)
_CUSTOMER_TEXT = (
    "name",
    "short_name",
    "industry",
    "source",
    "province",
    "city",
    "district",
    "address",
    "website",
    "external_source",
    "external_id",
)
CONTACT_COLUMNS = ("name", "title", "phones", "email", "wechat")


def _limit(model: Any, column: str) -> int:
    return int(model.__table__.c[column].type.length)


_MAX = {name: _limit(Customer, name) for name in _CUSTOMER_TEXT}
_CONTACT_MAX = {name: _limit(Contact, name) for name in ("name", "title", "wechat")}
_PHONE_MAX = 40


@dataclass(frozen=True)
class UserRef:
    id: uuid.UUID
    active: bool


@dataclass
class Reference:
    """What validation reads from the database, loaded once per import."""

    principal: Principal
    may_assign_others: bool
    levels: list[str]
    duplicate_policy: dict[str, str]
    definitions: dict[str, CustomFieldDef]
    users_by_email: dict[str, UserRef]
    users_by_name: dict[str, list[UserRef]]
    user_names: dict[uuid.UUID, str]
    tags_by_name: dict[str, uuid.UUID]


@dataclass(slots=True)
class Draft:
    """One row, parsed: the customer and contact fields it gives, or its errors."""

    row: int
    cells: list[str]
    errors: list[RowError] = field(default_factory=list)
    customer: dict[str, Any] = field(default_factory=dict)
    custom: dict[str, Any] = field(default_factory=dict)
    contact: dict[str, Any] = field(default_factory=dict)
    phones_normalized: list[str] = field(default_factory=list)
    contact_phones_normalized: list[str] = field(default_factory=list)
    name_normalized: str = ""
    #: identifying values, computed once (see `customer_keys`)
    keys: list[Key] | None = None


# --- parsing -----------------------------------------------------------------------------


def split_phones(raw: str) -> list[str]:
    """`138 0013 8000 / 010-1234 5678` → two numbers: separators split, and whitespace splits
    only a part that is not one number as a whole."""
    out: list[str] = []
    for part in _SPLIT.split(raw):
        part = part.strip()
        if not part:
            continue
        if " " in part and normalize_phone(part) is None:
            out += part.split()
        else:
            out.append(part)
    return out


_CN_MOBILE = re.compile(r"1[3-9]\d{9}")


def _phones(raw: str) -> tuple[list[str], list[str]]:
    phones = split_phones(raw)
    if len(phones) > MAX_PHONES:
        raise ValueError(f"at most {MAX_PHONES} phone numbers")
    for phone in phones:
        if len(phone) > _PHONE_MAX or not any(c.isdigit() for c in phone):
            raise ValueError(f"not a phone number: {phone}")
    if all(_CN_MOBILE.fullmatch(p) for p in phones):
        # what normalize_phones() returns for plain mainland mobiles, without the ~50µs
        # a number costs phonenumbers (a 100k-row file would spend seconds here)
        return phones, list(dict.fromkeys("+86" + p for p in phones))
    return phones, normalize_phones(phones)


# RFC 5322 dot-atom: the ASCII local parts email-validator accepts without options
_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")


@lru_cache(maxsize=4096)
def _email_domain(domain: str) -> str | None:
    try:
        return str(validate_email(f"a@{domain}", check_deliverability=False).ascii_domain)
    except EmailNotValidError:
        return None


def _email(raw: str) -> str:
    """The address as email-validator normalises it. Most of its cost is the domain, which
    repeats across a file, so a plain local part is checked here and each domain once."""
    local, at, domain = raw.rpartition("@")
    if at and len(raw) <= 254 and len(local) <= 64 and _LOCAL_PART.fullmatch(local):
        checked = _email_domain(domain)
        if checked is not None and checked == domain.lower():
            return f"{local}@{checked}"
    try:
        return str(validate_email(raw, check_deliverability=False).normalized)
    except EmailNotValidError:
        raise ValueError("not a valid e-mail address") from None


def _text(raw: str, limit: int) -> str:
    if len(raw) > limit:
        raise ValueError(f"at most {limit} characters")
    return raw


def _user(raw: str, ref: Reference, *, active_only: bool) -> uuid.UUID:
    found = ref.users_by_email.get(raw.lower())
    candidates = [found] if found else ref.users_by_name.get(raw, [])
    if active_only:
        candidates = [u for u in candidates if u.active]
    if len(candidates) > 1:
        raise ValueError("several users have this name; use the e-mail address")
    if not candidates:
        raise ValueError("unknown or inactive user" if active_only else "unknown user")
    return candidates[0].id


def _custom_input(raw: str, defn: CustomFieldDef, ref: Reference) -> Any:
    """A cell's text in the form the custom-field validator expects for the type."""
    kind = defn.type
    if kind == "boolean":
        word = raw.lower()
        return True if word in _TRUE else False if word in _FALSE else raw
    if kind == "multi_select":
        return [v for v in _SPLIT.split(raw) if v]
    if kind in ("number", "money"):
        return re.sub(r"[,，\s¥￥$]", "", raw)
    if kind == "date":
        if m := _DATE.match(raw):
            return f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
        return raw[:10] if len(raw) > 10 and raw[10] in "T " else raw
    if kind == "user":
        try:
            return str(_user(raw, ref, active_only=False))
        except ValueError:
            return raw
    return raw


def _field_parsers(ref: Reference) -> dict[str, Callable[[str, Draft], None]]:
    def text(name: str) -> Callable[[str, Draft], None]:
        limit = _MAX[name]

        def parse(raw: str, d: Draft) -> None:
            d.customer[name] = _text(raw, limit)

        return parse

    def name(raw: str, d: Draft) -> None:
        d.customer["name"] = _text(raw, _MAX["name"])
        d.name_normalized = normalize_company_name(raw)

    def contact_text(name: str) -> Callable[[str, Draft], None]:
        limit = _CONTACT_MAX[name]

        def parse(raw: str, d: Draft) -> None:
            d.contact[name] = _text(raw, limit)

        return parse

    def kind(raw: str, d: Draft) -> None:
        value = _KINDS.get(raw.lower())
        if value is None:
            raise ValueError("must be company or person")
        d.customer["kind"] = value

    def status(raw: str, d: Draft) -> None:
        value = _STATUSES.get(raw.lower())
        if value is None:
            raise ValueError(f"must be one of: {', '.join(s.value for s in CustomerStatus)}")
        d.customer["status"] = value

    levels = {level.lower(): level for level in ref.levels}

    def level(raw: str, d: Draft) -> None:
        if not levels:
            d.customer["level"] = _text(raw, _limit(Customer, "level"))
            return
        value = levels.get(raw.lower())
        if value is None:
            raise ValueError(f"must be one of: {', '.join(ref.levels)}")
        d.customer["level"] = value

    def phones(raw: str, d: Draft) -> None:
        d.customer["phones"], d.phones_normalized = _phones(raw)

    def contact_phones(raw: str, d: Draft) -> None:
        d.contact["phones"], d.contact_phones_normalized = _phones(raw)

    def email(raw: str, d: Draft) -> None:
        d.customer["email"] = _email(raw)

    def contact_email(raw: str, d: Draft) -> None:
        d.contact["email"] = _email(raw)

    def credit_code(raw: str, d: Draft) -> None:
        code = raw.upper()
        if not credit_code_valid(code):
            raise ValueError("not a valid unified social credit code (check character)")
        d.customer["credit_code"] = code

    def owner(raw: str, d: Draft) -> None:
        user_id = _user(raw, ref, active_only=True)
        if user_id != ref.principal.user_id and not ref.may_assign_others:
            raise ValueError("you can only import customers you own")
        d.customer["owner_id"] = user_id

    def tags(raw: str, d: Draft) -> None:
        names = [n for n in _SPLIT.split(raw) if n]
        missing = [n for n in names if n not in ref.tags_by_name]
        if missing:
            raise ValueError(f"unknown tag(s): {', '.join(missing)}")
        d.customer["tag_ids"] = list(dict.fromkeys(ref.tags_by_name[n] for n in names))

    parsers: dict[str, Callable[[str, Draft], None]] = {name: text(name) for name in _CUSTOMER_TEXT}
    parsers.update(
        name=name,
        kind=kind,
        status=status,
        level=level,
        phones=phones,
        email=email,
        credit_code=credit_code,
        owner=owner,
        tags=tags,
        contact_name=contact_text("name"),
        contact_title=contact_text("title"),
        contact_wechat=contact_text("wechat"),
        contact_phones=contact_phones,
        contact_email=contact_email,
    )
    return parsers


def parse_rows(
    table: Table, mapping: dict[str, str], entity: ImportEntity, ref: Reference
) -> list[Draft]:
    """Every row, typed and checked on its own (formats, lists, users, tags, custom fields)."""
    parsers = _field_parsers(ref)
    columns = [(table.headers.index(col), col, target) for col, target in mapping.items()]
    column_of = {target: col for col, target in mapping.items()}
    contacts_only = entity is ImportEntity.contacts
    drafts: list[Draft] = []
    for number, cells in table.rows:
        d = Draft(number, cells)
        raw_custom: dict[str, Any] = {}
        for index, column, target in columns:
            raw = cells[index]
            if not raw:
                continue
            if target.startswith("cf."):
                key = target[3:]
                raw_custom[key] = _custom_input(raw, ref.definitions[key], ref)
                continue
            try:
                parsers[target](raw, d)
            except ValueError as exc:
                d.errors.append((column, target, str(exc)))
        if raw_custom:
            d.custom, errors, users = check_values(
                ref.definitions, raw_custom, creating=False, field_prefix="row"
            )
            for error in errors:
                key = error.field.rsplit(".", 1)[-1]
                d.errors.append((column_of.get(f"cf.{key}"), f"cf.{key}", error.message))
            for key, user_id in users.items():
                if user_id not in ref.user_names:
                    d.errors.append((column_of.get(f"cf.{key}"), f"cf.{key}", "unknown user"))
        if contacts_only:
            if "name" not in d.contact:
                d.errors.append((column_of.get("contact_name"), "contact_name", "required"))
            if not (d.customer.get("name") or d.customer.get("external_id")):
                d.errors.append((None, "name", "name or external_id of the customer required"))
        else:
            if "name" not in d.customer:
                d.errors.append((column_of.get("name"), "name", "required"))
            if d.contact and "name" not in d.contact:
                d.errors.append(
                    (
                        column_of.get("contact_name"),
                        "contact_name",
                        "required when other contact columns are filled",
                    )
                )
        drafts.append(d)
    return drafts


# --- keys --------------------------------------------------------------------------------

Key = tuple[str, str]
_SEP = "\x1f"


def external_key(source: str | None, external_id: str) -> str:
    return f"{source or ''}{_SEP}{external_id}"


def customer_keys(d: Draft, duplicate_policy: dict[str, str]) -> list[Key]:
    """Identifying values of a row's customer, strongest first. External ids always
    identify; phone, e-mail, credit code and name only where the workspace's duplicate
    policy for them is not `allow`."""
    if d.keys is None:
        d.keys = _customer_keys(d, duplicate_policy)
    return d.keys


def _customer_keys(d: Draft, duplicate_policy: dict[str, str]) -> list[Key]:
    c = d.customer
    keys: list[Key] = []
    if c.get("external_id"):
        keys.append(("external_id", external_key(c.get("external_source"), c["external_id"])))

    def on(kind: str) -> bool:
        return duplicate_policy.get(kind, "warn") != "allow"

    if on("credit_code") and c.get("credit_code"):
        keys.append(("credit_code", c["credit_code"]))
    if on("email") and c.get("email"):
        keys.append(("email", normalize_email(c["email"]) or ""))
    if on("phone"):
        keys += [("phone", p) for p in d.phones_normalized]
    if on("name") and c.get("name"):
        keys.append(("name", d.name_normalized))
    return keys


def contact_keys(contact: dict[str, Any], phones_normalized: Iterable[str]) -> list[Key]:
    keys: list[Key] = [("phone", p) for p in phones_normalized]
    if contact.get("email"):
        keys.append(("email", contact["email"].lower()))
    if contact.get("name"):
        keys.append(("name", contact["name"].strip().lower()))
    return keys


# --- what the database holds -------------------------------------------------------------


@dataclass
class ExistingCustomer:
    id: uuid.UUID
    name: str
    owner_id: uuid.UUID | None
    writable: bool
    #: the columns an update merges into (loaded for the `update` policy only)
    values: dict[str, Any] | None = None


@dataclass
class ExistingContact:
    id: uuid.UUID
    customer_id: uuid.UUID
    values: dict[str, Any]


@dataclass
class Existing:
    customers: dict[uuid.UUID, ExistingCustomer] = field(default_factory=dict)
    #: identifying key → matching customer ids
    matches: dict[Key, list[uuid.UUID]] = field(default_factory=dict)
    #: contacts-only files: the customers rows refer to, by external key and by exact name
    by_external: dict[str, uuid.UUID] = field(default_factory=dict)
    by_name: dict[str, list[uuid.UUID]] = field(default_factory=dict)
    contacts: dict[uuid.UUID, list[ExistingContact]] = field(default_factory=dict)
    owner_names: dict[uuid.UUID, str] = field(default_factory=dict)


# --- the plan ----------------------------------------------------------------------------


@dataclass(eq=False)
class ContactTarget:
    id: uuid.UUID
    row: int
    fields: dict[str, Any]
    existing: dict[str, Any] | None = None
    #: an existing contact the import changes
    touched: bool = False


@dataclass(eq=False)
class Target:
    """A customer the import creates, updates, skips, or only adds contacts to."""

    kind: Literal["new", "update", "skip", "contacts"]
    id: uuid.UUID
    row: int
    fields: dict[str, Any]
    custom: dict[str, Any]
    existing: ExistingCustomer | None = None
    contacts: list[ContactTarget] = field(default_factory=list)
    contact_index: dict[Key, ContactTarget] = field(default_factory=dict)


@dataclass
class RowReport:
    row: int
    cells: list[str]
    errors: list[RowError]


@dataclass
class Plan:
    targets: list[Target]
    rejected: list[RowReport]
    counts: dict[str, int]


def _describe(existing: ExistingCustomer, owner_names: dict[uuid.UUID, str]) -> str:
    owner = owner_names.get(existing.owner_id) if existing.owner_id else None
    return f"{existing.name} (owner: {owner or 'none'})"


_KEY_LABELS = {
    "external_id": "external id",
    "credit_code": "credit code",
    "email": "e-mail",
    "phone": "phone",
    "name": "name",
}


def resolve(
    drafts: list[Draft],
    entity: ImportEntity,
    policy: Policy,
    ref: Reference,
    existing: Existing,
) -> Plan:
    """Apply the duplicate policy, inside the file and against the database.

    - A row sharing an identifying value with an earlier row of the file is the same
      customer. In a customers file `skip` skips it, `update` merges its fields into the
      earlier row's, and `create` makes another customer (unless the shared value is one
      the workspace refuses to duplicate). A customers_with_contacts file always groups
      such rows (that is how one customer's contacts are listed); with `skip`, later
      rows only fill in what earlier ones left empty.
    - A row matching existing customers: `skip` skips it; `update` changes the one it
      matches with the row's non-empty cells (several different matches, or one you
      cannot change, is a row error); `create` creates it anyway, unless the match is on
      an external id or a value the workspace blocks duplicates of (credit code by
      default).
    - Contacts match the customer's existing and earlier contacts by phone, e-mail or
      name, under the same policy.
    """
    counts = dict.fromkeys(
        (
            "total",
            "valid",
            "invalid",
            "created",
            "updated",
            "unchanged",
            "skipped",
            "contacts_created",
            "contacts_updated",
        ),
        0,
    )
    counts["total"] = len(drafts)
    rejected: list[RowReport] = []
    targets: list[Target] = []
    by_existing: dict[uuid.UUID, Target] = {}
    file_index: dict[Key, Target] = {}
    dup = ref.duplicate_policy

    def reject(d: Draft, column: str | None, target: str, message: str) -> None:
        rejected.append(RowReport(d.row, d.cells, [(column, target, message)]))

    def existing_target(
        kind: Literal["update", "skip", "contacts"], customer: ExistingCustomer, d: Draft
    ) -> Target:
        target = by_existing.get(customer.id)
        if target is None:
            target = Target(kind, customer.id, d.row, {}, {}, existing=customer)
            for contact in existing.contacts.get(customer.id, []):
                ct = ContactTarget(contact.id, d.row, {}, existing=contact.values)
                for key in contact_keys(contact.values, contact.values["phones_normalized"]):
                    target.contact_index.setdefault(key, ct)
            by_existing[customer.id] = target
            targets.append(target)
        return target

    def merge(target: Target, d: Draft) -> None:
        given = _given(d)
        if policy == "skip" and target.kind == "new":
            # rows after the first fill in what it left empty, and overwrite nothing
            if "phones" in target.fields:
                given.pop("phones", None)
                given.pop("phones_normalized", None)
            for name, value in given.items():
                target.fields.setdefault(name, value)
            for name, value in d.custom.items():
                target.custom.setdefault(name, value)
        else:
            target.fields.update(given)
            target.custom.update(d.custom)

    def add_contact(target: Target, d: Draft) -> bool:
        """False when the contact is a duplicate the policy skips."""
        if not d.contact:
            return True
        keys = contact_keys(d.contact, d.contact_phones_normalized)
        found = next((target.contact_index[k] for k in keys if k in target.contact_index), None)
        if found is not None and policy != "create":
            if policy == "skip":
                return False
            found.fields.update(d.contact)
            if "phones" in d.contact:
                found.fields["phones_normalized"] = d.contact_phones_normalized
            found.touched = True
            return True
        fields = dict(d.contact)
        fields["phones_normalized"] = d.contact_phones_normalized
        contact = ContactTarget(uuid7(), d.row, fields)
        target.contacts.append(contact)
        for key in keys:
            target.contact_index.setdefault(key, contact)
        return True

    for d in drafts:
        if d.errors:
            rejected.append(RowReport(d.row, d.cells, d.errors))
            continue
        if entity is ImportEntity.contacts:
            customer = _referenced(d, existing)
            if isinstance(customer, str):
                reject(d, None, "name", customer)
                continue
            if not add_contact(existing_target("contacts", customer, d), d):
                counts["skipped"] += 1
            continue

        keys = customer_keys(d, dup)
        earlier = next((file_index[k] for k in keys if k in file_index), None)
        grouped = entity is ImportEntity.customers_with_contacts or policy != "create"
        if earlier is not None and grouped:
            if earlier.kind == "skip" or (policy == "skip" and entity is ImportEntity.customers):
                counts["skipped"] += 1
                continue
            merge(earlier, d)
            if not add_contact(earlier, d):
                counts["skipped"] += 1
            for key in keys:
                file_index.setdefault(key, earlier)
            continue
        if earlier is not None:  # customers-only file, create policy: a second customer
            clash = next(
                (k for k in keys if k in file_index and _blocks(k[0], dup)),
                None,
            )
            if clash is not None:
                reject(
                    d,
                    None,
                    clash[0],
                    f"same {_KEY_LABELS[clash[0]]} as row {file_index[clash].row}; "
                    "the workspace refuses such duplicates",
                )
                continue

        matched: list[tuple[Key, uuid.UUID]] = [
            (k, cid) for k in keys for cid in existing.matches.get(k, [])
        ]
        if not matched:
            target = _new_target(d, ref)
            if isinstance(target, RowReport):
                rejected.append(target)
                continue
            targets.append(target)
            add_contact(target, d)
            for key in keys:
                file_index.setdefault(key, target)
            continue

        ids = list(dict.fromkeys(cid for _, cid in matched))
        if policy == "skip":
            target = existing_target("skip", existing.customers[ids[0]], d)
            counts["skipped"] += 1
            for key in keys:
                file_index.setdefault(key, target)
            continue
        if policy == "update":
            ext = [cid for k, cid in matched if k[0] == "external_id"]
            chosen = ext[0] if ext else ids[0] if len(ids) == 1 else None
            if chosen is None:
                names = "; ".join(
                    _describe(existing.customers[i], existing.owner_names) for i in ids[:3]
                )
                reject(d, None, "row", f"matches several customers: {names}")
                continue
            customer = existing.customers[chosen]
            if not customer.writable:
                reject(
                    d,
                    None,
                    "row",
                    f"matches {_describe(customer, existing.owner_names)}, which you cannot change",
                )
                continue
            target = existing_target("update", customer, d)
            merge(target, d)
            add_contact(target, d)
            for key in keys:
                file_index.setdefault(key, target)
            continue
        # create anyway, unless the match is one the workspace refuses to duplicate
        blocking = next(((k, cid) for k, cid in matched if _blocks(k[0], dup)), None)
        if blocking is not None:
            (kind, _), cid = blocking
            reject(
                d,
                None,
                kind,
                f"{_KEY_LABELS[kind]} already belongs to "
                f"{_describe(existing.customers[cid], existing.owner_names)}; "
                "the workspace refuses such duplicates",
            )
            continue
        target = _new_target(d, ref)
        if isinstance(target, RowReport):
            rejected.append(target)
            continue
        targets.append(target)
        add_contact(target, d)
        for key in keys:
            file_index.setdefault(key, target)

    counts["invalid"] = len(rejected)
    counts["valid"] = counts["total"] - counts["invalid"]
    for target in targets:
        if target.kind == "new":
            counts["created"] += 1
        elif target.kind == "update":
            changed = customer_changes(target) or new_owner(target)
            counts["updated" if changed else "unchanged"] += 1
        counts["contacts_created"] += len(target.contacts)
        counts["contacts_updated"] += sum(1 for c in _touched(target) if contact_changes(c))
    return Plan(targets, rejected, counts)


def _blocks(kind: str, duplicate_policy: dict[str, str]) -> bool:
    return kind == "external_id" or duplicate_policy.get(kind) == "block"


def _referenced(d: Draft, existing: Existing) -> ExistingCustomer | str:
    """The customer a contacts-only row names, or why none can be used."""
    c = d.customer
    if c.get("external_id"):
        cid = existing.by_external.get(external_key(c.get("external_source"), c["external_id"]))
        if cid is None:
            return "no customer you can change has this external id"
        return existing.customers[cid]
    ids = existing.by_name.get(c["name"], [])
    if not ids:
        return "no customer you can change has exactly this name"
    if len(ids) > 1:
        return "several customers have this name; use the external id"
    return existing.customers[ids[0]]


def _new_target(d: Draft, ref: Reference) -> Target | RowReport:
    custom, errors, _ = check_values(
        ref.definitions, {}, current=d.custom, creating=True, field_prefix="row"
    )
    if errors:
        return RowReport(
            d.row,
            d.cells,
            [(None, f"cf.{e.field.rsplit('.', 1)[-1]}", e.message) for e in errors],
        )
    return Target("new", uuid7(), d.row, _given(d), custom)


def _given(d: Draft) -> dict[str, Any]:
    given = dict(d.customer)
    if "phones" in given:
        given["phones_normalized"] = d.phones_normalized
    if "name" in given:
        given["name_normalized"] = d.name_normalized
    return given


def _touched(target: Target) -> list[ContactTarget]:
    seen: dict[int, ContactTarget] = {}
    for contact in target.contact_index.values():
        if contact.touched and contact.existing is not None:
            seen[id(contact)] = contact
    return list(seen.values())


# --- rows to write -----------------------------------------------------------------------


def new_owner(target: Target) -> uuid.UUID | None:
    """The owner an updated customer moves to, if the row names another one."""
    owner: uuid.UUID | None = target.fields.get("owner_id")
    if target.kind == "update" and target.existing is not None and owner:
        return owner if owner != target.existing.owner_id else None
    return None


def customer_changes(target: Target) -> dict[str, Any]:
    """The changed columns of an updated customer (normalised columns included)."""
    assert target.existing is not None
    assert target.existing.values is not None
    current = target.existing.values
    changes: dict[str, Any] = {}
    for name in CUSTOMER_COLUMNS:
        if name in target.fields and current[name] != target.fields[name]:
            changes[name] = target.fields[name]
    custom = {**current["custom_fields"], **target.custom}
    if custom != current["custom_fields"]:
        changes["custom_fields"] = custom
    return changes


def new_customer_row(target: Target, principal: Principal, now: datetime) -> dict[str, Any]:
    f = target.fields
    row = {name: f.get(name) for name in CUSTOMER_COLUMNS}
    row.update(
        id=target.id,
        workspace_id=principal.workspace_id,
        created_by=principal.user_id,
        kind=f.get("kind", CustomerKind.company.value),
        status=f.get("status", CustomerStatus.potential.value),
        phones=f.get("phones", []),
        tag_ids=f.get("tag_ids", []),
        owner_id=f.get("owner_id", principal.user_id),
        custom_fields=target.custom,
        version=1,
        phones_normalized=f.get("phones_normalized", []),
        email_normalized=normalize_email(f.get("email")),
        name_normalized=f["name_normalized"],
        owned_since=now,
    )
    return row


def updated_customer_row(target: Target) -> dict[str, Any]:
    """Every column an import writes, the current values overlaid with the changes (so one
    executemany statement serves all updated customers)."""
    assert target.existing is not None
    assert target.existing.values is not None
    current = target.existing.values
    row = {name: current[name] for name in CUSTOMER_COLUMNS}
    row["custom_fields"] = current["custom_fields"]
    changes = customer_changes(target)
    row.update(changes)
    row["b_id"] = target.id
    # the normalised columns `app.customers.service` keeps for duplicate detection
    phones = target.fields["phones_normalized"] if "phones" in changes else None
    row["phones_normalized"] = current["phones_normalized"] if phones is None else phones
    row["email_normalized"] = normalize_email(row["email"])
    row["name_normalized"] = normalize_company_name(row["name"])
    return row


def contact_changes(contact: ContactTarget) -> dict[str, Any]:
    assert contact.existing is not None
    return {k: v for k, v in contact.fields.items() if contact.existing.get(k) != v}


def new_contact_row(
    contact: ContactTarget, customer_id: uuid.UUID, principal: Principal
) -> dict[str, Any]:
    f = contact.fields
    return {
        "id": contact.id,
        "workspace_id": principal.workspace_id,
        "created_by": principal.user_id,
        "customer_id": customer_id,
        "name": f["name"],
        "title": f.get("title"),
        "phones": f.get("phones", []),
        "phones_normalized": f.get("phones_normalized", []),
        "email": f.get("email"),
        "wechat": f.get("wechat"),
        "is_primary": False,
        "custom_fields": {},
        "version": 1,
    }


def updated_contact_row(contact: ContactTarget) -> dict[str, Any]:
    assert contact.existing is not None
    row = {name: contact.existing[name] for name in (*CONTACT_COLUMNS, "phones_normalized")}
    row.update(contact_changes(contact))
    row["b_id"] = contact.id
    return row


def touched_contacts(target: Target) -> list[ContactTarget]:
    """Existing contacts of `target` the import changes."""
    return [c for c in _touched(target) if contact_changes(c)]
