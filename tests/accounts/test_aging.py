"""One rule for the aging buckets: Python (pages) and SQL (reports) agree."""

from datetime import date, timedelta

import pytest
from django.db import connection

from accounts.selectors.ledger import AGING_BUCKETS, aging_bucket, aging_bucket_index_sql

pytestmark = pytest.mark.django_db


def test_the_sql_aging_bucket_is_the_python_one():
    as_of = date(2026, 6, 30)
    dues = [as_of - timedelta(days=late) for late in range(-5, 200)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d, "
            + aging_bucket_index_sql("d", "%(as_of)s")
            + " FROM unnest(%(dues)s::date[]) AS t(d)",
            {"as_of": as_of, "dues": dues},
        )
        got = {due: AGING_BUCKETS[index] for due, index in cursor.fetchall()}
    assert got == {due: aging_bucket(due, as_of) for due in dues}
    assert aging_bucket(as_of, as_of) == "current"
    assert aging_bucket(as_of - timedelta(days=30), as_of) == "1-30"
    assert aging_bucket(as_of - timedelta(days=31), as_of) == "31-60"
    assert aging_bucket(as_of - timedelta(days=91), as_of) == "over 90"
