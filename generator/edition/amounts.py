"""A KZT amount (int or Decimal) → text in the guidebooks' style: '2 162.5', '−1 966'.

One grouping rule for every place that shows money (validation messages, pages, the diff's
text and the diff page); callers choose the group separator, decimal mark and minus sign.
"""
from __future__ import annotations

from decimal import Decimal


def group_kzt(value, sep: str = " ", point: str = ".", minus: str = "-") -> str:
    number = Decimal(str(value))
    whole, _, frac = f"{abs(number):f}".partition(".")
    frac = frac.rstrip("0")
    text = f"{int(whole):,}".replace(",", sep) + (point + frac if frac else "")
    return (minus if number < 0 else "") + text
