"""The RFM recompute: one set-based statement scores every buyer of a workspace.

It reads every purchase once (orders and/or payments received, per the settings), groups
them by customer and day, derives first/last purchase, purchases and amount within the
window and the median gap between purchase days, scores R, F and M by the thresholds,
weights them, finds the tier, and then — in the same statement, through data-modifying
CTEs that all see one snapshot — writes only the rows whose values changed, records a
tier-history row for every customer whose tier changed (or who stopped being a buyer) and
deletes the scores of customers with no purchases left. No row goes through Python.

Runs of one workspace are serialised by a transaction-level advisory lock, so the nightly
run and a manual one never interleave their writes.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Integer, String, Uuid, bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.analytics.value.schemas import PurchaseSource, RfmSettingsIn

#: order statuses that are a purchase (pending, cancelled and refunded are not)
PURCHASE_STATUSES = ("paid", "shipped", "completed")

#: every purchase of the workspace as (customer_id, day, amount in the settings' currency);
#: shared with the analytics that read purchases live (Pareto, cohorts)
PURCHASES_SQL = """
    SELECT o.customer_id,
           CAST(o.ordered_at AT TIME ZONE :zone AS date) AS day,
           CASE WHEN o.currency = :currency THEN o.amount ELSE 0 END AS amount
    FROM orders o
    WHERE :use_orders AND o.customer_id IS NOT NULL AND o.deleted_at IS NULL
      AND o.status IN ('paid', 'shipped', 'completed')
    UNION ALL
    SELECT k.customer_id, p.received_on,
           CASE WHEN p.currency = :currency THEN p.amount ELSE 0 END
    FROM payments p
    JOIN contracts k ON k.workspace_id = p.workspace_id AND k.id = p.contract_id
    WHERE :use_payments AND p.deleted_at IS NULL AND p.voided_at IS NULL
      AND k.deleted_at IS NULL
"""

_RECOMPUTE = text(f"""
WITH purchase AS ({PURCHASES_SQL}),
daily AS (
    SELECT customer_id, day, count(*) AS n, sum(amount) AS amount
    FROM purchase
    WHERE day <= :today
    GROUP BY customer_id, day
),
gaps AS (
    SELECT customer_id, day, n, amount,
           day - lag(day) OVER (PARTITION BY customer_id ORDER BY day) AS gap
    FROM daily
),
facts AS (
    SELECT customer_id,
           min(day) AS first_day,
           max(day) AS last_day,
           CAST(count(*) AS integer) AS purchase_days,
           CAST(coalesce(sum(n) FILTER (WHERE day > :today - :window), 0) AS integer)
               AS purchases,
           CAST(coalesce(sum(amount) FILTER (WHERE day > :today - :window), 0)
               AS numeric(18, 2)) AS amount,
           CASE WHEN count(*) >= 3 THEN
               CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS numeric(8, 1))
           END AS median_gap
    FROM gaps
    GROUP BY customer_id
),
scored AS (
    SELECT f.*, c.owner_id,
           CASE WHEN :today - f.last_day <= :r5 THEN 5
                WHEN :today - f.last_day <= :r4 THEN 4
                WHEN :today - f.last_day <= :r3 THEN 3
                WHEN :today - f.last_day <= :r2 THEN 2 ELSE 1 END AS rs,
           CASE WHEN f.purchases >= :f5 THEN 5 WHEN f.purchases >= :f4 THEN 4
                WHEN f.purchases >= :f3 THEN 3 WHEN f.purchases >= :f2 THEN 2 ELSE 1 END AS fs,
           CASE WHEN f.amount >= :m5 THEN 5 WHEN f.amount >= :m4 THEN 4
                WHEN f.amount >= :m3 THEN 3 WHEN f.amount >= :m2 THEN 2 ELSE 1 END AS ms
    FROM facts f
    JOIN customers c ON c.id = f.customer_id AND c.deleted_at IS NULL
),
tiered AS (
    SELECT s.*, s.rs * :wr + s.fs * :wf + s.ms * :wm AS score,
           (SELECT t.key FROM jsonb_to_recordset(CAST(:tiers AS jsonb))
                AS t(key text, min_score int, max_score int)
            WHERE s.rs * :wr + s.fs * :wf + s.ms * :wm BETWEEN t.min_score AND t.max_score
            LIMIT 1) AS tier
    FROM scored s
),
diff AS (
    SELECT t.*, o.tier AS old_tier
    FROM tiered t
    LEFT JOIN customer_rfm o ON o.customer_id = t.customer_id
    WHERE o.customer_id IS NULL
       OR (o.owner_id, o.r, o.f, o.m, o.score, o.tier, o.first_purchase_on,
           o.last_purchase_on, o.purchases, o.amount, o.currency, o.purchase_days,
           o.median_gap_days)
          IS DISTINCT FROM
          (t.owner_id, t.rs, t.fs, t.ms, t.score, t.tier, t.first_day, t.last_day,
           t.purchases, t.amount, :currency, t.purchase_days, t.median_gap)
),
written AS (
    INSERT INTO customer_rfm AS cur (
        workspace_id, customer_id, owner_id, r, f, m, score, tier, tier_since,
        first_purchase_on, last_purchase_on, purchases, amount, currency, purchase_days,
        median_gap_days, updated_at)
    SELECT :ws, customer_id, owner_id, rs, fs, ms, score, tier, :now, first_day, last_day,
           purchases, amount, :currency, purchase_days, median_gap, :now
    FROM diff
    ON CONFLICT (workspace_id, customer_id) DO UPDATE SET
        owner_id = EXCLUDED.owner_id, r = EXCLUDED.r, f = EXCLUDED.f, m = EXCLUDED.m,
        score = EXCLUDED.score,
        tier = EXCLUDED.tier,
        tier_since = CASE WHEN cur.tier = EXCLUDED.tier THEN cur.tier_since
                          ELSE EXCLUDED.tier_since END,
        first_purchase_on = EXCLUDED.first_purchase_on,
        last_purchase_on = EXCLUDED.last_purchase_on,
        purchases = EXCLUDED.purchases, amount = EXCLUDED.amount,
        currency = EXCLUDED.currency, purchase_days = EXCLUDED.purchase_days,
        median_gap_days = EXCLUDED.median_gap_days, updated_at = EXCLUDED.updated_at
    RETURNING 1
),
moved AS (
    INSERT INTO customer_rfm_changes (
        workspace_id, id, customer_id, run_id, from_tier, to_tier, score, r, f, m, changed_at)
    SELECT :ws, gen_random_uuid(), customer_id, :run, old_tier, tier, score, rs, fs, ms, :now
    FROM diff
    WHERE old_tier IS DISTINCT FROM tier
    RETURNING 1
),
gone AS (
    DELETE FROM customer_rfm o
    WHERE NOT EXISTS (SELECT 1 FROM tiered t WHERE t.customer_id = o.customer_id)
    RETURNING o.customer_id, o.tier
),
left_scoring AS (
    INSERT INTO customer_rfm_changes (
        workspace_id, id, customer_id, run_id, from_tier, to_tier, changed_at)
    SELECT :ws, gen_random_uuid(), customer_id, :run, tier, NULL, :now
    FROM gone
    RETURNING 1
)
SELECT (SELECT count(*) FROM tiered) AS customers,
       (SELECT count(*) FROM written) AS changed,
       (SELECT count(*) FROM moved) + (SELECT count(*) FROM left_scoring) AS tier_changes,
       (SELECT count(*) FROM gone) AS removed
""").bindparams(
    bindparam("ws", type_=Uuid()),
    bindparam("run", type_=Uuid()),
    bindparam("today", type_=Date()),
    bindparam("now", type_=DateTime(timezone=True)),
    bindparam("window", type_=Integer()),
    bindparam("currency", type_=String()),
    bindparam("zone", type_=String()),
    bindparam("use_orders", type_=Boolean()),
    bindparam("use_payments", type_=Boolean()),
    bindparam("tiers", type_=String()),
)


@dataclass(frozen=True)
class Outcome:
    customers: int
    changed: int
    tier_changes: int
    removed: int
    duration_ms: int


def purchase_params(s: RfmSettingsIn, zone: str) -> dict[str, object]:
    """Bind parameters of PURCHASES_SQL."""
    return {
        "zone": zone,
        "currency": s.currency,
        "use_orders": PurchaseSource.orders in s.sources,
        "use_payments": PurchaseSource.payments in s.sources,
    }


async def recompute(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    run_id: uuid.UUID | None,
    s: RfmSettingsIn,
    *,
    zone: str,
    today: date,
    now: datetime,
) -> Outcome:
    """Score every buyer of the session's workspace as of `today` (in `zone`); `now` stamps
    the rows written and the tier history. Settings must have passed `scoring.check`."""
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended('rfm:' || CAST(:ws AS text), 0))"),
        {"ws": str(workspace_id)},
    )
    r5, r4, r3, r2 = s.recency_max_days
    f2, f3, f4, f5 = s.frequency_min
    m2, m3, m4, m5 = s.monetary_min
    tiers = [t.model_dump(include={"key", "min_score", "max_score"}) for t in s.tiers]
    # the grouping and the window sort hold every purchase day of the workspace: in memory
    # they take a fraction of the time they take spilled to disk in 4 MB batches
    await session.execute(text("SET LOCAL work_mem = '256MB'"))
    # a run lost in a crash is simply run again: its commit need not wait for the WAL flush
    await session.execute(text("SET LOCAL synchronous_commit = off"))
    started = time.perf_counter()
    row = (
        await session.execute(
            _RECOMPUTE,
            {
                **purchase_params(s, zone),
                "ws": workspace_id,
                "run": run_id,
                "today": today,
                "now": now,
                "window": s.window_days,
                "r5": r5,
                "r4": r4,
                "r3": r3,
                "r2": r2,
                "f2": f2,
                "f3": f3,
                "f4": f4,
                "f5": f5,
                "m2": m2,
                "m3": m3,
                "m4": m4,
                "m5": m5,
                "wr": s.weights.r,
                "wf": s.weights.f,
                "wm": s.weights.m,
                "tiers": json.dumps(tiers),
            },
        )
    ).one()
    elapsed = int((time.perf_counter() - started) * 1000)
    return Outcome(row.customers, row.changed, row.tier_changes, row.removed, elapsed)
