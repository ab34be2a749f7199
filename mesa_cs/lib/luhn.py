"""Luhn check digits: account numbers carry one; card numbers are spotted by one.

Card numbers never enter Mesa CS. ``looks_like_card_number`` is the one test,
``reject_card_numbers`` the one refusal every service calls for the free text
people and files fill, and ``mask_card_numbers`` what the purge command and a
held payment-file item keep instead. The rule is written out in docs/security.md.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

CARD_MIN, CARD_MAX = 13, 19
# Digits of any script (a full-width 4111... is still a card number), joined
# by any run of the separators people type or paste between digit groups:
# whitespace (line breaks included), dots and dashes of every kind.
_SEPARATORS = r"[\s.\-\u2010-\u2015\u2212]*"
_DIGIT_RUN = re.compile(rf"\d(?:{_SEPARATORS}\d)*")

CARD_REFUSAL = (
    "looks like it holds a card number. Card numbers never enter Mesa CS: take the card "
    "on the payment terminal and type only its approval code or last 4 digits "
    "(keep other long numbers apart with a comma or a word)."
)


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


_DIGIT_GROUP = re.compile(r"\d+")
_DIGIT = re.compile(r"\d")


def _card_positions(text: str) -> list[list[int]]:
    """For each run of digits and separators holding a card number: the
    positions in ``text`` of the digits that belong to one.

    The run's digits are tried in every window of 13-19 digits that begins
    and ends where the person's digit groups do, so a reference typed in
    front ("Ref 12 4111 1111 1111 1111") or digits after it do not hide the
    number. Windows are not cut through the middle of a group: then most
    16-digit numbers that are not cards (one of their shorter inner windows
    passes Luhn by chance) would be refused."""
    found = []
    if len(_DIGIT.findall(text or "")) < CARD_MIN:
        return found  # most names and addresses: too few digits to hold one
    for run in _DIGIT_RUN.finditer(text):
        groups = [
            [run.start() + g.start() + i for i in range(len(g.group()))]
            for g in _DIGIT_GROUP.finditer(run.group())
        ]
        if sum(len(g) for g in groups) < CARD_MIN:
            continue
        covered: set[int] = set()
        for first in range(len(groups)):
            window: list[int] = []
            for group in groups[first:]:
                window += group
                if len(window) > CARD_MAX:
                    break
                digits = "".join(str(int(text[p])) for p in window)
                if len(window) >= CARD_MIN and luhn_checksum(digits) == 0:
                    covered.update(window)
        if covered:
            found.append(sorted(covered))
    return found


def looks_like_card_number(text: str) -> bool:
    """True when ``text`` holds 13-19 digits in a row (spaces, dashes, dots or
    line breaks between them allowed, other digit groups around them allowed)
    that pass Luhn: what a payment card number looks like."""
    return bool(_card_positions(text))


def mask_card_numbers(text: str) -> str:
    """``text`` with every digit of a card number starred except the last 4
    ("4111111111111111" becomes "************1111"); separators and the
    text around stay. Masking a masked text changes nothing."""
    while found := _card_positions(text):
        chars = list(text)
        for positions in found:
            for position in positions[:-4]:
                chars[position] = "*"
        # The 4 digits left could start a new window with the digits after
        # them; go again until nothing looks like a card (each pass stars more).
        text = "".join(chars)
    return text


def reject_card_numbers(**fields: str | None) -> None:
    """Refuse, naming each field, any free text that holds a card number.

    Call it from every service that stores what a person or a file typed; not
    for fields that are legitimately long digit strings of a known shape (a
    bill's scan line, a bank routing or account number), which are checked by
    their own format instead."""
    errors = {
        name: f"The {name.replace('_', ' ')} {CARD_REFUSAL}"
        for name, value in fields.items()
        if value and looks_like_card_number(str(value))
    }
    if errors:
        raise ValidationError(errors)


def validate_no_card_number(value: str) -> None:
    """A form field validator: the same refusal, shown on the field."""
    if value and looks_like_card_number(str(value)):
        raise ValidationError(f"This {CARD_REFUSAL}", code="card_number")
