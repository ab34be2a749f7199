"""The home page: each role's tiles, registered by the apps that own them,
with real counts, each a link the role may open, in few queries."""

import re
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.services import contact_log
from billing.services.adjustments import adjustment_request
from billing.services.reads import read_record
from cashiering.models import TenderSource
from cashiering.services.drawers import shift_open
from cashiering.services.payments import TenderLine, payment_take
from credit.models import Pledge
from mesa_cs.lib.dates import today
from mesa_cs.lib.home import Figure, Tile, register_tile, registered_tiles, tiles_for
from mesa_cs.lib.roles import Role
from staffing.models import Section
from staffing.services import work_item_assign, work_item_open
from tests.billing.conftest import START
from tests.billing.conftest import water_meter as make_water_meter
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db

# The tiles each role's home shows (docs/roles.md, "The home page").
EXPECTED = {
    Role.ALARMS: {
        "alarm-research",
        "alarm-hearings",
        "alarm-renewals",
        "alarm-suspended",
        "my-work",
    },
    Role.EMS: {"my-work", "rate-drafts", "route-productivity", "crew-sheets"},
    Role.CLERK: {"my-work", "my-callbacks", "starts-stops"},
    Role.CASHIER: {"my-drawer", "office-totals", "my-work"},
    Role.BILLING: {
        "held-reads",
        "bill-runs",
        "cycles-due",
        "no-cycle",
        "adjustments",
        "rate-drafts",
        "my-work",
    },
    Role.CREDIT: {
        "worklist",
        "crews",
        "arrangements-due",
        "pledges-expiring",
        "heat",
        "my-work",
    },
    Role.SUPERVISOR: {
        "approvals",
        "overdue-work",
        "drawers",
        "payments-today",
        "cash-exceptions",
        "my-work",
    },
    Role.ADMINISTRATOR: {"django-admin", "health", "last-bill-run", "last-collections-run"},
}


def tiles(html: str) -> dict[str, str]:
    """Each tile's shown figure, by tile name."""
    found = re.findall(r'data-tile="([^"]+)".*?data-figure>(.*?)</p>', html, re.S)
    return {name: figure.strip() for name, figure in found}


def parts(html: str, tile: str) -> dict[str, str]:
    block = html.split(f'data-tile="{tile}"', 1)[1].split('data-tile="', 1)[0]
    return {
        label: value.strip()
        for label, value in re.findall(
            r'data-part="([^"]+)"><a href="[^"]*">[^<]*</a> <span[^>]*>(.*?)</span>', block
        )
    }


def links(html: str) -> set[str]:
    tiles_html = html.split('class="mb-4 home-role"', 1)[1].split("Your sections", 1)[0]
    return {url.replace("&amp;", "&") for url in re.findall(r'href="([^"]+)"', tiles_html)}


def _big_adjustment(requester):
    """An adjustment above the approval threshold: it waits for a second person."""
    return adjustment_request(
        account=AccountFactory(),
        amount=D("-250.00"),
        reason="billing_error",
        note="Keyed twice",
        requested_by=requester,
    )


def _fake(request):
    return Figure(3, "/somewhere/")


def test_a_registered_tile_shows_once_for_a_user_with_several_of_its_roles(role_users):
    register_tile(Tile("test-shared", "Shared", frozenset({Role.CLERK, Role.CASHIER}), _fake, 0))
    try:
        user = UserFactory(role=Role.CLERK)
        user.groups.add(role_users[Role.CASHIER].groups.get())
        request = RequestFactory().get("/")
        request.user = user
        groups = tiles_for(request)
        assert [g.role for g in groups] == [Role.CLERK, Role.CASHIER]  # in the order of Role
        names = [shown.tile.name for g in groups for shown in g.tiles]
        assert names.count("test-shared") == 1
        assert groups[0].tiles[0].tile.name == "test-shared"  # order 0 comes first
        assert groups[0].tiles[0].figure.value == 3
        # Each role's own tiles too, the clerk's and the cashier's.
        assert {"my-callbacks", "my-drawer", "office-totals"} <= set(names)
        request.user = role_users[Role.CREDIT]
        assert "test-shared" not in {s.tile.name for g in tiles_for(request) for s in g.tiles}
    finally:
        from mesa_cs.lib import home

        home._TILES.pop("test-shared")


def test_registering_a_tile_again_replaces_it():
    register_tile(Tile("test-once", "Once", frozenset({Role.CLERK}), _fake))
    register_tile(Tile("test-once", "Twice", frozenset({Role.CLERK}), _fake))
    try:
        assert [t.label for t in registered_tiles() if t.name == "test-once"] == ["Twice"]
    finally:
        from mesa_cs.lib import home

        home._TILES.pop("test-once")


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_sees_its_tiles_in_few_queries_and_may_open_every_link(
    client_as, role, django_assert_max_num_queries
):
    client = client_as(role)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("home"))
    html = response.content.decode()
    assert set(tiles(html)) == EXPECTED[role]
    for url in links(html):
        if url.startswith("/admin/"):
            continue  # Django admin's own staff check (tests/platform/test_role_matrix.py)
        status = client.get(url).status_code
        assert status == 200, (role, url, status)


def test_the_clerks_tiles_count_their_work_callbacks_and_starts(client_as, role_users):
    clerk = role_users[Role.CLERK]
    account = AccountFactory()
    item = work_item_open(
        kind="callback",
        section=Section.CONTACT_CENTER,
        title="Call back",
        due_on=today() - timedelta(days=1),
    )
    work_item_assign(item_id=item.pk, assignee=clerk)
    contact_log(
        account=account,
        channel="call",
        topic="billing",
        notes="Call back",
        created_by=clerk,
        follow_up_on=today(),
    )
    html = client_as(Role.CLERK).get(reverse("home")).content.decode()
    assert tiles(html)["my-work"] == "1"
    assert tiles(html)["my-callbacks"] == "1"
    assert tiles(html)["starts-stops"] == "0"
    callbacks = client_as(Role.CLERK).get(reverse("staffing:callbacks")).content.decode()
    assert account.number in callbacks
    # A later contact on the account is the call returned.
    contact_log(account=account, channel="call", topic="billing", notes="Called", created_by=clerk)
    assert tiles(client_as(Role.CLERK).get(reverse("home")).content.decode())["my-callbacks"] == "0"


@pytest.fixture
def water_meter(db):
    """The monthly-read water meter of tests/billing."""
    return make_water_meter()


def hold_two_reads(installation):
    """A high read and then a zero-usage read, both held by read_record."""
    after = START + timedelta(days=210)
    read_record(installation=installation, read_on=after, register=D("9200"), source="handheld")
    read_record(
        installation=installation,
        read_on=after + timedelta(days=1),
        register=D("9060"),
        source="handheld",
    )


def test_the_billing_tiles_count_held_reads_adjustments_and_accounts_without_a_cycle(
    client_as, role_users, water_meter
):
    AccountFactory(bill_cycle=None)
    hold_two_reads(water_meter)
    _big_adjustment(role_users[Role.BILLING])
    html = client_as(Role.BILLING).get(reverse("home")).content.decode()
    assert tiles(html)["held-reads"] == "2"
    assert parts(html, "held-reads") == {
        "High": "1",
        "Low": "0",
        "Zero": "1",
        "Register went back (not a rollover)": "0",
    }
    assert tiles(html)["adjustments"] == "1"
    assert parts(html, "adjustments") == {"Amount": "−$250.00"}
    assert int(tiles(html)["no-cycle"]) >= 1
    page = client_as(Role.BILLING).get(reverse("billing:accounts_without_cycle")).content.decode()
    assert page.count('href="/accounts/') >= int(tiles(html)["no-cycle"])


def test_the_cashiers_drawer_and_the_supervisors_day(client_as, role_users):
    cashier = role_users[Role.CASHIER]
    shift = shift_open(
        source=TenderSource.objects.get(code="MAIN"), cashier=cashier, opening_float=D("100")
    )
    payment_take(
        source=shift.source,
        shift=shift,
        received_on=timezone.localdate(),
        tenders=[TenderLine("CASH", D("50"))],
        allocations=[(AccountFactory(), D("50"))],
        idempotency_key="home-1",
    )
    html = client_as(Role.CASHIER).get(reverse("home")).content.decode()
    assert tiles(html)["my-drawer"] == "$150.00"
    assert parts(html, "my-drawer")["Payments today"] == "1"
    assert tiles(html)["office-totals"] == "$50.00"
    _big_adjustment(role_users[Role.BILLING])
    html = client_as(Role.SUPERVISOR).get(reverse("home")).content.decode()
    assert tiles(html)["approvals"] == "1"
    assert parts(html, "approvals")["Billing adjustment"] == "1"
    assert tiles(html)["payments-today"] == "$50.00"
    assert parts(html, "drawers")["Open now"] == "1"


def test_the_days_money_on_the_home_tiles_is_net_of_the_change_given(client_as, role_users):
    """$100 in cash for a $68.71 bill is $68.71 taken: the office's and the
    supervisor's totals agree with the drawer and the bank deposit."""
    cashier = role_users[Role.CASHIER]
    shift = shift_open(
        source=TenderSource.objects.get(code="MAIN"), cashier=cashier, opening_float=D("100")
    )
    payment_take(
        source=shift.source,
        shift=shift,
        received_on=timezone.localdate(),
        tenders=[TenderLine("CASH", D("100")), TenderLine("CHECK", D("20"), "301")],
        allocations=[(AccountFactory(), D("88.71"))],
        idempotency_key="home-change",
    )
    html = client_as(Role.CASHIER).get(reverse("home")).content.decode()
    assert tiles(html)["my-drawer"] == "$168.71"
    assert tiles(html)["office-totals"] == "$88.71"
    assert parts(html, "office-totals") == {"Cash": "$68.71", "Check": "$20.00"}
    html = client_as(Role.SUPERVISOR).get(reverse("home")).content.decode()
    assert tiles(html)["payments-today"] == "$88.71"


def test_the_credit_tiles_count_pledges_expiring(client_as, role_users):
    Pledge.objects.create(
        account=AccountFactory(),
        agency=Pledge.Agency.MESACAN,
        amount=D("75.00"),
        pledged_on=today() - timedelta(days=20),
        expires_on=today() + timedelta(days=2),
        recorded_by=role_users[Role.CREDIT],
    )
    html = client_as(Role.CREDIT).get(reverse("home")).content.decode()
    assert tiles(html)["pledges-expiring"] == "1"
    assert tiles(html)["crews"] == "0"


def test_the_ems_tiles_give_the_months_productivity_and_the_last_crew_sheet_day(client_as):
    from solidwaste.models import ProductionEntry
    from tests.solidwaste.conftest import entry_kwargs, make_fleet

    html = client_as(Role.EMS).get(reverse("home")).content.decode()
    assert tiles(html)["route-productivity"] == "—"
    assert tiles(html)["crew-sheets"] == "—"
    # 850 lifts in an 8-hour day on a route whose target is 1,000 a day.
    ProductionEntry.objects.create(**entry_kwargs(make_fleet(), work_on=today(), lifts=850))
    html = client_as(Role.EMS).get(reverse("home")).content.decode()
    assert tiles(html)["route-productivity"] == "85.0 %"
    tile = html.split('data-tile="route-productivity"', 1)[1].split('data-tile="', 1)[0]
    assert "850.0 lifts a day" in tile and "warning" in tile  # under 90 % of target
    assert tiles(html)["crew-sheets"] == today().strftime("%m/%d/%Y")


def test_the_administrators_home_shows_the_systems_health(client_as):
    html = client_as(Role.ADMINISTRATOR).get(reverse("home")).content.decode()
    assert tiles(html)["health"] in {"Healthy", "Unavailable"}
    assert set(parts(html, "health")) == {"Database", "Redis (Celery broker)"}
    assert parts(html, "health")["Database"] == "reachable"
    assert tiles(html)["last-bill-run"] == "None yet"
    assert 'href="/admin/"' in html
