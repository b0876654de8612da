"""Standard Webhooks signing: `whsec_` secrets and `v1,<base64 HMAC-SHA256>` signatures.

The signed content is `{webhook-id}.{webhook-timestamp}.{body}`; the HMAC key is the
base64-decoded part of the secret after `whsec_`. During a secret rotation's overlap both
the new and the previous secret sign, space-separated, so a receiver holding either verifies.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from typing import Any

PREFIX = "whsec_"


def new_secret() -> str:
    """24 random bytes (Standard Webhooks asks for 24 to 64), base64 after `whsec_`."""
    return PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(PREFIX))


def signature(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def body_bytes(payload: dict[str, Any]) -> bytes:
    """The exact bytes sent: compact JSON, UTF-8. Deterministic for the stored payload, so
    every attempt of a delivery carries the same body."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def headers(msg_id: str, timestamp: int, body: bytes, secrets_: list[str]) -> dict[str, str]:
    return {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(signature(s, msg_id, timestamp, body) for s in secrets_),
        "user-agent": "Rapport-Webhooks/1",
    }
