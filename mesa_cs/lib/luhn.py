"""Luhn check digits: account numbers carry one; card numbers are spotted by one."""

import re


def luhn_checksum(digits: str) -> int:
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10


def luhn_is_valid(digits: str) -> bool:
    return digits.isdigit() and luhn_checksum(digits) == 0


def luhn_check_digit(payload: str) -> str:
    """The digit that, appended to ``payload``, makes a valid Luhn number."""
    return str((10 - luhn_checksum(payload + "0")) % 10)


_DIGIT_RUN = re.compile(r"\d(?:[ -]?\d)*")


def looks_like_card_number(text: str) -> bool:
    """True when ``text`` holds a run of 13-19 digits (spaces or dashes between
    them allowed) that passes Luhn: what a payment card number looks like."""
    for match in _DIGIT_RUN.finditer(text or ""):
        digits = re.sub(r"\D", "", match.group())
        if 13 <= len(digits) <= 19 and luhn_is_valid(digits):
            return True
    return False
