"""The scan line printed on a bill's remittance stub.

    AAAAAAAAAA CCCCCCCCC K

ten digits of account number, the amount due in cents as nine digits, and a
Luhn check digit over the nineteen before it. Cashier scanners and lockbox
files read it; spaces are optional.
"""

from __future__ import annotations

import re
from decimal import Decimal

from mesa_cs.lib.luhn import luhn_check_digit, luhn_is_valid
from mesa_cs.lib.money import to_money


def scan_line(account_number: str, amount_due: Decimal) -> str:
    cents = int(to_money(max(amount_due, Decimal("0"))) * 100)
    payload = f"{account_number}{cents:09d}"
    return f"{account_number} {cents:09d} {luhn_check_digit(payload)}"


def parse_scan_line(text: str) -> tuple[str, Decimal] | None:
    """(account number, amount due) from a scan line, or None if it is not one."""
    if not re.fullmatch(r"[\d ]+", text or ""):
        return None
    digits = text.replace(" ", "")
    if len(digits) != 20 or not luhn_is_valid(digits) or not luhn_is_valid(digits[:10]):
        return None
    return digits[:10], Decimal(digits[10:19]) / 100
