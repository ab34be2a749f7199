"""Credit Services reports: each report's figures on a small hand-built data
set, the page with its chart, the export, and who may see it."""

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import FieldActivity, GLAccount, JournalEntry
from accounts.selectors import aging, receivable_open_items
from accounts.selectors.ledger import aging_bucket
from accounts.services import Charge, charges_post, entry_reverse, payment_post
from credit.models import CollectionState, Hold, LadderStep, PaymentArrangement, Pledge
from credit.selectors import reports
from credit.services.assistance import pledge_paid
from credit.services.write_offs import recovery_post, write_off_approve, write_off_request
from mesa_cs.lib.charts import CHART_WIDTH, ROW_LEFT, ROW_RIGHT, column_chart, row_chart
from mesa_cs.lib.roles import Role
from tests.factories import AccountFactory, UserFactory, premise

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 6, 30)


def charge(account, on, *lines, kind=JournalEntry.Kind.BILL):
    """Post one entry charging (amount, utility) lines; a utility of "" is a
    fee on the general receivable."""
    return charges_post(
        account=account,
        kind=kind,
        effective_on=on,
        description="Charges",
        charges=[
            Charge(
                D(amount),
                utility,
                revenue_purpose=GLAccount.Purpose.REVENUE if utility else GLAccount.Purpose.FEES,
            )
            for amount, utility in lines
        ],
    )


def pay(account, on, amount):
    return payment_post(account=account, amount=D(amount), effective_on=on)


# --- Aging ------------------------------------------------------------------------


@pytest.fixture
def receivable():
    """Residential A: water $100.00 45 days old, $30.00 paid on it; electric
    $80.00 and a $5.00 fee this month. Residential F: water $30.00 121 days
    old and $100.00 this month, unpaid. Commercial B: gas $50.00 (166 days,
    $10.00 paid), water $20.00 (112 days), wastewater $40.00 (71 days).
    Plus a reversed charge, a charge after the date, a paid-off account and
    one in credit, none of which is owed on the date."""
    a = AccountFactory(customer_class="residential")
    charge(a, date(2026, 5, 16), ("100.00", "water"))
    charge(a, date(2026, 6, 20), ("80.00", "electric"))
    pay(a, date(2026, 6, 25), "30.00")
    charge(a, date(2026, 6, 28), ("5.00", ""), kind=JournalEntry.Kind.FEE)

    f = AccountFactory(customer_class="residential")
    charge(f, date(2026, 3, 1), ("30.00", "water"))
    charge(f, date(2026, 6, 10), ("100.00", "water"))

    b = AccountFactory(customer_class="commercial")
    charge(b, date(2026, 1, 15), ("50.00", "gas"))
    charge(b, date(2026, 3, 10), ("20.00", "water"))
    charge(b, date(2026, 4, 20), ("40.00", "wastewater"))
    pay(b, date(2026, 6, 1), "10.00")

    c = AccountFactory(customer_class="residential")
    wrong = charge(c, date(2026, 6, 1), ("75.00", "electric"))
    entry_reverse(entry=wrong, reason="billed the wrong account", effective_on=date(2026, 6, 2))
    charge(c, date(2026, 7, 5), ("500.00", "electric"))

    d = AccountFactory(customer_class="commercial")
    charge(d, date(2026, 5, 1), ("60.00", "water"))
    pay(d, date(2026, 5, 20), "60.00")

    e = AccountFactory(customer_class="residential")
    pay(e, date(2026, 6, 1), "25.00")
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f}


def _row(cls, utility, current="0.00", d30="0.00", d60="0.00", d90="0.00", over90="0.00"):
    """Buckets by days past due: 1–30 (d30), 31–60, 61–90, over 90."""
    amounts = [D(current), D(d30), D(d60), D(d90), D(over90)]
    return {
        "class": cls,
        "utility": utility,
        "current": amounts[0],
        "1-30_days": amounts[1],
        "31-60_days": amounts[2],
        "61-90_days": amounts[3],
        "over_90_days": amounts[4],
        "total": sum(amounts),
    }


def test_aging_buckets_each_open_charge_by_days_past_due_class_and_utility(receivable):
    # Each charge here falls due the day it is charged, so none is current:
    # even this month's charges and the fee are 1–30 days past due.
    assert reports.aging(AS_OF) == [
        _row("Commercial", "Natural gas", over90="40.00"),
        _row("Commercial", "Water", over90="20.00"),
        _row("Commercial", "Wastewater", d90="40.00"),
        _row("Residential", "Electric", d30="80.00"),
        # A's water 45 days past due is in 31–60 with its open $70.00; F's
        # older water sits in over 90 behind this month's $100.00.
        _row("Residential", "Water", d30="100.00", d60="70.00", over90="30.00"),
        _row("Residential", reports.NO_UTILITY, d30="5.00"),
        _row("All classes", "All utilities", "0.00", "185.00", "70.00", "40.00", "90.00"),
    ]


def test_aging_on_an_earlier_date_leaves_out_what_came_later(receivable):
    rows = {(r["class"], r["utility"]): r for r in reports.aging(date(2026, 5, 31))}
    # On 05/31 A's water was 15 days past due and unpaid, F's March water 91.
    assert rows[("Residential", "Water")] == _row(
        "Residential", "Water", d30="100.00", over90="30.00"
    )
    assert ("Residential", "Electric") not in rows
    assert rows[("Commercial", "Natural gas")] == _row("Commercial", "Natural gas", over90="50.00")


def test_aging_matches_the_ledgers_open_items_account_by_account(receivable):
    # A bill for two utilities partly paid: which one stays open depends on
    # the order of its legs, which only the ledger's rule can say.
    g = AccountFactory(customer_class="commercial")
    charge(g, date(2026, 6, 15), ("50.00", "electric"), ("30.00", "water"), ("12.34", "gas"))
    pay(g, date(2026, 6, 20), "41.00")
    expected = defaultdict(lambda: D("0.00"))
    classes = {"residential": "Residential", "commercial": "Commercial"}
    utilities = {
        "electric": "Electric",
        "gas": "Natural gas",
        "water": "Water",
        "wastewater": "Wastewater",
        "": reports.NO_UTILITY,
    }
    for account in [*receivable.values(), g]:
        for item in receivable_open_items(account.pk, as_of=AS_OF):
            bucket = aging_bucket(item.due_on, AS_OF)
            key = (classes[account.customer_class], utilities[item.gl_account.utility])
            expected[key + (reports.AGING_COLUMNS[bucket],)] += item.open_amount
    got = {
        (row["class"], row["utility"], column): row[column]
        for row in reports.aging(AS_OF)[:-1]
        for column in reports.AGING_COLUMNS.values()
        if row[column]
    }
    assert got == dict(expected)


def test_aging_reads_older_debt_in_slices(receivable, monkeypatch):
    monkeypatch.setattr(aging, "DEEP_SLICE", 1)
    monkeypatch.setattr(aging, "RECENT_DAYS", 5)
    assert reports.aging(AS_OF)[-1] == _row(
        "All classes", "All utilities", "0.00", "185.00", "70.00", "40.00", "90.00"
    )


def test_aging_with_nothing_owed_has_no_rows():
    assert reports.aging(AS_OF) == []


# --- Disconnects and reconnects -----------------------------------------------------


def _order(kind, ordered_at, status="pending", completed_on=None, scheduled_on=None):
    return FieldActivity.objects.create(
        kind=kind,
        status=status,
        account=AccountFactory(),
        premise=premise(f"{FieldActivity.objects.count() + 100} E Main St"),
        scheduled_on=scheduled_on or ordered_at.date(),
        completed_on=completed_on,
        ordered_at=timezone.make_aware(ordered_at),
    )


def test_disconnects_counts_orders_placed_completed_and_cancelled_per_day():
    Kind, Status = FieldActivity.Kind, FieldActivity.Status
    _order(Kind.DISCONNECT, datetime(2026, 6, 1, 9), Status.COMPLETED, date(2026, 6, 2))
    # 11:30 pm in Mesa is the next day in UTC: still the 1st.
    _order(
        Kind.DISCONNECT,
        datetime(2026, 6, 1, 23, 30),
        Status.CANCELLED,
        scheduled_on=date(2026, 6, 3),
    )
    _order(Kind.DISCONNECT, datetime(2026, 5, 31, 9), Status.COMPLETED, date(2026, 6, 1))
    _order(Kind.RECONNECT, datetime(2026, 6, 2, 8), Status.COMPLETED, date(2026, 6, 2))
    _order(Kind.METER_TEST, datetime(2026, 6, 2, 8), Status.COMPLETED, date(2026, 6, 2))
    _order(Kind.RECONNECT, datetime(2026, 6, 4, 8))

    def day(on, **counts):
        columns = [
            f"{k}_{w}"
            for k in ("disconnects", "reconnects")
            for w in ("ordered", "completed", "cancelled")
        ]
        return {"day": on, **dict.fromkeys(columns, 0), **counts}

    assert reports.disconnects(date(2026, 6, 1), date(2026, 6, 3)) == [
        day(date(2026, 6, 1), disconnects_ordered=2, disconnects_completed=1),
        day(
            date(2026, 6, 2), disconnects_completed=1, reconnects_ordered=1, reconnects_completed=1
        ),
        day(date(2026, 6, 3), disconnects_cancelled=1),
    ]


# --- Payment arrangements -------------------------------------------------------------


def test_arrangements_made_kept_and_broken_per_month_with_amounts():
    by = UserFactory(role=Role.CREDIT)

    def arrangement(made_on, amount, status="active", ended_on=None):
        PaymentArrangement.objects.create(
            account=AccountFactory(),
            made_on=made_on,
            amount=D(amount),
            months=3,
            status=status,
            ended_on=ended_on,
            made_by=by,
        )

    arrangement(date(2026, 3, 5), "300.00")
    arrangement(date(2026, 3, 20), "150.00", "kept", date(2026, 5, 10))
    arrangement(date(2026, 2, 10), "200.00", "broken", date(2026, 4, 15))
    arrangement(date(2026, 4, 1), "100.00", "cancelled", date(2026, 4, 2))
    arrangement(date(2026, 6, 1), "999.00", "broken", date(2026, 6, 20))

    def month(name, **figures):
        row = {"month": name}
        for what in ("made", "kept", "broken"):
            count, amount = figures.get(what, (0, "0.00"))
            row[what], row[f"{what}_amount"] = count, D(amount)
        return row

    assert reports.arrangements(date(2026, 3, 1), date(2026, 5, 31)) == [
        month("2026-03", made=(2, "450.00")),
        month("2026-04", made=(1, "100.00"), broken=(1, "200.00")),
        month("2026-05", kept=(1, "150.00")),
    ]


# --- Write-offs and recoveries ----------------------------------------------------------


def test_write_offs_and_recoveries_per_month_from_the_ledger(role_users):
    credit, supervisor = role_users[Role.CREDIT], role_users[Role.SUPERVISOR]
    today = timezone.localdate()
    owing, other = AccountFactory(status="final"), AccountFactory(status="final")
    charge(owing, date(2026, 1, 31), ("180.00", "water"))
    charge(other, date(2026, 1, 31), ("50.00", "electric"))
    for account, amount in ((owing, "100.00"), (other, "50.00")):
        write_off = write_off_request(
            account=account, amount=D(amount), reason="Moved away", requested_by=credit
        )
        write_off = write_off_approve(write_off_id=write_off.pk, by=supervisor)
    recovery_post(account=owing, amount=D("30.00"), on=today, by=credit, description="Agency")
    # A write-off reversed counts for nothing.
    entry_reverse(entry=write_off.entry, reason="posted in error", effective_on=today)

    start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    assert reports.write_offs(start, today) == [
        {
            "month": f"{start:%Y-%m}",
            "write_offs": 0,
            "written_off": D("0.00"),
            "recoveries": 0,
            "recovered": D("0.00"),
            "net_written_off": D("0.00"),
        },
        {
            "month": f"{today:%Y-%m}",
            "write_offs": 1,
            "written_off": D("100.00"),
            "recoveries": 1,
            "recovered": D("30.00"),
            "net_written_off": D("70.00"),
        },
    ]


# --- Assistance pledges -------------------------------------------------------------------


def test_pledges_pending_by_agency_and_paid_or_expired_in_the_period():
    by = UserFactory(role=Role.CREDIT)

    def pledge(agency, amount, expires_on, status="pending"):
        return Pledge.objects.create(
            account=AccountFactory(),
            agency=agency,
            amount=D(amount),
            pledged_on=date(2026, 3, 1),
            expires_on=expires_on,
            status=status,
            recorded_by=by,
        )

    pledge("mesacan", "100.00", date(2026, 7, 10))
    pledge("mesacan", "50.00", date(2026, 7, 5))
    pledge("liheap", "80.00", date(2026, 6, 10), "expired")
    pledge("liheap", "40.00", date(2026, 4, 1), "expired")
    pledge("liheap", "10.00", date(2026, 6, 12), "cancelled")
    paid = pledge("lihwap", "75.00", date(2026, 7, 1))
    pledge_paid(pledge=paid, payment_amount=D("60.00"), on=date(2026, 6, 15), by=by)
    earlier = pledge("lihwap", "20.00", date(2026, 7, 1))
    pledge_paid(pledge=earlier, payment_amount=D("20.00"), on=date(2026, 5, 1), by=by)

    def agency(label, **figures):
        row = {"agency": label}
        for what in ("pending", "paid", "expired"):
            count, amount = figures.get(what, (0, "0.00"))
            row[what], row[f"{what}_amount"] = count, D(amount)
        row["nearest_expiry"] = figures.get("nearest", "")
        return row

    rows = reports.pledges(date(2026, 6, 1), date(2026, 6, 30))
    assert [{key: row[key] for key in agency("x")} for row in rows] == [
        agency("MesaCAN (A New Leaf)", pending=(2, "150.00"), nearest=date(2026, 7, 5)),
        agency("LIHEAP (Arizona DES)", expired=(1, "80.00")),
        agency("LIHWAP (water)", paid=(1, "60.00")),
        agency("Other agency"),
    ]


# --- The ladder today --------------------------------------------------------------------------


def test_ladder_counts_accounts_at_each_step_what_stopped_them_and_holds_in_force():
    today = timezone.localdate()
    owner = UserFactory(role=Role.CREDIT)
    reminder = LadderStep.objects.get(ladder__customer_class="residential", position=1)
    notice = LadderStep.objects.get(ladder__customer_class="commercial", position=2)
    a, b, c, d = (AccountFactory() for _ in range(4))
    CollectionState.objects.create(account=a, step=reminder, past_due=D("40.00"))
    CollectionState.objects.create(account=b, step=reminder, past_due=D("60.00"))
    CollectionState.objects.create(account=c, step=notice, past_due=D("100.00"), held_by="medical")
    CollectionState.objects.create(account=d, past_due=D("25.00"))
    day = timedelta(days=1)
    Hold.objects.create(
        account=c, kind="medical", reason="Oxygen", owner=owner, starts_on=today - day
    )
    Hold.objects.create(
        account=c, kind="medical", reason="Again", owner=owner, starts_on=today - day
    )
    Hold.objects.create(
        account=a,
        kind="dispute",
        reason="x",
        owner=owner,
        starts_on=today - 9 * day,
        released_on=today - day,
    )
    Hold.objects.create(
        account=b, kind="supervisor", reason="x", owner=owner, starts_on=today + day
    )
    Hold.objects.create(
        account=b,
        kind="medical",
        reason="x",
        owner=owner,
        starts_on=today - 9 * day,
        ends_on=today - day,
    )
    Hold.objects.create(
        account=d, kind="pledge", reason="x", owner=owner, starts_on=today, ends_on=today
    )

    rows = {
        (row["group"], row["item"]): (row["accounts"], row["past_due"])
        for row in reports.ladder(today)
    }
    assert rows[("All ladders", "Past due, before the first step")] == (1, D("25.00"))
    assert rows[("Residential collections", "1. Reminder")] == (2, D("100.00"))
    assert rows[("Commercial collections", "2. Disconnect notice")] == (1, D("100.00"))
    assert rows[("Residential collections", "2. Disconnect notice")] == (0, D("0.00"))
    assert rows[("Stopped from moving on by", "Medical certificate")] == (1, D("100.00"))
    assert rows[("Hold in force", "Medical certificate")] == (1, D("100.00"))
    assert rows[("Hold in force", "Assistance pledge pending")] == (1, D("25.00"))
    for kind in ("Dispute under review", "Supervisor hold", "Payment arrangement"):
        assert rows[("Hold in force", kind)] == (0, D("0.00"))


# --- The chart ---------------------------------------------------------------------------------


def test_column_chart_bars_are_whole_pixels_in_proportion():
    chart = column_chart("t", ["2026-01", "2026-02"], [("Made", [10, 5]), ("Kept", [0, 2])])
    made, kept, made2, kept2 = chart.bars
    assert all(
        isinstance(v, int) for bar in chart.bars for v in (bar.x, bar.y, bar.width, bar.height)
    )
    assert made.height == 2 * made2.height and kept.height == 0
    assert made.y + made.height == made2.y + made2.height == kept.y  # one zero line
    assert made.x < kept.x < made2.x < kept2.x
    assert [item.text for item in chart.legend] == ["Made", "Kept"]
    assert "2026-02, Kept: 2" in [bar.title for bar in chart.bars]


def test_row_chart_shortens_long_names_and_scales_money():
    chart = row_chart("t", ["A" * 40, "B"], [("Owed", [D("10.50"), D("21.00")])], money=True)
    assert chart.bars[1].width == 2 * chart.bars[0].width
    assert chart.labels[0].text == "A" * 31 + "…"
    assert chart.bars[0].title == "A" * 40 + ", Owed: $10.50"
    # The scale runs to a round $30 (twice a $15 step) past the highest $21.
    assert chart.bars[1].width == (CHART_WIDTH - ROW_LEFT - ROW_RIGHT) * 21 // 30
    assert [tick.text for tick in chart.ticks] == ["$0", "$15", "$30"]


# --- The page ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(reports.REPORTS))
def test_each_report_renders_its_chart_and_table_for_a_credit_representative(client_as, name):
    charge(AccountFactory(), timezone.localdate(), ("42.50", "water"))
    response = client_as(Role.CREDIT).get(reverse("credit:report", args=[name]))
    assert response.status_code == 200
    html = response.content.decode()
    title = reports.REPORTS[name][0]
    assert f'<h1 class="h3 mb-0">{title}</h1>' in html
    assert '<svg width="' in html and 'role="img"' in html and "<rect " in html
    assert "<caption>" + title in html
    assert "style=" not in html.split("<main")[-1]
    for key in reports.REPORTS:
        assert reverse("credit:report", args=[key]) in html


def test_the_aging_page_shows_the_figures_and_takes_a_date(client_as, receivable):
    response = client_as(Role.CREDIT).get(
        reverse("credit:report", args=["aging"]), {"as_of": "2026-06-30"}
    )
    html = response.content.decode()
    assert 'id="as_of" name="as_of" value="2026-06-30"' in html and '<label for="as_of"' in html
    assert "<caption>Aging by class and utility as of 06/30/2026</caption>" in html
    assert "Natural gas" in html and ">$385.00<" in html  # an amount, written as money
    assert "Water, 31–60 days: $70.00" in html  # a bar's tooltip


def test_a_period_report_takes_its_dates_in_order(client_as):
    response = client_as(Role.CREDIT).get(
        reverse("credit:report", args=["disconnects"]), {"start": "2026-06-03", "end": "2026-06-01"}
    )
    html = response.content.decode()
    assert 'id="start" name="start" value="2026-06-01"' in html
    assert 'id="end" name="end" value="2026-06-03"' in html
    assert len(response.context["table"].rows) == 3


def test_a_monthly_report_covers_the_last_twelve_months_by_default(client_as, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 3, 1))
    response = client_as(Role.CREDIT).get(reverse("credit:report", args=["arrangements"]))
    months = [row.get_cell_value("month") for row in response.context["table"].rows]
    assert months == [f"2025-{m:02d}" for m in range(4, 13)] + ["2026-01", "2026-02", "2026-03"]


def test_the_export_is_csv_with_the_rows(client_as, receivable):
    response = client_as(Role.CREDIT).get(
        reverse("credit:report", args=["aging"]), {"as_of": "2026-06-30", "_export": "csv"}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="aging.csv"' in response["Content-Disposition"]
    lines = response.content.decode().splitlines()
    assert lines[0] == "Class,Utility,Current,1-30 days,31-60 days,61-90 days,Over 90 days,Total"
    assert "Residential,Water,0.00,100.00,70.00,0.00,30.00,200.00" in lines
    assert lines[-1] == "All classes,All utilities,0.00,185.00,70.00,40.00,90.00,385.00"


def test_a_clerk_may_not_see_credit_reports(client_as):
    for name in reports.REPORTS:
        assert client_as(Role.CLERK).get(reverse("credit:report", args=[name])).status_code == 403


def test_an_unknown_report_is_not_found(client_as):
    response = client_as(Role.CREDIT).get(reverse("credit:report", args=["nonsense"]))
    assert response.status_code == 404


def test_the_credit_index_links_to_the_reports(client_as):
    html = client_as(Role.CREDIT).get(reverse("credit:index")).content.decode()
    assert reverse("credit:report", args=["aging"]) in html
