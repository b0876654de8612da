"""Commission plans and statements (提成).

A rep earns commission on the payments received in a period on the contracts they own
(the same payments as their payments_received target counts), in the currency of the plan
that applies to them: the active plan with the lowest priority whose team subtree holds
them (a plan without a team applies to everyone).

Each payment is split into lines by product category (`apportion`, described in
`schemas.APPORTION_DESCRIPTION`); each line gets the rate of the first rule matching its
category or the customer's current RFM tier, else the base rate; line commission =
base × rate ÷ 100 rounded half-up to the cent. The statement's gross commission is the sum
of the lines; an attainment tier (payments ÷ the rep's payments_received target) multiplies
it, and the result is rounded half-up to the cent.

Plans are settings: everyone with settings access reads them, admins change them.
Statements follow the analytics data scope: reps see their own, managers their subtree.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select

from app.analytics.filters import narrowed
from app.analytics.period import Period
from app.analytics.team import repository as measures
from app.analytics.team.repository import Person
from app.auth.dependencies import Ctx
from app.commission import repository, schemas
from app.commission.repository import PlanRepository
from app.contracts import clock
from app.core.audit import record_mutation, snapshot
from app.core.pagination import ListParams, decode_cursor, encode_cursor
from app.errors import Conflict, FieldError, InvalidCursor, NotFound, UnprocessableEntity
from app.models.commission import CommissionPlan
from app.models.targets import Target
from app.models.user import Team, User
from app.targets.service import target_period

CENT = Decimal("0.01")
#: rates and multipliers are kept with four decimals, as NUMERIC(7,4) keeps the base rate
RATE_PLACES = Decimal("0.0001")
ONE = Decimal("1.0000")
PLAN_FIELDS = (
    "name",
    "currency",
    "base_rate",
    "rules",
    "attainment_tiers",
    "team_id",
    "priority",
    "active",
    "notes",
)
SELLING_ROLES = frozenset({"sales", "manager"})
STATEMENT_SORT = "statements:name"


class PlanNameTaken(Conflict):
    code = "plan_name_taken"
    title = "A commission plan has this name"


class InvalidPlan(UnprocessableEntity):
    code = "invalid_commission_plan"
    title = "Invalid commission plan"


class NoPlan(NotFound):
    code = "no_commission_plan"
    title = "No commission plan applies"


def half_up(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --- the arithmetic ------------------------------------------------------------------------


@dataclass(slots=True)
class _Share:
    category: str | None
    weight: int
    cents: int
    remainder: int

    def order(self) -> tuple[bool, str]:
        return self.category is None, self.category or ""


def apportion(
    amount: Decimal, weights: Sequence[tuple[str | None, int]]
) -> list[tuple[str | None, Decimal]]:
    """Split `amount` by integer `weights` (cents per category) to the cent, exactly.

    Largest remainder: each share is amount × weight ÷ total rounded down to the cent; the
    cents left over go one each to the shares with the largest remainders (ties: larger
    weight, then category name, uncategorised last). Integer arithmetic throughout, so
    the shares always add up to `amount`. No weights: one uncategorised share.
    """
    positive = [(name, w) for name, w in weights if w > 0]
    total = sum(w for _, w in positive)
    if not positive:
        return [(None, amount)]
    cents = int((amount * 100).to_integral_value())
    shares = [_Share(name, w, *divmod(cents * w, total)) for name, w in positive]
    left = cents - sum(s.cents for s in shares)
    for share in sorted(shares, key=lambda s: (-s.remainder, -s.weight, s.order()))[:left]:
        share.cents += 1
    return [
        (s.category, (Decimal(s.cents) / 100).quantize(CENT))
        for s in sorted(shares, key=_Share.order)
    ]


@dataclass(frozen=True, slots=True)
class Rate:
    rate: Decimal
    rule: schemas.LineRule


class RateCard:
    """A plan's rates, looked up per (category, tier) once and remembered: a statement
    applies the same few combinations to thousands of payment shares."""

    def __init__(self, plan: CommissionPlan) -> None:
        self.base = Rate(Decimal(plan.base_rate), schemas.LineRule.base)
        self.rules = [(r["match"], r["value"], Decimal(r["rate"])) for r in plan.rules]
        self.known: dict[tuple[str | None, str | None], Rate] = {}

    def rate(self, category: str | None, tier: str | None) -> Rate:
        """The first matching rule's rate, else the plan's base rate."""
        key = (category, tier)
        found = self.known.get(key)
        if found is None:
            found = self.base
            for match, value, rate in self.rules:
                if match == "category" and category is not None and value == category:
                    found = Rate(rate, schemas.LineRule.category)
                    break
                if match == "rfm_tier" and tier is not None and value == tier:
                    found = Rate(rate, schemas.LineRule.rfm_tier)
                    break
            self.known[key] = found
        return found

    def lines(
        self, amount: Decimal, weights: Sequence[tuple[str | None, int]], tier: str | None
    ) -> list[tuple[str | None, Decimal, Rate, Decimal]]:
        """(category, share, rate, commission) per line of a payment."""
        out = []
        for category, share in apportion(amount, weights):
            rate = self.rate(category, tier)
            out.append((category, share, rate, half_up(share * rate.rate / 100)))
        return out


def multiplier_for(plan: CommissionPlan, attainment: Decimal | None) -> Decimal:
    """The factor of the highest tier at or below `attainment`; 1 when none applies."""
    if attainment is None:
        return ONE
    factor = ONE
    for tier in plan.attainment_tiers:
        if Decimal(tier["min_attainment"]) <= attainment:
            factor = Decimal(tier["multiplier"])
    return factor


# --- plans -------------------------------------------------------------------------------


def _rules_json(rules: Sequence[schemas.CommissionRuleIn]) -> list[dict[str, Any]]:
    seen: dict[tuple[str, str], int] = {}
    for i, rule in enumerate(rules):
        key = (rule.match.value, rule.value)
        if key in seen:
            raise InvalidPlan(
                f"Rule {i + 1} repeats rule {seen[key] + 1} ({rule.match.value} {rule.value!r}); "
                "the later one could never apply.",
                code="duplicate_rule",
                errors=[FieldError(field=f"body.rules.{i}.value", message="duplicate rule")],
            )
        seen[key] = i
    return [
        {"match": r.match.value, "value": r.value, "rate": str(r.rate.quantize(RATE_PLACES))}
        for r in rules
    ]


def _tiers_json(tiers: Sequence[schemas.AttainmentTierIn]) -> list[dict[str, Any]]:
    for i in range(1, len(tiers)):
        if tiers[i].min_attainment <= tiers[i - 1].min_attainment:
            raise InvalidPlan(
                "Attainment tiers must have strictly ascending thresholds (their ranges "
                "would overlap otherwise).",
                code="tiers_not_ascending",
                errors=[
                    FieldError(
                        field=f"body.attainment_tiers.{i}.min_attainment",
                        message=f"must be above {tiers[i - 1].min_attainment}",
                    )
                ],
            )
    return [
        {
            "min_attainment": str(t.min_attainment.quantize(CENT)),
            "multiplier": str(t.multiplier.quantize(RATE_PLACES)),
        }
        for t in tiers
    ]


async def _check_team(ctx: Ctx, team_id: uuid.UUID | None) -> None:
    if team_id is None:
        return
    found = await ctx.session.scalar(
        select(Team.id).where(Team.id == team_id, Team.deleted_at.is_(None))
    )
    if found is None:
        raise InvalidPlan(
            f"No team with id {team_id}.",
            code="invalid_reference",
            errors=[FieldError(field="body.team_id", message="no such team")],
        )


async def _check_name(ctx: Ctx, name: str, exclude: uuid.UUID | None) -> None:
    if await PlanRepository(ctx.session, ctx.principal).name_taken(name, exclude):
        raise PlanNameTaken(
            f"A commission plan is already named {name!r}.",
            errors=[FieldError(field="body.name", message="already in use")],
        )


def shape_plan(plan: CommissionPlan) -> schemas.CommissionPlan:
    return schemas.CommissionPlan(
        id=plan.id,
        name=plan.name,
        currency=plan.currency,
        base_rate=plan.base_rate,
        rules=[schemas.CommissionRule.model_validate(r) for r in plan.rules],
        attainment_tiers=[schemas.AttainmentTier.model_validate(t) for t in plan.attainment_tiers],
        team_id=plan.team_id,
        priority=plan.priority,
        active=plan.active,
        notes=plan.notes,
        created_at=plan.created_at,
        updated_at=plan.updated_at,
        version=plan.version,
    )


async def create_plan(ctx: Ctx, data: schemas.CommissionPlanCreate) -> schemas.CommissionPlan:
    rules = _rules_json(data.rules)
    tiers = _tiers_json(data.attainment_tiers)
    await _check_team(ctx, data.team_id)
    await _check_name(ctx, data.name, None)
    plan = CommissionPlan(
        workspace_id=ctx.principal.workspace_id,
        name=data.name,
        currency=data.currency,
        base_rate=data.base_rate.quantize(RATE_PLACES),
        rules=rules,
        attainment_tiers=tiers,
        team_id=data.team_id,
        priority=data.priority,
        active=data.active,
        notes=data.notes,
        created_by=ctx.principal.user_id,
    )
    ctx.session.add(plan)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="commission_plan",
        action="created",
        entity_id=plan.id,
        sequence=plan.version,
        before=None,
        after=snapshot(plan, PLAN_FIELDS),
    )
    return shape_plan(plan)


async def get_plan(ctx: Ctx, plan_id: uuid.UUID) -> schemas.CommissionPlan:
    return shape_plan(await PlanRepository(ctx.session, ctx.principal).get(plan_id))


async def list_plans(
    ctx: Ctx, params: ListParams, sort: str
) -> tuple[list[schemas.CommissionPlan], str | None, bool]:
    rows, cursor, more = await PlanRepository(ctx.session, ctx.principal).page(params, sort)
    return [shape_plan(p) for p in rows], cursor, more


_NOT_NULL = ("name", "currency", "base_rate", "rules", "attainment_tiers", "priority", "active")


async def update_plan(
    ctx: Ctx, plan_id: uuid.UUID, data: schemas.CommissionPlanUpdate, if_match: int | None
) -> schemas.CommissionPlan:
    plan = await PlanRepository(ctx.session, ctx.principal).get_writable(plan_id, if_match=if_match)
    given = data.model_fields_set
    for name in given & set(_NOT_NULL):
        if getattr(data, name) is None:
            raise InvalidPlan(
                f"{name} cannot be empty.",
                code="validation_error",
                errors=[FieldError(field=f"body.{name}", message="cannot be null")],
            )
    changes: dict[str, Any] = {name: getattr(data, name) for name in given}
    if data.base_rate is not None:
        changes["base_rate"] = data.base_rate.quantize(RATE_PLACES)
    if data.rules is not None:
        changes["rules"] = _rules_json(data.rules)
    if data.attainment_tiers is not None:
        changes["attainment_tiers"] = _tiers_json(data.attainment_tiers)
    if "team_id" in given:
        await _check_team(ctx, data.team_id)
    if data.name is not None:
        await _check_name(ctx, data.name, plan.id)
    before = snapshot(plan, PLAN_FIELDS)
    for name, value in changes.items():
        setattr(plan, name, value)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="commission_plan",
        action="updated",
        entity_id=plan.id,
        sequence=plan.version,
        before=before,
        after=snapshot(plan, PLAN_FIELDS),
    )
    return shape_plan(plan)


async def delete_plan(ctx: Ctx, plan_id: uuid.UUID, if_match: int | None) -> None:
    plan = await PlanRepository(ctx.session, ctx.principal).get_writable(plan_id, if_match=if_match)
    before = snapshot(plan, PLAN_FIELDS)
    plan.deleted_at = clock.utcnow()
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="commission_plan",
        action="deleted",
        entity_id=plan.id,
        sequence=plan.version,
        before=before,
        after=None,
    )


# --- statements --------------------------------------------------------------------------


class PlanFinder:
    """Which plan pays whom: the first active plan (by priority) whose team subtree holds
    the person, or one without a team."""

    def __init__(
        self,
        plans: Sequence[CommissionPlan],
        tree: dict[uuid.UUID, uuid.UUID | None],
    ) -> None:
        self.plans = plans
        self.subtrees = {
            p.team_id: measures.subtree_of(tree, p.team_id) for p in plans if p.team_id is not None
        }

    def for_person(self, person: Person) -> CommissionPlan | None:
        for plan in self.plans:
            if plan.team_id is None or person.team_id in self.subtrees[plan.team_id]:
                return plan
        return None


async def _finder(ctx: Ctx) -> PlanFinder:
    plans = await PlanRepository(ctx.session, ctx.principal).active()
    tree = await measures.team_tree(ctx.session) if any(p.team_id for p in plans) else {}
    return PlanFinder(plans, tree)


async def _targets(
    ctx: Ctx, period_start: Any, period_kind: str, users: set[uuid.UUID]
) -> dict[tuple[uuid.UUID, str], Decimal]:
    """The people's payments_received targets of the period, by (person, currency)."""
    if not users:
        return {}
    rows = await ctx.session.execute(
        select(Target.user_id, Target.currency, Target.target_value).where(
            Target.deleted_at.is_(None),
            Target.subject_kind == "user",
            Target.metric == "payments_received",
            Target.period_start == period_start,
            Target.period_kind == period_kind,
            Target.user_id.in_(users),
        )
    )
    return {(u, c): Decimal(v) for u, c, v in rows.tuples() if u is not None and c is not None}


async def _compute(
    ctx: Ctx,
    period: Period,
    pairs: Sequence[tuple[Person, CommissionPlan]],
) -> dict[uuid.UUID, schemas.CommissionStatement]:
    if not pairs:
        return {}
    plan_of = {person.id: plan for person, plan in pairs}
    cards = {plan.id: RateCard(plan) for plan in plan_of.values()}
    payments = [
        p
        for p in await repository.statement_payments(
            ctx.session, ctx.principal, period, set(plan_of)
        )
        if p.currency == plan_of[p.owner_id].currency
    ]
    weights = await repository.category_weights(
        ctx.session, {p.opportunity_id for p in payments if p.opportunity_id}
    )
    targets = await _targets(ctx, period.start, period.kind.value, set(plan_of))
    base: dict[uuid.UUID, Decimal] = dict.fromkeys(plan_of, Decimal("0.00"))
    gross: dict[uuid.UUID, Decimal] = dict.fromkeys(plan_of, Decimal("0.00"))
    count: dict[uuid.UUID, int] = dict.fromkeys(plan_of, 0)
    for p in payments:
        card = cards[plan_of[p.owner_id].id]
        deal_weights = weights.get(p.opportunity_id, []) if p.opportunity_id else []
        base[p.owner_id] += p.amount
        gross[p.owner_id] += sum(
            (line[3] for line in card.lines(p.amount, deal_weights, p.tier)), Decimal("0.00")
        )
        count[p.owner_id] += 1
    out = {}
    for person, plan in pairs:
        target = targets.get((person.id, plan.currency))
        attainment = half_up(base[person.id] * 100 / target) if target else None
        factor = multiplier_for(plan, attainment)
        out[person.id] = schemas.CommissionStatement(
            user_id=person.id,
            user_name=person.name,
            team_id=person.team_id,
            team_name=person.team_name,
            period=period.label,
            plan_id=plan.id,
            plan_name=plan.name,
            currency=plan.currency,
            payments=count[person.id],
            payments_base=base[person.id],
            gross_commission=gross[person.id],
            target=target,
            attainment_percent=attainment,
            multiplier=factor,
            commission=half_up(gross[person.id] * factor),
        )
    return out


async def list_statements(
    ctx: Ctx,
    period_text: str,
    limit: int,
    cursor: str | None,
    *,
    team_id: uuid.UUID | None,
) -> tuple[list[schemas.CommissionStatement], str | None, bool]:
    """One statement per person in scope who sells (sales and managers, active) or owns a
    contract paid in the period, and to whom a plan applies; by name."""
    period = target_period(period_text, "query.period")
    people = await measures.people(
        ctx.session, ctx.principal, narrowed(User.id, team_id=team_id, owner_id=None)
    )
    payers = await repository.payers_in(ctx.session, ctx.principal, period)
    finder = await _finder(ctx)
    pairs = []
    for person in sorted(people.values(), key=lambda p: (p.name, str(p.id))):
        if not (person.id in payers or (person.current and person.role in SELLING_ROLES)):
            continue
        plan = finder.for_person(person)
        if plan is not None:
            pairs.append((person, plan))
    if cursor:
        name, last = decode_cursor(cursor, STATEMENT_SORT)
        if not isinstance(name, str):
            raise InvalidCursor("The cursor is malformed; start again without one.")
        pairs = [(p, plan) for p, plan in pairs if (p.name, str(p.id)) > (name, str(last))]
    page, more = pairs[:limit], len(pairs) > limit
    statements = await _compute(ctx, period, page)
    next_cursor = encode_cursor(STATEMENT_SORT, page[-1][0].name, page[-1][0].id) if more else None
    return [statements[p.id] for p, _ in page], next_cursor, more


async def _person_and_plan(ctx: Ctx, user_id: uuid.UUID) -> tuple[Person, CommissionPlan]:
    people = await measures.people(ctx.session, ctx.principal, ids={user_id})
    person = people.get(user_id)
    if person is None:
        raise NotFound(f"No user with id {user_id} in your scope.")
    plan = (await _finder(ctx)).for_person(person)
    if plan is None:
        raise NoPlan(f"No active commission plan applies to {person.name}.")
    return person, plan


async def get_statement(
    ctx: Ctx, user_id: uuid.UUID, period_text: str
) -> schemas.CommissionStatement:
    period = target_period(period_text, "query.period")
    person, plan = await _person_and_plan(ctx, user_id)
    return (await _compute(ctx, period, [(person, plan)]))[person.id]


async def statement_payments(
    ctx: Ctx, user_id: uuid.UUID, period_text: str, params: ListParams
) -> tuple[list[schemas.CommissionPayment], str | None, bool]:
    """A rep's commissioned payments, oldest first, each with its lines."""
    period = target_period(period_text, "query.period")
    person, plan = await _person_and_plan(ctx, user_id)
    rows, cursor, more = await repository.payment_page(
        ctx.session, ctx.principal, period, person.id, plan.currency, params
    )
    weights = await repository.category_weights(
        ctx.session, {p.opportunity_id for p in rows if p.opportunity_id}
    )
    tiers = await repository.tiers_of(ctx.session, {p.customer_id for p in rows})
    numbers = await repository.installment_numbers(ctx.session, [p.id for p in rows])
    card = RateCard(plan)
    out = []
    for p in rows:
        tier = tiers.get(p.customer_id)
        lines = [
            schemas.CommissionLine(
                category=category, base=share, rate=rate.rate, rule=rate.rule, commission=amount
            )
            for category, share, rate, amount in card.lines(
                p.amount, weights.get(p.opportunity_id, []) if p.opportunity_id else [], tier
            )
        ]
        out.append(
            schemas.CommissionPayment(
                payment_id=p.id,
                received_on=p.received_on,
                amount=p.amount,
                currency=p.currency,
                contract_id=p.contract_id,
                contract_number=p.contract_number,
                customer_id=p.customer_id,
                customer_name=p.customer_name,
                tier=tier,
                installments=numbers.get(p.id, []),
                lines=lines,
                commission=sum((line.commission for line in lines), Decimal("0.00")),
            )
        )
    return out, cursor, more
