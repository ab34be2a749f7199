"""Held reads a billing specialist can decide on (issue 13 item 5): why each
read is held, with the figures, and a re-read ordered as real field work."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import FieldActivity, MeterRead, ServiceAgreement
from accounts.services.field import field_activity_complete
from billing.models import ReadHold
from billing.selectors.bills import held_reads_by_reason
from billing.services.reads import next_working_day, read_order_reread, read_record
from mesa_cs.lib.dates import today
from mesa_cs.lib.roles import Role
from tests.billing.conftest import START
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
READ_ON = START + timedelta(days=210)  # 30 days after the last read (9060)


def hold(meter, register):
    read = read_record(installation=meter, read_on=READ_ON, register=D(register), source="ami")
    assert read.status == MeterRead.Status.EXCEPTION
    return read


@pytest.mark.parametrize(
    ("register", "reason", "usage"),
    [("9300", "high", D(240)), ("9061", "low", D(1)), ("9060", "zero", D(0))],
)
def test_a_held_read_keeps_its_reason_previous_read_usage_and_average(
    meter, register, reason, usage
):
    kept = ReadHold.objects.get(read=hold(meter, register))
    assert kept.reason == reason
    assert (kept.previous_register, kept.previous_on) == (D(9060), START + timedelta(days=180))
    assert (kept.usage, kept.days) == (usage, 30)
    # 50 kgal over the 150 days between the first and the last earlier read.
    assert kept.average_daily == D("0.333")
    assert kept.account_id == ServiceAgreement.objects.get().account_id


def test_a_register_that_went_back_is_held_as_a_rollover_without_usage(meter):
    kept = ReadHold.objects.get(read=hold(meter, "5000"))
    assert kept.reason == "rollover" and kept.usage is None
    assert "not a rollover" in kept.detail


def test_the_held_reads_page_shows_why_and_the_figures(client_as, meter):
    read = hold(meter, "9300")
    page = client_as(Role.BILLING).get(reverse("billing:read_exceptions")).content.decode()
    row = page[page.index(f'id="held-{read.pk}"') :]
    row = row[: row.index("</tr>")]
    account = ServiceAgreement.objects.get().account
    for text in (account.number, "Water", "W55500001", ">High<", "9060", "07/04/2026", "9300"):
        assert text in row
    assert "240 kgal" in row and "30 days" in row
    assert "8.00" in row and "(0.33)" in row  # per day, and the average
    assert held_reads_by_reason() == {"high": 1}


def test_the_held_reads_page_filters_by_reason(client_as, meter):
    row = f'id="held-{hold(meter, "9300").pk}"'
    client = client_as(Role.BILLING)
    page = reverse("billing:read_exceptions")
    assert row not in client.get(page, {"reason": "low"}).content.decode()
    assert row in client.get(page, {"reason": "high"}).content.decode()
    assert row not in client.get(page, {"utility": "electric"}).content.decode()


def test_ordering_a_reread_puts_field_work_on_the_crew_sheet_and_the_services_tab(client_as, meter):
    read = hold(meter, "9300")
    client = client_as(Role.BILLING)
    response = client.post(
        reverse("billing:read_exception_act", args=[read.pk, "reread"]), follow=True
    )
    day = next_working_day(today())
    assert f"Re-read ordered for {day:%m/%d/%Y}" in response.content.decode()
    activity = FieldActivity.objects.get(kind="reread")
    assert (activity.status, activity.scheduled_on) == ("pending", day)
    assert activity.service_point_id == meter.service_point_id
    assert "W55500001" in activity.notes
    assert ReadHold.objects.get(read=read).reread == activity
    read.refresh_from_db()
    assert read.status == MeterRead.Status.EXCEPTION  # still held until the crew reads it

    page = response.content.decode()
    row = page[page.index(f'id="held-{read.pk}"') :]
    assert "Re-read ordered" in row[: row.index("</tr>")]
    assert "Order re-read</button>" not in row[: row.index("</tr>")]

    sheet = client.get(reverse("accounts:dispatch"), {"day": day.isoformat()}).content.decode()
    assert "Re-read" in sheet and activity.account.number in sheet
    tab = client.get(
        reverse("accounts:tab", args=[activity.account.number, "services"])
    ).content.decode()
    assert "Re-read" in tab and "Held read 9300" in tab


def test_a_second_reread_order_is_refused(client_as, meter):
    read = hold(meter, "9300")
    read_order_reread(read_id=read.pk, by=UserFactory())
    with pytest.raises(ValidationError, match="already ordered"):
        read_order_reread(read_id=read.pk, by=UserFactory())
    response = client_as(Role.BILLING).post(
        reverse("billing:read_exception_act", args=[read.pk, "reread"]), follow=True
    )
    assert "already ordered" in response.content.decode()
    assert FieldActivity.objects.filter(kind="reread").count() == 1


def test_a_cancelled_reread_may_be_ordered_again(meter):
    from accounts.services.field import field_activity_cancel

    read = hold(meter, "9300")
    user = UserFactory()
    first = read_order_reread(read_id=read.pk, by=user).reread
    field_activity_cancel(activity_id=first.pk, reason="Dog in the yard", by=user)
    second = read_order_reread(read_id=read.pk, by=user).reread
    assert second.pk != first.pk and second.status == "pending"


def test_the_crews_reread_replaces_the_held_read(meter):
    read = hold(meter, "9300")
    activity = read_order_reread(read_id=read.pk, by=UserFactory()).reread
    field_activity_complete(
        activity_id=activity.pk, completed_by=None, completed_on=today(), register=D("9075")
    )
    read.refresh_from_db()
    assert read.status == MeterRead.Status.REPLACED
    assert MeterRead.objects.filter(
        installation=meter, register=D("9075"), status="accepted", source="field"
    ).exists()


def test_the_held_reads_export_to_csv_with_the_figures(client_as, meter):
    import csv
    import io

    hold(meter, "9300")
    response = client_as(Role.BILLING).get(reverse("billing:read_exceptions"), {"_export": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    row = rows[0]
    assert (row["Reason"], row["Meter"], row["Utility"]) == ("High", "W55500001", "Water")
    assert (row["Read date"], row["Previous read date"]) == ("2026-08-03", "2026-07-04")
    assert D(row["Usage"]) == 240 and row["Unit"] == "kgal" and D(row["Per day"]) == D("8.00")
    assert row["Account"] == ServiceAgreement.objects.get().account.number


def test_accepting_a_held_read_cancels_its_pending_reread(meter):
    from billing.services.reads import read_accept

    read = hold(meter, "9300")
    user = UserFactory()
    activity = read_order_reread(read_id=read.pk, by=user).reread
    read_accept(read_id=read.pk, by=user)
    activity.refresh_from_db()
    assert activity.status == "cancelled"
    assert "held read was accepted" in activity.completion_notes


def test_deciding_a_held_read_keeps_the_page_on_its_filter(client_as, meter):
    """A specialist working through the high reads stays on the high reads
    after ordering a re-read, instead of landing on every reason again."""
    read = hold(meter, "9300")
    client = client_as(Role.BILLING)
    page = client.get(reverse("billing:read_exceptions"), {"reason": "high"}).content.decode()
    assert '<input type="hidden" name="reason" value="high">' in page
    response = client.post(
        reverse("billing:read_exception_act", args=[read.pk, "reread"]),
        {"reason": "high", "utility": ""},
    )
    assert response["Location"] == reverse("billing:read_exceptions") + "?reason=high"
    response = client.post(
        reverse("billing:read_exception_act", args=[read.pk, "accept"]),
        {"reason": "//evil.example", "utility": "water"},
    )
    assert response["Location"] == reverse("billing:read_exceptions") + "?utility=water"
