"""Rounding figures as a person reads them: halves up (4.25 → 4.3, 12.5% → 13%).

Python's `round()` rounds halves to even (round(4.25, 1) == 4.2), while the pages drew
`floatformat`, which rounds halves up: a CSV and its page disagreed on the same figure. Every
figure a page and its CSV both show goes through `rounded` (pages through the `rounded` and
`percent` filters of `{% load closeloop %}`), so the two agree to the digit.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

# A float's arithmetic leaves noise in the last digits: 100 * (7 / 40) is 17.499999999999996,
# not 17.5. Figures are first rounded to this many places, far below what is shown, so a
# half reached by arithmetic is still a half.
NOISE_PLACES = 9
# Room for any figure's whole digits besides those places (Decimal's default is 28 digits).
_ROOM = Context(prec=400)


def rounded_decimal(value: float, places: int = 1) -> Decimal:
    """`value` to `places` decimals, halves rounded up (away from zero)."""
    # repr: the shortest decimal that reads back as this float, the digits a person sees
    # (4.25, not 4.25000000000000001776...), as `floatformat` reads it.
    shown = Decimal(repr(float(value)))
    exact = shown.quantize(Decimal(1).scaleb(-NOISE_PLACES), ROUND_HALF_UP, _ROOM)
    return exact.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP, _ROOM)


def rounded(value: float, places: int = 1) -> float:
    """`value` to `places` decimals, halves up, as a number (a CSV cell): 4.25 → 4.3."""
    return float(rounded_decimal(value, places))


def rounded_text(value: float | None, places: int = 1) -> str:
    """`value` as a page shows it, `places` decimals kept: 4.25 → "4.3", 4 → "4.0"; "" for
    None."""
    return "" if value is None else str(rounded_decimal(value, places))


def percent(share: float, places: int = 1) -> float:
    """A share (0.625) as a percentage, halves up, as a number: 62.5 (`places=0`: 63.0)."""
    return rounded(100 * share, places)


def percent_text(share: float | None, places: int = 0) -> str:
    """A share as a page shows its percentage, halves up: 0.625 → "63"; "" for None."""
    return "" if share is None else rounded_text(100 * share, places)
