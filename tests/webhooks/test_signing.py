"""Signatures checked by the independent `standardwebhooks` package; the retry schedule;
the SSRF check's address rules."""

from __future__ import annotations

import random
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from app.webhooks import dispatch, signing, ssrf

BODY = signing.body_bytes({"type": "customer.created", "data": {"object": {"name": "云帆科技"}}})


def _headers(
    secret: str, *, ts: int | None = None, body: bytes = BODY, extra: list[str] | None = None
) -> dict[str, str]:
    return signing.headers("msg_abc", ts or int(time.time()), body, [secret, *(extra or [])])


class TestSignature:
    def test_the_reference_implementation_verifies_our_signature(self) -> None:
        secret = signing.new_secret()
        assert secret.startswith("whsec_")
        payload = Webhook(secret).verify(BODY, _headers(secret))
        assert payload["data"]["object"]["name"] == "云帆科技"

    def test_tampered_body_is_rejected(self) -> None:
        secret = signing.new_secret()
        headers = _headers(secret)
        with pytest.raises(WebhookVerificationError):
            Webhook(secret).verify(BODY.replace("云帆".encode(), "云杉".encode()), headers)

    def test_wrong_secret_is_rejected(self) -> None:
        with pytest.raises(WebhookVerificationError):
            Webhook(signing.new_secret()).verify(BODY, _headers(signing.new_secret()))

    def test_stale_timestamp_is_rejected(self) -> None:
        secret = signing.new_secret()
        stale = int(time.time()) - 10 * 60
        with pytest.raises(WebhookVerificationError):
            Webhook(secret).verify(BODY, _headers(secret, ts=stale))

    def test_during_rotation_both_secrets_verify(self) -> None:
        new, old = signing.new_secret(), signing.new_secret()
        headers = _headers(new, extra=[old])
        assert len(headers["webhook-signature"].split(" ")) == 2
        Webhook(new).verify(BODY, headers)
        Webhook(old).verify(BODY, headers)


class TestSchedule:
    def test_retries_back_off_over_about_three_days(self) -> None:
        rng = random.Random(7)
        delays = [dispatch.retry_delay(n, rng) for n in range(1, dispatch.MAX_ATTEMPTS)]
        assert all(d is not None for d in delays)
        assert dispatch.retry_delay(dispatch.MAX_ATTEMPTS) is None
        first = delays[0]
        assert first is not None
        assert timedelta(seconds=4) <= first <= timedelta(seconds=6)
        total = sum((d for d in delays if d is not None), timedelta())
        assert timedelta(days=2) < total < timedelta(days=3.5)

    def test_jitter_spreads_retries(self) -> None:
        rng = random.Random(1)
        seen = {dispatch.retry_delay(3, rng) for _ in range(20)}
        assert len(seen) > 10
        assert all(
            d is not None and timedelta(minutes=24) <= d <= timedelta(minutes=36) for d in seen
        )

    def test_retry_after_as_seconds_or_date_is_clamped(self) -> None:
        now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
        assert dispatch.parse_retry_after("120", now) == timedelta(seconds=120)
        assert dispatch.parse_retry_after("Tue, 01 Dec 2026 08:10:00 GMT", now) == timedelta(
            minutes=10
        )
        assert dispatch.parse_retry_after("0", now) == timedelta(seconds=1)
        assert dispatch.parse_retry_after("999999", now) == timedelta(hours=24)
        assert dispatch.parse_retry_after("soon", now) is None

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (" 120 ", timedelta(seconds=120)),
            ("9" * 40, timedelta(hours=24)),  # once an OverflowError in the worker
            ("²", None),  # str.isdigit() says yes; int() said ValueError
            ("١٢", None),
            ("1.5", None),
            ("-5", None),
            ("Sun, 06 Nov 1994 08:49:37 GMT", timedelta(seconds=1)),  # past: as soon as may be
            ("Tue, 01 Dec 2026 08:10:00", timedelta(minutes=10)),  # no zone: GMT
            ("Tue, 01 Dec 2026 08:00:30 +0800", timedelta(seconds=1)),
            ("Fri, 01 Jan 2027 00:00:00 GMT", timedelta(hours=24)),
        ],
    )
    def test_odd_retry_after_values_never_raise(
        self, value: str, expected: timedelta | None
    ) -> None:
        now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
        assert dispatch.parse_retry_after(value, now) == expected


class TestFilter:
    @pytest.mark.parametrize(
        ("patterns", "event_type", "expected"),
        [
            (["*"], "customer.created", True),
            (["customer.*"], "customer.deleted", True),
            (["customer.*"], "customers_x.created", False),
            (["customer.*"], "contact.created", False),
            (["lead.converted"], "lead.converted", True),
            (["lead.converted"], "lead.created", False),
            (["opportunity.*", "lead.created"], "lead.created", True),
        ],
    )
    def test_patterns(self, patterns: list[str], event_type: str, expected: bool) -> None:
        assert dispatch.matches(patterns, event_type) is expected


class TestAddresses:
    @pytest.mark.parametrize(
        "url",
        [
            "http://10.0.0.1/hook",
            "http://127.0.0.1:8000/hook",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]/hook",
            "http://localhost:9000/hook",
            "http://api.localhost/hook",
            "http://192.168.1.20/hook",
            "http://[::ffff:10.1.2.3]/hook",
            "http://0.0.0.0/hook",
            "http://224.0.0.1/hook",
            "http://100.64.0.1/hook",
            # other spellings of loopback / private addresses the resolver accepts
            "http://2130706433/hook",
            "http://0x7f000001/hook",
            "http://0177.0.0.1/hook",
            "http://127.1/hook",
            "http://10.1/hook",
            "http://0/hook",
            "http://[::]/hook",
            "http://[::ffff:7f00:1]/hook",
            "http://[fe80::1%25eth0]/hook",
            "http://[fc00::1]/hook",
            "http://[64:ff9b::a00:1]/hook",
            "http://[2002:7f00:1::]/hook",  # 6to4 wrapping 127.0.0.1
            "http://[2002:a9fe:a9fe::]/hook",  # 6to4 wrapping 169.254.169.254
        ],
    )
    async def test_private_targets_are_refused(self, url: str) -> None:
        with pytest.raises(ssrf.UrlRefused) as refused:
            await ssrf.resolve(url, allow_private=False)
        assert refused.value.code == "webhook_url_private"

    async def test_public_literal_is_allowed_and_pinned(self) -> None:
        target = await ssrf.resolve("https://93.184.215.14/hook", allow_private=False)
        assert target.addresses == ("93.184.215.14",)
        url, _host, _ext = dispatch._pinned("https://93.184.215.14/hook?a=1", target)
        assert url == "https://93.184.215.14:443/hook?a=1"

    async def test_an_ipv6_literal_is_pinned_with_a_bracketed_host(self) -> None:
        target = await ssrf.resolve("http://[2606:4700::1111]:8080/h", allow_private=False)
        url, host, _ext = dispatch._pinned("http://[2606:4700::1111]:8080/h", target)
        assert url == "http://[2606:4700::1111]:8080/h"
        assert host == {"host": "[2606:4700::1111]:8080"}

    def test_a_claimed_message_does_not_show_its_secrets(self) -> None:
        secret = signing.new_secret()
        work = dispatch.Work(
            workspace_id=uuid.uuid4(),
            delivery_id=uuid.uuid4(),
            endpoint_id=uuid.uuid4(),
            webhook_id="msg_1",
            attempt=1,
            url="https://example.org/h",
            secrets=(secret,),
            body=b"{}",
        )
        assert secret not in repr(work)
        assert secret.removeprefix("whsec_") not in repr(work)

    async def test_the_setting_allows_loopback(self) -> None:
        target = await ssrf.resolve("http://127.0.0.1:9/hook", allow_private=True)
        assert target.addresses == ()

    @pytest.mark.parametrize(
        "url",
        [
            "ftp://example.org/x",
            "not a url",
            "http:///nohost",
            "http://exa mple.org/x",
            "http://example.org/x\r\nX-Injected: 1",
            "http://example.org:99999/x",
        ],
    )
    async def test_non_http_urls_are_invalid(self, url: str) -> None:
        with pytest.raises(ssrf.UrlRefused) as refused:
            await ssrf.resolve(url, allow_private=True)
        assert refused.value.code == "webhook_url_invalid"
