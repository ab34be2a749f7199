"""Exports write days and times as sortable Phoenix local text, amounts as
numbers, staff by name and nothing as an empty cell (docs/ui.md), checked on
real list exports (CSV and XLSX)."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from mesa_cs.lib.roles import Role
from staffing.models import Section, WorkItem
from staffing.services import work_item_open

pytestmark = pytest.mark.django_db

# 20:02:31.123456 UTC on 12/01 is 1:02 PM in Phoenix (UTC−7 all year).
OPENED = datetime(2026, 12, 1, 20, 2, 31, 123456, tzinfo=UTC)


@pytest.fixture
def items(role_users):
    assigned = work_item_open(
        kind="read_exception",
        section=Section.ACCOUNT_MAINTENANCE,
        title="Check the read",
        due_on=date(2026, 12, 8),
    )
    WorkItem.objects.filter(pk=assigned.pk).update(
        opened_at=OPENED, assignee=role_users[Role.CREDIT]
    )
    # A kind without a service level: no due date.
    work_item_open(kind="enquiry", section=Section.ACCOUNT_MAINTENANCE, title="Nobody yet")
    return role_users[Role.CREDIT]


def _export(client, fmt):
    response = client.get(reverse("staffing:queue", args=["account_maintenance"]), {"_export": fmt})
    assert response.status_code == 200
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode())))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = [
            ["" if cell is None else cell for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_queue_export_writes_phoenix_times_labels_and_names(client_as, items, fmt):
    rows = {row["Title"]: row for row in _export(client_as(Role.SUPERVISOR), fmt)}
    checked = rows["Check the read"]
    assert checked["Opened at"] == "2026-12-01 13:02"  # not 2026-12-01 20:02:31.123456+00:00
    assert checked["Due"] == "2026-12-08"
    assert checked["Kind"] == "Read exception"
    assert checked["Assignee"] == items.get_full_name()
    nobody = rows["Nobody yet"]
    assert nobody["Assignee"] == "" and nobody["Due"] == ""  # empty, not "—" or "None"


def test_a_write_off_export_writes_the_amount_as_a_number_and_the_time_in_phoenix(
    client_as, role_users
):
    from credit.models import WriteOff
    from tests.factories import AccountFactory

    account = AccountFactory()
    WriteOff.objects.create(
        account=account,
        amount=Decimal("1234.50"),
        reason="Uncollectable",
        requested_by=role_users[Role.CREDIT],
        requested_at=OPENED,
    )
    response = client_as(Role.SUPERVISOR).get(reverse("credit:write_offs"), {"_export": "csv"})
    header, row = list(csv.reader(io.StringIO(response.content.decode())))
    cells = dict(zip(header, row, strict=True))
    assert cells["Amount"] == "1234.50"
    assert cells["Requested at"] == "2026-12-01 13:02"
    assert cells["Requested by"] == role_users[Role.CREDIT].get_full_name()
    assert cells["Decided by"] == "" and cells["Decided at"] == ""
