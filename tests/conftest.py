from urllib.parse import quote

import pytest
from django.db import connection

from mesa_cs.lib.roles import Role
from tests.factories import UserFactory

# One short username per role, as the demo logins name them.
ROLE_USERNAMES = {
    Role.CLERK: "clerk",
    Role.CASHIER: "cashier",
    Role.BILLING: "billing",
    Role.CREDIT: "credit",
    Role.ALARMS: "alarms",
    Role.EMS: "ems",
    Role.SUPERVISOR: "supervisor",
    Role.ADMINISTRATOR: "admin",
}


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests empty every table when they end, data migrations'
    rows included; put the role groups, the chart of accounts and the bill
    cycles back first."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from django.contrib.auth.models import Group, Permission

    from accounts.models import GLAccount
    from accounts.rules.chart import install_standard_chart
    from billing.models import BillCycle
    from mesa_cs.lib.roles import sync_role_permissions

    sync_role_permissions(Group, Permission)
    install_standard_chart(GLAccount)
    for number in range(1, 21):
        BillCycle.objects.get_or_create(number=number, defaults={"name": f"Cycle {number}"})
    from cashiering.models import TenderSource
    from cashiering.rules.sources import install_sources

    install_sources(TenderSource)
    from credit.models import CollectionLadder, LadderStep
    from credit.rules.ladders import install_default_ladders

    install_default_ladders(CollectionLadder, LadderStep)


@pytest.fixture
def role_users(db):
    """A user in each role (the cast every permission test uses)."""
    return {
        role: UserFactory(username=username, role=role, is_staff=role is Role.ADMINISTRATOR)
        for role, username in ROLE_USERNAMES.items()
    }


@pytest.fixture
def client_as(client, role_users):
    """client_as(Role.CASHIER) returns the test client signed in as that role."""

    def sign_in(role):
        client.force_login(role_users[role])
        return client

    return sign_in


def test_database_url() -> str:
    """A DATABASE_URL for the test database, for processes a test starts."""
    db = connection.settings_dict
    host = quote(db["HOST"] or "", safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgres://{quote(db['USER'])}{password}@{host}{port}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test
