"""The benchmark data set: workspace "Bench" in the dedicated database `rapport_bench`.

    python -m tests.perf.seed --scale S|M|L [--database-url URL] [--seed N] [--anchor DAY]

Scales: S = 10k customers, M = 100k, L = 1M; always 2 contacts and 5 follow-ups per customer
(L: 2M contacts, 5M activities) and one ownership-ledger row per customer. Everything else is
small: 22 teams (a sales centre, four regions of four teams, customer service), 200 users
(owner, admin, 20 managers, 170 reps, 8 service), 30 tags.

Public pools (tests/perf/pools.py): three pools, 5 % of the customers waiting in them and 7 %
owned with a regional home pool; `--top-up` adds them to a data set seeded before pools
existed (idempotent, no reseed; the benchmark does it by itself too).

Pipeline to cash (tests/perf/cash.py): the standard pipeline as the default and a second one,
200 products, 0.3 deals per customer (0.1 open in the default pipeline: L 300k deals, 100k
of them open on the board), 0.1 contracts, 3 installments per contract with payments,
allocations and invoices, and 2 orders per customer (L: 100k contracts, 300k installments,
2M orders); `--top-up` adds them too (idempotent; rows an interrupted run left are deleted
first): 6 minutes at L on two cores shared with other work (load average 12), of which
the generation used about 80 s of CPU.

Service tickets (tests/perf/tickets.py): the desk (business calendar, key-account and
standard SLA, routing round-robin over the service team, a public form) and 0.2 tickets per
customer (L: 200k) with comments, status history, surveys and SLA clocks as the app keeps
them; `--top-up` adds them to an older data set the same way.

Without --database-url the database is `rapport_bench` on the server `rapport db url` prints
(the embedded PostgreSQL unless DATABASE_URL is set); it is created and migrated when missing.
The dev database `rapport` is never touched. The role must be a superuser or BYPASSRLS
(COPY FROM refuses tables under row-level security otherwise): the embedded `postgres` is.

Re-running resets the "Bench" workspace: when it is the database's only workspace the tables
are truncated (and contacts, activities and the ledger reloaded with COPY ... FREEZE),
otherwise the workspace is deleted (cascade). How L stays within minutes on two cores:
worker processes generate 25k-customer chunks as COPY text files while one loader connection
per table streams them in (COPY, `synchronous_commit=off`, no foreign-key triggers thanks to
`session_replication_role=replica`; every reference is checked with anti-joins afterwards);
each loader drops its table's secondary indexes first and recreates them after the COPY from
the definitions read from the catalog just before (exactly the migrations' indexes), in the
same transaction; then VACUUM (ANALYZE). Elapsed time is printed per table.

Values are deterministic for a seed and an anchor day (timestamps run up to the anchor,
default today UTC): company names from syllable and word lists (城市 + 字号 + 行业 + 有限公司,
"City Adjective Noun Trading Ltd."), CN mobile and landline numbers as people type them
(E.164 in phones_normalized), `name_normalized` from app.customers.normalize, `search_text`
exactly as refresh_search_text() builds it; all three are checked on a sample at the end.

Sign in as any user with password PASSWORD below; the benchmark uses MANAGER_EMAIL (regional
manager of 华东, team data scope) and ADMIN_EMAIL.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import multiprocessing
import os
import queue
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TextIO
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from tests.perf import words as W

BENCH_DB = "rapport_bench"
DEV_DB = "rapport"
WORKSPACE_NAME = "Bench"
PASSWORD = "bench-pass-2026"
OWNER_EMAIL = "owner@bench.example.com"
ADMIN_EMAIL = "admin@bench.example.com"
MANAGER_EMAIL = "manager.east@bench.example.com"
SCALES = {"S": 10_000, "M": 100_000, "L": 1_000_000}
CONTACTS_PER_CUSTOMER = 2
ACTIVITIES_PER_CUSTOMER = 5
SEED_VERSION = 1
MARKER = "rapport-bench-seed"
YEARS = 3
BIG_TABLES = ("customers", "contacts", "activities", "ownership_changes")
#: the pipeline-to-cash tables (tests/perf/cash.py) counted in the seed marker
#: the service-desk tables (tests/perf/tickets.py) counted in the seed marker
TICKETS = ("tickets", "ticket_comments", "ticket_status_changes", "ticket_surveys")
CASH_COUNTED = (
    "opportunities",
    "opportunity_stage_history",
    "opportunity_items",
    "products",
    "contracts",
    "installments",
    "payments",
    "payment_allocations",
    "invoices",
    "orders",
    "order_items",
)

NULL = "\\N"
# the foreign keys skipped during the load (session_replication_role = replica), checked after
REFERENCES = [
    ("customers", "owner_id", "users"),
    ("customers", "created_by", "users"),
    ("contacts", "customer_id", "customers"),
    ("activities", "customer_id", "customers"),
    ("activities", "contact_id", "contacts"),
    ("activities", "author_id", "users"),
    ("ownership_changes", "customer_id", "customers"),
    ("customers", "pool_id", "pools"),
]


def _check_words() -> None:
    def walk(value: object) -> Iterable[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for k, v in value.items():
                yield from walk(k)
                yield from walk(v)
        elif isinstance(value, list | tuple):
            for v in value:
                yield from walk(v)

    for name in dir(W):
        if name.isupper():
            for text in walk(getattr(W, name)):
                assert not any(c in text for c in "\t\n\r\\"), (name, text)


_check_words()


# --- small helpers -------------------------------------------------------------------------


def log(msg: str) -> None:
    print(msg, flush=True)


class Stopwatch:
    def __init__(self) -> None:
        self.start = time.perf_counter()

    def __call__(self) -> float:
        return time.perf_counter() - self.start


def uid(ms: int, rnd: int) -> str:
    """A UUIDv7 (as text) for Unix milliseconds `ms` and 74 random bits."""
    low = (0b10 << 62) | (rnd & ((1 << 62) - 1))
    h = f"{ms & 0xFFFFFFFFFFFF:012x}7{(rnd >> 62) & 0xFFF:03x}{low:016x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


_fromts = datetime.fromtimestamp


def ts(sec: float) -> str:
    return _fromts(sec, UTC).isoformat(sep=" ", timespec="milliseconds")


def pg_array(items: Sequence[str]) -> str:
    return "{" + ",".join(f'"{i}"' for i in items) + "}"


class FastRandom(random.Random):
    """random.Random with choice/randrange/randint/sample taken from random() directly:
    several times faster than the stdlib's unbiased versions, and as deterministic."""

    def choice(self, seq: Sequence[Any]) -> Any:  # type: ignore[override]
        return seq[int(self.random() * len(seq))]

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:  # type: ignore[override]
        if stop is None:
            start, stop = 0, start
        return start + int(self.random() * (stop - start))

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def sample(self, population: Sequence[Any], k: int, *, counts: Any = None) -> list[Any]:  # type: ignore[override]
        out: list[Any] = []
        while len(out) < k:
            item = population[int(self.random() * len(population))]
            if item not in out:
                out.append(item)
        return out


def weighted(pairs: Sequence[tuple[Any, int]]) -> tuple[list[Any], list[int]]:
    values = [v for v, _ in pairs]
    cum = list(itertools.accumulate(w for _, w in pairs))
    return values, cum


def pick(rng: random.Random, values: list[Any], cum: list[int]) -> Any:
    return values[bisect.bisect_right(cum, rng.random() * cum[-1])]


MOBILE_PREFIXES = [
    *range(130, 140),
    *range(150, 160),
    166,
    176,
    177,
    178,
    *range(180, 190),
    191,
    198,
    199,
]
MOBILE_PREFIXES.remove(154)


def mobile(rng: random.Random) -> tuple[str, str]:
    """(as entered, E.164) for a CN mobile number in one of the formats people type."""
    digits = f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(100_000_000):08d}"
    style = rng.random()
    if style < 0.55:
        raw = digits
    elif style < 0.75:
        raw = f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    elif style < 0.9:
        raw = f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    else:
        raw = f"+86 {digits[:3]} {digits[3:7]} {digits[7:]}"
    return raw, "+86" + digits


def landline(rng: random.Random, area: str) -> tuple[str, str]:
    local = f"{rng.randrange(2, 9)}{rng.randrange(10_000_000):07d}"
    raw = f"{area}-{local}" if rng.random() < 0.8 else f"({area}) {local[:4]} {local[4:]}"
    return raw, "+86" + area[1:] + local


_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_code(rng: random.Random) -> str:
    """A well-formed 统一社会信用代码 (GB 32100-2015 check character)."""
    body = "91" + f"{rng.randrange(110000, 660000):06d}"
    body += "".join(rng.choice(_CODE_CHARS) for _ in range(9))
    total = sum(_CODE_CHARS.index(c) * w for c, w in zip(body, _CODE_WEIGHTS, strict=True))
    return body + _CODE_CHARS[(31 - total % 31) % 31]


# --- the data set ---------------------------------------------------------------------------


@dataclass
class UserRow:
    id: str
    email: str
    name: str
    role: str
    team_id: str | None
    region: str | None


@dataclass
class Plan:
    scale: str
    customers: int
    seed: int
    anchor: datetime
    workspace_id: str = ""
    teams: list[tuple[str, str, str | None]] = field(default_factory=list)  # id, name, parent
    users: list[UserRow] = field(default_factory=list)
    tags: list[tuple[str, str, str]] = field(default_factory=list)  # id, name, color
    #: who owns customers: reps 5–20 shares each, team leads 2 (weighted() output)
    owner_weights: tuple[list[Any], list[int]] = field(default_factory=lambda: ([], []))

    @property
    def contacts(self) -> int:
        return self.customers * CONTACTS_PER_CUSTOMER

    @property
    def activities(self) -> int:
        return self.customers * ACTIVITIES_PER_CUSTOMER


# common surnames first: 王 about 5 %, the long tail rare
_SURNAMES, _SURNAME_CUM = weighted([(s, 1000 // (i + 8)) for i, s in enumerate(W.SURNAMES)])


def person_name(rng: random.Random) -> tuple[str, str]:
    """(Chinese name, pinyin for an e-mail local part)."""
    sur, sur_py = pick(rng, _SURNAMES, _SURNAME_CUM)
    if rng.random() < 0.7:
        g1, p1 = rng.choice(W.GIVEN_CHARS)
        g2, p2 = rng.choice(W.GIVEN_CHARS)
        return sur + g1 + g2, f"{p1}{p2}.{sur_py}"
    g1, p1 = rng.choice(W.GIVEN_CHARS)
    return sur + g1, f"{p1}.{sur_py}"


def build_org(plan: Plan) -> None:
    """Teams, users and tags (small; ids from the workspace's creation time)."""
    rng = FastRandom(plan.seed)
    t0 = int((plan.anchor - timedelta(days=365 * YEARS + 30)).timestamp() * 1000)

    def new_id() -> str:
        nonlocal t0
        t0 += 1
        return uid(t0, rng.getrandbits(74))

    plan.workspace_id = new_id()
    root = new_id()
    plan.teams.append((root, "销售中心", None))
    service = new_id()
    plan.teams.append((service, "客户服务部", root))
    plan.users.append(UserRow(new_id(), OWNER_EMAIL, "周总", "owner", root, None))
    plan.users.append(UserRow(new_id(), ADMIN_EMAIL, "系统管理员", "admin", root, None))
    rep_no = 0
    for region, reps in W.REPS_PER_REGION.items():
        region_team = new_id()
        plan.teams.append((region_team, f"{region}大区", root))
        slug = W.REGION_SLUG[region]
        name, _ = person_name(rng)
        plan.users.append(
            UserRow(
                new_id(), f"manager.{slug}@bench.example.com", name, "manager", region_team, region
            )
        )
        leaves = []
        for n, ordinal in enumerate(W.TEAM_ORDINALS, start=1):
            leaf = new_id()
            leaves.append(leaf)
            plan.teams.append((leaf, f"{region}{ordinal}", region_team))
            name, _ = person_name(rng)
            plan.users.append(
                UserRow(
                    new_id(), f"lead.{slug}{n}@bench.example.com", name, "manager", leaf, region
                )
            )
        for r in range(reps):
            rep_no += 1
            name, _ = person_name(rng)
            plan.users.append(
                UserRow(
                    new_id(),
                    f"rep{rep_no:03d}@bench.example.com",
                    name,
                    "sales",
                    leaves[r % len(leaves)],
                    region,
                )
            )
    for s in range(8):
        name, _ = person_name(rng)
        plan.users.append(
            UserRow(new_id(), f"service{s + 1}@bench.example.com", name, "service", service, None)
        )
    for n, tag in enumerate(W.TAGS):
        plan.tags.append((new_id(), tag, W.TAG_COLORS[n % len(W.TAG_COLORS)]))
    reps = [u for u in plan.users if u.role == "sales"]
    leads = [u for u in plan.users if u.role == "manager" and u.email.startswith("lead.")]
    plan.owner_weights = weighted([(u, rng.randint(5, 20)) for u in reps] + [(u, 2) for u in leads])


CUSTOMER_COLUMNS = (
    "workspace_id, id, kind, name, short_name, industry, source, level, status, province, city, "
    "district, address, phones, phones_normalized, email, email_normalized, website, credit_code, "
    "tag_ids, owner_id, external_source, external_id, custom_fields, last_followed_at, "
    "last_followed_sort, next_follow_up_at, name_normalized, search_text, merged_into_id, "
    "created_at, updated_at, version, deleted_at, created_by"
)
CONTACT_COLUMNS = (
    "workspace_id, id, customer_id, name, title, phones, phones_normalized, email, wechat, "
    "birthday, is_primary, notes, custom_fields, external_source, external_id, created_at, "
    "updated_at, version, deleted_at, created_by"
)
ACTIVITY_COLUMNS = (
    "workspace_id, id, customer_id, contact_id, kind, content, occurred_at, author_id, latitude, "
    "longitude, check_in_address, next_follow_up_at, satisfaction, created_at, updated_at, "
    "version, deleted_at, created_by"
)
OWNERSHIP_COLUMNS = (
    "workspace_id, id, customer_id, from_user_id, to_user_id, kind, reason, actor_id, occurred_at"
)


def activity_counts(rng: random.Random, n: int) -> list[int]:
    """0–10 follow-ups per customer, exactly ACTIVITIES_PER_CUSTOMER × n in total."""
    counts = [rng.randint(0, 10) for _ in range(n)]
    diff = ACTIVITIES_PER_CUSTOMER * n - sum(counts)
    while diff:
        i = rng.randrange(n)
        if diff > 0 and counts[i] < 10:
            counts[i] += 1
            diff -= 1
        elif diff < 0 and counts[i] > 0:
            counts[i] -= 1
            diff += 1
    return counts


@dataclass
class Chunk:
    """One slice of the customers (with their contacts, follow-ups and ledger rows)."""

    plan: Plan
    index: int
    created: list[float]
    counts: list[int]
    directory: str


CHUNK_CUSTOMERS = 25_000


def generate_chunk(chunk: Chunk) -> dict[str, str]:
    """Write one chunk as COPY text files (one per table); returns table → path.

    Runs in a worker process; everything random comes from the chunk's own generator, so the
    data set does not depend on how many workers there are.
    """
    plan = chunk.plan
    rng = FastRandom(plan.seed * 1_000_003 + chunk.index)
    paths = {t: os.path.join(chunk.directory, f"{t}.{chunk.index:05d}.copy") for t in BIG_TABLES}
    files = {t: open(p, "w", encoding="utf-8", buffering=1 << 20) for t, p in paths.items()}
    try:
        _generate(plan, rng, chunk.created, chunk.counts, files)
    finally:
        for f in files.values():
            f.close()
    return paths


def _generate(
    plan: Plan,
    rng: FastRandom,
    created: list[float],
    counts: list[int],
    files: dict[str, TextIO],
) -> None:
    customers_out = files["customers"]
    contacts_out = files["contacts"]
    activities_out = files["activities"]
    ownership_out = files["ownership_changes"]
    n = len(created)
    ws = plan.workspace_id
    anchor = plan.anchor.timestamp()

    from app.customers.normalize import normalize_company_name

    reps = [u for u in plan.users if u.role == "sales"]
    admin = next(u for u in plan.users if u.role == "admin")
    owners, owner_cum = plan.owner_weights
    levels, level_cum = weighted([("A", 15), ("B", 35), ("C", 50)])
    statuses, status_cum = weighted(
        [("potential", 35), ("active", 40), ("dormant", 15), ("lost", 10)]
    )
    sources, source_cum = weighted(W.SOURCES)
    suffixes, suffix_cum = weighted(W.CN_SUFFIXES)
    kinds, kind_cum = weighted(W.ACTIVITY_KINDS)
    tag_ids = [t[0] for t in plan.tags]
    regions = list(W.REGIONS)
    region_weights = [W.REPS_PER_REGION[r] for r in regions]
    contents: dict[str, list[str]] = {
        k: [
            t.format(p=p, t=title or "负责人")
            for t in templates
            for p in W.PRODUCTS
            for title in W.TITLES[:6]
        ]
        for k, templates in W.FOLLOW_UPS.items()
    }
    contents = {k: sorted(set(v)) for k, v in contents.items()}
    rand = rng.random
    choice = rng.choice
    bits = rng.getrandbits
    used_names: dict[str, int] = {}

    for i in range(n):
        c_created = created[i]
        c_ms = int(c_created * 1000)
        cid = uid(c_ms, bits(74))
        owner = pick(rng, owners, owner_cum) if rand() < 0.97 else None
        region = owner.region if owner else rng.choices(regions, region_weights)[0]
        province, city, city_py, area = choice(W.REGIONS[region])
        kind = "company"
        r = rand()
        website = credit = None
        if r < 0.93:
            # Chinese company: 城市 + 字号 + 行业 + 组织形式
            (b1, p1), (b2, p2) = rng.sample(W.BRAND_CHARS, 2)
            brand, brand_py = b1 + b2, p1 + p2
            if rand() < 0.12:
                b3, p3 = choice(W.BRAND_CHARS)
                brand, brand_py = brand + b3, brand_py + p3
            trade, trade_py, industry = choice(W.TRADES)
            suffix = pick(rng, suffixes, suffix_cum)
            prefix = city if rand() < 0.85 else province
            name = f"{prefix}{brand}{trade}{suffix}"
            short = f"{brand}{trade[:2]}" if rand() < 0.7 else None
            domain = f"{brand_py}-{trade_py}.{'com' if rand() < 0.6 else 'cn'}"
            if rand() < 0.6:
                credit = credit_code(rng)
        elif r < 0.98:
            adj, noun = choice(W.EN_ADJECTIVES), choice(W.EN_NOUNS)
            trade_en, industry = choice(W.EN_TRADES)
            head = f"{city_py} " if rand() < 0.4 else ""
            name = f"{head}{adj} {noun} {trade_en} {choice(W.EN_SUFFIXES)}"
            short = f"{adj} {noun}" if rand() < 0.5 else None
            domain = f"{adj}{noun}{trade_en.split()[0]}.com".lower()
        else:
            kind = "person"
            name, py = person_name(rng)
            short, industry = None, None
            domain = choice(["qq.com", "163.com", "126.com", "sina.com"])
        seen = used_names.get(name, 0)
        used_names[name] = seen + 1
        if seen:
            domain = f"{seen}{domain}" if kind == "company" else domain
        phones: list[str] = []
        normalized: list[str] = []
        r = rand()
        if kind == "company" and r < 0.45:
            raw, e164 = landline(rng, area)
            phones.append(raw)
            normalized.append(e164)
        if 0.45 <= r < 0.95 or kind == "person":
            raw, e164 = mobile(rng)
            phones.append(raw)
            normalized.append(e164)
        if kind == "company" and 0.8 < r < 0.95:
            raw, e164 = landline(rng, area)
            phones.insert(0, raw)
            normalized.insert(0, e164)
        email = None
        if rand() < 0.6:
            if kind == "person":
                email = f"{py.replace('.', '')}{rng.randrange(100, 9999)}@{domain}"
            else:
                email = f"{choice(['info', 'sales', 'contact', 'service', 'admin'])}@{domain}"
        if kind == "company" and rand() < 0.3:
            website = f"www.{domain}"
        level = pick(rng, levels, level_cum)
        status = pick(rng, statuses, status_cum)
        source = pick(rng, sources, source_cum)
        r = rand()
        tags = [] if r < 0.4 else rng.sample(tag_ids, 1 if r < 0.75 else 2 if r < 0.95 else 3)
        district = choice(W.DISTRICTS)
        address = f"{city}{district}{choice(W.ROADS)}{rng.randint(1, 999)}号"
        k = counts[i]
        if k:
            frac = rand() ** (0.35 if status == "active" else 1.0)
            last = c_created + (anchor - c_created) * frac
            last_s = ts(last)
        else:
            last = c_created
            last_s = None
        updated = max(last, c_created + (anchor - c_created) * rand() ** 0.5)
        next_fu = None
        if status in ("active", "potential") and rand() < 0.25:
            next_fu = ts(anchor + rng.uniform(-5, 30) * 86400)
        creator = owner or admin
        owner_id = owner.id if owner else NULL

        # contacts: two per customer, the first one primary
        contact_ids = []
        contact_names = []
        for ci in range(CONTACTS_PER_CUSTOMER):
            ct = c_created + rand() * 3600
            ct_id = uid(int(ct * 1000), bits(74))
            contact_ids.append(ct_id)
            if kind == "company" and r_en(name):
                cname = f"{choice(W.EN_FIRST)} {choice(W.EN_LAST)}"
                cpy = cname.lower().replace(" ", ".")
            else:
                cname, cpy = person_name(rng)
            contact_names.append(cname)
            c_phones: list[str] = []
            c_norm: list[str] = []
            if rand() < 0.85:
                raw, e164 = mobile(rng)
                c_phones.append(raw)
                c_norm.append(e164)
            c_email = f"{cpy}@{domain}" if rand() < 0.5 else NULL
            wechat = f"wx_{cpy.replace('.', '_')}{rng.randrange(10, 999)}" if rand() < 0.4 else NULL
            birthday = (
                f"{rng.randint(1960, 2000)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                if rand() < 0.1
                else NULL
            )
            title = choice(W.TITLES)
            cts = ts(ct)
            contacts_out.write(
                f"{ws}\t{ct_id}\t{cid}\t{cname}\t{title or NULL}\t{pg_array(c_phones)}\t"
                f"{pg_array(c_norm)}\t{c_email}\t{wechat}\t{birthday}\t{'t' if ci == 0 else 'f'}\t"
                f"{NULL}\t{{}}\t{NULL}\t{NULL}\t{cts}\t{cts}\t1\t{NULL}\t{creator.id}\n"
            )

        # follow-ups: the last one at last_followed_at, the others before it
        if k:
            times = sorted(c_created + (last - c_created) * rand() for _ in range(k - 1))
            times.append(last)
            for at in times:
                a_kind = pick(rng, kinds, kind_cum)
                contact_id = choice(contact_ids) if rand() < 0.6 else NULL
                author = owner.id if owner and rand() < 0.9 else choice(reps).id
                lat = lon = addr = sat = NULL
                if a_kind == "visit":
                    lat = f"{rng.uniform(22.0, 40.0):.6f}"
                    lon = f"{rng.uniform(104.0, 122.0):.6f}"
                    addr = address
                elif a_kind == "return_visit":
                    sat = str(rng.randint(3, 5))
                a_ts = ts(at)
                activities_out.write(
                    f"{ws}\t{uid(int(at * 1000), bits(74))}\t{cid}\t{contact_id}\t{a_kind}\t"
                    f"{choice(contents[a_kind])}\t{a_ts}\t{author}\t{lat}\t{lon}\t{addr}\t"
                    f"{NULL}\t{sat}\t{a_ts}\t{a_ts}\t1\t{NULL}\t{author}\n"
                )

        ownership_out.write(
            f"{ws}\t{uid(c_ms, bits(74))}\t{cid}\t{NULL}\t{owner_id}\tcreate\t{NULL}\t"
            f"{creator.id}\t{ts(c_created)}\n"
        )

        # search_text exactly as refresh_search_text(): lower(concat_ws(' ', name, short_name,
        # array_to_string(phones), array_to_string(phones_normalized), email, contact names))
        parts = [
            name,
            short,
            " ".join(phones),
            " ".join(normalized),
            email,
            # in contact id order, as verify() aggregates them (the app's own refresh
            # leaves the order to the plan; search matches substrings, so it never matters)
            " ".join(n for _, n in sorted(zip(contact_ids, contact_names, strict=True))),
        ]
        search_text = " ".join(p for p in parts if p is not None).lower()
        created_s = ts(c_created)
        customers_out.write(
            f"{ws}\t{cid}\t{kind}\t{name}\t{short or NULL}\t{industry or NULL}\t{source or NULL}\t"
            f"{level}\t{status}\t{province}\t{city}\t{district}\t{address}\t{pg_array(phones)}\t"
            f"{pg_array(normalized)}\t{email or NULL}\t{email.lower() if email else NULL}\t"
            f"{website or NULL}\t{credit or NULL}\t{{{','.join(tags)}}}\t{owner_id}\t{NULL}\t"
            f"{NULL}\t{{}}\t{last_s or NULL}\t{last_s or '-infinity'}\t{next_fu or NULL}\t"
            f"{normalize_company_name(name)}\t{search_text}\t{NULL}\t{created_s}\t{ts(updated)}\t"
            f"1\t{NULL}\t{creator.id}\n"
        )


def r_en(name: str) -> bool:
    return name.isascii()


# --- database --------------------------------------------------------------------------------


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


def _database_of(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _plain(url: str) -> str:
    _, rest = url.split("://", 1)
    return f"postgresql://{rest}"


def bench_database_url(explicit: str | None = None) -> str:
    """The owner URL of `rapport_bench`, creating the database when missing."""
    if explicit:
        url = _plain(explicit)
    else:
        out = subprocess.run(
            [sys.executable, "-m", "app.cli", "db", "url", "--database", BENCH_DB],
            check=True,
            capture_output=True,
            text=True,
        )
        url = _plain(out.stdout.strip().splitlines()[-1])
    if _database_of(url) == DEV_DB or not _database_of(url):
        # DATABASE_URL names the app's own database: use a sibling database on that server
        admin_url = url
        url = _with_database(url, BENCH_DB)
        with psycopg.connect(admin_url, autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (BENCH_DB,)
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    if _database_of(url) == DEV_DB:
        raise SystemExit("refusing to seed the dev database 'rapport'")
    return url


def recreate_database(url: str) -> None:
    """DROP and CREATE the benchmark database (never any other)."""
    name = _database_of(url)
    if name != BENCH_DB:
        raise SystemExit(f"refusing to recreate {name!r}: only {BENCH_DB!r} is the benchmark's")
    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def read_marker(url: str) -> dict[str, Any] | None:
    """The seed marker (a comment on the database), or None when unseeded or unreachable."""
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            row = conn.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                "WHERE datname = current_database()"
            ).fetchone()
    except psycopg.Error:
        return None
    if not row or not row[0]:
        return None
    try:
        marker = json.loads(row[0])
    except ValueError:
        return None
    return marker if isinstance(marker, dict) and marker.get("kind") == MARKER else None


def _set_marker(conn: psycopg.Connection[Any], marker: dict[str, Any] | None) -> None:
    text = json.dumps(marker, ensure_ascii=False) if marker else None
    db = conn.execute("SELECT current_database()").fetchone()
    assert db
    conn.execute(
        sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(db[0]), sql.Literal(text))
    )


def migrate(url: str) -> None:
    from app.config import get_settings
    from app.ops.migrations import upgrade

    upgrade(url, get_settings().app_role)


def secondary_indexes(conn: psycopg.Connection[Any], table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX ...) of the indexes not backing a primary-key/unique constraint."""
    rows = conn.execute(
        """
        SELECT i.relname, pg_get_indexdef(i.oid)
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE t.relname = %s AND n.nspname = current_schema()
          AND NOT EXISTS (
            SELECT 1 FROM pg_constraint c
            WHERE c.conindid = i.oid AND c.conrelid = t.oid AND c.contype IN ('p', 'u', 'x'))
        ORDER BY i.relname
        """,
        (table,),
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


def referenced_tables(url: str, tables: Sequence[str]) -> set[str]:
    """The tables among `tables` that another table's foreign key points to."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            """
            SELECT DISTINCT t.relname FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.confrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE c.contype = 'f' AND c.conrelid <> c.confrelid
              AND n.nspname = current_schema() AND t.relname = ANY(%s)
            """,
            (list(tables),),
        ).fetchall()
    return {r[0] for r in rows}


def _bulk_settings(conn: psycopg.Connection[Any]) -> None:
    conn.execute("SET LOCAL synchronous_commit = off")
    # no foreign-key triggers while loading (rows are consistent by construction, and
    # verify() checks every reference afterwards): what pg_restore --disable-triggers does
    conn.execute("SET LOCAL session_replication_role = replica")
    conn.execute("SET LOCAL maintenance_work_mem = '1GB'")
    conn.execute("SET LOCAL max_parallel_maintenance_workers = 1")


class Loader(threading.Thread):
    """Loads one table on its own connection and transaction: drop the secondary indexes,
    COPY the chunk files handed over through `put()` (in order), recreate the indexes."""

    def __init__(self, url: str, plan: Plan, table: str, columns: str, *, freeze: bool) -> None:
        super().__init__(name=f"load-{table}")
        self.url, self.plan, self.table, self.columns, self.freeze = (
            url,
            plan,
            table,
            columns,
            freeze,
        )
        self.files: queue.Queue[str | None] = queue.Queue()
        self.timings: dict[str, float] = {}
        self.rows = 0
        self.error: BaseException | None = None

    def put(self, path: str | None) -> None:
        self.files.put(path)

    def run(self) -> None:
        try:
            self._load()
        except BaseException as exc:
            self.error = exc
            while self.files.get() is not None:  # let the producer finish
                pass

    def _load(self) -> None:
        with psycopg.connect(self.url) as conn:
            conn.execute(
                "SELECT set_config('app.workspace_id', %s, false)", (self.plan.workspace_id,)
            )
            with conn.transaction():
                _bulk_settings(conn)
                indexes = secondary_indexes(conn, self.table)
                for name, _ in indexes:
                    conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
                options = ""
                if self.freeze:
                    # COPY FREEZE needs the table truncated in this transaction; only tables
                    # no foreign key points to can be truncated on their own
                    conn.execute(sql.SQL("TRUNCATE {}").format(sql.Identifier(self.table)))
                    options = " WITH (FREEZE)"
                watch = Stopwatch()
                statement = f"COPY {self.table} ({self.columns}) FROM STDIN{options}"
                with conn.cursor().copy(statement) as copy:  # type: ignore[arg-type]
                    while (path := self.files.get()) is not None:
                        with open(path, "rb") as f:
                            while block := f.read(1 << 20):
                                copy.write(block)
                                self.rows += block.count(b"\n")
                        os.unlink(path)
                self.timings["copy"] = watch()
                watch = Stopwatch()
                for _, ddl in indexes:
                    conn.execute(ddl)  # type: ignore[call-overload]
                self.timings["indexes"] = watch()
                self.timings["index_count"] = len(indexes)


def reset_workspace(url: str) -> bool:
    """Remove an earlier "Bench" workspace; True when the database holds no other workspace
    (then the big tables are truncated and loaded with COPY FREEZE)."""
    with psycopg.connect(url, autocommit=True) as conn:
        ok = conn.execute(
            "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        if not ok or not ok[0]:
            raise SystemExit(
                "the seed needs a superuser or BYPASSRLS role (COPY into tables with "
                "row-level security); the embedded server's `postgres` is one"
            )
        _set_marker(conn, None)
        rows = conn.execute("SELECT id, name FROM workspaces").fetchall()
        others = [r for r in rows if r[1] != WORKSPACE_NAME]
        if not others:
            conn.execute("TRUNCATE workspaces CASCADE")
            return True
        from tests.perf import cash

        for ws_id, name in rows:
            if name == WORKSPACE_NAME:
                log(f"deleting the previous {WORKSPACE_NAME} workspace {ws_id} (cascade)")
                # contracts refuse to cascade with their customer: deals to cash go first
                cash.wipe(conn, str(ws_id))
                conn.execute("DELETE FROM workspaces WHERE id = %s", (ws_id,))
        return False


def load_small(url: str, plan: Plan) -> None:
    from app.auth.secrets import hash_password

    password_hash = hash_password(PASSWORD)  # argon2id: hashed once for every user
    now = ts(plan.anchor.timestamp() - (YEARS * 365 + 30) * 86400)
    ws = plan.workspace_id
    with psycopg.connect(url) as conn:
        conn.execute("SELECT set_config('app.workspace_id', %s, false)", (ws,))
        with conn.transaction():
            conn.execute(
                "INSERT INTO workspaces (id, name, timezone, default_locale, settings, "
                "created_at, updated_at, version) VALUES (%s, %s, 'Asia/Shanghai', 'zh-CN', "
                "'{}', %s, %s, 1)",
                (ws, WORKSPACE_NAME, now, now),
            )
            cur = conn.cursor()
            with cur.copy(
                "COPY teams (workspace_id, id, name, parent_id, created_at, updated_at, version) "
                "FROM STDIN"
            ) as copy:
                for tid, name, parent in plan.teams:
                    copy.write_row((ws, tid, name, parent, now, now, 1))
            with cur.copy(
                "COPY users (workspace_id, id, email, name, password_hash, role, team_id, "
                "is_active, created_at, updated_at, version) FROM STDIN"
            ) as copy:
                for u in plan.users:
                    copy.write_row(
                        (
                            ws,
                            u.id,
                            u.email,
                            u.name,
                            password_hash,
                            u.role,
                            u.team_id,
                            True,
                            now,
                            now,
                            1,
                        )
                    )
            with cur.copy(
                "COPY tags (workspace_id, id, name, color, created_at, updated_at, version) "
                "FROM STDIN"
            ) as copy:
                for tid, name, color in plan.tags:
                    copy.write_row((ws, tid, name, color, now, now, 1))


def vacuum_analyze(url: str, tables: Sequence[str]) -> float:
    watch = Stopwatch()
    errors: list[BaseException] = []

    def run(group: Sequence[str]) -> None:
        try:
            with psycopg.connect(url, autocommit=True) as conn:
                for t in group:
                    conn.execute(f"VACUUM (ANALYZE) {t}")  # type: ignore[call-overload]
        except BaseException as exc:
            errors.append(exc)

    groups = [list(tables[::2]), list(tables[1::2])]
    threads = [threading.Thread(target=run, args=(g,)) for g in groups]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return watch()


def verify(url: str, plan: Plan, sample: int = 1000) -> None:
    """search_text / name_normalized / phones_normalized as the app computes them."""
    from app.customers.normalize import normalize_company_name, normalize_phones

    with psycopg.connect(url) as conn:
        conn.execute("SELECT set_config('app.workspace_id', %s, false)", (plan.workspace_id,))
        ids = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM customers ORDER BY random() LIMIT %s", (sample,)
            ).fetchall()
        ]
        bad = conn.execute(
            """
            SELECT count(*) FROM customers c
            WHERE c.id = ANY(%s) AND c.search_text IS DISTINCT FROM lower(concat_ws(' ',
              c.name, c.short_name, array_to_string(c.phones, ' '),
              array_to_string(c.phones_normalized, ' '), c.email,
              (SELECT string_agg(ct.name, ' ' ORDER BY ct.id) FROM contacts ct
               WHERE ct.customer_id = c.id AND ct.workspace_id = c.workspace_id
                 AND ct.deleted_at IS NULL)))
            """,
            (ids,),
        ).fetchone()
        assert bad is not None
        if bad[0]:
            raise SystemExit(f"search_text differs from refresh_search_text() on {bad[0]} rows")
        rows = conn.execute(
            "SELECT name, name_normalized, phones, phones_normalized FROM customers "
            "WHERE id = ANY(%s)",
            (ids,),
        ).fetchall()
        for name, name_norm, phones, phones_norm in rows:
            if normalize_company_name(name) != name_norm:
                raise SystemExit(f"name_normalized differs for {name!r}")
            if normalize_phones(phones) != phones_norm:
                raise SystemExit(f"phones_normalized differs for {phones!r}: {phones_norm!r}")
    log(f"  verified {len(ids)} sampled customers against the app's normalisation")
    with psycopg.connect(url) as conn:
        for child, column, parent in REFERENCES:
            bad = conn.execute(
                sql.SQL(
                    "SELECT count(*) FROM {child} x WHERE x.{column} IS NOT NULL AND NOT EXISTS "
                    "(SELECT 1 FROM {parent} p WHERE p.workspace_id = x.workspace_id "
                    "AND p.id = x.{column})"
                ).format(
                    child=sql.Identifier(child),
                    column=sql.Identifier(column),
                    parent=sql.Identifier(parent),
                )
            ).fetchone()
            if bad and bad[0]:
                raise SystemExit(f"{bad[0]} {child}.{column} rows point to no {parent} row")
    log(f"  verified every foreign key of the loaded tables ({len(REFERENCES)} checks)")


def counts(url: str, workspace_id: str) -> dict[str, int]:
    out: dict[str, int] = {}
    with psycopg.connect(url) as conn:
        conn.execute("SELECT set_config('app.workspace_id', %s, false)", (workspace_id,))
        for table in ("teams", "users", "tags", "pools", *BIG_TABLES, *CASH_COUNTED, *TICKETS):
            row = conn.execute(
                sql.SQL("SELECT count(*) FROM {} WHERE workspace_id = %s").format(
                    sql.Identifier(table)
                ),
                (workspace_id,),
            ).fetchone()
            out[table] = int(row[0]) if row else 0
    return out


#: purchases per customer, day and currency computed from the orders and payments
FRESH_PURCHASE_DAYS = """
    SELECT b.customer_id, b.day, b.currency, c.owner_id, c.deleted_at IS NULL,
           sum(b.oa), sum(b.oc), sum(b.pa), sum(b.pc)
    FROM (
      SELECT o.customer_id, (o.ordered_at AT TIME ZONE w.timezone)::date AS day, o.currency,
             o.amount AS oa, 1 AS oc, 0::numeric AS pa, 0 AS pc
      FROM orders o JOIN workspaces w ON w.id = o.workspace_id
      WHERE o.workspace_id = %(ws)s AND o.customer_id IS NOT NULL AND o.deleted_at IS NULL
        AND o.status IN ('paid', 'shipped', 'completed')
      UNION ALL
      SELECT k.customer_id, p.received_on, p.currency, 0, 0, p.amount, 1
      FROM payments p JOIN contracts k ON k.workspace_id = p.workspace_id
                                      AND k.id = p.contract_id
      WHERE p.workspace_id = %(ws)s AND p.deleted_at IS NULL AND p.voided_at IS NULL
        AND k.deleted_at IS NULL) b
    JOIN customers c ON c.workspace_id = %(ws)s AND c.id = b.customer_id
    GROUP BY 1, 2, 3, 4, 5
"""


def verify_derived(url: str, workspace_id: str) -> None:
    """ADR 8's derived data equals a fresh aggregate of its sources (the loads bypass the
    triggers; `rapport_rebuild_derived` has to have made up for it)."""
    checks = {
        "board totals": """
            SELECT count(*) FROM (
              SELECT pipeline_id, stage_id, owner_id, currency, deals, amount, weighted
              FROM opportunity_board_totals WHERE workspace_id = %(ws)s
                AND (deals <> 0 OR amount <> 0 OR weighted <> 0)
              EXCEPT
              SELECT pipeline_id, stage_id,
                     coalesce(owner_id, '00000000-0000-0000-0000-000000000000'::uuid), currency,
                     count(*), sum(amount), sum(amount * probability)
              FROM opportunities WHERE workspace_id = %(ws)s AND status = 'open'
                AND deleted_at IS NULL GROUP BY 1, 2, 3, 4) d
        """,
        "open deals missing from the board totals": """
            SELECT count(*) FROM (
              SELECT pipeline_id, stage_id,
                     coalesce(owner_id, '00000000-0000-0000-0000-000000000000'::uuid), currency
              FROM opportunities WHERE workspace_id = %(ws)s AND status = 'open'
                AND deleted_at IS NULL GROUP BY 1, 2, 3, 4
              EXCEPT
              SELECT pipeline_id, stage_id, owner_id, currency
              FROM opportunity_board_totals WHERE workspace_id = %(ws)s) d
        """,
        "installments whose copied contract columns differ": """
            SELECT count(*) FROM installments i JOIN contracts c
              ON c.workspace_id = i.workspace_id AND c.id = i.contract_id
            WHERE i.workspace_id = %(ws)s
              AND (i.customer_id, i.owner_id, i.currency, i.receivable) IS DISTINCT FROM
                  (c.customer_id, c.owner_id, c.currency,
                   c.status IN ('active', 'expired', 'terminated') AND c.deleted_at IS NULL)
        """,
        "purchase days that differ from the orders and payments": f"""
            WITH kept AS (
              SELECT customer_id, day, currency, owner_id, live,
                     orders_amount, orders, payments_amount, payments
              FROM purchase_days WHERE workspace_id = %(ws)s
                AND (orders <> 0 OR payments <> 0)),
            fresh AS ({FRESH_PURCHASE_DAYS})
            SELECT count(*) FROM (
              (SELECT * FROM kept EXCEPT SELECT * FROM fresh)
              UNION ALL (SELECT * FROM fresh EXCEPT SELECT * FROM kept)) d
        """,
        "deals whose visited stages differ from their stays": """
            SELECT count(*) FROM (
              SELECT d.id FROM opportunities d
              LEFT JOIN opportunity_stage_history h
                     ON h.workspace_id = d.workspace_id AND h.opportunity_id = d.id
              WHERE d.workspace_id = %(ws)s
              GROUP BY d.id, d.visited_stages
              HAVING d.visited_stages IS DISTINCT FROM
                     coalesce(array_agg(DISTINCT h.stage_id ORDER BY h.stage_id)
                              FILTER (WHERE h.stage_id IS NOT NULL), '{}')) d
        """,
        "purchase owner days that differ from the purchase days": """
            WITH kept AS (
              SELECT owner_id, day, currency, orders_amount, orders, payments_amount, payments
              FROM purchase_owner_days WHERE workspace_id = %(ws)s
                AND (orders <> 0 OR payments <> 0)),
            fresh AS (
              SELECT coalesce(owner_id, '00000000-0000-0000-0000-000000000000'::uuid), day,
                     currency, sum(orders_amount), sum(orders), sum(payments_amount),
                     sum(payments)
              FROM purchase_days WHERE workspace_id = %(ws)s AND live GROUP BY 1, 2, 3)
            SELECT count(*) FROM (
              (SELECT * FROM kept EXCEPT SELECT * FROM fresh)
              UNION ALL (SELECT * FROM fresh EXCEPT SELECT * FROM kept)) d
        """,
    }
    with psycopg.connect(url) as conn:
        conn.execute("SELECT set_config('app.workspace_id', %s, false)", (workspace_id,))
        for what, query in checks.items():
            row = conn.execute(query, {"ws": workspace_id}).fetchone()
            if row and row[0]:
                raise SystemExit(f"derived data (ADR 8) differs from its sources: {what}")
    log(f"  verified the derived data (ADR 8) against its sources ({len(checks)} checks)")


#: bumped when add_targets changes what it writes (the analytics benchmark tops up on a change)
TARGETS_VERSION = 1


def add_targets(url: str, workspace_id: str, anchor: datetime) -> dict[str, Any]:
    """Sales targets for the month, quarter and year of the anchor day, so the dashboards
    (tests/perf/analytics.py) have progress to show. Deterministic: each rep's monthly
    target is 110 % of their own monthly average over the 12 months before the month
    (won CNY deals, CNY payments on their contracts, customers they own created, their
    follow-ups), rounded to 1,000 yuan (money) or a whole number, with a floor; a quarter
    is 3 months of it, a year 12. Each team's target is the sum over the reps of its
    subtree, the workspace's the sum over all reps. Replaces the workspace's targets."""
    day = anchor.date()
    month = date(day.year, day.month, 1)
    quarter = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    periods = [
        ("month", month, 1),
        ("quarter", quarter, 3),
        ("year", date(day.year, 1, 1), 12),
    ]
    statement = """
        WITH RECURSIVE reps AS (
          SELECT id, team_id FROM users
          WHERE workspace_id = %(ws)s AND role = 'sales' AND is_active),
        actual AS (
          -- one grouped scan per metric (a subquery per rep would scan the year per rep)
          SELECT o.owner_id AS id, 'won_amount' AS metric, sum(o.amount) AS total
          FROM opportunities o
          WHERE o.workspace_id = %(ws)s AND o.status = 'won' AND o.currency = 'CNY'
            AND o.deleted_at IS NULL AND o.won_at >= %(since)s AND o.won_at < %(start)s
          GROUP BY o.owner_id
          UNION ALL
          SELECT c.owner_id, 'payments_received', sum(p.amount)
          FROM payments p JOIN contracts c
            ON c.workspace_id = p.workspace_id AND c.id = p.contract_id
          WHERE p.workspace_id = %(ws)s AND p.currency = 'CNY'
            AND p.voided_at IS NULL AND p.deleted_at IS NULL
            AND p.received_on >= %(since)s::date AND p.received_on < %(start)s::date
          GROUP BY c.owner_id
          UNION ALL
          SELECT c.owner_id, 'new_customers', count(*)
          FROM customers c WHERE c.workspace_id = %(ws)s AND c.deleted_at IS NULL
            AND c.created_at >= %(since)s AND c.created_at < %(start)s
          GROUP BY c.owner_id
          UNION ALL
          SELECT a.author_id, 'follow_ups', count(*)
          FROM activities a WHERE a.workspace_id = %(ws)s AND a.deleted_at IS NULL
            AND a.occurred_at >= %(since)s AND a.occurred_at < %(start)s
          GROUP BY a.author_id),
        history AS (
          SELECT r.id, r.team_id, m.metric,
                 greatest(m.floor, CASE WHEN m.money
                   THEN round(coalesce(a.total, 0) / 12 * 1.1, -3)
                   ELSE round(coalesce(a.total, 0) / 12 * 1.1) END) AS monthly
          FROM reps r
          CROSS JOIN (VALUES ('won_amount', true, 20000::numeric),
                             ('payments_received', true, 20000::numeric),
                             ('new_customers', false, 3::numeric),
                             ('follow_ups', false, 10::numeric)) AS m(metric, money, floor)
          LEFT JOIN actual a ON a.id = r.id AND a.metric = m.metric),
        tree AS (
          SELECT id AS team_id, id AS member_team FROM teams WHERE workspace_id = %(ws)s
          UNION ALL
          SELECT tree.team_id, t.id FROM teams t
          JOIN tree ON t.parent_id = tree.member_team WHERE t.workspace_id = %(ws)s),
        subjects AS (
          SELECT 'user' AS kind, h.id AS user_id, NULL::uuid AS team_id, h.metric, h.monthly
          FROM history h
          UNION ALL
          SELECT 'team', NULL, tree.team_id, h.metric, sum(h.monthly)
          FROM tree JOIN history h ON h.team_id = tree.member_team
          GROUP BY tree.team_id, h.metric
          UNION ALL
          SELECT 'workspace', NULL, NULL, h.metric, sum(h.monthly) FROM history h
          GROUP BY h.metric)
        INSERT INTO targets (workspace_id, id, created_at, updated_at, version, subject_kind,
                             user_id, team_id, period_kind, period_start, period_end, metric,
                             target_value, currency)
        SELECT %(ws)s, gen_random_uuid(), %(now)s, %(now)s, 1, s.kind, s.user_id, s.team_id,
               %(kind)s, %(start)s::date, %(end)s::date, s.metric, s.monthly * %(months)s,
               CASE WHEN s.metric IN ('won_amount', 'payments_received') THEN 'CNY' END
        FROM subjects s
    """
    written = 0
    with psycopg.connect(url) as conn, conn.transaction():
        conn.execute("SELECT set_config('app.workspace_id', %s, false)", (workspace_id,))
        conn.execute("DELETE FROM targets WHERE workspace_id = %s", (workspace_id,))
        for kind, start, months in periods:
            end_month = start.month - 1 + months
            end = date(start.year + end_month // 12, end_month % 12 + 1, 1)
            since = date(start.year - 1, start.month, 1)
            written += conn.execute(
                statement,
                {
                    "ws": workspace_id,
                    "kind": kind,
                    "start": start,
                    "end": end,
                    "since": since,
                    "months": months,
                    "now": anchor,
                },
            ).rowcount
    log(f"  targets for {month:%Y-%m}, its quarter and year: {written:,}")
    return {"version": TARGETS_VERSION, "month": f"{month:%Y-%m}", "targets": written}


def seed(
    scale: str, url: str, *, seed_value: int = 42, anchor: date | None = None
) -> dict[str, Any]:
    total = Stopwatch()
    day = anchor or datetime.now(UTC).date()
    plan = Plan(
        scale=scale,
        customers=SCALES[scale],
        seed=seed_value,
        anchor=datetime(day.year, day.month, day.day, tzinfo=UTC),
    )
    n = plan.customers
    log(f"seeding scale {scale} into {_database_of(url)} ({n:,} customers)")
    watch = Stopwatch()
    try:
        migrate(url)
    except Exception as exc:
        # e.g. a revision this code does not know (the database is ours alone): start afresh
        log(f"  cannot migrate ({exc}); recreating {_database_of(url)}")
        recreate_database(url)
        migrate(url)
    log(f"  migrations at head: {watch():.1f}s")
    exclusive = reset_workspace(url)
    build_org(plan)
    watch = Stopwatch()
    load_small(url, plan)
    log(
        f"  workspace, {len(plan.teams)} teams, {len(plan.users)} users, {len(plan.tags)} tags: "
        f"{watch():.1f}s"
    )
    # customer creation times over the years (sorted, so ids and pages follow time) and
    # follow-up counts summing exactly to ACTIVITIES_PER_CUSTOMER × customers
    rng = FastRandom(plan.seed * 7919 + 1)
    anchor_s = plan.anchor.timestamp()
    start = anchor_s - YEARS * 365 * 86400
    created = sorted(start + (anchor_s - start) * (rng.random() ** 0.5) for _ in range(n))
    per_customer = activity_counts(rng, n)
    columns = {
        "customers": CUSTOMER_COLUMNS,
        "contacts": CONTACT_COLUMNS,
        "activities": ACTIVITY_COLUMNS,
        "ownership_changes": OWNERSHIP_COLUMNS,
    }
    workers = max(1, min(os.cpu_count() or 1, 8))
    # COPY FREEZE needs the table truncated in the loader's transaction, which PostgreSQL
    # refuses for a table another table's foreign key points to (customers; contacts since
    # deals name a contact)
    referenced = referenced_tables(url, BIG_TABLES)
    with tempfile.TemporaryDirectory(prefix="rapport-bench-") as tmp:
        chunks = [
            Chunk(
                plan,
                k,
                created[a : a + CHUNK_CUSTOMERS],
                per_customer[a : a + CHUNK_CUSTOMERS],
                tmp,
            )
            for k, a in enumerate(range(0, n, CHUNK_CUSTOMERS))
        ]
        watch = Stopwatch()
        # worker processes generate chunk files; one loader per table streams them into
        # COPY as they arrive (no foreign-key triggers during the load: see verify()), so
        # generation, COPY and the index builds overlap on the cores
        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            loaders = {
                t: Loader(url, plan, t, columns[t], freeze=exclusive and t not in referenced)
                for t in BIG_TABLES
            }
            for loader in loaders.values():
                loader.start()
            try:
                for paths in pool.imap(generate_chunk, chunks):
                    for table, path in paths.items():
                        loaders[table].put(path)
            finally:
                for loader in loaders.values():
                    loader.put(None)
            generated = watch()
            log(f"  generated {len(chunks)} chunks in {generated:.1f}s ({workers} processes)")
            for table, loader in loaders.items():
                loader.join()
                if loader.error:
                    raise loader.error
                e = loader.timings
                log(
                    f"  {table}: {loader.rows:,} rows copied in {e['copy']:.1f}s, "
                    f"{int(e['index_count'])} indexes rebuilt in {e['indexes']:.1f}s "
                    f"(done at {watch():.1f}s)"
                )
    elapsed = {t: loader.timings for t, loader in loaders.items()}
    from tests.perf import pools

    pool_info = pools.add_pools(url, plan.workspace_id, plan.anchor, n, seed_value)
    took = vacuum_analyze(url, [*BIG_TABLES, "users", "teams", "tags", "workspaces"])
    log(f"  VACUUM (ANALYZE): {took:.1f}s")
    from tests.perf import cash

    cash_info = cash.add_cash(url, plan.workspace_id, plan.anchor, n, seed_value)
    from tests.perf import tickets

    tickets_info = tickets.add_tickets(url, plan.workspace_id, plan.anchor, n, seed_value)
    verify_derived(url, plan.workspace_id)
    targets_info = add_targets(url, plan.workspace_id, plan.anchor)
    verify(url, plan)
    found = counts(url, plan.workspace_id)
    marker = {
        "kind": MARKER,
        "version": SEED_VERSION,
        "scale": scale,
        "seed": seed_value,
        "anchor": day.isoformat(),
        "workspace_id": plan.workspace_id,
        "counts": found,
        "pools": pool_info,
        "cash": cash_info,
        "tickets": tickets_info,
        "targets": targets_info,
        "seconds": round(total(), 1),
        "elapsed": {t: {k: round(v, 1) for k, v in e.items()} for t, e in elapsed.items()},
    }
    with psycopg.connect(url, autocommit=True) as conn:
        _set_marker(conn, marker)
    log(
        f"done in {total():.1f}s: "
        + ", ".join(f"{k} {v:,}" for k, v in found.items())
        + f"\nsign in as {MANAGER_EMAIL} / {PASSWORD}"
    )
    return marker


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.perf.seed", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--scale", choices=sorted(SCALES), default=os.environ.get("BENCH_SCALE", "M")
    )
    parser.add_argument("--database-url", help="owner URL of the benchmark database")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--anchor", type=date.fromisoformat, help="last day of the data (UTC)")
    parser.add_argument(
        "--top-up",
        action="store_true",
        help="only add what the data set on disk lacks (pools, pipeline to cash, tickets), "
        "without reseeding",
    )
    args = parser.parse_args(argv)
    url = bench_database_url(args.database_url)
    if args.top_up:
        from tests.perf import pools

        marker = read_marker(url)
        if not marker:
            raise SystemExit(f"no data set in {_database_of(url)}: seed it first")
        migrate(url)
        marker = pools.ensure_pools(url, marker)
        from tests.perf import cash

        marker = cash.ensure_cash(url, marker)
        from tests.perf import tickets

        tickets.ensure_tickets(url, marker)
        verify_derived(url, str(marker["workspace_id"]))
        return
    seed(args.scale, url, seed_value=args.seed, anchor=args.anchor)


if __name__ == "__main__":
    main()
