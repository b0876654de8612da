from __future__ import annotations

import json

from app.openapi import CONTRACT, check, render


async def test_healthz(anon) -> None:
    r = await anon.get("/healthz")
    assert r.json() == {"status": "ok"}


async def test_readyz_reports_migrations_at_head(anon) -> None:
    from app.ops.migrations import head_revision

    r = await anon.get("/readyz")
    assert r.status_code == 200, r.text
    assert r.json() == {"status": "ready", "revision": head_revision()}


async def test_metrics_count_requests(anon) -> None:
    await anon.get("/api/v1/me")
    text = (await anon.get("/metrics")).text
    assert 'rapport_http_requests_total{method="GET",route="/api/v1/me",status="401"}' in text


async def test_every_response_carries_a_request_id(anon) -> None:
    r = await anon.get("/api/v1/me", headers={"X-Request-ID": "trace-123"})
    assert r.headers["x-request-id"] == "trace-123"
    assert r.json()["request_id"] == "trace-123"


async def test_spa_routes_fall_back_to_index_but_api_does_not(anon) -> None:
    r = await anon.get("/api/v1/unknown")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")


def test_committed_contract_matches_the_app(app) -> None:
    assert check(app) is None, "run `make openapi` and commit openapi/openapi.json"


def test_operation_ids_are_unique_and_tagged(app) -> None:
    spec = json.loads(render(app))
    ids = [op["operationId"] for path in spec["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids))
    for op_id in ids:
        tag, _, name = op_id.partition(":")
        assert tag
        assert name
    assert CONTRACT.exists()


def test_error_responses_are_documented_as_problems(app) -> None:
    spec = app.openapi()
    create = spec["paths"]["/api/v1/users"]["post"]["responses"]
    assert "409" in create
    assert "422" in create
    assert "Problem" in json.dumps(create["409"])
