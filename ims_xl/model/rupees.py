"""Amounts as Indian users read them: 12,34,567.50."""

from __future__ import annotations

from decimal import Decimal


def rupees(x: float | Decimal) -> str:
    """1234567.5 -> '12,34,567.50'; never '-0.00'."""
    x = round(float(x), 2)
    sign = "-" if x < 0 else ""
    whole, frac = f"{abs(x):.2f}".split(".")
    head, tail = whole[:-3], whole[-3:]
    groups: list[str] = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return sign + ",".join(groups + [tail]) + "." + frac
