"""Setting targets: who may set whose, what a target must be, and what is written."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from app.models.event import Event
from app.models.targets import Target
from tests.auth.test_auth import assert_problem
from tests.factories import use
from tests.targets.world import World

API = "/api/v1"


def body_for(world: World, person: str = "ravi", **extra: Any) -> dict[str, Any]:
    return {
        "subject_kind": "user",
        "subject_id": world.id(person),
        "period": "2026-03",
        "metric": "won_amount",
        "target_value": "20000",
        **extra,
    }


async def live_targets(session: Any, world: World) -> int:
    await use(session, world.ws)
    return int(
        await session.scalar(
            select(func.count()).select_from(Target).where(Target.deleted_at.is_(None))
        )
    )


class TestLifecycle:
    async def test_create_read_change_delete_with_versions_and_events(
        self, world, as_, session
    ) -> None:
        mia = await as_("mia")
        r = await mia.post(f"{API}/targets", json=body_for(world))
        assert r.status_code == 201, r.text
        target = r.json()
        assert {k: target[k] for k in target if k not in ("id", "created_at", "updated_at")} == {
            "subject_kind": "user",
            "subject_id": world.id("ravi"),
            "subject_name": "Ravi Rep",
            "period": "2026-03",
            "period_kind": "month",
            "period_start": "2026-03-01",
            "period_end": "2026-04-01",
            "metric": "won_amount",
            "target_value": "20000.00",
            "currency": "CNY",
            "version": 1,
        }
        path = f"{API}/targets/{target['id']}"
        got = await mia.get(path)
        assert got.headers["etag"] == 'W/"1"'
        changed = await mia.patch(
            path, json={"target_value": "25000.5"}, headers={"If-Match": 'W/"1"'}
        )
        assert changed.status_code == 200, changed.text
        assert (changed.json()["target_value"], changed.json()["version"]) == ("25000.50", 2)
        stale = await mia.patch(path, json={"target_value": "1"}, headers={"If-Match": 'W/"1"'})
        assert_problem(stale, 412, "precondition_failed")
        assert (await mia.delete(path, headers={"If-Match": 'W/"2"'})).status_code == 204
        assert_problem(await mia.get(path), 404, "not_found")
        await use(session, world.ws)
        types = (
            await session.scalars(
                select(Event.type).where(Event.entity_id == target["id"]).order_by(Event.sequence)
            )
        ).all()
        assert types == ["target.created", "target.updated", "target.deleted"]
        # the slot is free again once the target is deleted
        assert (await mia.post(f"{API}/targets", json=body_for(world))).status_code == 201

    async def test_one_target_per_subject_period_and_metric(self, world, as_, session) -> None:
        mia = await as_("mia")
        assert (await mia.post(f"{API}/targets", json=body_for(world))).status_code == 201
        again = await mia.post(f"{API}/targets", json=body_for(world, target_value="1"))
        assert_problem(again, 409, "target_exists")
        other_metric = body_for(world, metric="payments_received")
        assert (await mia.post(f"{API}/targets", json=other_metric)).status_code == 201
        quarter = body_for(world, period="2026-Q1")
        assert (await mia.post(f"{API}/targets", json=quarter)).status_code == 201
        assert await live_targets(session, world) == 3

    async def test_counts_are_whole_numbers_without_currency(self, world, as_) -> None:
        admin = await as_("ada")
        r = await admin.post(
            f"{API}/targets",
            json={
                "subject_kind": "workspace",
                "period": "2026",
                "metric": "new_customers",
                "target_value": "120",
            },
        )
        assert r.status_code == 201, r.text
        body = r.json()
        assert (body["target_value"], body["currency"], body["subject_id"]) == (
            "120",
            None,
            str(world.ws),
        )
        assert (body["period_kind"], body["period_start"], body["period_end"]) == (
            "year",
            "2026-01-01",
            "2027-01-01",
        )

    async def test_list_filters(self, world, as_) -> None:
        admin = await as_("ada")
        for body in (
            body_for(world, "ravi"),
            body_for(world, "sara", metric="payments_received"),
            body_for(world, "tom", period="2026-Q1"),
            {
                "subject_kind": "team",
                "subject_id": str(world.teams["east"].id),
                "period": "2026-03",
                "metric": "follow_ups",
                "target_value": "40",
            },
        ):
            assert (await admin.post(f"{API}/targets", json=body)).status_code == 201

        async def names(**params: str) -> list[str]:
            r = await admin.get(f"{API}/targets", params={"sort": "created_at", **params})
            assert r.status_code == 200, r.text
            return [t["subject_name"] for t in r.json()["data"]]

        assert await names() == ["Ravi Rep", "Sara Rep", "Tom Rep", "East"]
        assert await names(period="2026-03") == ["Ravi Rep", "Sara Rep", "East"]
        assert await names(metric="payments_received") == ["Sara Rep"]
        assert await names(subject_kind="team") == ["East"]
        assert await names(user_id=world.id("tom")) == ["Tom Rep"]
        assert await names(team_id=str(world.teams["shanghai"].id)) == ["Sara Rep"]
        assert await names(team_id=str(world.teams["east"].id)) == ["Ravi Rep", "Sara Rep", "East"]
        first = await admin.get(f"{API}/targets", params={"limit": 3, "sort": "created_at"})
        rest = await admin.get(
            f"{API}/targets",
            params={"limit": 3, "sort": "created_at", "cursor": first.json()["next_cursor"]},
        )
        assert [t["subject_name"] for t in rest.json()["data"]] == ["East"]
        assert rest.json()["has_more"] is False


class TestScope:
    @pytest.fixture
    async def targets(self, world, as_):  # type: ignore[no-untyped-def]
        admin = await as_("ada")
        made = {}
        for key, body in {
            "ravi": body_for(world, "ravi"),
            "tom": body_for(world, "tom"),
            "east": {
                "subject_kind": "team",
                "subject_id": str(world.teams["east"].id),
                "period": "2026-03",
                "metric": "follow_ups",
                "target_value": "40",
            },
            "south": {
                "subject_kind": "team",
                "subject_id": str(world.teams["south"].id),
                "period": "2026-03",
                "metric": "follow_ups",
                "target_value": "10",
            },
            "ws": {
                "subject_kind": "workspace",
                "period": "2026-03",
                "metric": "new_customers",
                "target_value": "30",
            },
        }.items():
            r = await admin.post(f"{API}/targets", json=body)
            assert r.status_code == 201, r.text
            made[key] = r.json()["id"]
        return made

    @pytest.mark.parametrize(
        ("person", "visible"),
        [
            ("ravi", {"ravi"}),
            ("sara", set()),
            ("mia", {"ravi", "east"}),
            ("max", {"tom", "south"}),
            ("ada", {"ravi", "tom", "east", "south", "ws"}),
            ("owner", {"ravi", "tom", "east", "south", "ws"}),
        ],
    )
    async def test_who_sees_which_targets(self, world, as_, targets, person, visible) -> None:
        client = await as_(person)
        listed = {t["id"] for t in (await client.get(f"{API}/targets")).json()["data"]}
        assert listed == {targets[k] for k in visible}
        for key, target_id in targets.items():
            r = await client.get(f"{API}/targets/{target_id}")
            assert r.status_code == (200 if key in visible else 404), (key, r.text)

    async def test_sales_reps_cannot_set_targets_even_their_own(self, world, as_, session) -> None:
        ravi = await as_("ravi")
        assert_problem(await ravi.post(f"{API}/targets", json=body_for(world)), 403, "forbidden")
        assert await live_targets(session, world) == 0

    async def test_managers_set_targets_within_their_subtree_only(
        self, world, as_, targets, session
    ) -> None:
        mia = await as_("mia")
        sara = body_for(world, "sara")
        assert (await mia.post(f"{API}/targets", json=sara)).status_code == 201
        own = body_for(world, "mia")
        assert (await mia.post(f"{API}/targets", json=own)).status_code == 201
        shanghai = {
            "subject_kind": "team",
            "subject_id": str(world.teams["shanghai"].id),
            "period": "2026-03",
            "metric": "follow_ups",
            "target_value": "5",
        }
        assert (await mia.post(f"{API}/targets", json=shanghai)).status_code == 201
        before = await live_targets(session, world)
        for body in (
            body_for(world, "tom", metric="payments_received"),
            body_for(world, "ada"),
            {
                "subject_kind": "team",
                "subject_id": str(world.teams["hq"].id),
                "period": "2026-03",
                "metric": "follow_ups",
                "target_value": "5",
            },
            {
                "subject_kind": "workspace",
                "period": "2026-04",
                "metric": "new_customers",
                "target_value": "5",
            },
        ):
            assert_problem(await mia.post(f"{API}/targets", json=body), 403, "forbidden")
        assert await live_targets(session, world) == before
        # out of scope reads as absent, in scope is writable
        tom = f"{API}/targets/{targets['tom']}"
        assert_problem(await mia.patch(tom, json={"target_value": "1"}), 404, "not_found")
        assert_problem(await mia.delete(tom), 404, "not_found")
        east = f"{API}/targets/{targets['east']}"
        assert (await mia.patch(east, json={"target_value": "45"})).json()["target_value"] == "45"

    async def test_a_viewer_reads_the_subtree_but_cannot_change_it(
        self, world, as_, targets, session, client_for
    ) -> None:
        from tests.factories import create_user

        viewer = await create_user(session, world.ws, role="viewer", team=world.teams["south"])
        await session.commit()
        client = await client_for(viewer)
        listed = {t["id"] for t in (await client.get(f"{API}/targets")).json()["data"]}
        assert listed == {targets["tom"], targets["south"]}
        south = f"{API}/targets/{targets['south']}"
        assert_problem(await client.patch(south, json={"target_value": "1"}), 403, "forbidden")


class TestBadInput:
    @pytest.mark.parametrize(
        ("change", "code", "field"),
        [
            ({"metric": "revenue"}, "validation_error", "body.metric"),
            ({"period": "2026-13"}, "invalid_period", "body.period"),
            ({"period": "2026-W10"}, "invalid_period", "body.period"),
            ({"period": "2026-03-01"}, "invalid_period", "body.period"),
            ({"period": "March"}, "validation_error", "body.period"),
            ({"target_value": "-5"}, "validation_error", "body.target_value"),
            ({"target_value": "0"}, "validation_error", "body.target_value"),
            ({"target_value": "1.005"}, "validation_error", "body.target_value"),
            ({"target_value": "1e30"}, "validation_error", "body.target_value"),
            (
                {"metric": "follow_ups", "target_value": "2.5"},
                "invalid_target_value",
                "body.target_value",
            ),
            (
                {"metric": "follow_ups", "target_value": "3", "currency": "CNY"},
                "invalid_target_value",
                "body.currency",
            ),
            ({"currency": "cny"}, "validation_error", "body.currency"),
            ({"subject_kind": "person"}, "validation_error", "body.subject_kind"),
            ({"subject_id": None}, "invalid_subject", "body.subject_id"),
            (
                {"subject_id": "00000000-0000-0000-0000-000000000001"},
                "invalid_subject",
                "body.subject_id",
            ),
            ({"subject_kind": "team"}, "invalid_subject", "body.subject_id"),
            ({"subject_kind": "workspace"}, "invalid_subject", "body.subject_id"),
            ({"color": "red"}, "validation_error", "body.color"),
        ],
    )
    async def test_422_with_the_field_and_nothing_written(
        self, world, as_, session, change, code, field
    ) -> None:
        admin = await as_("ada")
        r = await admin.post(f"{API}/targets", json=body_for(world, **change))
        body = assert_problem(r, 422, code)
        assert field in {e["field"] for e in body["errors"]}, body
        assert await live_targets(session, world) == 0

    async def test_bad_updates_change_nothing(self, world, as_) -> None:
        admin = await as_("ada")
        count = (
            await admin.post(
                f"{API}/targets", json=body_for(world, metric="follow_ups", target_value="30")
            )
        ).json()
        path = f"{API}/targets/{count['id']}"
        for change, code in (
            ({"target_value": "-1"}, "validation_error"),
            ({"target_value": None}, "validation_error"),
            ({"target_value": "30.5"}, "invalid_target_value"),
            ({"currency": "USD"}, "invalid_target_value"),
            ({"metric": "won_amount"}, "validation_error"),
        ):
            assert_problem(await admin.patch(path, json=change), 422, code)
        after = (await admin.get(path)).json()
        assert (after["target_value"], after["currency"], after["version"]) == ("30", None, 1)

    @pytest.mark.parametrize("period", ["2026-13", "2026-W10", "2026-03-15", "26"])
    async def test_progress_needs_a_month_quarter_or_year(self, world, as_, period) -> None:
        admin = await as_("ada")
        r = await admin.get(f"{API}/targets/progress", params={"period": period})
        body = assert_problem(r, 422, "invalid_period")
        assert body["errors"][0]["field"] == "query.period"

    async def test_unknown_query_parameters_are_refused(self, world, as_) -> None:
        admin = await as_("ada")
        r = await admin.get(f"{API}/targets/progress", params={"period": "2026-03", "x": "1"})
        assert_problem(r, 400, "unknown_parameter")
