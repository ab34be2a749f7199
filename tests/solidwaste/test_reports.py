"""The payroll report and its export, and the financial report's revenue
and cost, against hand calculations."""

import csv
import io
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse

from accounts.models import Utility
from accounts.selectors.ledger import receivable_open_items
from accounts.services.ledger import payment_post
from billing.models import Bill, BillLine
from billing.services.runs import bill_run_start, bill_run_work
from mesa_cs.lib.roles import Role
from solidwaste.models import CostRate
from solidwaste.selectors import reports
from solidwaste.services.production import production_entry_record
from tests.billing.conftest import BILL_ON, build_billable_city
from tests.solidwaste.conftest import entry_kwargs, last_monday

pytestmark = pytest.mark.django_db


@pytest.fixture
def week(fleet):
    """Ana: Mon-Fri 9 hours (the sheets say 1 h overtime a day), Saturday 6;
    Ben: Monday 10 hours on two routes (6 + 4)."""
    monday = last_monday()
    for n in range(5):
        production_entry_record(
            **entry_kwargs(fleet, work_on=monday + timedelta(days=n), hours=D("9"),
                           overtime_hours=D("1"))
        )  # fmt: skip
    production_entry_record(**entry_kwargs(fleet, work_on=monday + timedelta(days=5), hours=D("6")))
    production_entry_record(**entry_kwargs(fleet, operator=fleet["ben"], hours=D("6")))
    production_entry_record(
        **entry_kwargs(fleet, operator=fleet["ben"], route=fleet["com"], truck=fleet["t2"],
                       hours=D("4"), lifts=150, stops=60, tons=D("8.50"))
    )  # fmt: skip
    return monday


def test_payroll_splits_each_operators_hours_by_the_rule(week):
    rows = {row["employee_number"]: row for row in reports.payroll(week, week + timedelta(days=5))}
    ana, ben, total = rows["2001"], rows["2002"], rows["Total"]
    # Ana: 51 hours; 5 x 1 over 8 a day, then Saturday's 6 past the week's 40.
    assert (ana["days_worked"], ana["hours"]) == (6, D("51"))
    assert (ana["regular_hours"], ana["overtime_hours"]) == (D("40"), D("11"))
    assert (ana["overtime_on_sheets"], ana["difference"]) == (D("5"), D("-6"))
    # Ben: 10 hours on Monday on two routes, 2 over 8.
    assert (ben["regular_hours"], ben["overtime_hours"]) == (D("8"), D("2"))
    assert (total["hours"], total["overtime_hours"]) == (D("61"), D("13"))
    # Saturday alone: the week's earlier days put it past 40.
    saturday = reports.payroll(week + timedelta(days=5), week + timedelta(days=5))
    assert (saturday[0]["regular_hours"], saturday[0]["overtime_hours"]) == (D("0"), D("6"))


def test_the_payroll_export_has_a_time_entry_per_person_day_and_pay_code(client_as, week):
    response = client_as(Role.EMS).get(
        reverse("solidwaste:payroll_export"), {"period": "month", "day": str(week)}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="ems-payroll-{week:%Y-%m}.csv"' in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0] == ["employee_number", "name", "work_date", "pay_code", "hours", "routes"]
    # The month may start mid-week; only the days of the month are paid here.
    expected = [
        ["2001", "Ana Diaz", str(week + timedelta(days=n)), code, hours, "RES-101"]
        for n in range(5)
        for code, hours in (("REG", "8.00"), ("OT", "1.00"))
    ] + [["2001", "Ana Diaz", str(week + timedelta(days=5)), "OT", "6.00", "RES-101"]]
    expected += [
        ["2002", "Ben Tso", str(week), "REG", "8.00", "COM-201 RES-101"],
        ["2002", "Ben Tso", str(week), "OT", "2.00", "COM-201 RES-101"],
    ]
    in_month = [line for line in expected if line[2][:7] == f"{week:%Y-%m}"]
    assert lines[1:] == in_month
    day = client_as(Role.EMS).get(
        reverse("solidwaste:payroll_export"), {"period": "day", "day": str(week)}
    )
    assert len(list(csv.reader(io.StringIO(day.content.decode())))) == 1 + 4


def test_the_payroll_page_pdf_and_workbook(client_as, week):
    client = client_as(Role.SUPERVISOR)
    query = {"period": "day", "day": str(week)}
    page = client.get(reverse("solidwaste:payroll"), query).content.decode()
    assert "Ana Diaz" in page and "Payroll export (CSV)" in page
    pdf = client.get(reverse("solidwaste:payroll_pdf"), query)
    assert pdf.content.startswith(b"%PDF")
    book = client.get(reverse("solidwaste:payroll_xlsx"), query)
    assert book.content.startswith(b"PK")
    import openpyxl

    sheets = openpyxl.load_workbook(io.BytesIO(book.content))
    assert sheets.sheetnames == ["Hours by crew member", "Time entries"]
    assert sheets["Time entries"]["D2"].value == "REG"


def test_cost_per_ton_and_lift_use_the_rate_in_force_each_day(week, client_as):
    CostRate.objects.create(effective_on=week - timedelta(days=30), cost_per_hour=D("100.00"))
    CostRate.objects.create(effective_on=week + timedelta(days=1), cost_per_hour=D("120.00"))
    rows = {r["service_line"]: r for r in reports.cost_by_service_line(week, week)}
    # Monday: residential 9 + 6 hours at $100, commercial 4 hours at $100.
    res = rows["Residential refuse"]
    assert (res["hours"], res["cost"], res["tons"], res["lifts"]) == (
        D("15"), D("1500.00"), D("23.00"), 2000,
    )  # fmt: skip
    assert (res["cost_per_ton"], res["cost_per_lift"]) == (D("65.22"), D("0.75"))
    tuesday = reports.cost_by_service_line(week + timedelta(days=1), week + timedelta(days=1))
    assert tuesday[0]["cost"] == D("1080.00")  # 9 hours at $120
    assert rows["Total"]["cost"] == D("1900.00")
    page = client_as(Role.EMS).get(
        reverse("solidwaste:financial"), {"period": "day", "day": str(week)}
    )
    assert 'id="cost-chart-title"' in page.content.decode()
    assert "No route production with tons" not in page.content.decode()
    CostRate.objects.all().delete()
    assert reports.cost_by_service_line(week, week)[-1]["hours_without_rate"] == D("19")


def test_revenue_billed_and_collected_by_service_line_equal_the_bills_and_payments(client_as):
    build_billable_city(6)
    run = bill_run_start(cycle=None, bill_on=BILL_ON)
    bill_run_work(run.pk)
    lines = BillLine.objects.filter(
        segment__utility=Utility.SOLID_WASTE, segment__bill__status=Bill.Status.ISSUED,
        segment__bill__bill_on=BILL_ON,
    ).select_related("segment")  # fmt: skip
    billed, tax = {}, {}
    for line in lines:
        into = tax if line.kind == "tax" else billed
        into[line.segment.rate_schedule] = into.get(line.segment.rate_schedule, 0) + line.amount
    assert billed
    # Each account pays its whole balance on the day after the bill: what it
    # pays toward solid waste is its open solid-waste charges.
    paid_on = BILL_ON + timedelta(days=1)
    collected = {}
    for bill in Bill.objects.filter(run=run).select_related("account"):
        items = receivable_open_items(bill.account_id)
        agreements = {a.pk: a for a in bill.account.agreements.all()}
        for item in items:
            if item.gl_account.utility == Utility.SOLID_WASTE:
                code = agreements[item.service_agreement_id].rate_schedule
                collected[code] = collected.get(code, 0) + item.open_amount
        total = sum(item.open_amount for item in items)
        if total > 0:
            payment_post(account=bill.account, amount=total, effective_on=paid_on)
    rows = {r["code"]: r for r in reports.revenue_by_service_line(BILL_ON, BILL_ON)}
    for code, amount in billed.items():
        assert rows[code]["billed"] == amount
        assert rows[code]["tax"] == tax.get(code, 0)
    assert rows["Total"]["billed"] == sum(billed.values())
    assert rows["Total"]["collected"] == 0  # nothing paid on the bill date itself
    paid = {r["code"]: r for r in reports.revenue_by_service_line(paid_on, paid_on)}
    assert {c: r["collected"] for c, r in paid.items() if r["collected"] and c != "Total"} == {
        c: v for c, v in collected.items() if v
    }
    assert rows["SW1.1"]["service_line"] == "Residential Solid Waste, 90-gallon black barrel"
    page = client_as(Role.EMS).get(
        reverse("solidwaste:financial"), {"period": "month", "day": str(BILL_ON)}
    )
    assert "Financial performance, October 2026" in page.content.decode()
    assert 'id="revenue-chart-title"' in page.content.decode()
    assert "No revenue billed in this period" not in page.content.decode()
    trend = reports.financial_trend(reports.Period.of("month", BILL_ON))
    assert trend[-1]["billed"] == sum(billed.values())
    assert trend[-1]["period"] == "October 2026" and len(trend) == 12


def test_a_period_without_revenue_says_so_instead_of_an_empty_chart(client_as, fleet):
    client = client_as(Role.EMS)
    for view in ("solidwaste:financial", "solidwaste:financial_pdf"):
        page = client.get(reverse(view), {"period": "month", "day": str(last_monday())})
        assert page.status_code == 200
    page = client.get(
        reverse("solidwaste:financial"), {"period": "month", "day": str(last_monday())}
    )
    text = page.content.decode()
    assert "No revenue billed in this period." in text
    assert 'id="revenue-chart-title"' not in text
    assert "No route production with tons in this period." in text
    assert 'id="cost-chart-title"' not in text
