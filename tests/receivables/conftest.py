from __future__ import annotations

from datetime import date

import pytest

from tests.contracts.helpers import Clock, at


@pytest.fixture(autouse=True)
def clock(monkeypatch):  # type: ignore[no-untyped-def]
    """Every receivables test runs on 15 March 2026, noon in Shanghai, unless it moves on."""
    return Clock(monkeypatch, at(date(2026, 3, 15)))
