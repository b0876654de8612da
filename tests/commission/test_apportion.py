"""How a payment is split into commission lines by product category, to the cent."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from app.commission.service import apportion


def split(amount: str, *weights: tuple[str | None, int]) -> list[tuple[str | None, str]]:
    return [(name, str(share)) for name, share in apportion(Decimal(amount), weights)]


def test_exact_shares_need_no_rounding() -> None:
    assert split("1000.00", ("Hardware", 300_000), ("Software", 700_000)) == [
        ("Hardware", "300.00"),
        ("Software", "700.00"),
    ]


def test_the_left_over_cent_goes_to_the_largest_remainder() -> None:
    # 2:1 of 10,000.00 = 6,666.666… and 3,333.333…: both round down, 1 cent is left and
    # goes to the share that lost 0.666… of a cent
    assert split("10000.00", ("Software", 400_000), ("Hardware", 200_000)) == [
        ("Hardware", "3333.33"),
        ("Software", "6666.67"),
    ]


def test_ties_go_to_the_larger_weight_then_the_name_and_uncategorised_last() -> None:
    # 3:3:3:1 of 1,000.01: 300.003 (×3) and 100.001 → 1,000.00 + 1 cent; three shares lost
    # 0.3 cent each with the same weight: the first by name takes it
    assert split(
        "1000.01",
        ("Software", 300_000),
        (None, 100_000),
        ("Services", 300_000),
        ("Hardware", 300_000),
    ) == [
        ("Hardware", "300.01"),
        ("Services", "300.00"),
        ("Software", "300.00"),
        (None, "100.00"),
    ]
    # 0.02 split 1:3 → 0.005 and 0.015: both lose half a cent; the heavier share takes it
    assert split("0.02", ("A", 1), ("B", 3)) == [("A", "0.00"), ("B", "0.02")]
    # 0.02 in three equal shares: 0.00666… each, two cents left: A and B by name; an
    # uncategorised share would come last
    assert split("0.02", (None, 5), ("B", 5), ("A", 5)) == [
        ("A", "0.01"),
        ("B", "0.01"),
        (None, "0.00"),
    ]


def test_without_weights_one_uncategorised_line() -> None:
    assert split("2499.99") == [(None, "2499.99")]
    assert split("5.00", ("Hardware", 0)) == [(None, "5.00")]


def test_the_largest_amounts_stay_exact() -> None:
    shares = apportion(Decimal("9999999999999999.99"), [("A", 1), ("B", 1), ("C", 1)])
    assert [str(s) for _, s in shares] == [
        "3333333333333333.33",
        "3333333333333333.33",
        "3333333333333333.33",
    ]
    assert sum(s for _, s in shares) == Decimal("9999999999999999.99")


@given(
    cents=st.integers(min_value=1, max_value=10**17),
    weights=st.lists(st.integers(min_value=0, max_value=10**15), min_size=1, max_size=8),
)
def test_lines_always_add_up_and_stay_within_a_cent(cents: int, weights: list[int]) -> None:
    amount = Decimal(cents) / 100
    named = [(f"c{i}", w) for i, w in enumerate(weights)]
    shares = apportion(amount, named)
    assert sum(s for _, s in shares) == amount
    total = sum(weights)
    if total == 0:
        assert shares == [(None, amount)]
        return
    by_name = dict(shares)
    for name, w in named:
        if w == 0:
            assert name not in by_name
            continue
        exact = Decimal(cents * w) / Decimal(total) / 100
        assert abs(by_name[name] - exact) < Decimal("0.01")
        assert by_name[name] == by_name[name].quantize(Decimal("0.01"))
