"""Filter helpers shared by list endpoints."""

from __future__ import annotations


def contains_pattern(text: str) -> str:
    """An ILIKE pattern matching `text` anywhere, with LIKE wildcards in it escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
