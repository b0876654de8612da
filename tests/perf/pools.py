"""Public pools (公海) in the benchmark data set, and what the benchmark does with them.

The seed step (`add_pools`, run by the seed for new data sets and by `ensure_pools` as an
idempotent top-up on a data set seeded before pools existed) creates three pools:

- 华东公海 and 华南公海, member team 华东大区 / 华南大区 (with their sub-teams): reclaim after
  30 days without follow-up (level A: 60), warn 3 days before, contacts masked, 7-day
  cool-down, a holding cap and daily limit generous enough for the benchmark rep;
- 全国公海, open to every team, the default pool: same caps, no automatic reclaim.

and, with set-based SQL as the database owner:

- every customer without an owner gets the pool of its city's region (the seed leaves 3 %
  unowned), and owned customers picked by md5(id) are released into it (owner_id NULL,
  pool_id set, a `release` ledger row by their owner) until POOL_SHARE of the customers are
  in a pool (50k at L);
- HOME_SHARE of the customers (owned ones in 华东/华南, picked by md5(id)) get the regional
  pool as their home pool, as customers once claimed from it keep it.

Why the default pool does not reclaim: with a default pool, every owned customer without a
home pool is under its rules, and the seeded follow-ups (three years of history, up to the
anchor day) leave ~70 % of the owned customers idle for more than 30 days: the job would
reclaim ~700k customers at L, a state no workspace that runs the job every 30 minutes gets
into. Reclaim by the regional pools only makes ~74 % of the home-pool customers due at the
anchor day: ~50k at L, a realistic backlog (the rule just switched on, or a long holiday).

The benchmark claims pool customers as POOL_REP_EMAIL (a rep of 华东一部) and times the
reclaim job; both are undone afterwards from snapshots and the ledger rows they wrote.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from tests.perf import seed as S
from tests.perf import words as W

POOLS_VERSION = 1
POOL_REP_EMAIL = "rep001@bench.example.com"
#: share of the customers in a pool (unowned) after the seed
POOL_SHARE = 0.05
#: share of the customers owned with a regional home pool (subject to its reclaim rule)
HOME_SHARE = 0.07
EAST, SOUTH, NATIONAL = "华东公海", "华南公海", "全国公海"
RELEASE_REASON = "暂无需求，退回公海"


def _rules(*, reclaim: bool) -> dict[str, Any]:
    from app.pools.schemas import PoolRules

    return PoolRules(
        holding_cap=50_000,
        daily_claim_limit=10_000,
        cooldown_days=7,
        mask_contacts=True,
        reclaim_days={"default": 30, "A": 60} if reclaim else {},
        warn_days_before=3 if reclaim else 0,
    ).model_dump()


def _city_pools(pool_ids: dict[str, str]) -> list[tuple[str, str]]:
    """(city, pool id) for every city of the word lists: its region's pool or the national."""
    by_region = {"华东": pool_ids[EAST], "华南": pool_ids[SOUTH]}
    return [
        (city, by_region.get(region, pool_ids[NATIONAL]))
        for region, cities in W.REGIONS.items()
        for _, city, _, _ in cities
    ]


def existing(conn: psycopg.Connection[Any], workspace_id: str) -> dict[str, str]:
    rows = conn.execute(
        "SELECT name, id FROM pools WHERE workspace_id = %s AND deleted_at IS NULL",
        (workspace_id,),
    ).fetchall()
    return {r[0]: str(r[1]) for r in rows}


def pool_counts(conn: psycopg.Connection[Any], workspace_id: str) -> dict[str, int]:
    row = conn.execute(
        """
        SELECT count(*) FILTER (WHERE owner_id IS NULL AND pool_id IS NOT NULL),
               count(*) FILTER (WHERE owner_id IS NULL AND pool_id IS NULL),
               count(*) FILTER (WHERE owner_id IS NOT NULL AND pool_id IS NOT NULL)
        FROM customers WHERE workspace_id = %s AND deleted_at IS NULL
        """,
        (workspace_id,),
    ).fetchone()
    assert row
    return {"pool_customers": row[0], "unowned_without_pool": row[1], "home_pool_owned": row[2]}


def add_pools(
    url: str, workspace_id: str, anchor: datetime, customers: int, seed_value: int
) -> dict[str, Any]:
    """Create the pools and put customers into them; a no-op when the pools exist."""
    watch = S.Stopwatch()
    with psycopg.connect(url) as conn:
        conn.execute("SELECT set_config('app.workspace_id', %s, false)", (workspace_id,))
        found = existing(conn, workspace_id)
        if all(name in found for name in (EAST, SOUTH, NATIONAL)):
            return {"version": POOLS_VERSION, "pools": found, **pool_counts(conn, workspace_id)}
        if found:
            raise SystemExit(f"the bench workspace has other pools ({', '.join(found)}): reseed")
        rng = S.FastRandom(seed_value * 104_729 + 3)
        created = anchor - timedelta(days=365)
        ms = int(created.timestamp() * 1000)
        teams: dict[str, str] = dict(
            conn.execute(
                "SELECT name, id::text FROM teams WHERE workspace_id = %s", (workspace_id,)
            ).fetchall()
        )
        admin = conn.execute(
            "SELECT id FROM users WHERE workspace_id = %s AND lower(email) = %s",
            (workspace_id, S.ADMIN_EMAIL),
        ).fetchone()
        assert admin, "the bench admin is missing: reseed"
        pools = [
            (
                EAST,
                [teams["华东大区"]],
                False,
                True,
                "华东大区的公海：上海、江苏、浙江、安徽、山东、福建",
            ),
            (SOUTH, [teams["华南大区"]], False, True, "华南大区的公海：广东、广西、海南、泉州"),
            (NATIONAL, [], True, False, "其他地区和未分区的客户，所有团队可领取"),
        ]
        pool_ids: dict[str, str] = {}
        n_pool = round(customers * POOL_SHARE)
        n_home = round(customers * HOME_SHARE)
        cutoff = anchor - timedelta(days=39)
        with conn.transaction():
            for n, (name, members, default, reclaim, description) in enumerate(pools):
                pool_ids[name] = S.uid(ms + n, rng.getrandbits(74))
                conn.execute(
                    "INSERT INTO pools (workspace_id, id, name, description, member_team_ids, "
                    "is_default, rules, created_at, updated_at, version, created_by) "
                    "VALUES (%s, %s, %s, %s, %s::uuid[], %s, %s, %s, %s, 1, %s)",
                    (
                        workspace_id,
                        pool_ids[name],
                        name,
                        description,
                        members,
                        default,
                        Jsonb(_rules(reclaim=reclaim)),
                        created,
                        created,
                        admin[0],
                    ),
                )
            conn.execute(
                "CREATE TEMP TABLE bench_city_pool (city text PRIMARY KEY, pool_id uuid NOT NULL) "
                "ON COMMIT DROP"
            )
            with conn.cursor().copy("COPY bench_city_pool (city, pool_id) FROM STDIN") as copy:
                for row in _city_pools(pool_ids):
                    copy.write_row(row)
            unowned = conn.execute(
                "SELECT count(*) FROM customers WHERE workspace_id = %s AND owner_id IS NULL "
                "AND deleted_at IS NULL",
                (workspace_id,),
            ).fetchone()
            assert unowned
            # released by their owner: idle 31 days after the last follow-up (creation when
            # never followed), at least 8 days before the anchor (past any cool-down)
            released = conn.execute(
                """
                SELECT c.id, c.owner_id, coalesce(cp.pool_id, %(national)s::uuid),
                       coalesce(c.last_followed_at, c.created_at) + interval '31 days'
                FROM customers c LEFT JOIN bench_city_pool cp ON cp.city = c.city
                WHERE c.workspace_id = %(ws)s AND c.owner_id IS NOT NULL
                  AND c.deleted_at IS NULL AND c.pool_id IS NULL
                  AND coalesce(c.last_followed_at, c.created_at) < %(cutoff)s
                ORDER BY md5(c.id::text || 'pool')
                LIMIT %(n)s
                """,
                {
                    "ws": workspace_id,
                    "national": pool_ids[NATIONAL],
                    "cutoff": cutoff,
                    "n": max(0, n_pool - int(unowned[0])),
                },
            ).fetchall()
            conn.execute(
                "CREATE TEMP TABLE bench_release (id uuid PRIMARY KEY, ledger_id uuid, "
                "owner_id uuid, pool_id uuid, at timestamptz) ON COMMIT DROP"
            )
            with conn.cursor().copy(
                "COPY bench_release (id, ledger_id, owner_id, pool_id, at) FROM STDIN"
            ) as copy:
                for cid, owner, pool, at in released:
                    ledger = S.uid(int(at.timestamp() * 1000), rng.getrandbits(74))
                    copy.write_row((cid, ledger, owner, pool, at))
            conn.execute(
                """
                UPDATE customers c SET owner_id = NULL, pool_id = r.pool_id, owned_since = NULL,
                       updated_at = greatest(c.updated_at, r.at), version = c.version + 1
                FROM bench_release r WHERE c.workspace_id = %s AND c.id = r.id
                """,
                (workspace_id,),
            )
            conn.execute(
                """
                INSERT INTO ownership_changes (workspace_id, id, customer_id, from_user_id,
                  to_user_id, kind, reason, actor_id, occurred_at)
                SELECT %s, ledger_id, id, owner_id, NULL, 'release', %s, owner_id, at
                FROM bench_release
                """,
                (workspace_id, RELEASE_REASON),
            )
            # never owned (created unassigned): the pool of their region
            conn.execute(
                """
                UPDATE customers c
                SET pool_id = coalesce((SELECT cp.pool_id FROM bench_city_pool cp
                                        WHERE cp.city = c.city), %(national)s::uuid)
                WHERE c.workspace_id = %(ws)s AND c.owner_id IS NULL AND c.pool_id IS NULL
                  AND c.deleted_at IS NULL
                """,
                {"ws": workspace_id, "national": pool_ids[NATIONAL]},
            )
            # owned, with a regional home pool: what the reclaim job looks at
            conn.execute(
                """
                UPDATE customers c SET pool_id = h.pool_id
                FROM (
                  SELECT x.id, cp.pool_id FROM customers x
                  JOIN bench_city_pool cp ON cp.city = x.city
                  WHERE x.workspace_id = %(ws)s AND x.owner_id IS NOT NULL
                    AND x.pool_id IS NULL AND x.deleted_at IS NULL AND x.created_at < %(anchor)s
                    AND cp.pool_id IN (%(east)s::uuid, %(south)s::uuid)
                  ORDER BY md5(x.id::text || 'home')
                  LIMIT %(n)s
                ) h
                WHERE c.workspace_id = %(ws)s AND c.id = h.id
                """,
                {
                    "ws": workspace_id,
                    "anchor": anchor,
                    "east": pool_ids[EAST],
                    "south": pool_ids[SOUTH],
                    "n": n_home,
                },
            )
            info = {
                "version": POOLS_VERSION,
                "pools": pool_ids,
                "released": len(released),
                **pool_counts(conn, workspace_id),
            }
    info["seconds"] = round(watch(), 1)
    S.log(
        f"  pools: {len(pool_ids)} pools, {info['pool_customers']:,} customers in them "
        f"({info['released']:,} released by their owner), {info['home_pool_owned']:,} owned "
        f"with a regional home pool: {info['seconds']:.1f}s"
    )
    return info


def ensure_pools(url: str, marker: dict[str, Any]) -> dict[str, Any]:
    """Top-up for a data set seeded before pools existed (idempotent): returns the marker."""
    if (marker.get("pools") or {}).get("version") == POOLS_VERSION:
        return marker
    S.log("the data set has no pools yet: adding them (top-up, no reseed)")
    day = datetime.fromisoformat(str(marker["anchor"]))
    anchor = datetime(day.year, day.month, day.day, tzinfo=UTC)
    scale_customers = S.SCALES[str(marker["scale"])]
    info = add_pools(
        url, str(marker["workspace_id"]), anchor, scale_customers, int(marker.get("seed", 42))
    )
    took = S.vacuum_analyze(url, ["customers", "ownership_changes", "pools"])
    S.log(f"  VACUUM (ANALYZE) customers, ownership_changes, pools: {took:.1f}s")
    marker = {
        **marker,
        "pools": info,
        "counts": {**marker.get("counts", {}), **S.counts(url, str(marker["workspace_id"]))},
    }
    with psycopg.connect(url, autocommit=True) as conn:
        S._set_marker(conn, marker)
    return marker


# --- claim ------------------------------------------------------------------------------


@dataclass
class PoolSamples:
    rep_id: str
    rep_team_id: str
    pool_id: str
    pool_name: str
    #: pool customers the rep may claim (never owned by the rep), one per request
    claim_ids: list[str]
    rep_owned: int
    rules: dict[str, Any]
    counts: dict[str, int] = field(default_factory=dict)


def gather(url: str, workspace_id: str, limit: int = 20_000) -> PoolSamples:
    with psycopg.connect(url) as conn:
        conn.execute("SELECT set_config('app.workspace_id', %s, false)", (workspace_id,))
        rep = conn.execute(
            "SELECT id::text, team_id::text FROM users WHERE workspace_id = %s "
            "AND lower(email) = %s",
            (workspace_id, POOL_REP_EMAIL),
        ).fetchone()
        assert rep, f"{POOL_REP_EMAIL} is missing: reseed"
        pool = conn.execute(
            "SELECT id::text, rules FROM pools WHERE workspace_id = %s AND name = %s "
            "AND deleted_at IS NULL",
            (workspace_id, EAST),
        ).fetchone()
        assert pool, f"pool {EAST} is missing"
        ids = [
            str(r[0])
            for r in conn.execute(
                """
                SELECT c.id FROM customers c
                WHERE c.workspace_id = %(ws)s AND c.pool_id = %(pool)s AND c.owner_id IS NULL
                  AND c.deleted_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM ownership_changes o
                                  WHERE o.workspace_id = c.workspace_id
                                    AND o.customer_id = c.id AND o.from_user_id = %(rep)s)
                ORDER BY md5(c.id::text || 'claim')
                LIMIT %(n)s
                """,
                {"ws": workspace_id, "pool": pool[0], "rep": rep[0], "n": limit},
            ).fetchall()
        ]
        owned = conn.execute(
            "SELECT count(*) FROM customers WHERE workspace_id = %s AND owner_id = %s "
            "AND deleted_at IS NULL",
            (workspace_id, rep[0]),
        ).fetchone()
        counts = pool_counts(conn, workspace_id)
    return PoolSamples(
        rep_id=rep[0],
        rep_team_id=rep[1],
        pool_id=pool[0],
        pool_name=EAST,
        claim_ids=ids,
        rep_owned=int(owned[0]) if owned else 0,
        rules=dict(pool[1]),
        counts=counts,
    )


Row = tuple[Any, ...]
SNAPSHOT_COLUMNS = "id, owner_id, pool_id, owned_since, version, updated_at"


def snapshot(
    conn: psycopg.Connection[Any], workspace_id: str, where: str, params: Any
) -> list[Row]:
    return conn.execute(
        f"SELECT {SNAPSHOT_COLUMNS} FROM customers c WHERE c.workspace_id = %(ws)s AND {where}",
        {"ws": workspace_id, **params},
    ).fetchall()


def restore_customers(conn: psycopg.Connection[Any], workspace_id: str, rows: list[Row]) -> int:
    """Put the snapshot columns back where a benchmark changed them (version differs)."""
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS bench_snapshot (id uuid PRIMARY KEY, owner_id uuid, "
        "pool_id uuid, owned_since timestamptz, version int, updated_at timestamptz)"
    )
    conn.execute("TRUNCATE bench_snapshot")
    with conn.cursor().copy(f"COPY bench_snapshot ({SNAPSHOT_COLUMNS}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    cur = conn.execute(
        """
        UPDATE customers c SET owner_id = s.owner_id, pool_id = s.pool_id,
               owned_since = s.owned_since, version = s.version, updated_at = s.updated_at
        FROM bench_snapshot s
        WHERE c.workspace_id = %s AND c.id = s.id AND c.version <> s.version
        """,
        (workspace_id,),
    )
    return cur.rowcount


def restore_claims(
    url: str, workspace_id: str, rep_id: str, rows: list[Row], since: datetime
) -> dict[str, int]:
    """Undo the claims of a run: the customers as snapshotted, and the ledger, audit and
    event rows the claims wrote (so the daily limit and the data set start afresh)."""
    ids = [r[0] for r in rows]
    out: dict[str, int] = {}
    with psycopg.connect(url) as conn, conn.transaction():
        conn.execute("SELECT set_config('app.workspace_id', %s, false)", (workspace_id,))
        out["customers"] = restore_customers(conn, workspace_id, rows)
        params = {"ws": workspace_id, "ids": ids, "since": since, "rep": rep_id}
        out["ledger"] = conn.execute(
            "DELETE FROM ownership_changes WHERE workspace_id = %(ws)s "
            "AND customer_id = ANY(%(ids)s) AND kind = 'claim' AND to_user_id = %(rep)s "
            "AND occurred_at >= %(since)s",
            params,
        ).rowcount
        out["audit"] = conn.execute(
            "DELETE FROM audit_log WHERE workspace_id = %(ws)s AND entity = 'customer' "
            "AND entity_id = ANY(%(ids)s) AND occurred_at >= %(since)s",
            params,
        ).rowcount
        out["events"] = conn.execute(
            "DELETE FROM events WHERE workspace_id = %(ws)s AND entity = 'customer' "
            "AND entity_id = ANY(%(ids)s) AND occurred_at >= %(since)s",
            params,
        ).rowcount
    return out


def db_now(url: str) -> datetime:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT clock_timestamp()").fetchone()
    assert row
    return row[0]  # type: ignore[no-any-return]


# --- reclaim ----------------------------------------------------------------------------

#: owned customers under a pool with reclaim rules (the job's candidates), with the days
#: their level gets; `due` mirrors the job's deadline
_HOME = """coalesce(c.pool_id, (SELECT d.id FROM pools d WHERE d.workspace_id = c.workspace_id
                                  AND d.is_default AND d.deleted_at IS NULL))"""
_CANDIDATES = f"""
  c.owner_id IS NOT NULL AND NOT c.locked AND c.deleted_at IS NULL
  AND EXISTS (SELECT 1 FROM pools p
              WHERE p.workspace_id = c.workspace_id AND p.deleted_at IS NULL
                AND p.id = {_HOME} AND p.rules->'reclaim_days' <> '{{}}'::jsonb)
"""
#: the job's deadline, for customers joined to their home pool `p`
_DUE = """
  greatest(coalesce(c.last_followed_at, '-infinity'), coalesce(c.owned_since, c.created_at))
  + make_interval(days => coalesce((p.rules->'reclaim_days'->>c.level)::int,
                                   (p.rules->'reclaim_days'->>'default')::int)) < %(now)s
"""


@dataclass
class ReclaimRun:
    seconds: float
    reclaimed: int
    statements: dict[str, list[float]] = field(default_factory=dict)


@dataclass
class ReclaimResult:
    now: datetime
    candidates: int
    due: int
    due_by_pool: dict[str, int]
    runs: list[ReclaimRun]
    ledger_rows: int
    distinct_customers: int
    warnings: int
    tasks: int
    restored: dict[str, int]
    restore_seconds: float
    vacuum_seconds: float
    #: the job's SQL as captured during the first run: (statement, parameters) of the first
    #: batch SELECT and the warning SELECT per pool
    captured: list[tuple[str, Any]] = field(default_factory=list)


def _statement_key(statement: str) -> str:
    text = " ".join(statement.split())
    head = text.split(" ", 1)[0].upper()
    table = ""
    for word in ("FROM", "INTO", "UPDATE"):
        marker = f"{word} "
        if marker in text.upper():
            after = text[text.upper().index(marker) + len(marker) :].split(" ", 1)[0]
            table = after.strip('"(')
            break
    if head == "SELECT" and "FOR UPDATE" in text.upper():
        return "SELECT customers … FOR UPDATE SKIP LOCKED (batch)"
    if head == "SELECT" and "to_char(" in text:
        return "SELECT customers due within the warning window"
    if head == "SELECT" and "set_config" in text:
        return "set_config (workspace)"
    return f"{head} {table}".strip()


async def run_reclaim(url: str, workspace_id: str, now: datetime) -> ReclaimResult:
    """Time the real job (app.pools.jobs.reclaim_workspace) twice on the data set as seeded,
    then undo it: customers from a snapshot, ledger/audit/event/notification/task rows
    written by the runs deleted."""
    from sqlalchemy import event

    import app.main  # noqa: F401  (registers the domains' hooks, as `rapport serve` does)
    from app.config import Settings
    from app.core.jobs import runtime
    from app.db import create_app_engine, create_sessionmaker
    from app.pools.jobs import reclaim_workspace

    ws = workspace_id
    params = {"ws": ws, "now": now}
    with psycopg.connect(url) as conn:
        conn.execute("SELECT set_config('app.workspace_id', %s, false)", (ws,))
        rows = snapshot(conn, ws, _CANDIDATES, {})
        by_pool: dict[str, int] = dict(
            conn.execute(
                f"""
                SELECT p.name, count(*) FROM customers c
                JOIN pools p ON p.workspace_id = c.workspace_id AND p.id = {_HOME}
                WHERE c.workspace_id = %(ws)s AND {_CANDIDATES} AND {_DUE}
                GROUP BY p.name ORDER BY p.name
                """,
                params,
            ).fetchall()
        )
    due = [sum(by_pool.values())]
    S.log(f"reclaim at {now:%Y-%m-%d %H:%M} UTC: {len(rows):,} candidates, {due[0]:,} due")

    engine = create_app_engine(url, Settings(database_url=url), pool_size=2)
    captured: list[tuple[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    timings: dict[str, list[float]] = {}
    started_at: dict[int, float] = {}
    recording = [True]

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def before(conn: Any, cursor: Any, statement: str, parameters: Any, *rest: Any) -> None:
        started_at[id(cursor)] = time.perf_counter()
        key = _statement_key(statement)
        # the first batch and the warning query of each pool (later batches repeat them)
        if (
            recording[0]
            and key.startswith("SELECT customers")
            and (statement, repr(parameters)) not in seen
        ):
            seen.add((statement, repr(parameters)))
            captured.append((statement, parameters))

    @event.listens_for(engine.sync_engine, "after_cursor_execute")
    def after(conn: Any, cursor: Any, statement: str, parameters: Any, *rest: Any) -> None:
        began = started_at.pop(id(cursor), None)
        if began is not None:
            timings.setdefault(_statement_key(statement), []).append(time.perf_counter() - began)

    previous = runtime.sessionmaker
    runtime.sessionmaker = create_sessionmaker(engine)
    since = db_now(url)
    runs: list[ReclaimRun] = []
    try:
        for n in range(2):
            timings = {}
            watch = time.perf_counter()
            reclaimed = await reclaim_workspace(uuid.UUID(ws), now)
            took = time.perf_counter() - watch
            runs.append(ReclaimRun(took, reclaimed, timings))
            recording[0] = False
            S.log(f"  run {n + 1}: {reclaimed:,} reclaimed in {took:.1f}s")
    finally:
        runtime.sessionmaker = previous
        await engine.dispose()

    watch = time.perf_counter()
    with psycopg.connect(url) as conn, conn.transaction():
        conn.execute("SELECT set_config('app.workspace_id', %s, false)", (ws,))
        ledger = conn.execute(
            "SELECT count(*), count(DISTINCT customer_id) FROM ownership_changes "
            "WHERE workspace_id = %(ws)s AND kind = 'reclaim' AND occurred_at = %(now)s "
            "AND actor_id IS NULL",
            params,
        ).fetchone()
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM notifications WHERE workspace_id = %(ws)s "
            "        AND kind = 'reclaim_warning' AND created_at >= %(since)s), "
            "       (SELECT count(*) FROM tasks WHERE workspace_id = %(ws)s "
            "        AND kind = 'reclaim_warning' AND created_at >= %(since)s)",
            {**params, "since": since},
        ).fetchone()
        assert ledger
        assert counts
        reclaimed_ids = {
            r[0]
            for r in conn.execute(
                "SELECT customer_id FROM ownership_changes WHERE workspace_id = %(ws)s "
                "AND kind = 'reclaim' AND occurred_at = %(now)s AND actor_id IS NULL",
                params,
            ).fetchall()
        }
        missing = reclaimed_ids - {r[0] for r in rows}
        if missing:
            raise SystemExit(
                f"{len(missing)} reclaimed customers are not in the snapshot: restore by hand "
                f"(ledger rows kind 'reclaim' at {now.isoformat()})"
            )
        restored = {"customers": restore_customers(conn, ws, rows)}
        q = {**params, "since": since}
        restored["ledger"] = conn.execute(
            "DELETE FROM ownership_changes WHERE workspace_id = %(ws)s AND kind = 'reclaim' "
            "AND occurred_at = %(now)s AND actor_id IS NULL",
            q,
        ).rowcount
        restored["audit"] = conn.execute(
            "DELETE FROM audit_log WHERE workspace_id = %(ws)s AND action = 'reclaimed' "
            "AND entity = 'customer' AND occurred_at >= %(since)s",
            q,
        ).rowcount
        restored["events"] = conn.execute(
            "DELETE FROM events WHERE workspace_id = %(ws)s AND type = 'customer.reclaimed' "
            "AND occurred_at >= %(since)s",
            q,
        ).rowcount
        restored["notifications"] = conn.execute(
            "DELETE FROM notifications WHERE workspace_id = %(ws)s "
            "AND kind IN ('customers_reclaimed', 'reclaim_warning') AND created_at >= %(since)s",
            q,
        ).rowcount
        restored["tasks"] = conn.execute(
            "DELETE FROM tasks WHERE workspace_id = %(ws)s AND kind = 'reclaim_warning' "
            "AND created_at >= %(since)s",
            q,
        ).rowcount
    restore_seconds = time.perf_counter() - watch
    S.log(
        f"  restored in {restore_seconds:.1f}s: "
        + ", ".join(f"{k} {v:,}" for k, v in restored.items())
    )
    vacuum = S.vacuum_analyze(
        url, ["customers", "ownership_changes", "audit_log", "events", "notifications", "tasks"]
    )
    S.log(f"  VACUUM (ANALYZE) after the restore: {vacuum:.1f}s")
    return ReclaimResult(
        now=now,
        candidates=len(rows),
        due=int(due[0]),
        due_by_pool={str(k): int(v) for k, v in by_pool.items()},
        runs=runs,
        ledger_rows=int(ledger[0]),
        distinct_customers=int(ledger[1]),
        warnings=int(counts[0]),
        tasks=int(counts[1]),
        restored=restored,
        restore_seconds=restore_seconds,
        vacuum_seconds=vacuum,
        captured=captured,
    )
