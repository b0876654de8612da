"""Customer imports: upload, dry run, and the all-or-nothing run of the valid rows.

An import is **all-or-nothing for its valid rows**: the background run re-validates the file
against the database as it is then, and writes every valid row in one transaction, or none.
Invalid rows are never written and are listed in the report (`errors`, `errors.csv`).
A failed run leaves the workspace exactly as before, with the job marked `failed`. We chose
this over resumable batches because a half-applied import is the failure users cannot
repair (which rows made it? run it again and get duplicates?), and one transaction over
100k rows takes PostgreSQL well under a minute; progress is still visible, as it is
written in separate short transactions while the big one runs.

Interrupted runs: should the process running an import die (kill -9, a crash, the
machine restarting), PostgreSQL rolls its transaction back, so nothing of that run is
written. `recover_interrupted` (a periodic job) finds runs whose worker has stopped
sending heartbeats, puts the import back in the queue with a message saying what
happened, and the run starts over from the stored file — re-validated against the
database as it is then, all-or-nothing as always. After `MAX_RUNS` interrupted runs the
import is failed instead ("nothing was written"), so a file that kills its worker does not
loop. Each run carries a token (its `started_at`): a run that was presumed dead but is
only slow can no longer commit or report once a newer run has claimed the import — its
final update matches no row and its transaction rolls back — so at most one run's rows
ever reach the database.

Audit and events: creating 100k customers one `record_mutation` at a time would write
200k audit/outbox rows and take minutes, so an import writes ONE audit entry and ONE
event (`import.completed`, with the counts) for the whole run. The created customers
carry `created_by`, and their ownership-ledger rows the kind `import`, so each one is
traceable to its import; integrations that mirror customers resync with `updated_since`
when they see `import.completed`. Owner changes of existing customers go through
`move_owner()` as everywhere else (ledger, hooks, notification).
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import undefer

from app.auth.dependencies import Ctx
from app.core.audit import record_mutation
from app.core.ids import uuid7
from app.core.jobs import enqueue
from app.core.pagination import ListParams
from app.core.principal import Principal, Role
from app.customers.repository import CustomerRepository
from app.customers.service import customer_settings, move_owner
from app.customfields.repository import CustomFieldRepository
from app.db import workspace_session
from app.errors import AppError, Conflict, FieldError, NotFound, UnprocessableEntity
from app.imports import repository, rows
from app.imports.fields import ImportEntity, check_mapping, suggest_mapping
from app.imports.reader import Table, read_table
from app.imports.schemas import DuplicatePolicy, ImportStatus
from app.models.customer import Contact, Customer, OwnershipChange
from app.models.imports import ImportJob
from app.models.user import User

logger = logging.getLogger("rapport.imports")

TASK = "run_import"
QUEUE = "imports"
#: rejected rows kept with the job (counts stay exact beyond this)
MAX_ERROR_ROWS = 10_000
#: rows per INSERT/UPDATE batch, and per progress update
CHUNK = 2_000
#: customers per search-text refresh statement
REFRESH_CHUNK = 10_000
#: a run whose worker sent no heartbeat for this long is presumed dead (procrastinate's
#: workers beat every 10 s and prune each other after 30 s)
STALLED_AFTER_SECONDS = 60
#: runs of one import (the first and the restarts after interruptions) before it fails
MAX_RUNS = 3
INTERRUPTED = (
    "The run was interrupted (the process running it stopped) and started again "
    "automatically; the interrupted run wrote nothing."
)

ProgressFn = Callable[[int], Awaitable[None]]


# --- validation (dry run and run) --------------------------------------------------------


async def load_reference(session: AsyncSession, principal: Principal) -> rows.Reference:
    conf = await customer_settings(session)
    definitions = await CustomFieldRepository.definitions(session, "customer")
    by_email: dict[str, rows.UserRef] = {}
    by_name: dict[str, list[rows.UserRef]] = {}
    names: dict[uuid.UUID, str] = {}
    for u in await repository.users(session):
        ref = rows.UserRef(u.id, u.is_active)
        by_email[u.email.lower()] = ref
        by_name.setdefault(u.name, []).append(ref)
        names[u.id] = u.name
    return rows.Reference(
        principal=principal,
        may_assign_others=principal.is_manager,
        levels=list(conf.levels),
        duplicate_policy=dict(conf.duplicate_policy),
        definitions={d.key: d for d in definitions},
        users_by_email=by_email,
        users_by_name=by_name,
        user_names=names,
        tags_by_name={t.name: t.id for t in await repository.tags(session)},
    )


async def validate(
    session: AsyncSession,
    principal: Principal,
    table: Table,
    mapping: dict[str, str],
    entity: ImportEntity,
    policy: DuplicatePolicy,
    *,
    lock: bool,
) -> rows.Plan:
    """Parse every row, look up what they refer to, and decide what each becomes.

    CPU-bound parts run in a thread so the event loop (API requests, when the worker runs
    in-process) keeps answering. With `lock`, matched customers and contacts are locked
    for the rest of the transaction, so an update merges into current values.
    """
    ref = await load_reference(session, principal)
    drafts = await asyncio.to_thread(rows.parse_rows, table, mapping, entity, ref)
    existing = await _load_existing(session, principal, drafts, entity, policy, ref, lock=lock)
    return await asyncio.to_thread(rows.resolve, drafts, entity, policy.value, ref, existing)


async def _load_existing(
    session: AsyncSession,
    principal: Principal,
    drafts: list[rows.Draft],
    entity: ImportEntity,
    policy: DuplicatePolicy,
    ref: rows.Reference,
    *,
    lock: bool,
) -> rows.Existing:
    valid = [d for d in drafts if not d.errors]
    existing = rows.Existing()
    repo = CustomerRepository(session, principal)
    contacts_for: list[uuid.UUID] = []
    external_ids = {d.customer["external_id"] for d in valid if d.customer.get("external_id")}
    if entity is ImportEntity.contacts:
        names = {d.customer["name"] for d in valid if not d.customer.get("external_id")}
        for r in await repository.writable_by_reference(repo, external_ids, names):
            existing.customers[r.id] = rows.ExistingCustomer(r.id, r.name, r.owner_id, True)
            if r.external_id in external_ids:
                existing.by_external[rows.external_key(r.external_source, r.external_id)] = r.id
            if r.name in names:
                existing.by_name.setdefault(r.name, []).append(r.id)
        contacts_for = list(existing.customers)
    else:
        wanted: dict[str, set[str]] = {}
        for d in valid:
            for kind, value in rows.customer_keys(d, ref.duplicate_policy):
                wanted.setdefault(kind, set()).add(value)
        found = await repository.customers_matching(
            session,
            credit_codes=wanted.get("credit_code", set()),
            emails=wanted.get("email", set()),
            phones=wanted.get("phone", set()),
            external_ids=external_ids,
            names=wanted.get("name", set()),
        )
        for kind, value, cid in found:
            ids = existing.matches.setdefault((kind, value), [])
            if cid not in ids:
                ids.append(cid)
        matched = {cid for _, _, cid in found}
        if matched:
            update_policy = policy is DuplicatePolicy.update
            writable = await repository.writable_ids(repo, matched) if update_policy else set()
            for r in await repository.customer_summaries(
                session, matched, full=update_policy, lock=lock and update_policy
            ):
                values = (
                    {c: getattr(r, c) for c in repository.UPDATE_COLUMNS} if update_policy else None
                )
                existing.customers[r.id] = rows.ExistingCustomer(
                    r.id, r.name, r.owner_id, r.id in writable, values
                )
            if update_policy and entity is ImportEntity.customers_with_contacts:
                contacts_for = list(writable)
    if contacts_for:
        for c in await repository.contacts_of(session, contacts_for, lock=lock):
            values = {name: getattr(c, name) for name in repository.CONTACT_COLUMNS}
            existing.contacts.setdefault(c.customer_id, []).append(
                rows.ExistingContact(c.id, c.customer_id, values)
            )
    existing.owner_names = ref.user_names
    return existing


def report(plan: rows.Plan) -> tuple[list[dict[str, Any]], bool]:
    """The rejected rows as stored with the job: capped, in file order."""
    rejected = sorted(plan.rejected, key=lambda r: r.row)
    kept = [
        {"row": r.row, "values": r.cells, "errors": [list(e) for e in r.errors]}
        for r in rejected[:MAX_ERROR_ROWS]
    ]
    return kept, len(rejected) > MAX_ERROR_ROWS


# --- requests ----------------------------------------------------------------------------


def _mapping(
    raw: str | None, table: Table, entity: ImportEntity, definitions: Sequence[Any]
) -> dict[str, str]:
    keys = [d.key for d in definitions]
    if raw is None or not raw.strip():
        given: dict[str, str | None] = dict(suggest_mapping(table.headers, entity, definitions))
    else:
        try:
            parsed = json.loads(raw)
        except json.JSONDecodeError:
            parsed = None
        if not isinstance(parsed, dict) or not all(
            isinstance(v, str | None) for v in parsed.values()
        ):
            raise UnprocessableEntity(
                "mapping must be a JSON object of file column → field name (or null).",
                code="invalid_mapping",
                errors=[FieldError(field="body.mapping", message="not a JSON object of strings")],
            )
        given = parsed
    return check_mapping(given, table.headers, entity, keys)


async def create_import(
    ctx: Ctx,
    *,
    filename: str,
    data: bytes,
    entity: ImportEntity,
    policy: DuplicatePolicy,
    dry_run: bool,
    mapping: str | None,
) -> ImportJob:
    """A dry run validates now and keeps the report (status `ready`; nothing else is
    written). A real run checks the file's header and mapping now, then queues the work."""
    table = await asyncio.to_thread(read_table, filename, data, header_only=not dry_run)
    definitions = await CustomFieldRepository.definitions(ctx.session, "customer")
    columns = _mapping(mapping, table, entity, definitions)
    job = ImportJob(
        workspace_id=ctx.principal.workspace_id,
        created_by=ctx.principal.user_id,
        entity=entity.value,
        filename=filename[:255] or "upload",
        file_format=table.format,
        file_size=len(data),
        file=data,
        status=ImportStatus.queued.value,
        dry_run=dry_run,
        duplicate_policy=policy.value,
        headers=table.headers,
        mapping=columns,
        counts={},
        progress=0,
        errors=[],
        errors_truncated=False,
    )
    if dry_run:
        plan = await validate(
            ctx.session, ctx.principal, table, columns, entity, policy, lock=False
        )
        job.status = ImportStatus.ready.value
        job.counts = plan.counts
        job.errors, job.errors_truncated = report(plan)
        job.progress = 100
        job.finished_at = datetime.now(UTC)
    ctx.session.add(job)
    await ctx.session.flush()
    if not dry_run:
        await _enqueue(ctx.session, job)
    return job


async def _enqueue(session: AsyncSession, job: ImportJob) -> None:
    await enqueue(
        session,
        TASK,
        {"job_id": str(job.id), "workspace_id": str(job.workspace_id)},
        queue=QUEUE,
    )


async def start_import(ctx: Ctx, job_id: uuid.UUID) -> ImportJob:
    """Run a dry-run import for real (re-validated when the run starts)."""
    repo = repository.ImportJobRepository(ctx.session, ctx.principal)
    job = await repo.get_writable(job_id)
    if job.status != ImportStatus.ready.value:
        raise Conflict(
            f"Only a validated dry run can be started; this import is {job.status}.",
            code="import_not_ready",
        )
    job.status = ImportStatus.queued.value
    job.dry_run = False
    job.progress = 0
    job.finished_at = None
    await ctx.session.flush()
    await _enqueue(ctx.session, job)
    return await get_import(ctx, job_id)


async def list_imports(
    ctx: Ctx, params: ListParams, sort: str
) -> tuple[Sequence[ImportJob], str | None, bool]:
    return await repository.ImportJobRepository(ctx.session, ctx.principal).page(params, sort)


async def get_import(ctx: Ctx, job_id: uuid.UUID) -> ImportJob:
    repo = repository.ImportJobRepository(ctx.session, ctx.principal)
    stmt = repo.readable().where(ImportJob.id == job_id).options(undefer(ImportJob.errors))
    job = (await ctx.session.execute(stmt)).scalar_one_or_none()
    if job is None:
        raise NotFound(f"No import with id {job_id}.")
    return job


async def error_csv(ctx: Ctx, job_id: uuid.UUID, lang: str) -> AsyncIterator[bytes]:
    """Every rejected row: row number, column, message, then the row as uploaded."""
    job = await get_import(ctx, job_id)
    fixed = ["行号", "列", "错误"] if lang == "zh-CN" else ["Row", "Column", "Error"]
    headers, reports = list(job.headers), list(job.errors)

    async def body() -> AsyncIterator[bytes]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")  # BOM: Excel opens UTF-8 Chinese correctly
        writer.writerow([*fixed, *headers])
        for n, r in enumerate(reports, start=1):
            for column, field, message in r["errors"]:
                writer.writerow([r["row"], column or field, message, *r["values"]])
            if n % 500 == 0:
                yield buffer.getvalue().encode()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue().encode()

    return body()


# --- the run -----------------------------------------------------------------------------


async def run_import(
    maker: async_sessionmaker[AsyncSession], job_id: uuid.UUID, workspace_id: uuid.UUID
) -> str:
    """The background run; returns the final status. Never raises for a failed import:
    the job row is the report."""
    # the run's token: only the run that claimed the import last may write its status
    token = datetime.now(UTC)
    claimed = await _mark(
        maker,
        workspace_id,
        job_id,
        only_if=ImportStatus.queued,
        status=ImportStatus.validating.value,
        started_at=token,
        progress=0,
    )
    if not claimed:
        logger.info("import not queued any more", extra={"job_id": str(job_id)})
        return "not_queued"
    progress = _Progress(maker, workspace_id, job_id, token)
    started = time.perf_counter()
    seconds: dict[str, float] = {}
    try:
        async with workspace_session(maker, workspace_id) as session:
            # one import at a time per workspace: two runs validated side by side would
            # each miss the other's new customers and create them twice
            await session.execute(
                text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                {"key": f"rapport.import:{workspace_id}"},
            )
            job = (
                await session.execute(
                    select(ImportJob).where(ImportJob.id == job_id).options(undefer(ImportJob.file))
                )
            ).scalar_one()
            if job.started_at != token:
                raise Superseded
            principal = await _principal(session, job)
            assert job.file is not None
            table = await asyncio.to_thread(read_table, job.filename, job.file)
            plan = await validate(
                session,
                principal,
                table,
                job.mapping,
                ImportEntity(job.entity),
                DuplicatePolicy(job.duplicate_policy),
                lock=True,
            )
            seconds["validate"] = time.perf_counter() - started
            await progress(10, status=ImportStatus.running)
            await apply(session, principal, job, plan, progress)
            seconds["write"] = time.perf_counter() - started - seconds["validate"]
            errors, truncated = report(plan)
            # the job row is written last in the big transaction: no progress update
            # (separate transactions) comes after it, so they never wait on each other
            done = await session.execute(
                update(ImportJob)
                .where(ImportJob.id == job_id, ImportJob.started_at == token)
                .values(
                    status=ImportStatus.succeeded.value,
                    progress=100,
                    counts=plan.counts,
                    errors=errors,
                    errors_truncated=truncated,
                    finished_at=datetime.now(UTC),
                    file=None,
                )
                .returning(ImportJob.id)
            )
            if done.first() is None:
                raise Superseded  # rolls back every row this run wrote
    except Superseded:
        logger.warning("import run superseded by a newer run", extra={"job_id": str(job_id)})
        return "superseded"
    except Exception as exc:
        logger.exception("import failed", extra={"job_id": str(job_id)})
        message = (
            exc.detail
            if isinstance(exc, AppError)
            else f"The import failed and nothing was written ({type(exc).__name__}); "
            "the server log has the details."
        )
        await _mark(
            maker,
            workspace_id,
            job_id,
            token=token,
            status=ImportStatus.failed.value,
            message=message,
            finished_at=datetime.now(UTC),
        )
        return ImportStatus.failed.value
    seconds["total"] = time.perf_counter() - started
    logger.info(
        "import succeeded",
        extra={
            "job_id": str(job_id),
            "counts": plan.counts,
            "seconds": {k: round(v, 1) for k, v in seconds.items()},
        },
    )
    return ImportStatus.succeeded.value


#: runs of imports (queue jobs `doing`) whose worker is gone: pruned, or silent too long
_STALLED = text(
    """
    SELECT j.id, j.args, j.attempts FROM procrastinate_jobs j
    WHERE j.task_name = :task AND j.status = 'doing'
      AND (j.worker_id IS NULL OR j.worker_id IN (
            SELECT w.id FROM procrastinate_workers w
            WHERE w.last_heartbeat < now() - make_interval(secs => :seconds)))
    """
)


async def recover_interrupted(
    maker: async_sessionmaker[AsyncSession], stalled_after: float = STALLED_AFTER_SECONDS
) -> int:
    """Imports whose run died with its process: queued again (the run starts over; the
    dead one wrote nothing), or failed after `MAX_RUNS` runs. Returns how many it handled.

    Each one is handled in one transaction that locks the queue's job row and re-checks
    that it is still stalled, so two recoveries never both act, and the import row and
    the queue's job change together.
    """
    async with maker() as session, session.begin():
        stalled = (await session.execute(_STALLED, {"task": TASK, "seconds": stalled_after})).all()
    handled = 0
    for queue_id, args, _ in stalled:
        job_id, workspace_id = uuid.UUID(args["job_id"]), uuid.UUID(args["workspace_id"])
        async with workspace_session(maker, workspace_id) as session:
            locked = (
                await session.execute(
                    text(f"{_STALLED.text} AND j.id = :id FOR UPDATE OF j SKIP LOCKED"),
                    {"task": TASK, "seconds": stalled_after, "id": queue_id},
                )
            ).first()
            if locked is None:
                continue
            runs = int(locked.attempts) + 1
            running = ImportJob.status.in_(
                [ImportStatus.validating.value, ImportStatus.running.value]
            )
            if runs >= MAX_RUNS:
                await session.execute(
                    update(ImportJob)
                    .where(ImportJob.id == job_id, running | (ImportJob.status == "queued"))
                    .values(
                        status=ImportStatus.failed.value,
                        message=f"The import was interrupted {runs} times (the process "
                        "running it stopped) and has been given up; nothing was written. "
                        "Upload the file again, or split it.",
                        finished_at=datetime.now(UTC),
                    )
                )
                await session.execute(
                    text("SELECT procrastinate_finish_job_v1(:id, 'failed', false)"),
                    {"id": queue_id},
                )
            else:
                await session.execute(
                    update(ImportJob)
                    .where(ImportJob.id == job_id, running)
                    .values(
                        status=ImportStatus.queued.value,
                        progress=0,
                        started_at=None,
                        message=INTERRUPTED,
                    )
                )
                await session.execute(
                    text("SELECT procrastinate_retry_job_v2(:id, now(), NULL, NULL, NULL)"),
                    {"id": queue_id},
                )
            handled += 1
            logger.warning(
                "import run interrupted: %s",
                "given up" if runs >= MAX_RUNS else "queued again",
                extra={"job_id": str(job_id), "runs": runs},
            )
    return handled


async def _principal(session: AsyncSession, job: ImportJob) -> Principal:
    """The uploader, as they are now (role changes since the upload apply)."""
    user = await session.get(User, (job.workspace_id, job.created_by))
    if user is None or not user.is_active or user.deleted_at is not None:
        raise UnprocessableEntity("The user who uploaded this import is no longer active.")
    principal = Principal(
        workspace_id=user.workspace_id,
        user_id=user.id,
        role=Role(user.role),
        team_id=user.team_id,
        name=user.name,
    )
    if not principal.can_write("customers"):
        raise UnprocessableEntity("The uploader may no longer change customers.")
    return principal


class Superseded(Exception):
    """A newer run has claimed the import: this one must not write."""


async def _mark(
    maker: async_sessionmaker[AsyncSession],
    workspace_id: uuid.UUID,
    job_id: uuid.UUID,
    *,
    only_if: ImportStatus | None = None,
    token: datetime | None = None,
    **values: Any,
) -> bool:
    """Change the job row in a short transaction of its own (with `token`, only while the
    run holding it is the import's current run)."""
    async with workspace_session(maker, workspace_id) as session:
        stmt = update(ImportJob).where(ImportJob.id == job_id).values(**values)
        if only_if is not None:
            stmt = stmt.where(ImportJob.status == only_if.value)
        if token is not None:
            stmt = stmt.where(ImportJob.started_at == token)
        result = await session.execute(stmt.returning(ImportJob.id))
        return result.first() is not None


class _Progress:
    """Writes the job's percentage in its own short transaction when it moves."""

    def __init__(
        self,
        maker: async_sessionmaker[AsyncSession],
        workspace_id: uuid.UUID,
        job_id: uuid.UUID,
        token: datetime,
    ) -> None:
        self.maker, self.workspace_id, self.job_id = maker, workspace_id, job_id
        self.token = token
        self.last = -1

    async def __call__(self, percent: int, *, status: ImportStatus | None = None) -> None:
        percent = max(0, min(99, percent))
        if percent <= self.last and status is None:
            return
        self.last = max(self.last, percent)
        values: dict[str, Any] = {"progress": self.last}
        if status is not None:
            values["status"] = status.value
        await _mark(self.maker, self.workspace_id, self.job_id, token=self.token, **values)


async def apply(
    session: AsyncSession,
    principal: Principal,
    job: ImportJob,
    plan: rows.Plan,
    progress: ProgressFn,
) -> None:
    """Write the plan in the caller's transaction, reporting progress from 10 to 99."""
    ws = principal.workspace_id
    new = [t for t in plan.targets if t.kind == "new"]
    now = datetime.now(UTC)
    customers = [rows.new_customer_row(t, principal, now) for t in new]
    ledger = [
        {
            "id": uuid7(),
            "workspace_id": ws,
            "customer_id": c["id"],
            "from_user_id": None,
            "to_user_id": c["owner_id"],
            "kind": "import",
            "reason": f"import {job.id}: {job.filename}"[:500],
            "actor_id": principal.user_id,
        }
        for c in customers
    ]
    updated = [t for t in plan.targets if t.kind == "update" and rows.customer_changes(t)]
    customer_updates = [rows.updated_customer_row(t) for t in updated]
    contacts = [rows.new_contact_row(c, t.id, principal) for t in plan.targets for c in t.contacts]
    contact_updates = [
        rows.updated_contact_row(c) for t in plan.targets for c in rows.touched_contacts(t)
    ]
    # new customers got their search text with the INSERT; these need it refreshed
    touched = list(
        dict.fromkeys(
            [
                *(t.id for t in updated),
                *(t.id for t in plan.targets if t.contacts or rows.touched_contacts(t)),
            ]
        )
    )
    total = (
        len(customers)
        + len(ledger)
        + len(customer_updates)
        + len(contacts)
        + len(contact_updates)
        + len(touched)
    ) or 1
    done = 0

    async def step(n: int) -> None:
        nonlocal done
        done += n
        await progress(10 + 89 * done // total)

    for batch in _chunks(customers, CHUNK):
        await repository.insert_customers(session, batch)
        await step(len(batch))
    for batch in _chunks(ledger, CHUNK):
        await repository.insert_rows(session, OwnershipChange, batch)
        await step(len(batch))
    columns = [
        *rows.CUSTOMER_COLUMNS,
        "custom_fields",
        "phones_normalized",
        "email_normalized",
        "name_normalized",
    ]
    for batch in _chunks(customer_updates, CHUNK):
        await repository.update_rows(session, Customer, ws, columns, batch)
        await step(len(batch))
    await _move_owners(session, principal, job, plan)
    for batch in _chunks(contacts, CHUNK):
        await repository.insert_rows(session, Contact, batch)
        await step(len(batch))
    contact_columns = [*rows.CONTACT_COLUMNS, "phones_normalized"]
    for batch in _chunks(contact_updates, CHUNK):
        await repository.update_rows(session, Contact, ws, contact_columns, batch)
        await step(len(batch))
    customer_repo = CustomerRepository(session, principal)
    for ids in _chunks(touched, REFRESH_CHUNK):
        await customer_repo.refresh_search_text(ids)
        await step(len(ids))
    await record_mutation(
        session,
        principal,
        entity="import",
        action="completed",
        entity_id=job.id,
        sequence=1,
        before=None,
        after={
            "filename": job.filename,
            "entity": job.entity,
            "duplicate_policy": job.duplicate_policy,
            "counts": plan.counts,
        },
    )


async def _move_owners(
    session: AsyncSession, principal: Principal, job: ImportJob, plan: rows.Plan
) -> None:
    """Owner columns of updated customers: through `move_owner`, like any transfer."""
    by_owner: dict[uuid.UUID, list[uuid.UUID]] = {}
    for t in plan.targets:
        if owner := rows.new_owner(t):
            by_owner.setdefault(owner, []).append(t.id)
    for owner, ids in by_owner.items():
        loaded = (
            (
                await session.execute(
                    select(Customer)
                    .where(repository.any_id(Customer.id, ids))
                    .order_by(Customer.id)
                    .with_for_update()
                )
            )
            .scalars()
            .all()
        )
        await move_owner(
            session,
            principal,
            loaded,
            to_user_id=owner,
            kind="import",
            reason=f"import {job.id}: {job.filename}"[:500],
        )


def _chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
