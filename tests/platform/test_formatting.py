"""The one way money, days and times are written (docs/ui.md)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template

from mesa_cs.lib.formatting import day_text, export_text, moment_text, money_text


@pytest.mark.parametrize(
    "value, text",
    [
        (Decimal("1788.17"), "$1,788.17"),
        (Decimal("-25"), "\u2212$25.00"),
        (Decimal("0"), "$0.00"),
        (Decimal("1234567.005"), "$1,234,567.01"),
        ("256.58", "$256.58"),
        (None, ""),
        ("", ""),
    ],
)
def test_money_text(value, text):
    assert money_text(value) == text


def test_money_text_can_drop_the_sign():
    assert money_text(Decimal("-25.00"), sign=False) == "$25.00"


def test_the_filters_are_builtins():
    rendered = Template("{{ a|money }} {{ d|day }} {{ m|moment }}").render(
        Context(
            {
                "a": Decimal("-1.5"),
                "d": date(2026, 12, 1),
                "m": datetime(2026, 12, 1, 20, 2, tzinfo=UTC),
            }
        )
    )
    assert rendered == "\u2212$1.50 12/01/2026 12/01/2026 1:02 PM"


def test_a_moment_is_phoenix_local_even_across_midnight_utc():
    # 03:30 UTC on the 2nd is 8:30 PM on the 1st in Phoenix (UTC−7, no DST).
    late = datetime(2026, 12, 2, 3, 30, tzinfo=UTC)
    assert moment_text(late) == "12/01/2026 8:30 PM"
    assert day_text(late) == "12/01/2026"


def test_export_cells_are_sortable_phoenix_local_text():
    assert export_text(datetime(2026, 12, 1, 20, 2, 31, 123456, tzinfo=UTC)) == "2026-12-01 13:02"
    assert export_text(date(2026, 7, 4)) == "2026-07-04"
    assert export_text(None) == ""
    assert export_text(Decimal("1.50")) == Decimal("1.50")


def test_staff_are_named_by_full_name_or_their_login(role_users):
    from django.contrib.auth import get_user_model

    from mesa_cs.lib.formatting import staff_name
    from mesa_cs.lib.roles import Role

    supervisor = role_users[Role.SUPERVISOR]
    assert staff_name(supervisor) == supervisor.get_full_name() != "supervisor"
    nameless = get_user_model().objects.create(username="temp7", first_name="", last_name="")
    assert staff_name(nameless) == "temp7"
    assert staff_name(None) == ""
    assert Template("{{ u|staff_name }}").render(Context({"u": supervisor})) == staff_name(
        supervisor
    )


@pytest.mark.parametrize(
    "code, label",
    [("read_exception", "Read exception"), ("solid_waste", "Solid waste"), ("", "")],
)
def test_codes_read_as_words(code, label):
    from mesa_cs.lib.formatting import code_label

    assert code_label(code) == label


@pytest.mark.parametrize(
    "value, text",
    [
        (Decimal("12345.00"), "12345"),
        (Decimal("12.50"), "12.5"),
        (Decimal("0.00"), "0"),
        (Decimal("100"), "100"),
        (None, ""),
    ],
)
def test_meter_reads_have_no_spurious_decimals(value, text):
    from mesa_cs.lib.formatting import read_text

    assert read_text(value) == text
    assert Template("{{ r|reading }}").render(Context({"r": value})) == text


def test_days_and_moments_stored_as_iso_text_are_written_the_same_way():
    assert day_text("2026-12-01") == "12/01/2026"
    assert moment_text("2026-12-02T03:30:00+00:00") == "12/01/2026 8:30 PM"
    assert day_text("not a day") == "not a day"


def test_a_month_is_written_in_words():
    from mesa_cs.lib.formatting import month_text

    assert month_text(date(2025, 12, 14)) == "December 2025"
    assert month_text(None) == ""
    # The last hours of June 30th in Phoenix are already July in UTC.
    assert month_text(datetime(2026, 7, 1, 3, 0, tzinfo=UTC)) == "June 2026"
    assert Template("{{ m|month }}").render(Context({"m": date(2026, 1, 5)})) == "January 2026"


def test_a_phone_number_is_written_with_dashes():
    from mesa_cs.lib.formatting import phone_text

    assert phone_text("4805550143") == "480-555-0143"
    assert phone_text("") == ""
    assert phone_text("12345") == "12345"  # not ten digits: as stored
    assert Template("{{ p|phone }}").render(Context({"p": "4806442699"})) == "480-644-2699"


@pytest.mark.parametrize(
    "value, text",
    [
        (2450, "2,450"),
        (Decimal("1234.50"), "1,234.50"),
        (Decimal("-1500"), "−1,500"),
        (Decimal("8.00"), "8.00"),
        (None, ""),
    ],
)
def test_quantities_group_thousands_and_keep_their_decimals(value, text):
    from mesa_cs.lib.formatting import quantity_text

    assert quantity_text(value) == text
    assert Template("{{ q|quantity }}").render(Context({"q": value})) == text
