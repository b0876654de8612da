"""The hand-built March 2026 world and its clock (tests/targets/world.py)."""

from tests.targets.conftest import as_, clock, world

__all__ = ["as_", "clock", "world"]
