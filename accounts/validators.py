import re

from django.core.exceptions import ValidationError

from mesa_cs.lib.luhn import luhn_is_valid

MESA_ZIPS = [
    "85201",
    "85202",
    "85203",
    "85204",
    "85205",
    "85206",
    "85207",
    "85208",
    "85209",
    "85210",
    "85211",
    "85212",
    "85213",
    "85215",
]


def validate_account_number(value: str) -> None:
    if not (value.isdigit() and len(value) == 10):
        raise ValidationError(
            "An account number is 10 digits (got %(value)s).",
            code="account_number_length",
            params={"value": value},
        )
    if not luhn_is_valid(value):
        raise ValidationError(
            "Account number %(value)s fails its check digit: a digit is probably mistyped.",
            code="account_number_check_digit",
            params={"value": value},
        )


def normalize_phone(value: str) -> str:
    """10 digits of a North American number, or "" for empty input."""
    digits = re.sub(r"\D", "", value or "")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits


def validate_phone(value: str) -> None:
    if value and not re.fullmatch(r"[2-9]\d{2}[2-9]\d{6}", value):
        raise ValidationError(
            "A phone number is 10 digits with a valid area code, e.g. 480-644-2221.",
            code="phone",
        )


def validate_mesa_zip(value: str) -> None:
    if value not in MESA_ZIPS:
        raise ValidationError(
            "%(value)s is not a Mesa ZIP code (85201-85213, 85215).",
            code="zip",
            params={"value": value},
        )


def validate_zip(value: str) -> None:
    if not re.fullmatch(r"\d{5}(-\d{4})?", value or ""):
        raise ValidationError("A ZIP code is 5 digits, or ZIP+4 (85201-1234).", code="zip")


def validate_parcel(value: str) -> None:
    if value and not re.fullmatch(r"\d{3}-\d{2}-\d{3}[A-Z]?", value):
        raise ValidationError(
            "A Maricopa County parcel number looks like 139-28-045 (or 139-28-045A).",
            code="parcel",
        )
