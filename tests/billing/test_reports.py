import csv
import io
import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from accounts.models import MeterRead
from billing.models import Bill, BillSegment
from billing.selectors import reports
from billing.services.runs import bill_run_start, bill_run_work
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.roles import Role
from tests.billing.conftest import BILL_ON

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(billable_city):
    billable_city(8)
    run = bill_run_start(cycle=None, bill_on=BILL_ON)
    bill_run_work(run.pk)
    return run


def test_the_billing_register_has_a_row_per_bill_adding_up(run):
    rows = reports.billing_register(run.pk)
    assert len(rows) == Bill.objects.filter(run=run).count()
    for row in rows:
        by_utility = sum(
            v or 0
            for k, v in row.items()
            if k in ("water", "wastewater", "gas", "electric", "solid_waste", "irrigation")
        )
        assert by_utility == row["current_charges"]


def test_revenue_and_tax_add_up_to_what_was_billed(run):
    rows = [r for r in reports.revenue_by_schedule(2026) if r["month"] == "2026-10"]
    billed = sum(BillSegment.objects.filter(bill__run=run).values_list("total", flat=True))
    assert sum(r["revenue"] + r["tax"] for r in rows) == billed


def test_consumption_by_class_counts_metered_bills(run):
    rows = reports.consumption_by_class(2026)
    water = [r for r in rows if r["utility"] == "water" and r["month"] == "2026-10"]
    assert sum(r["bills"] for r in water) == Bill.objects.filter(run=run).count()


def test_read_exception_aging_buckets_held_reads(run):
    read = MeterRead.objects.first()
    MeterRead.objects.filter(pk=read.pk).update(status="exception", read_on=date(2026, 10, 1))
    rows = {r["waiting"]: r["reads"] for r in reports.read_exception_aging(date(2026, 10, 20))}
    assert rows["8–30 days"] == 1 and sum(rows.values()) == 1


def test_reports_export_csv_and_excel(client_as, run):
    client = client_as(Role.BILLING)
    url = reverse("billing:report", args=["register"])
    csv_rows = list(
        csv.reader(io.StringIO(client.get(url, {"run": run.pk, "_export": "csv"}).content.decode()))
    )
    assert csv_rows[0][:2] == ["Account", "Name"] and len(csv_rows) == 9
    xlsx = client.get(url, {"run": run.pk, "_export": "xlsx"})
    assert xlsx.content[:2] == b"PK"
    assert D(csv_rows[1][csv_rows[0].index("Current charges")]) > 0


def test_the_high_bill_investigation_shows_usage_reads_and_can_request_a_meter_test(client_as, run):
    from staffing.models import WorkItem

    bill = Bill.objects.filter(run=run).first()
    client = client_as(Role.BILLING)
    page = client.get(reverse("billing:high_bill", args=[bill.account.number])).content.decode()
    water = bill.segments.get(utility="water")
    assert f"{water.usage.normalize():f} kgal" in page or f"{water.usage} kgal" in page
    assert "Meter reads, newest first" in page
    client.post(reverse("billing:meter_test", args=[bill.account.number]))
    client.post(reverse("billing:meter_test", args=[bill.account.number]))
    assert WorkItem.objects.filter(kind="meter_test", account=bill.account).count() == 1


REGISTER_HEADER = [
    "Account",
    "Name",
    "Bill",
    "Period",
    "Status",
    "Electric",
    "Natural gas",
    "Water",
    "Wastewater",
    "Solid waste",
    "Irrigation",
    "Current charges",
    "Amount due",
]


def _register_csv(client, run):
    url = reverse("billing:report", args=["register"])
    response = client.get(url, {"run": run.pk, "_export": "csv"})
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_register_has_every_utility_in_one_order_totals_and_right_aligned_amounts(
    client_as, run
):
    client = client_as(Role.BILLING)
    assert _register_csv(client, run)[0] == REGISTER_HEADER
    page = client.get(reverse("billing:report", args=["register"]), {"run": run.pk})
    html = page.content.decode()
    bills = Bill.objects.filter(run=run)
    total = sum(b.current_charges for b in bills)
    water = sum(
        BillSegment.objects.filter(bill__run=run, utility="water").values_list("total", flat=True)
    )
    footer = html[html.index("<tfoot") : html.index("</tfoot>")]
    assert "Total" in footer and money_text(total) in footer and money_text(water) in footer
    first = bills.order_by("account__number").first()
    amount = re.escape(money_text(first.current_charges))
    assert re.search(rf'<td class="[^"]*\btext-end\b[^"]*">{amount}</td>', html)


def test_a_cancelled_bill_nets_against_its_rebill_in_the_register(client_as, run):
    from billing.services.adjustments import bill_cancel_rebill
    from billing.services.rates import ratebook_from_db
    from tests.factories import UserFactory

    bill = Bill.objects.filter(run=run).order_by("account__number").first()
    rebill = bill_cancel_rebill(
        bill_id=bill.pk, reason="Wrong read", by=UserFactory(), book=ratebook_from_db()
    )
    rows = reports.billing_register(run.pk)
    mine = [r for r in rows if r["account"] == bill.account.number]
    assert [r["status"] for r in mine] == [
        "Cancelled",
        f"Cancellation of bill {bill.pk}",
        f"Rebill of bill {bill.pk}",
    ]
    assert mine[1]["current_charges"] == -bill.current_charges
    assert mine[2]["bill"] == rebill.pk and mine[2]["current_charges"] == rebill.current_charges
    standing = list(Bill.objects.filter(run=run, status="issued")) + [rebill]
    assert sum(r["current_charges"] for r in rows) == sum(b.current_charges for b in standing)
    for utility in ("water", "electric", "gas"):
        column = sum(r[utility] or 0 for r in rows)
        assert column == sum(
            BillSegment.objects.filter(bill__in=standing, utility=utility).values_list(
                "total", flat=True
            )
        )
    csv_rows = _register_csv(client_as(Role.BILLING), run)
    assert len(csv_rows) == 1 + len(rows)


def test_the_run_summary_counts_estimated_bills_by_utility(client_as, run):
    from billing.services.runs import bill_run_summary

    bill = Bill.objects.filter(run=run).order_by("pk").first()
    Bill.objects.filter(pk=bill.pk).update(estimated=True)
    bill.segments.filter(utility="water").update(estimated=True)
    summary = bill_run_summary(run)
    assert summary["estimated_bills"] == 1
    assert summary["estimated_by_utility"] == {"water": 1}
    assert list(summary["billed_by_utility"])[:3] == ["electric", "gas", "water"]
    page = client_as(Role.BILLING).get(reverse("billing:run", args=[run.pk])).content.decode()
    assert '<td class="text-end" id="estimated-bills">1</td>' in page
    water = page[page.index(">Water</th>") :]
    assert water[: water.index("</tr>")].endswith('<td class="text-end">1</td>')


def test_the_revenue_report_names_utilities_and_writes_amounts_as_money(client_as, run):
    page = client_as(Role.BILLING).get(reverse("billing:report", args=["revenue"])).content.decode()
    rows = [r for r in reports.revenue_by_schedule(2026) if r["month"] == "2026-10"]
    assert rows
    assert "solid_waste" not in page and ">water<" not in page
    assert ">Water<" in page
    first = rows[0]
    assert money_text(first["revenue"]) in page
    total = sum((r["revenue"] for r in reports.revenue_by_schedule(2026)), D(0))
    assert money_text(total) in page  # the column's total in the footer
    csv_rows = list(
        csv.reader(
            io.StringIO(
                client_as(Role.BILLING)
                .get(reverse("billing:report", args=["revenue"]), {"_export": "csv"})
                .content.decode()
            )
        )
    )
    revenue = csv_rows[0].index("Revenue")
    assert D(csv_rows[1][revenue]) == rows[0]["revenue"]  # exports keep the number


def test_the_consumption_report_names_utilities_and_classes(client_as, run):
    page = client_as(Role.BILLING).get(reverse("billing:report", args=["consumption"]))
    text = page.content.decode()
    assert ">Water<" in text and ">Residential<" in text
    assert ">residential<" not in text and ">water<" not in text


def test_from_a_run_to_its_bills_and_their_pdfs(client_as, run):
    client = client_as(Role.BILLING)
    page = client.get(reverse("billing:run", args=[run.pk])).content.decode()
    register = f"{reverse('billing:report', args=['register'])}?run={run.pk}"
    assert f'href="{register}"' in page
    html = client.get(register).content.decode()
    bill = Bill.objects.filter(run=run).order_by("account__number").first()
    assert f'<a href="{reverse("billing:bill", args=[bill.pk])}">{bill.pk}</a>' in html
    assert f'<a href="{bill.account.get_absolute_url()}">{bill.account.number}</a>' in html
    # The export keeps the plain values.
    rows = _register_csv(client, run)
    assert rows[1][0] == bill.account.number and rows[1][2] == str(bill.pk)
    bill_page = client.get(reverse("billing:bill", args=[bill.pk])).content.decode()
    assert reverse("billing:bill_pdf", args=[bill.pk]) in bill_page
