"""The demo's month of call data: the same bytes every time, accepted
whole by the product's own import, made once."""

from datetime import date

import pytest

from demo.calls import QUEUES, calls_csv, demo_calls
from staffing.models import CallInterval
from staffing.selectors.calls import service_levels

pytestmark = pytest.mark.django_db


def test_the_generator_is_deterministic():
    first = calls_csv(date(2026, 11, 2), date(2026, 11, 3))
    assert first == calls_csv(date(2026, 11, 2), date(2026, 11, 3))
    assert first != calls_csv(date(2026, 11, 2), date(2026, 11, 3), seed=17)


def test_a_month_for_six_queues_imports_through_the_product_and_only_once():
    made = demo_calls(by=None, today=date(2026, 12, 1), agent_ids=["7001"])
    assert (made["first_day"], made["last_day"]) == ("2026-11-01", "2026-11-30")
    assert CallInterval.objects.filter(agent_id="").count() == 30 * 96 * len(QUEUES)
    assert CallInterval.objects.filter(agent_id="7001", queue=QUEUES[0]).exists()
    assert demo_calls(by=None, today=date(2026, 12, 1)) is None
    month = service_levels(date(2026, 11, 1), date(2026, 11, 30), by="queue")
    assert {row["Queue"] for row in month} == {*QUEUES, "All"}
    total = month[-1]
    # Near the targets, with some intervals missing them.
    assert 70 <= total["service_level_percent"] <= 90
    assert 55 <= total["occupancy_percent"] <= 85
