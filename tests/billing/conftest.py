from datetime import date

import pytest

from billing.models import HeatContentFactor
from billing.rules.ratebook import shipped_ratebook
from billing.services.rates import ratebook_load
from demo.city import CityBuilder

BILL_ON = date(2026, 10, 31)


def build_billable_city(accounts: int, seed: int = 11):
    """``accounts`` accounts with history to September and October's reads
    unbilled: a run for all cycles on 2026-10-31 bills each once."""
    ratebook_load(shipped_ratebook())
    for year in (2025, 2026):
        for month in range(1, 13):
            HeatContentFactor.objects.get_or_create(
                month=date(year, month, 1), defaults={"factor": "1.0300"}
            )
    CityBuilder(
        seed=seed, months=3, as_of=BILL_ON, long_history=0, unbilled_from=date(2026, 10, 1)
    ).build(0, accounts)


@pytest.fixture
def billable_city(db):
    return build_billable_city
