"""Money for contracts, receivables and orders: Decimal, two places, HALF_UP.

Requests carry amounts as decimal strings (or JSON numbers) with at most two decimals;
anything computed (sums, tax, line totals, allocations) is rounded HALF_UP to the cent.
Responses always show two decimals ("1000.00").
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import Field, PlainSerializer

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def cents(value: Decimal | int | str) -> Decimal:
    """`value` rounded HALF_UP to two decimal places."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def show(value: Decimal | None) -> str:
    """Human form for messages: 12,345.60."""
    return f"{cents(value or 0):,.2f}"


#: a money amount in a response: always a string with two decimals
MoneyOut = Annotated[
    Decimal, PlainSerializer(lambda v: str(cents(v)), return_type=str, when_used="json")
]

#: ISO 4217 code in upper case, e.g. CNY, USD, EUR
CurrencyCode = Annotated[str, Field(pattern="^[A-Z]{3}$", examples=["CNY"])]
