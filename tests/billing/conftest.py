from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from accounts.models import Meter, MeterInstallation, MeterRead, ServicePoint
from billing.models import HeatContentFactor
from billing.rules.ratebook import shipped_ratebook
from billing.services.rates import ratebook_load
from demo.city import CityBuilder
from tests.factories import AccountFactory, agreement

BILL_ON = date(2026, 10, 31)
START = date(2026, 1, 5)


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


@pytest.fixture
def meter():
    return water_meter()


def water_meter():
    """A water meter read monthly at about 10 kgal a month (the last read
    9060 on 07/04/2026), on an account's active service."""
    account = AccountFactory()
    sa = agreement(account)
    point = ServicePoint.objects.create(premise=sa.premise, utility="water")
    sa.service_point = point
    sa.save()
    meter = Meter.objects.create(number="W55500001", utility="water", size="3/4", dials=4)
    installation = MeterInstallation.objects.create(
        meter=meter, service_point=point, installed_on=START, install_read=D("9000")
    )
    for month in range(1, 7):
        MeterRead.objects.create(
            installation=installation,
            read_on=START + timedelta(days=30 * month),
            register=D(9000 + 10 * month),
        )
    return installation
