"""Customer imports: mapping, dry run, the queued all-or-nothing run, duplicates, formats."""

from __future__ import annotations

import csv
import io
import json
import time
import uuid

import httpx
import pytest
from openpyxl import Workbook
from sqlalchemy import func, select, text

from app.core.jobs import build_job_app, runtime
from app.core.principal import Principal, Role
from app.customers.exports import COLUMNS
from app.customers.normalize import _CODE_CHARS, _CODE_WEIGHTS, normalize_company_name
from app.customers.repository import CustomerRepository
from app.imports import service
from app.imports.fields import ImportEntity, suggest_mapping
from app.models.audit import AuditEntry
from app.models.customer import Contact, Customer, OwnershipChange
from app.models.event import Event
from tests.auth.test_auth import assert_problem
from tests.factories import create_user, login_as, use

URL = "/api/v1/imports"


def credit_code(n: int) -> str:
    """A well-formed 统一社会信用代码 (correct check character) derived from `n`."""
    body = f"91330100{n:09d}"
    total = sum(_CODE_CHARS.index(c) * w for c, w in zip(body, _CODE_WEIGHTS, strict=True))
    return body + _CODE_CHARS[(31 - total % 31) % 31]


def csv_bytes(rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


async def upload(
    client: httpx.AsyncClient,
    content: bytes,
    *,
    filename: str = "customers.csv",
    entity: str = "customers",
    dry_run: bool = False,
    policy: str = "skip",
    mapping: dict[str, str | None] | None = None,
) -> httpx.Response:
    data = {"entity": entity, "dry_run": str(dry_run).lower(), "duplicate_policy": policy}
    if mapping is not None:
        data["mapping"] = json.dumps(mapping, ensure_ascii=False)
    return await client.post(URL, data=data, files={"file": (filename, content)})


HEADER = ["客户名称", "手机", "邮箱", "统一社会信用代码", "等级", "城市"]
GOOD = [
    ["星辰贸易有限公司", "13800138001", "a@xingchen.cn", credit_code(1), "A", "杭州"],
    ["Blue Ocean Ltd", "+86 138 0013 8002 / 0571-8888 1234", "", "", "B", "Hangzhou"],
    ["远山科技", "13800138003", "", credit_code(3), "", "宁波"],
]
BAD = {
    5: ["错误邮箱公司", "13800138005", "not-an-email", "", "A", ""],
    6: ["", "13800138006", "", "", "", "温州"],  # no name
    7: ["坏代码公司", "13800138007", "", "91330100716105852X", "", ""],
    8: ["等级不对公司", "13800138008", "", "", "Z", ""],
}


def sample_file() -> bytes:
    rows: list[list[object]] = [HEADER, *GOOD[:2], BAD[5], BAD[6], BAD[7], BAD[8], GOOD[2]]
    # rows 2, 3 good; 4..7 bad (header = row 1); row 8 good
    return csv_bytes(rows)


async def customer_count(session, tenant) -> int:  # type: ignore[no-untyped-def]
    await use(session, tenant.id)
    return int(await session.scalar(select(func.count()).select_from(Customer)) or 0)


class TestMappingSuggestion:
    def test_export_headers_in_both_languages_map_back(self) -> None:
        for lang in (1, 2):
            headers = [c[lang] for c in COLUMNS]
            mapping = suggest_mapping(headers, ImportEntity.customers, [])
            assert set(mapping.values()) >= {
                "name",
                "phones",
                "email",
                "credit_code",
                "owner",
                "tags",
                "province",
                "city",
                "level",
            }
            assert headers[0] not in mapping  # the export's id column is not imported

    def test_common_zh_and_en_labels(self) -> None:
        zh = [
            "公司名称",
            "手机号",
            "电子邮箱",
            "信用代码",
            "负责人",
            "标签",
            "省份",
            "城市",
            "备注",
        ]
        assert suggest_mapping(zh, ImportEntity.customers, []) == {
            "公司名称": "name",
            "手机号": "phones",
            "电子邮箱": "email",
            "信用代码": "credit_code",
            "负责人": "owner",
            "标签": "tags",
            "省份": "province",
            "城市": "city",
        }
        en = ["Company Name", "Mobile", "E-mail", "Credit Code", "Owner*", "Tags", "Notes"]
        assert suggest_mapping(en, ImportEntity.customers, []) == {
            "Company Name": "name",
            "Mobile": "phones",
            "E-mail": "email",
            "Credit Code": "credit_code",
            "Owner*": "owner",
            "Tags": "tags",
        }

    def test_contacts_headers_depend_on_the_entity(self) -> None:
        headers = ["客户名称", "联系人", "手机", "职务", "联系人手机"]
        both = suggest_mapping(headers, ImportEntity.customers_with_contacts, [])
        assert both == {
            "客户名称": "name",
            "联系人": "contact_name",
            "手机": "phones",
            "职务": "contact_title",
            "联系人手机": "contact_phones",
        }
        only = suggest_mapping(["客户名称", "姓名", "手机", "邮箱"], ImportEntity.contacts, [])
        assert only == {
            "客户名称": "name",
            "姓名": "contact_name",
            "手机": "contact_phones",
            "邮箱": "contact_email",
        }


class TestDryRun:
    async def test_lists_exactly_the_bad_rows_and_writes_no_customer(
        self, owner_client, session, tenant
    ) -> None:
        r = await upload(owner_client, sample_file(), dry_run=True)
        assert r.status_code == 201, r.text
        job = r.json()
        assert job["status"] == "ready"
        assert job["dry_run"] is True
        assert job["mapping"] == {
            "客户名称": "name",
            "手机": "phones",
            "邮箱": "email",
            "统一社会信用代码": "credit_code",
            "等级": "level",
            "城市": "city",
        }
        assert job["counts"] == {
            "total": 7,
            "valid": 3,
            "invalid": 4,
            "created": 3,
            "updated": 0,
            "unchanged": 0,
            "skipped": 0,
            "contacts_created": 0,
            "contacts_updated": 0,
        }
        errors = {(e["row"], e["field"]): e for e in job["errors"]}
        assert set(errors) == {(4, "email"), (5, "name"), (6, "credit_code"), (7, "level")}
        assert errors[(4, "email")]["column"] == "邮箱"
        assert "e-mail" in errors[(4, "email")]["message"]
        assert "A, B, C" in errors[(7, "level")]["message"]
        assert await customer_count(session, tenant) == 0

        csv_r = await owner_client.get(f"{URL}/{job['id']}/errors.csv")
        assert csv_r.status_code == 200
        assert csv_r.headers["content-type"].startswith("text/csv")
        lines = list(csv.reader(io.StringIO(csv_r.content.decode("utf-8-sig"))))
        assert lines[0] == ["行号", "列", "错误", *HEADER]
        assert [line[0] for line in lines[1:]] == ["4", "5", "6", "7"]
        assert lines[1][3:] == BAD[5]

    async def test_bad_mapping_is_a_422_naming_the_column(self, owner_client) -> None:
        r = await upload(
            owner_client, sample_file(), dry_run=True, mapping={"手机": "phones", "x": "name"}
        )
        body = assert_problem(r, 422, "invalid_mapping")
        fields = {e["field"]: e["message"] for e in body["errors"]}
        assert fields["body.mapping.x"] == "not a column of the file"
        assert "no column is mapped to name" in fields["body.mapping"]
        r = await upload(
            owner_client, sample_file(), dry_run=True, mapping={"客户名称": "contact_name"}
        )
        assert_problem(r, 422, "invalid_mapping")

    async def test_explicit_mapping_ignores_unmapped_columns(self, owner_client) -> None:
        r = await upload(
            owner_client,
            sample_file(),
            dry_run=True,
            mapping={"客户名称": "name", "邮箱": None},
        )
        assert r.status_code == 201, r.text
        assert r.json()["mapping"] == {"客户名称": "name"}
        assert r.json()["counts"]["invalid"] == 1  # only the row without a name

    async def test_owner_tags_and_custom_fields(self, owner_client, session, tenant) -> None:
        rep = await create_user(session, tenant.id, role="sales")
        await session.commit()
        await owner_client.post("/api/v1/tags", json={"name": "VIP"})
        r = await owner_client.post(
            "/api/v1/custom-fields",
            json={
                "entity": "customer",
                "key": "scale",
                "label_zh": "规模",
                "label_en": "Scale",
                "type": "select",
                "options": ["small", "large"],
            },
        )
        assert r.status_code == 201, r.text
        content = csv_bytes(
            [
                ["名称", "负责人", "标签", "规模"],
                ["甲公司", rep.email.upper(), "VIP", "large"],
                ["乙公司", "nobody@example.com", "VIP", "small"],
                ["丙公司", rep.name, "VIP，不存在", "huge"],
            ]
        )
        r = await upload(owner_client, content, dry_run=True)
        assert r.status_code == 201, r.text
        job = r.json()
        assert job["mapping"]["规模"] == "cf.scale"
        errors = sorted((e["row"], e["field"], e["message"]) for e in job["errors"])
        assert errors == [
            (3, "owner", "unknown or inactive user"),
            (4, "cf.scale", "must be one of: small, large"),
            (4, "tags", "unknown tag(s): 不存在"),
        ]

    async def test_sales_rep_cannot_import_for_others_and_viewer_not_at_all(
        self, session, tenant, client_for
    ) -> None:
        rep = await create_user(session, tenant.id, role="sales")
        viewer = await create_user(session, tenant.id, role="viewer")
        rep_client = await client_for(rep)
        content = csv_bytes([["名称", "负责人"], ["甲公司", tenant.owner.email]])
        job = (await upload(rep_client, content, dry_run=True)).json()
        assert [e["message"] for e in job["errors"]] == ["you can only import customers you own"]
        viewer_client = await client_for(viewer)
        assert_problem(await upload(viewer_client, content, dry_run=True), 403, "forbidden")
        # and the rep sees only their own imports
        listed = (await rep_client.get(URL)).json()
        assert [j["id"] for j in listed["data"]] == [job["id"]]
        viewer_list = await viewer_client.get(URL)
        assert_problem(viewer_list, 403, "forbidden")


class TestFiles:
    async def test_xlsx_upload(self, owner_client, maker, session, tenant) -> None:
        book = Workbook()
        sheet = book.active
        sheet.append(["Name", "Phones", "Credit code", "Level"])
        sheet.append(["Northwind Traders", 13800138011, credit_code(11), "A"])
        sheet.append([None, None, None, None])
        sheet.append(["Contoso", "13800138012", "bad", "A"])
        out = io.BytesIO()
        book.save(out)
        r = await upload(owner_client, out.getvalue(), filename="book.xlsx", dry_run=True)
        assert r.status_code == 201, r.text
        job = r.json()
        assert job["file_format"] == "xlsx"
        assert job["counts"]["total"] == 2
        assert [(e["row"], e["field"]) for e in job["errors"]] == [(4, "credit_code")]
        # the run (called directly here; TestQueuedRun goes through the real queue)
        started = await owner_client.post(f"{URL}/{job['id']}/run")
        assert started.status_code == 202, started.text
        assert started.json()["status"] == "queued"
        assert await service.run_import(maker, uuid.UUID(job["id"]), tenant.id) == "succeeded"
        await use(session, tenant.id)
        created = (await session.execute(select(Customer))).scalars().all()
        assert [(c.name, c.phones, c.phones_normalized) for c in created] == [
            ("Northwind Traders", ["13800138011"], ["+8613800138011"])
        ]
        again = await owner_client.post(f"{URL}/{job['id']}/run")
        assert_problem(again, 409, "import_not_ready")

    async def test_gb18030_csv_and_semicolons(self, owner_client) -> None:
        content = "名称;电话\n杭州某某有限公司;13800138021\n".encode("gb18030")
        r = await upload(owner_client, content, dry_run=True)
        assert r.status_code == 201, r.text
        assert r.json()["counts"]["valid"] == 1

    async def test_oversize_upload_is_413(self, owner_client, monkeypatch) -> None:
        monkeypatch.setattr("app.imports.router.MAX_BYTES", 1024)
        r = await upload(owner_client, b"name\n" + b"x" * 2048, dry_run=True)
        assert_problem(r, 413, "payload_too_large")

    @pytest.mark.parametrize(
        ("filename", "content"),
        [
            ("logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
            ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64),
            ("report.pdf", b"%PDF-1.7 some text"),
            ("fake.xlsx", b"name\nx\n"),
        ],
    )
    async def test_other_formats_are_415(self, owner_client, filename, content) -> None:
        r = await upload(owner_client, content, filename=filename, dry_run=True)
        assert_problem(r, 415, "unsupported_file_type")

    async def test_file_without_header_is_422(self, owner_client) -> None:
        r = await upload(owner_client, b"\n\n,,\n", dry_run=True)
        assert_problem(r, 422, "unreadable_file")


class TestDuplicatePolicy:
    async def _existing(self, client: httpx.AsyncClient) -> dict[str, object]:
        r = await client.post(
            "/api/v1/customers",
            json={"name": "老客户", "phones": ["13800138031"], "city": "杭州", "level": "C"},
        )
        assert r.status_code == 201, r.text
        return r.json()  # type: ignore[no-any-return]

    def _file(self) -> bytes:
        return csv_bytes(
            [
                ["名称", "电话", "城市", "等级"],
                ["老客户（新名字）", "+86 138-0013-8031", "上海", ""],
                ["新客户", "13800138032", "北京", "A"],
                ["新客户", "13800138032", "天津", ""],  # same customer again in the file
            ]
        )

    async def _run(self, client, maker, tenant, policy: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
        r = await upload(client, self._file(), policy=policy)
        assert r.status_code == 202, r.text
        assert r.json()["status"] == "queued"
        assert await service.run_import(maker, uuid.UUID(r.json()["id"]), tenant.id) == "succeeded"
        return (await client.get(f"{URL}/{r.json()['id']}")).json()  # type: ignore[no-any-return]

    async def test_skip_leaves_the_existing_customer_alone(
        self, owner_client, maker, session, tenant
    ) -> None:
        old = await self._existing(owner_client)
        job = await self._run(owner_client, maker, tenant, "skip")
        assert job["counts"]["created"] == 1
        assert job["counts"]["skipped"] == 2  # the existing one, and the repeat in the file
        assert job["progress"] == 100
        after = (await owner_client.get(f"/api/v1/customers/{old['id']}")).json()
        assert (after["name"], after["city"], after["version"]) == ("老客户", "杭州", 1)
        await use(session, tenant.id)
        new = (
            await session.execute(select(Customer).where(Customer.name == "新客户"))
        ).scalar_one()
        assert (new.city, new.level) == ("北京", "A")

    async def test_update_changes_the_given_fields_only(
        self, owner_client, maker, session, tenant
    ) -> None:
        old = await self._existing(owner_client)
        job = await self._run(owner_client, maker, tenant, "update")
        assert job["counts"]["updated"] == 1
        assert job["counts"]["created"] == 1
        after = (await owner_client.get(f"/api/v1/customers/{old['id']}")).json()
        assert (after["name"], after["city"], after["level"]) == ("老客户（新名字）", "上海", "C")
        assert after["version"] == 2
        await use(session, tenant.id)
        new = (
            await session.execute(select(Customer).where(Customer.name == "新客户"))
        ).scalar_one()
        assert (new.city, new.level) == ("天津", "A")  # the later row of the file wins
        found = (await owner_client.get("/api/v1/customers", params={"q": "新名字"})).json()
        assert [c["id"] for c in found["data"]] == [old["id"]]  # search text refreshed

    async def test_update_moves_the_owner_through_the_ledger(
        self, owner_client, maker, session, tenant
    ) -> None:
        old = await self._existing(owner_client)
        rep = await create_user(session, tenant.id, role="sales")
        await session.commit()
        content = csv_bytes([["名称", "电话", "负责人"], ["老客户", "13800138031", rep.email]])
        r = await upload(owner_client, content, policy="update")
        assert await service.run_import(maker, uuid.UUID(r.json()["id"]), tenant.id) == "succeeded"
        job = (await owner_client.get(f"{URL}/{r.json()['id']}")).json()
        assert (job["counts"]["updated"], job["counts"]["unchanged"]) == (1, 0)
        after = (await owner_client.get(f"/api/v1/customers/{old['id']}")).json()
        assert after["owner_id"] == str(rep.id)
        ledger = (await owner_client.get(f"/api/v1/customers/{old['id']}/ownership")).json()
        assert sorted((e["kind"], e["to_user_id"]) for e in ledger) == [
            ("create", str(tenant.owner.id)),
            ("import", str(rep.id)),
        ]

    async def test_create_makes_a_second_customer_but_respects_blocked_codes(
        self, owner_client, maker, session, tenant
    ) -> None:
        await self._existing(owner_client)
        await owner_client.post(
            "/api/v1/customers", json={"name": "有代码的", "credit_code": credit_code(40)}
        )
        content = csv_bytes(
            [
                ["名称", "电话", "统一社会信用代码"],
                ["老客户", "13800138031", ""],
                ["另一个", "", credit_code(40)],
            ]
        )
        job = (await upload(owner_client, content, policy="create", dry_run=True)).json()
        assert job["counts"]["created"] == 1
        [error] = job["errors"]
        assert error["row"] == 3
        assert error["field"] == "credit_code"
        assert "有代码的" in error["message"]


class TestContacts:
    async def test_customers_with_contacts_group_rows_by_customer(
        self, owner_client, maker, session, tenant
    ) -> None:
        content = csv_bytes(
            [
                ["客户名称", "电话", "联系人", "职务", "联系人手机"],
                ["华东机电", "0571-88880001", "张三", "采购经理", "13900000001"],
                ["华东机电", "", "李四", "总经理", "13900000002"],
                ["华南电子", "", "王五", "", "13900000003"],
                ["华南电子", "", "", "CTO", ""],  # contact columns without a name
            ]
        )
        r = await upload(owner_client, content, entity="customers_with_contacts")
        assert r.status_code == 202, r.text
        assert await service.run_import(maker, uuid.UUID(r.json()["id"]), tenant.id) == "succeeded"
        job = (await owner_client.get(f"{URL}/{r.json()['id']}")).json()
        assert job["counts"]["created"] == 2
        assert job["counts"]["contacts_created"] == 3
        assert [(e["row"], e["field"]) for e in job["errors"]] == [(5, "contact_name")]
        await use(session, tenant.id)
        rows = (
            await session.execute(
                select(Customer.name, Contact.name, Contact.title)
                .join(Contact, Contact.customer_id == Customer.id)
                .order_by(Contact.name)
            )
        ).all()
        assert sorted(rows) == sorted(
            [
                ("华东机电", "张三", "采购经理"),
                ("华东机电", "李四", "总经理"),
                ("华南电子", "王五", None),
            ]
        )
        found = (await owner_client.get("/api/v1/customers", params={"q": "李四"})).json()
        assert [c["name"] for c in found["data"]] == ["华东机电"]

    async def test_contacts_file_finds_customers_by_exact_name(
        self, owner_client, maker, session, tenant
    ) -> None:
        customer = (await owner_client.post("/api/v1/customers", json={"name": "西湖茶业"})).json()
        await owner_client.post(
            f"/api/v1/customers/{customer['id']}/contacts",
            json={"name": "赵六", "phones": ["13900000010"]},
        )
        content = csv_bytes(
            [
                ["客户名称", "姓名", "手机", "邮箱"],
                ["西湖茶业", "钱七", "13900000011", "qian@tea.cn"],
                ["西湖茶业", "赵六（重复）", "139 0000 0010", ""],
                ["不存在的公司", "孙八", "", ""],
            ]
        )
        r = await upload(owner_client, content, entity="contacts", policy="skip")
        assert r.status_code == 202, r.text
        assert await service.run_import(maker, uuid.UUID(r.json()["id"]), tenant.id) == "succeeded"
        job = (await owner_client.get(f"{URL}/{r.json()['id']}")).json()
        assert job["counts"]["contacts_created"] == 1
        assert job["counts"]["skipped"] == 1
        assert [(e["row"], e["field"]) for e in job["errors"]] == [(4, "name")]
        await use(session, tenant.id)
        names = set(
            (
                await session.execute(
                    select(Contact.name).where(Contact.customer_id == uuid.UUID(customer["id"]))
                )
            ).scalars()
        )
        assert names == {"赵六", "钱七"}


class TestWrittenRows:
    async def test_search_text_is_what_refresh_search_text_computes(
        self, owner_client, maker, session, tenant
    ) -> None:
        """New customers get their search text in the INSERT; it must not drift from
        CustomerRepository.refresh_search_text."""
        content = csv_bytes(
            [
                ["名称", "简称", "电话", "邮箱"],
                ["ÄBC Trading GmbH", "ÄBC", "13800138051 / 0571 8888 1234", "Info@ABC.de"],
                ["无邮箱公司", "", "", ""],
            ]
        )
        r = await upload(owner_client, content)
        assert await service.run_import(maker, uuid.UUID(r.json()["id"]), tenant.id) == "succeeded"
        await use(session, tenant.id)
        imported = dict((await session.execute(select(Customer.id, Customer.search_text))).all())
        assert len(imported) == 2
        principal = Principal(tenant.id, tenant.owner.id, Role.owner, None)
        await CustomerRepository(session, principal).refresh_search_text(list(imported))
        refreshed = dict((await session.execute(select(Customer.id, Customer.search_text))).all())
        assert refreshed == imported
        customer = (
            await session.execute(select(Customer).where(Customer.short_name == "ÄBC"))
        ).scalar_one()
        assert customer.phones == ["13800138051", "0571 8888 1234"]
        assert customer.phones_normalized == ["+8613800138051", "+8657188881234"]
        assert customer.email == "Info@abc.de"
        assert customer.email_normalized == "info@abc.de"
        assert customer.name_normalized == normalize_company_name("ÄBC Trading GmbH")
        assert customer.owned_since is not None
        ledger = (
            await session.execute(
                select(OwnershipChange.kind, OwnershipChange.to_user_id).where(
                    OwnershipChange.customer_id == customer.id
                )
            )
        ).all()
        assert ledger == [("import", tenant.owner.id)]

    async def test_fields_endpoint_lists_custom_fields(self, owner_client) -> None:
        await owner_client.post(
            "/api/v1/custom-fields",
            json={
                "entity": "customer",
                "key": "budget",
                "label_zh": "预算",
                "label_en": "Budget",
                "type": "money",
            },
        )
        fields = (await owner_client.get(f"{URL}/fields")).json()
        by_name = {f["field"]: f for f in fields}
        assert by_name["name"]["required"] is True
        assert by_name["cf.budget"]["label_zh"] == "预算"
        assert "contact_name" not in by_name
        contacts = (await owner_client.get(f"{URL}/fields", params={"entity": "contacts"})).json()
        assert [f["field"] for f in contacts][:3] == ["name", "external_source", "external_id"]
        assert contacts[0]["label_en"] == "Customer name"


# --- through the real queue --------------------------------------------------------------


async def _run_worker_until_idle(settings, database_url) -> None:  # type: ignore[no-untyped-def]
    job_app = build_job_app(settings, database_url)
    async with job_app.open_async():
        await job_app.run_worker_async(
            wait=False, install_signal_handlers=False, queues=[service.QUEUE]
        )


def generated_file(rows: int, bad_every: int) -> tuple[bytes, set[int]]:
    """`rows` customers; every `bad_every`-th has one of four kinds of error."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["客户名称", "手机", "邮箱", "统一社会信用代码", "等级", "城市"])
    bad: set[int] = set()
    for i in range(1, rows + 1):
        name, phone, email, code, level = (
            f"测试客户{i:06d}有限公司",
            f"139{i:08d}",
            f"c{i}@example.com",
            credit_code(i),
            "ABC"[i % 3],
        )
        if i % bad_every == 0:
            kind = (i // bad_every) % 4
            if kind == 0:
                email = f"c{i}@"
            elif kind == 1:
                code = code[:-1] + ("0" if code[-1] != "0" else "1")
            elif kind == 2:
                level = "Z"
            else:
                name = ""
            bad.add(i + 1)  # spreadsheet row (header = 1)
        writer.writerow([name, phone, email, code, level, "杭州"])
    return buffer.getvalue().encode(), bad


@pytest.fixture
async def queued_client(committed, settings, owner_engine):  # type: ignore[no-untyped-def]
    """A client on committed data whose app allows large uploads."""
    from app.main import create_app

    _, tenant, maker = committed
    runtime.sessionmaker = maker
    app = create_app(settings.model_copy(update={"max_body_bytes": 60 * 1024 * 1024}))
    app.state.sessionmaker = maker
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t", timeout=300) as client:
        async with maker() as s:
            await login_as(s, client, tenant.owner)
        yield client, tenant, maker
    async with owner_engine.begin() as conn:
        await conn.execute(text("DELETE FROM workspaces WHERE id = :id"), {"id": tenant.id})


async def _import_through_queue(  # type: ignore[no-untyped-def]
    queued_client, settings, database_url, rows: int, bad_every: int
) -> None:
    client, tenant, maker = queued_client
    content, bad = generated_file(rows, bad_every)

    started = time.perf_counter()
    dry = await upload(client, content, dry_run=True)
    assert dry.status_code == 201, dry.text
    dry_seconds = time.perf_counter() - started
    report = dry.json()
    assert report["counts"]["invalid"] == len(bad)
    listed = {e["row"] for e in report["errors"]}
    assert listed == bad  # exactly those rows, each with a reason
    assert all(e["message"] for e in report["errors"])

    started = time.perf_counter()
    r = await upload(client, content)
    assert r.status_code == 202, r.text
    job_id = r.json()["id"]
    await _run_worker_until_idle(settings, database_url)
    run_seconds = time.perf_counter() - started
    print(f"\n{rows} rows: dry run {dry_seconds:.1f}s, queued run {run_seconds:.1f}s")

    job = (await client.get(f"{URL}/{job_id}")).json()
    assert job["status"] == "succeeded", job["message"]
    assert job["progress"] == 100
    assert job["counts"]["created"] == rows - len(bad)
    assert job["counts"]["invalid"] == len(bad)
    async with maker() as s, s.begin():
        await use(s, tenant.id)
        names = set((await s.execute(select(Customer.name))).scalars())
        assert len(names) == rows - len(bad)
        assert f"测试客户{min(bad) - 1:06d}有限公司" not in names
        ledger = await s.scalar(
            select(func.count())
            .select_from(OwnershipChange)
            .where(OwnershipChange.kind == "import")
        )
        assert ledger == rows - len(bad)
        blank_search = await s.scalar(
            select(func.count()).select_from(Customer).where(Customer.search_text == "")
        )
        assert blank_search == 0
        audits = (
            (await s.execute(select(AuditEntry.action).where(AuditEntry.entity == "import")))
            .scalars()
            .all()
        )
        assert audits == ["completed"]
        events = (
            (await s.execute(select(Event.data).where(Event.type == "import.completed")))
            .scalars()
            .all()
        )
        assert [e["counts"]["created"] for e in events] == [rows - len(bad)]
        customer_events = await s.scalar(
            select(func.count()).select_from(Event).where(Event.type == "customer.created")
        )
        assert customer_events == 0
        left = await s.scalar(
            text("SELECT count(*) FROM procrastinate_jobs WHERE task_name = :t"),
            {"t": service.TASK},
        )
        assert left == 0  # done (a failed job would stay)


class TestQueuedRun:
    async def test_5k_rows_with_bad_ones(self, queued_client, settings, database_url) -> None:
        await _import_through_queue(queued_client, settings, database_url, 5_000, 100)

    @pytest.mark.reliability
    async def test_100k_rows_with_50_bad(self, queued_client, settings, database_url) -> None:
        await _import_through_queue(queued_client, settings, database_url, 100_000, 2_000)

    async def test_progress_moves_while_the_run_is_open(
        self, queued_client, settings, database_url, monkeypatch
    ) -> None:
        client, _, _ = queued_client
        seen: list[int] = []
        original = service._mark

        async def spy(*args, **values):  # type: ignore[no-untyped-def]
            if "progress" in values:
                seen.append(values["progress"])
            return await original(*args, **values)

        monkeypatch.setattr(service, "_mark", spy)
        monkeypatch.setattr(service, "CHUNK", 500)
        content, _ = generated_file(3_000, 10_000)
        r = await upload(client, content)
        await _run_worker_until_idle(settings, database_url)
        job = (await client.get(f"{URL}/{r.json()['id']}")).json()
        assert job["status"] == "succeeded"
        assert len(seen) > 5
        assert seen == sorted(seen)
        assert job["progress"] == 100

    async def test_a_failing_run_writes_nothing_and_says_so(
        self, queued_client, settings, database_url, monkeypatch
    ) -> None:
        client, tenant, maker = queued_client
        original = service.record_mutation

        async def explode(*args, **kwargs):  # type: ignore[no-untyped-def]
            raise RuntimeError("disk full")

        monkeypatch.setattr(service, "record_mutation", explode)
        content, _ = generated_file(500, 10_000)
        r = await upload(client, content)
        await _run_worker_until_idle(settings, database_url)
        monkeypatch.setattr(service, "record_mutation", original)
        job = (await client.get(f"{URL}/{r.json()['id']}")).json()
        assert job["status"] == "failed"
        assert "nothing was written" in job["message"]
        async with maker() as s, s.begin():
            await use(s, tenant.id)
            assert await s.scalar(select(func.count()).select_from(Customer)) == 0
