from decimal import Decimal as D

import pytest

from cashiering.models import TenderSource
from cashiering.services.drawers import shift_open
from mesa_cs.lib.roles import Role


@pytest.fixture
def shift(role_users):
    """The cashier's open shift at the Main counter drawer, with a $200.00 float."""
    return shift_open(
        source=TenderSource.objects.get(code="MAIN"),
        cashier=role_users[Role.CASHIER],
        opening_float=D("200.00"),
    )
