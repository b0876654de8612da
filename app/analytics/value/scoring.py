"""RFM scoring rules: the default configuration, its checks, and the score of one customer.

The nightly recompute applies exactly these rules in SQL (app.analytics.value.recompute);
this module is what the settings page's live preview and the checks use.

The defaults reproduce the worked example of the source articles: a customer who bought
within the last month (R 5), 4 times (F 4) for 20,000 yuan (M 4), with weights R×4, F×8,
M×8, scores 5·4 + 4·8 + 4·8 = 84, a VIP.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from app.analytics.value.schemas import PurchaseSource, RfmSettingsIn, RfmTierIn, RfmWeightsIn
from app.errors import FieldError, UnprocessableEntity


class InvalidRfmSettings(UnprocessableEntity):
    code = "invalid_rfm_settings"
    title = "Invalid RFM settings"


def default_settings() -> RfmSettingsIn:
    return RfmSettingsIn(
        sources=[PurchaseSource.orders, PurchaseSource.payments],
        window_days=365,
        currency="CNY",
        recency_max_days=[30, 90, 180, 365],
        frequency_min=[2, 3, 4, 6],
        monetary_min=[
            Decimal("1000.00"),
            Decimal("5000.00"),
            Decimal("20000.00"),
            Decimal("50000.00"),
        ],
        weights=RfmWeightsIn(r=4, f=8, m=8),
        tiers=[
            RfmTierIn(key="vip", name_zh="VIP 客户", name_en="VIP", min_score=80, max_score=100),
            RfmTierIn(key="key", name_zh="重点客户", name_en="Key", min_score=65, max_score=79),
            RfmTierIn(
                key="growth", name_zh="成长客户", name_en="Growing", min_score=50, max_score=64
            ),
            RfmTierIn(
                key="regular", name_zh="普通客户", name_en="Regular", min_score=35, max_score=49
            ),
            RfmTierIn(
                key="dormant", name_zh="沉睡客户", name_en="Dormant", min_score=20, max_score=34
            ),
        ],
        churn_gap_factor=Decimal("2.0"),
        churn_no_follow_up_days=60,
    )


def score_range(s: RfmSettingsIn) -> tuple[int, int]:
    """The lowest and highest possible total score (all ones, all fives)."""
    total = s.weights.r + s.weights.f + s.weights.m
    return total, 5 * total


def _increasing(values: Sequence[int | Decimal]) -> bool:
    return all(a < b for a, b in itertools.pairwise(values))


def problems(s: RfmSettingsIn) -> list[FieldError]:
    """What is wrong with a configuration the schema accepted field by field."""
    errors: list[FieldError] = []
    if len(set(s.sources)) != len(s.sources):
        errors.append(FieldError(field="body.sources", message="names a source twice"))
    for name, values in (
        ("recency_max_days", s.recency_max_days),
        ("frequency_min", s.frequency_min),
        ("monetary_min", s.monetary_min),
    ):
        if not _increasing(values):
            errors.append(
                FieldError(field=f"body.{name}", message="thresholds must be strictly increasing")
            )
    low, high = score_range(s)
    keys = [t.key for t in s.tiers]
    for n, tier in enumerate(s.tiers):
        if keys.index(tier.key) != n:
            errors.append(FieldError(field=f"body.tiers.{n}.key", message="duplicate tier key"))
        if tier.min_score > tier.max_score:
            errors.append(FieldError(field=f"body.tiers.{n}.min_score", message="above max_score"))
    if any(e.field.startswith("body.tiers") for e in errors):
        return errors
    ordered = sorted(enumerate(s.tiers), key=lambda item: item[1].min_score)
    for (_, lower), (n, upper) in itertools.pairwise(ordered):
        if upper.min_score <= lower.max_score:
            errors.append(
                FieldError(
                    field=f"body.tiers.{n}.min_score",
                    message=f"overlaps tier {lower.key!r} ({lower.min_score}–{lower.max_score})",
                )
            )
        elif upper.min_score > lower.max_score + 1:
            errors.append(
                FieldError(
                    field=f"body.tiers.{n}.min_score",
                    message=f"leaves scores {lower.max_score + 1}–{upper.min_score - 1} "
                    "without a tier",
                )
            )
    first_n, first = ordered[0]
    last_n, last = ordered[-1]
    if first.min_score > low:
        errors.append(
            FieldError(
                field=f"body.tiers.{first_n}.min_score",
                message=f"scores from {low} need a tier (lowest possible score)",
            )
        )
    if last.max_score < high:
        errors.append(
            FieldError(
                field=f"body.tiers.{last_n}.max_score",
                message=f"scores up to {high} need a tier (highest possible score)",
            )
        )
    return errors


def check(s: RfmSettingsIn) -> RfmSettingsIn:
    """The configuration, tiers best first; 422 `invalid_rfm_settings` with field errors."""
    errors = problems(s)
    if errors:
        raise InvalidRfmSettings("The RFM settings are inconsistent.", errors=errors)
    return s.model_copy(update={"tiers": sorted(s.tiers, key=lambda t: -t.min_score)})


@dataclass(frozen=True)
class Scores:
    r: int
    f: int
    m: int
    score: int
    tier: RfmTierIn


def recency_score(s: RfmSettingsIn, days: int) -> int:
    for score, limit in zip((5, 4, 3, 2), s.recency_max_days, strict=True):
        if days <= limit:
            return score
    return 1


def at_least_score(thresholds: list[int] | list[Decimal], value: int | Decimal) -> int:
    """1 plus the number of thresholds (for scores 2..5) that `value` reaches."""
    return 1 + sum(1 for limit in thresholds if value >= limit)


def tier_of(s: RfmSettingsIn, score: int) -> RfmTierIn:
    for tier in s.tiers:
        if tier.min_score <= score <= tier.max_score:
            return tier
    raise AssertionError(f"no tier for score {score} (settings are checked on save)")


def score_of(s: RfmSettingsIn, recency_days: int, purchases: int, amount: Decimal) -> Scores:
    r = recency_score(s, recency_days)
    f = at_least_score(s.frequency_min, purchases)
    m = at_least_score(s.monetary_min, amount)
    total = r * s.weights.r + f * s.weights.f + m * s.weights.m
    return Scores(r, f, m, total, tier_of(s, total))
