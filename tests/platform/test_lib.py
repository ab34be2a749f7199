from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesa_cs.lib.luhn import looks_like_card_number, luhn_check_digit, luhn_is_valid
from mesa_cs.lib.money import to_money


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0.005", "0.01"), ("0.004", "0.00"), ("-0.005", "-0.01"), ("2.675", "2.68"), (3, "3.00")],
)
def test_money_rounds_half_up_to_cents(raw, expected):
    assert to_money(Decimal(raw) if isinstance(raw, str) else raw) == Decimal(expected)


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        to_money(0.1)


@given(st.text(alphabet="0123456789", min_size=1, max_size=18))
def test_appending_the_check_digit_makes_a_valid_number(payload):
    assert luhn_is_valid(payload + luhn_check_digit(payload))


@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.integers(1, 9))
def test_a_single_digit_error_is_caught(payload, delta):
    number = payload + luhn_check_digit(payload)
    wrong = str((int(number[3]) + delta) % 10)
    assert not luhn_is_valid(number[:3] + wrong + number[4:])


@pytest.mark.parametrize(
    ("text", "is_card"),
    [
        ("4111111111111111", True),
        ("4111 1111 1111 1111", True),
        ("4111-1111-1111-1111", True),
        ("ref 5500005555555559 ok", True),
        ("4111111111111112", False),  # fails Luhn
        ("1000000016", False),  # an account number: too short
        ("Check 1234", False),
        ("", False),
    ],
)
def test_card_numbers_are_spotted(text, is_card):
    assert looks_like_card_number(text) is is_card


def test_csv_rows_read_numbers_lines_masks_card_numbers_and_needs_its_header():
    from mesa_cs.lib.imports import csv_rows_read

    def read(line, fields):
        if fields[1] != "ok":
            raise ValueError(f"b is {fields[1]}")
        return (line, fields[0])

    text = "a,b\n1,ok\n\n2,4111 1111 1111 1111\n3,ok\x07\n4,ok\n"
    rows, errors = csv_rows_read(text, ["a", "b"], read)
    assert rows == [(2, "1"), (6, "4")]  # the blank line 3 still counts
    assert [e["line"] for e in errors] == [4, 5]
    assert "4111" not in errors[0]["reason"] and errors[0]["reason"].endswith("1111")
    assert "U+0007" in errors[1]["reason"]
    for bad_header in ('"a,b\n1,ok\n', "b,a\n1,ok\n", ""):
        rows, errors = csv_rows_read(bad_header, ["a", "b"], read)
        assert rows == [] and errors[0]["line"] == 1
