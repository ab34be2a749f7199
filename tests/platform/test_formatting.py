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
