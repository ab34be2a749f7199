"""The one place money is rounded: to the cent, half-up (docs/pricing.md, rule 6)."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_money(value) -> Decimal:
    """Round a Decimal (or an int / numeric string) to cents, half-up.

    Floats are refused: a binary float cannot hold most cent values exactly.
    """
    if isinstance(value, float):
        raise TypeError("money must not be a float; pass a Decimal or a string")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
