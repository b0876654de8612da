"""Passwords (argon2id) and opaque tokens (stored as SHA-256 hashes only)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2id with the library's recommended parameters
# Verified against when an e-mail is unknown, so both paths cost the same time.
_DUMMY_HASH = _hasher.hash("rapport-timing-equaliser")

SESSION_COOKIE = "rapport_session"
CSRF_COOKIE = "rapport_csrf"
CSRF_HEADER = "X-CSRF-Token"
API_KEY_PREFIX = "rpk_"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def new_session_token(workspace_id: uuid.UUID) -> str:
    """`<workspace hex>.<secret>`: the workspace lets the lookup run under row-level security."""
    return f"{workspace_id.hex}.{secrets.token_urlsafe(32)}"


def new_csrf_token() -> str:
    return secrets.token_urlsafe(24)


def new_api_key(workspace_id: uuid.UUID) -> str:
    return f"{API_KEY_PREFIX}{workspace_id.hex}_{secrets.token_urlsafe(30)}"


def workspace_of(token: str, *, api_key: bool = False) -> uuid.UUID | None:
    """The workspace id embedded in a session token or API key, or None if malformed."""
    try:
        if api_key:
            if not token.startswith(API_KEY_PREFIX):
                return None
            head = token[len(API_KEY_PREFIX) :].split("_", 1)[0]
        else:
            head = token.split(".", 1)[0]
        return uuid.UUID(hex=head) if len(head) == 32 else None
    except ValueError:
        return None
