"""``field__any`` (mesa_cs/lib/lookups.py): the same rows as ``__in``, with
the values sent as one array parameter."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from staffing.models import Section, WorkItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def items():
    return WorkItem.objects.bulk_create(
        WorkItem(
            kind="t", section=Section.CREDIT, title=f"Item {n}", source_key=f"k{n}",
            due_on=date(2026, 11, n),
        )
        for n in range(1, 6)
    )  # fmt: skip


@pytest.mark.parametrize(
    "field, values",
    [
        ("source_key", ["k2", "k4", "nope"]),
        ("due_on", [date(2026, 11, 1), date(2026, 11, 5)]),
        ("title", []),
    ],
)
def test_any_finds_what_in_finds(items, field, values):
    by_any = set(WorkItem.objects.filter(**{f"{field}__any": values}).values_list("pk", flat=True))
    by_in = set(WorkItem.objects.filter(**{f"{field}__in": values}).values_list("pk", flat=True))
    assert by_any == by_in and (by_any or not values)


def test_any_on_ids_sends_one_parameter_however_many_values(items):
    wanted = [item.pk for item in items[:3]] + list(range(10**6, 10**6 + 5000))
    with CaptureQueriesContext(connection) as queries:
        found = set(WorkItem.objects.filter(pk__any=wanted).values_list("pk", flat=True))
    assert found == {item.pk for item in items[:3]}
    sql = queries[0]["sql"]
    assert "= ANY(" in sql and " IN (" not in sql
