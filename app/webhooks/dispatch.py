"""The dispatcher: outbox → deliveries → signed HTTP requests, at least once.

Fan-out. Per workspace, a cursor row holds the `(txid, id)` of the last event turned into
deliveries. A run locks it (SKIP LOCKED: a second dispatcher skips the workspace instead of
waiting), reads the outbox after it in `(txid, id)` order up to the oldest transaction still
running (so an event that commits late can never sort behind the cursor), inserts one
delivery per event × matching active endpoint and moves the cursor — all in one
transaction. A rolled-back mutation wrote no event, so nothing is ever sent for it; a
crash before commit leaves the cursor where it was and the same deliveries are made again
(the unique (endpoint, event) index keeps them single).

Delivery. Due rows are claimed with FOR UPDATE SKIP LOCKED and leased (`locked_until`,
longer than the 10 s request timeout) in a short transaction that also writes the attempt's
log row; the request is sent outside any transaction; its outcome is recorded in another.
A worker killed mid-request never records one: the lease runs out, the next run marks that
attempt interrupted and sends again with the same `webhook-id`. An outcome is applied only
while the lease is still the recorder's own (its attempt number is the delivery's latest).

Retries: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 24 h, 24 h (each ±20 % jitter, about 3 days in
all), or the receiver's `Retry-After` on 429/503. 410 Gone switches the endpoint off at once;
so do `DISABLE_AFTER` deliveries in a row that exhausted their retries. Either way the
workspace's owners and admins are notified and the change is audited.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import re
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.audit import record_mutation, snapshot
from app.core.ids import uuid7
from app.db import workspace_session
from app.events.repository import read_stream
from app.models.customer import Notification
from app.models.event import Event
from app.models.webhook import WebhookDelivery, WebhookDeliveryAttempt, WebhookEndpoint
from app.webhooks import repository, signing, ssrf

logger = logging.getLogger("rapport.webhooks")

TIMEOUT_SECONDS = 10.0
#: a claimed delivery is someone's for this long: the request timeout plus room to record
LEASE = timedelta(seconds=20)
RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=24),
    timedelta(hours=24),
)
#: the first attempt plus one per retry delay
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
JITTER = 0.2
MAX_RETRY_AFTER = timedelta(hours=24)
#: delay-seconds (RFC 9110): ASCII digits only — `str.isdigit` also accepts "²" and "١"
RETRY_AFTER_SECONDS = re.compile(r"[0-9]+")
#: deliveries in a row that exhausted their retries before the endpoint is switched off
DISABLE_AFTER = 5
FAN_OUT_BATCH = 500
CLAIM_BATCH = 10
#: one run of a workspace stops claiming after this long, leaving the rest to the next run
RUN_BUDGET_SECONDS = 30.0
EXCERPT_BYTES = 1024
ENDPOINT_FIELDS = ("url", "description", "event_types", "active", "disabled_reason")


def matches(patterns: Sequence[str], event_type: str) -> bool:
    """`*` matches all, `customer.*` every `customer.<action>`, anything else exactly (the
    same rule as the `types` filter of `GET /events`)."""
    for pattern in patterns:
        if pattern == "*" or pattern == event_type:
            return True
        if pattern.endswith(".*") and event_type.startswith(pattern[:-1]):
            return True
    return False


def event_payload(event: Event) -> dict[str, Any]:
    """The Standard Webhooks body of an outbox event. `data.object` is the record after the
    change (before it, for a deletion: tombstones go out too); updates name the
    `changed_fields` and their `previous` values."""
    return {
        "type": event.type,
        "timestamp": event.occurred_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "data": {
            "event_id": event.id,
            "entity": event.entity,
            "entity_id": str(event.entity_id),
            "sequence": event.sequence,
            "object": event.data,
            "changed_fields": list(event.changed_fields),
            "previous": event.previous,
        },
    }


def test_payload(endpoint_id: uuid.UUID, now: datetime) -> dict[str, Any]:
    return {
        "type": "webhook.test",
        "timestamp": now.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "data": {
            "endpoint_id": str(endpoint_id),
            "message": "A test event from Rapport CRM. 这是一条测试事件。",
        },
    }


def retry_delay(attempts: int, rng: random.Random | None = None) -> timedelta | None:
    """Delay before the next attempt after `attempts` failed ones; None once exhausted."""
    if attempts >= MAX_ATTEMPTS or attempts < 1:
        return None
    base = RETRY_DELAYS[attempts - 1]
    factor = 1 + (rng or random).uniform(-JITTER, JITTER)
    return base * factor


def parse_retry_after(value: str | None, now: datetime) -> timedelta | None:
    """`Retry-After` as delay-seconds or an HTTP date, clamped to 1 s … 24 h; None when
    absent or unreadable. Never raises: the value comes from someone else's server."""
    if not value:
        return None
    value = value.strip()
    if RETRY_AFTER_SECONDS.fullmatch(value):
        # a long digit string would overflow timedelta; anything past the cap is the cap
        seconds = int(value) if len(value) <= 9 else MAX_RETRY_AFTER.total_seconds()
        delay = timedelta(seconds=seconds)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        delay = when - now
    return min(max(delay, timedelta(seconds=1)), MAX_RETRY_AFTER)


# --- fan-out -------------------------------------------------------------------------------


async def fan_out(session: AsyncSession) -> tuple[int, bool]:
    """One batch of the bound workspace's outbox into deliveries; (deliveries made, more?).

    The caller's transaction holds the cursor lock until it commits.
    """
    cursor = await repository.lock_cursor(session)
    if cursor is None:
        return 0, False
    endpoints = await repository.active_endpoints(session)
    # the events feed's reader: commit-safe (txid, id) order, without its 30-day horizon
    events = await read_stream(
        session, (cursor.last_txid, cursor.last_event_id), [], FAN_OUT_BATCH, within_days=None
    )
    more = len(events) > FAN_OUT_BATCH
    events = events[:FAN_OUT_BATCH]
    if not events:
        return 0, False
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = []
    for event in events:
        payload: dict[str, Any] | None = None
        for endpoint in endpoints:
            if event.occurred_at < endpoint.active_since or not matches(
                endpoint.event_types, event.type
            ):
                continue
            payload = payload or event_payload(event)
            rows.append(
                {
                    "workspace_id": event.workspace_id,
                    "id": uuid7(),
                    "endpoint_id": endpoint.id,
                    "event_id": event.id,
                    "event_type": event.type,
                    "payload": payload,
                    "status": "pending",
                    "attempts": 0,
                    "manual": False,
                    "next_attempt_at": now,
                }
            )
    await repository.add_deliveries(session, rows)
    cursor.last_txid, cursor.last_event_id = events[-1].txid, events[-1].id
    await session.flush()
    return len(rows), more


async def fan_out_workspace(
    maker: async_sessionmaker[AsyncSession], workspace_id: uuid.UUID
) -> int:
    made = 0
    while True:
        async with workspace_session(maker, workspace_id) as session:
            n, more = await fan_out(session)
        made += n
        if not more:
            return made


# --- delivery ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Work:
    """A claimed delivery: everything needed to send it without the database."""

    workspace_id: uuid.UUID
    delivery_id: uuid.UUID
    endpoint_id: uuid.UUID
    webhook_id: str
    attempt: int
    url: str
    #: kept out of repr, so a logged Work (or a traceback's locals) never shows a secret
    secrets: tuple[str, ...] = field(repr=False)
    body: bytes = field(repr=False)


@dataclass
class Outcome:
    status_code: int | None = None
    latency_ms: int | None = None
    excerpt: str | None = None
    error: str | None = None
    retry_after: str | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def signing_secrets(endpoint: WebhookEndpoint, now: datetime) -> tuple[str, ...]:
    """The current secret, and the previous one while its overlap lasts."""
    if (
        endpoint.previous_secret
        and endpoint.previous_secret_expires_at
        and endpoint.previous_secret_expires_at > now
    ):
        return (endpoint.secret, endpoint.previous_secret)
    return (endpoint.secret,)


async def claim(session: AsyncSession, limit: int = CLAIM_BATCH) -> list[Work]:
    """Lease up to `limit` due deliveries of the bound workspace and log their attempts."""
    now = datetime.now(UTC)
    claimed = await repository.claim_due(session, limit)
    work: list[Work] = []
    for delivery, endpoint in claimed:
        if delivery.locked_until is not None:
            # the lease ran out: whoever held it stopped before recording an answer
            await repository.mark_interrupted(session, delivery.id)
        delivery.attempts += 1
        delivery.locked_until = now + LEASE
        session.add(
            WebhookDeliveryAttempt(
                workspace_id=delivery.workspace_id,
                delivery_id=delivery.id,
                attempt=delivery.attempts,
                manual=delivery.manual,
                started_at=now,
            )
        )
        work.append(
            Work(
                workspace_id=delivery.workspace_id,
                delivery_id=delivery.id,
                endpoint_id=endpoint.id,
                webhook_id=delivery.webhook_id,
                attempt=delivery.attempts,
                url=endpoint.url,
                secrets=signing_secrets(endpoint, now),
                body=signing.body_bytes(delivery.payload),
            )
        )
    await session.flush()
    return work


def _pinned(url: str, target: ssrf.Target) -> tuple[str, dict[str, str], dict[str, Any]]:
    """The URL with the checked address in place of the name, plus the Host header and TLS
    server name that keep the request addressed (and its certificate checked) by name."""
    if not target.addresses:
        return url, {}, {}
    parts = urlsplit(url)
    address = target.addresses[0]
    literal = f"[{address}]" if ":" in address else address
    netloc = f"{literal}:{target.port}"
    default = 443 if parts.scheme == "https" else 80
    name = f"[{target.host}]" if ":" in target.host else target.host  # an IPv6 literal
    host_header = name if target.port == default else f"{name}:{target.port}"
    extensions = {"sni_hostname": target.host} if parts.scheme == "https" else {}
    return (
        urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")),
        {"host": host_header},
        extensions,
    )


def _text(raw: bytes) -> str:
    """A receiver's bytes as storable text: PostgreSQL text cannot hold NUL."""
    return raw.decode("utf-8", "replace").replace("\x00", "\ufffd")


async def send(work: Work, *, allow_private: bool, client: httpx.AsyncClient) -> Outcome:
    """One signed POST; never raises for what the receiver, the network or DNS does.

    The 10 s limit covers the whole attempt — the address check's DNS lookup, connecting,
    sending and reading the answer — so an attempt always ends well inside its lease.
    """
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        async with asyncio.timeout(TIMEOUT_SECONDS):
            try:
                target = await ssrf.resolve(work.url, allow_private=allow_private)
            except ssrf.UrlRefused as refused:
                return Outcome(error=f"refused: {refused.message}"[:500])
            url, host, extensions = _pinned(work.url, target)
            timestamp = int(time.time())
            headers = {
                **signing.headers(work.webhook_id, timestamp, work.body, list(work.secrets)),
                **host,
                # the excerpt is read raw: ask for an uncompressed answer
                "accept-encoding": "identity",
            }
            request = client.build_request(
                "POST", url, content=work.body, headers=headers, extensions=extensions
            )
            response = await client.send(request, stream=True)
            try:
                excerpt = bytearray()
                async for chunk in response.aiter_raw():
                    excerpt += chunk
                    if len(excerpt) >= EXCERPT_BYTES:
                        break
            finally:
                await response.aclose()
    except TimeoutError:
        return Outcome(
            error=f"timeout: no answer within {TIMEOUT_SECONDS:.0f} s", latency_ms=elapsed()
        )
    except httpx.HTTPError as exc:
        return Outcome(error=f"{type(exc).__name__}: {exc}"[:500], latency_ms=elapsed())
    return Outcome(
        status_code=response.status_code,
        latency_ms=elapsed(),
        excerpt=_text(bytes(excerpt[:EXCERPT_BYTES]))[:EXCERPT_BYTES],
        retry_after=response.headers.get("retry-after"),
    )


async def record(session: AsyncSession, work: Work, outcome: Outcome) -> str:
    """Write the attempt's outcome and move the delivery on; returns its new status."""
    now = datetime.now(UTC)
    error = _text(outcome.error.encode())[:500] if outcome.error else None
    await session.execute(
        update(WebhookDeliveryAttempt)
        .where(
            WebhookDeliveryAttempt.delivery_id == work.delivery_id,
            WebhookDeliveryAttempt.attempt == work.attempt,
        )
        .values(
            finished_at=now,
            status_code=outcome.status_code,
            latency_ms=outcome.latency_ms,
            response_excerpt=outcome.excerpt,
            error=error,
        )
        .execution_options(synchronize_session=False)
    )
    delivery = (
        await session.execute(
            select(WebhookDelivery).where(WebhookDelivery.id == work.delivery_id).with_for_update()
        )
    ).scalar_one_or_none()
    if delivery is None or delivery.status != "pending" or delivery.attempts != work.attempt:
        return "superseded"  # our lease ran out and another attempt took over
    delivery.locked_until = None
    delivery.manual = False
    delivery.last_status_code = outcome.status_code
    delivery.last_error = error
    endpoint_stats = update(WebhookEndpoint).where(WebhookEndpoint.id == work.endpoint_id)
    if outcome.ok:
        delivery.status = "delivered"
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        await session.execute(
            endpoint_stats.values(consecutive_failures=0, last_success_at=now).execution_options(
                synchronize_session=False
            )
        )
        return delivery.status
    still_on = (
        await session.execute(
            endpoint_stats.values(last_failure_at=now)
            .returning(WebhookEndpoint.active)
            .execution_options(synchronize_session=False)
        )
    ).scalar_one()
    if outcome.status_code == 410:
        delivery.status = "failed"
        delivery.next_attempt_at = None
        await disable_endpoint(session, work.endpoint_id, "gone", now)
        return delivery.status
    delay = retry_delay(delivery.attempts)
    if delay is not None and outcome.status_code in (429, 503):
        delay = parse_retry_after(outcome.retry_after, now) or delay
    if delay is not None:
        # switched off meanwhile: parked until it is switched on again (see repository.park)
        delivery.next_attempt_at = now + delay if still_on else None
        return delivery.status
    delivery.status = "failed"
    delivery.next_attempt_at = None
    failures = (
        await session.execute(
            update(WebhookEndpoint)
            .where(WebhookEndpoint.id == work.endpoint_id)
            .values(consecutive_failures=WebhookEndpoint.consecutive_failures + 1)
            .returning(WebhookEndpoint.consecutive_failures)
            .execution_options(synchronize_session=False)
        )
    ).scalar_one()
    if failures >= DISABLE_AFTER:
        await disable_endpoint(session, work.endpoint_id, "failing", now)
    return delivery.status


async def disable_endpoint(
    session: AsyncSession, endpoint_id: uuid.UUID, reason: str, now: datetime
) -> None:
    """Switch an endpoint off on the receiver's behalf: audit it and tell the admins."""
    endpoint = (
        await session.execute(
            select(WebhookEndpoint)
            .where(WebhookEndpoint.id == endpoint_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).scalar_one()
    if not endpoint.active:
        return
    before = snapshot(endpoint, ENDPOINT_FIELDS)
    endpoint.active = False
    endpoint.disabled_reason = reason
    endpoint.disabled_at = now
    await session.flush()
    await repository.park(session, endpoint.id)
    await record_mutation(
        session,
        None,
        entity="webhook_endpoint",
        action="disabled",
        entity_id=endpoint.id,
        sequence=endpoint.version,
        before=before,
        after=snapshot(endpoint, ENDPOINT_FIELDS),
        workspace_id=endpoint.workspace_id,
    )
    why = (
        ("接收方返回 410 Gone", "the receiver answered 410 Gone")
        if reason == "gone"
        else (f"连续 {DISABLE_AFTER} 次投递失败", f"{DISABLE_AFTER} deliveries in a row failed")
    )
    title = (
        f"Webhook {endpoint.url} 已停用：{why[0]} / Webhook {endpoint.url} was disabled: {why[1]}"
    )
    for user_id in await repository.admin_ids(session):
        session.add(
            Notification(
                workspace_id=endpoint.workspace_id,
                user_id=user_id,
                kind="webhook_disabled",
                title=title[:300],
                entity="webhook_endpoint",
                entity_id=endpoint.id,
                dedupe_key=f"webhook_disabled:{endpoint.id}:{now.isoformat()}"[:200],
                data={"reason": reason, "url": endpoint.url},
            )
        )
    logger.warning(
        "webhook endpoint disabled",
        extra={"endpoint_id": str(endpoint.id), "reason": reason},
    )


async def deliver_workspace(
    maker: async_sessionmaker[AsyncSession],
    workspace_id: uuid.UUID,
    *,
    allow_private: bool,
    client: httpx.AsyncClient | None = None,
) -> dict[str, int]:
    """Send what is due in one workspace, a claimed batch at a time, concurrently."""
    counts: dict[str, int] = {}
    deadline = time.monotonic() + RUN_BUDGET_SECONDS
    own_client = client is None
    http = client or new_client()
    try:
        while time.monotonic() < deadline:
            async with workspace_session(maker, workspace_id) as session:
                batch = await claim(session)
            if not batch:
                break
            outcomes = await asyncio.gather(
                *(send(w, allow_private=allow_private, client=http) for w in batch)
            )
            for work, outcome in zip(batch, outcomes, strict=True):
                try:
                    async with workspace_session(maker, workspace_id) as session:
                        status = await record(session, work, outcome)
                except Exception:
                    # one unrecordable outcome must not cost the batch's others theirs; this
                    # one's lease runs out and it is sent again (same webhook-id)
                    logger.exception(
                        "recording a webhook attempt failed", extra={"webhook_id": work.webhook_id}
                    )
                    status = "unrecorded"
                counts[status] = counts.get(status, 0) + 1
            if len(batch) < CLAIM_BATCH:
                break
    finally:
        if own_client:
            await http.aclose()
    return counts


def new_client() -> httpx.AsyncClient:
    # no redirects (a 3xx is a failed attempt), no proxies from the environment, no cookies
    return httpx.AsyncClient(
        timeout=httpx.Timeout(TIMEOUT_SECONDS), follow_redirects=False, trust_env=False
    )


@dataclass
class RunResult:
    fanned_out: int = 0
    sent: dict[str, int] = field(default_factory=dict)


async def run_once(
    maker: async_sessionmaker[AsyncSession], *, allow_private: bool, concurrency: int = 4
) -> RunResult:
    """Fan out and deliver in every workspace that has an active endpoint."""
    async with maker() as session, session.begin():
        ids = await repository.workspaces_with_endpoints(session)
    result = RunResult()
    gate = asyncio.Semaphore(concurrency)

    async def one(workspace_id: uuid.UUID) -> None:
        async with gate:
            try:
                result.fanned_out += await fan_out_workspace(maker, workspace_id)
                sent = await deliver_workspace(maker, workspace_id, allow_private=allow_private)
            except Exception:
                logger.exception(
                    "webhook run failed in workspace %s; retried next run",
                    workspace_id,
                    extra={"workspace_id": str(workspace_id)},
                )
                return
            for key, n in sent.items():
                result.sent[key] = result.sent.get(key, 0) + n

    await asyncio.gather(*(one(w) for w in ids))
    return result
