from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Max, Sum

from accounts.models import Account, JournalEntry, JournalLeg, MeterRead, Premise, ServiceAgreement
from accounts.selectors import account_balance, ledger_unbalanced_entries
from billing.rules.cycles import read_date
from demo.city import CityBuilder
from mesa_cs.lib.roles import Role
from staffing.models import WorkItem

pytestmark = pytest.mark.django_db

DEMO = ["clerk", "cashier", "billing", "credit", "alarms", "ems", "supervisor", "admin"]
AS_OF = date(2026, 11, 26)


def test_seed_demo_creates_every_login_with_its_role(settings):
    settings.DEBUG = True
    call_command("seed_demo", accounts=10, months=2)
    users = get_user_model().objects.in_bulk(DEMO, field_name="username")
    assert sorted(users) == sorted(DEMO)
    for user in users.values():
        assert user.check_password("mesa-demo")
        assert user.groups.count() == 1
    assert users["admin"].groups.get().name == Role.ADMINISTRATOR
    assert users["admin"].is_staff and not users["clerk"].is_staff
    assert WorkItem.objects.exists()


def test_seed_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo", accounts=10, months=2)
    counts = (
        get_user_model().objects.count(),
        WorkItem.objects.count(),
        JournalLeg.objects.count(),
    )
    call_command("seed_demo", accounts=10, months=2)
    call_command("seed_demo", if_empty=True)
    assert (
        get_user_model().objects.count(),
        WorkItem.objects.count(),
        JournalLeg.objects.count(),
    ) == counts


def test_seed_demo_grows_the_city_to_the_size_asked(settings):
    settings.DEBUG = True
    call_command("seed_demo", accounts=5, months=2)
    call_command("seed_demo", accounts=12, months=2)
    assert Account.objects.count() == 12


def test_seed_demo_refuses_production_without_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refusing with DEBUG=0"):
        call_command("seed_demo", accounts=3, months=1)
    assert not get_user_model().objects.filter(username="clerk").exists()
    call_command("seed_demo", accounts=3, months=1, force=True)
    assert get_user_model().objects.filter(username="clerk").exists()


@pytest.fixture(autouse=True)
def rates():
    from billing.rules.ratebook import shipped_ratebook
    from billing.services.rates import ratebook_load

    ratebook_load(shipped_ratebook())


def _city(seed):
    CityBuilder(seed=seed, months=4, as_of=AS_OF, long_history=1).build(0, 30)
    return (
        sorted(Account.objects.values_list("name", "customer_class", "bill_cycle", "status")),
        sorted(Premise.objects.values_list("address_key", "zip_code")),
        sorted(ServiceAgreement.objects.values_list("utility", "rate_schedule")),
        str(JournalLeg.objects.filter(amount__gt=0).aggregate(total=Sum("amount"))["total"]),
    )


def test_the_same_seed_builds_the_same_city():
    class Rollback(Exception):
        pass

    cities = []
    for seed in (1, 1, 2):
        with pytest.raises(Rollback), transaction.atomic():
            cities.append(_city(seed))
            raise Rollback
    assert cities[0] == cities[1]
    assert cities[0] != cities[2]


def test_the_seeded_city_is_believable_and_its_ledger_balanced():
    CityBuilder(seed=3, months=6, as_of=AS_OF, long_history=2).build(0, 60)
    assert ledger_unbalanced_entries() == []
    assert JournalEntry.objects.aggregate(last=Max("effective_on"))["last"] <= AS_OF
    utilities = set(ServiceAgreement.objects.values_list("utility", flat=True))
    assert {"water", "wastewater", "solid_waste"} <= utilities
    water = ServiceAgreement.objects.filter(utility="water").count()
    assert water == Account.objects.count()  # every account has water
    for account in Account.objects.all():
        bills = account.entries.filter(kind=JournalEntry.Kind.BILL).count()
        assert bills >= 2
        legs = JournalLeg.objects.filter(account=account, gl_account__purpose="receivable")
        assert account_balance(account.pk) == (legs.aggregate(t=Sum("amount"))["t"] or 0)
    # The long-history accounts have 5 years of bills; the rest 6 months.
    first = Account.objects.order_by("pk").first()
    assert first.entries.filter(kind=JournalEntry.Kind.BILL).count() == 60
    assert MeterRead.objects.filter(read_on__gt=AS_OF).count() == 0


def test_cycles_read_on_their_working_day():
    assert read_date(2026, 11, 1) == date(2026, 11, 2)  # 1 Nov 2026 is a Sunday
    assert read_date(2026, 11, 20) == date(2026, 11, 27)


def test_seed_demo_has_service_orders_deposits_and_a_final_bill(settings):
    from accounts.models import Deposit, FieldActivity
    from billing.models import Bill
    from cashiering.models import CreditRefund

    settings.DEBUG = True
    call_command("seed_demo", accounts=10, months=2)
    orders = FieldActivity.objects.values_list("kind", "status")
    assert ("connect", "pending") in orders and ("connect", "completed") in orders
    assert ("final_read", "pending") in orders and ("final_read", "completed") in orders
    assert ("meter_test", "pending") in orders
    deposits = set(Deposit.objects.values_list("form", "status"))
    assert {("cash", "open"), ("bond", "open"), ("cash", "applied")} <= deposits
    final = Bill.objects.get(account__status="final")
    # Its summary adds up from the ledger (the account's first bill starts from
    # nothing: set-up fee, deposit and the deposit applied are its fees and
    # adjustments), and the deposit applied leaves a refund.
    assert final.previous_balance == 0 and final.amount_due < 0
    assert (
        final.previous_balance + final.payments + final.other_charges + final.current_charges
        == final.amount_due
    )
    assert final.account.entries.filter(kind="deposit_refund", effective_on=final.bill_on).exists()
    assert CreditRefund.objects.get(account=final.account).amount == -final.amount_due
    assert ledger_unbalanced_entries() == []


def test_seed_demo_puts_delinquent_accounts_on_their_ladders(settings):
    from credit.models import CollectionEvent, CollectionRun, HeatDay

    settings.DEBUG = True
    call_command("seed_demo", accounts=60, months=3)
    assert CollectionRun.objects.count() == 4 and HeatDay.objects.exists()
    assert CollectionEvent.objects.filter(step__action="reminder").exists()
    from credit.models import Bankruptcy, PaymentArrangement, Pledge

    assert PaymentArrangement.objects.exists() and Pledge.objects.exists()
    assert Bankruptcy.objects.exists()
    before = CollectionEvent.objects.count()
    call_command("seed_demo", accounts=60, months=3)
    assert CollectionEvent.objects.count() == before
