"""The one card-number rule (mesa_cs.lib.luhn): what it refuses, what it lets
through, and how it masks."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.rules.scanline import parse_scan_line, scan_line
from mesa_cs.lib.luhn import (
    looks_like_card_number,
    luhn_check_digit,
    luhn_is_valid,
    mask_card_numbers,
    reject_card_numbers,
)


@pytest.mark.parametrize(
    "text",
    [
        "4111111111111111",
        "4111.1111.1111.1111",  # dots, as posted at the counter
        "Ref 12 4111111111111111",  # a leading reference joined by a space
        "Ref 12 4111 1111 1111 1111",
        "12-4111-1111-1111-1111-99",  # digit groups on both sides
        "4111 - 1111 - 1111 - 1111",
        "4111\n1111\n1111\n1111",  # one group a line
        "paid with 378282246310005 today",  # 15-digit Amex
        "4222222222222",  # 13 digits
        "6011 0009 9013 9424",
        "x4111111111111111y",
        "４１１１１１１１１１１１１１１１",  # full-width digits
        "4111\u20131111\u20131111\u20131111",  # en dashes
    ],
)
def test_card_numbers_are_found_whatever_surrounds_them(text):
    assert looks_like_card_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "4111111111111112",  # 16 digits failing Luhn
        "5500005555555550",
        "1234567890123456",
        "1000004067",  # account numbers: 10 digits
        "Accounts 1000004067, 1000000750 and 1000000016",
        "1000004067 paid 188.59 on 2026-01-05",
        "Check 1234",
        "480-644-2221",
        "",
        "**** **** **** 1111",
        "************1111",
    ],
)
def test_other_numbers_are_not_taken_for_card_numbers(text):
    assert not looks_like_card_number(text)


def test_a_long_digit_string_is_not_refused_for_a_chance_window_inside_it():
    # Cut anywhere, most 16-digit numbers hold a 13-15 digit piece that passes
    # Luhn; only windows along the digit groups that were typed are tried.
    number = "4111111111111112"
    inner = [
        number[i : i + n]
        for n in range(13, 16)
        for i in range(len(number) - n + 1)
        if luhn_is_valid(number[i : i + n])
    ]
    assert inner and not luhn_is_valid(number)
    assert not looks_like_card_number(number)
    assert looks_like_card_number(f"12 {inner[0]}")


def test_account_numbers_do_not_trip_the_rule():
    for n in range(100000400, 100000600):
        payload = f"{n:09d}"
        assert not looks_like_card_number(payload + luhn_check_digit(payload))


def test_some_scan_lines_would_trip_it_so_they_are_never_free_text():
    """The scan line is a long digit string with its own check digits; the
    counter reads it with parse_scan_line and never runs the card rule on it."""
    tripping = [
        line
        for cents in range(1, 400)
        if looks_like_card_number(line := scan_line("1000004067", Decimal(cents) / 100))
    ]
    assert tripping
    assert parse_scan_line(tripping[0])[0] == "1000004067"


def test_masking_keeps_the_last_4_digits_and_the_text_around():
    assert mask_card_numbers("4111111111111111") == "************1111"
    assert mask_card_numbers("Ref 12 4111111111111111") == "Ref 12 ************1111"
    assert mask_card_numbers("4111.1111.1111.1111 thanks") == "****.****.****.1111 thanks"
    assert mask_card_numbers("call 480-644-2221") == "call 480-644-2221"


def test_masking_twice_changes_nothing():
    for text in ["4111111111111111", "Ref 12 4111 1111 1111 1111 99", "a 4111.1111.1111.1111 b"]:
        once = mask_card_numbers(text)
        assert not looks_like_card_number(once)
        assert mask_card_numbers(once) == once


def test_the_refusal_names_each_field_that_holds_one():
    with pytest.raises(ValidationError) as error:
        reject_card_numbers(
            notes="ok", reason="Ref 12 4111111111111111", payer_name="4111.1111.1111.1111"
        )
    assert set(error.value.message_dict) == {"reason", "payer_name"}
    assert "card number" in error.value.message_dict["reason"][0]
    reject_card_numbers(notes="Account 1000004067", reason="", other=None)
