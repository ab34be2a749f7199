"""Rate modelling (issue 15 item 4, docs/rate_modelling.md): a proposed change
modelled over a year of issued bills and the active services, saved,
compared side by side and exported as the council memo (PDF and XLSX)."""

import io
import subprocess
from datetime import date, timedelta
from decimal import Decimal as D

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from billing.models import RateScenario
from billing.rules.rate_model import Change, ChangeError, apply_changes, in_force_on
from billing.rules.ratebook import shipped_ratebook
from billing.services.bills import bill_issue
from billing.services.rate_models import rate_scenario_create
from billing.services.rates import ratebook_from_db, ratebook_load
from mesa_cs.lib.dates import today
from mesa_cs.lib.roles import Role
from tests.factories import AccountFactory, agreement, premise

pytestmark = pytest.mark.django_db

MODEL_ROLES = {Role.BILLING, Role.EMS, Role.SUPERVISOR, Role.ADMINISTRATOR}
EFFECTIVE = date(2027, 1, 1)  # after the 2026-02-01 version: SW1.1 at 30.90
BARRELS = [Change(schedule="SW1.1", percent=D("3.5"))]


def month_ends(before: date, months: int = 3) -> list[date]:
    """The last days of ``months`` whole months, the latest two months before
    ``before``'s month, so each bill's date (2 days later) is past."""
    ends, day = [], before.replace(day=1)
    for _ in range(months + 1):
        day = day - timedelta(days=1)
        ends.append(day)
        day = day.replace(day=1)
    return sorted(ends[1:])


def bill_three_barrel_accounts():
    """Three accounts on SW1.1 with 1, 1 and 2 barrels, billed for three
    whole months (28 to 31 days, so no proration) within the year modelled:
    4 barrels × 3 months = 12 barrel-months at 30.90."""
    ratebook_load(shipped_ratebook())
    book = ratebook_from_db()
    ends = month_ends(today())
    accounts = []
    for n, containers in enumerate((1, 1, 2)):
        account = AccountFactory()
        home = premise(f"{1425 + 2 * n} E University Dr")
        agreement(
            account,
            "solid_waste",
            "SW1.1",
            premise_obj=home,
            containers=containers,
            starts_on=ends[0].replace(day=1),
        )
        for end in ends:
            bill_issue(account=account, period_end=end, bill_on=end + timedelta(days=2), book=book)
        accounts.append(account)
    return accounts


@pytest.fixture
def city(db):
    return bill_three_barrel_accounts()


def _model(by, changes=BARRELS, **fields):
    return rate_scenario_create(
        name=fields.get("name", "Barrels +3.5 %"),
        note=fields.get("note", ""),
        effective=fields.get("effective", EFFECTIVE),
        changes=changes,
        by=by,
    )


def test_revenue_impact_equals_the_hand_calculation(city, role_users):
    scenario = _model(role_users[Role.EMS])
    (row,) = scenario.result["rows"]
    # 30.90 × 1.035 = 31.9815, published as 31.98; 12 barrel-months billed.
    assert row["code"] == "SW1.1"
    assert row["bill_segments"] == 9
    assert (row["services"], row["containers"]) == (3, 4)
    assert D(row["current"]) == D("30.90") * 12 == D("370.80")
    assert D(row["proposed"]) == D("31.98") * 12 == D("383.76")
    assert D(row["change"]) == D("12.96")
    assert row["percent"] == "3.50"
    assert not row["estimated"]
    assert scenario.result["classes"] == [
        {
            "customer_class": "residential",
            "current": "370.80",
            "proposed": "383.76",
            "change": "12.96",
            "percent": "3.50",
        }
    ]
    # The typical customer has one barrel: 30.90 → 31.98 a month.
    (typical,) = scenario.result["typical"]
    assert (typical["current"], typical["proposed"], typical["change"]) == (
        "30.90",
        "31.98",
        "1.08",
    )
    assert "1 container" in typical["customer"]
    assert scenario.changes.get().percent == D("3.50")


def test_a_new_price_for_one_service_code_changes_only_that_price():
    book = shipped_ratebook()
    base = in_force_on(book.schedules["SW3.1"], EFFECTIVE)
    changed = apply_changes(
        base, [Change(schedule="SW3.1", component=base.components[0].name, key="4yd:2",
                      new_price=D("230.00"))], "SW3.1"
    )  # fmt: skip
    before, after = base.components[0].by_service, changed.components[0].by_service
    assert after["4yd:2"] == D("230.00")
    assert {k: v for k, v in after.items() if k != "4yd:2"} == {
        k: v for k, v in before.items() if k != "4yd:2"
    }


def test_a_percent_leaves_taxes_and_discounts_alone():
    book = shipped_ratebook()
    base = in_force_on(book.schedules["E1.1"], EFFECTIVE)
    changed = apply_changes(base, [Change(schedule="E1.1", percent=D("10"))], "E1.1")
    for old, new in zip(base.components, changed.components, strict=True):
        if old.type in ("tax", "discount", "usage_credit"):
            assert old == new
        else:
            assert old != new


def test_a_change_that_does_not_fit_is_refused_with_its_line():
    base = in_force_on(shipped_ratebook().schedules["SW1.1"], EFFECTIVE)
    with pytest.raises(ChangeError, match="Change 1 .*no component 'Lids'"):
        apply_changes(base, [Change(schedule="SW1.1", component="Lids", percent=D(1))], "SW1.1")
    with pytest.raises(
        ChangeError, match="no price of the schedule is by meter size or service code 4yd:2"
    ):
        apply_changes(base, [Change(schedule="SW1.1", key="4yd:2", percent=D(1))], "SW1.1")


def test_a_schedule_nobody_was_billed_on_is_estimated_from_active_services(db, role_users):
    ratebook_load(shipped_ratebook())
    for n in range(2):
        home = premise(f"{200 + 2 * n} W Main St")
        agreement(AccountFactory(), "solid_waste", "SW1.2", premise_obj=home, containers=1)
    scenario = _model(role_users[Role.EMS], [Change(schedule="SW1.2", percent=D("10"))])
    (row,) = scenario.result["rows"]
    # 27.54 → 30.29 a month, 2 services × 12 months.
    assert row["estimated"] and row["bill_segments"] == 0
    assert (D(row["current"]), D(row["proposed"])) == (D("27.54") * 24, D("30.29") * 24)


def test_ems_may_model_only_solid_waste_and_card_numbers_are_refused(city, role_users):
    with pytest.raises(ValidationError, match="may not model W1.1"):
        _model(role_users[Role.EMS], [Change(schedule="W1.1", percent=D(2))])
    with pytest.raises(ValidationError) as refused:
        _model(role_users[Role.EMS], note="card 4111 1111 1111 1111")
    assert "note" in refused.value.message_dict
    assert not RateScenario.objects.exists()
    assert _model(role_users[Role.BILLING], [Change(schedule="W1.1", percent=D(2))]).pk


def _post_barrels(client, name="Barrels +3.5 %", percent="3.5"):
    data = {
        "name": name,
        "effective": "2027-01-01",
        "note": "",
        "change-TOTAL_FORMS": "6",
        "change-INITIAL_FORMS": "0",
        "change-MIN_NUM_FORMS": "0",
        "change-MAX_NUM_FORMS": "6",
        "change-0-schedule": "SW1.1",
        "change-0-percent": percent,
    }
    return client.post(reverse("billing:rate_model_new"), data)


def test_scenarios_are_saved_listed_and_compared(city, client, role_users):
    client.force_login(role_users[Role.EMS])
    assert client.get(reverse("billing:rate_model_new")).status_code == 200
    first = _post_barrels(client)
    assert first.status_code == 302
    second = _post_barrels(client, "Barrels +5 %", "5")
    a, b = RateScenario.objects.order_by("pk")
    assert second.url == b.get_absolute_url()
    page = client.get(a.get_absolute_url()).content.decode()
    assert "$370.80" in page and "$383.76" in page
    listing = client.get(reverse("billing:rate_models")).content.decode()
    assert "Barrels +3.5 %" in listing and "Barrels +5 %" in listing
    csv = client.get(reverse("billing:rate_models"), {"_export": "csv"}).content.decode()
    assert "Barrels +5 %" in csv
    compare = client.get(reverse("billing:rate_model_compare"), {"s": [a.pk, b.pk]})
    html = compare.content.decode()
    # 30.90 × 1.05 = 32.445 → 32.45; 12 barrel-months: 389.40.
    assert "$12.96" in html and "$18.60" in html
    assert html.index("Barrels +3.5 %") < html.index("Barrels +5 %")


def test_a_refused_change_shows_the_form_again(city, client, role_users):
    client.force_login(role_users[Role.EMS])
    response = _post_barrels(client, percent="")
    assert response.status_code == 400
    assert "Give a percent or a new price" in response.content.decode()
    assert not RateScenario.objects.exists()


def test_the_council_memo_pdf_and_xlsx(city, client, role_users):
    scenario = _model(role_users[Role.SUPERVISOR])
    client.force_login(role_users[Role.EMS])
    pdf = client.get(reverse("billing:rate_model_pdf", args=[scenario.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Council memo" in text and "SW1.1: every price +3.5 %" in text
    assert "$370.80" in text and "$383.76" in text and "$12.96" in text
    xlsx = client.get(reverse("billing:rate_model_xlsx", args=[scenario.pk]))
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == [
        "Scenario",
        "Revenue by schedule",
        "Revenue by class",
        "Typical bills",
    ]
    rows = list(book["Revenue by schedule"].iter_rows(values_only=True))
    assert rows[1][0] == "SW1.1"
    assert [D(str(v)) for v in rows[1][6:9]] == [D("370.80"), D("383.76"), D("12.96")]


@pytest.mark.parametrize("role", list(Role))
def test_only_the_rate_book_roles_model_rates(city, client, role_users, role):
    scenario = _model(role_users[Role.SUPERVISOR])
    client.force_login(role_users[role])
    urls = [
        reverse("billing:rate_models"),
        reverse("billing:rate_model_new"),
        reverse("billing:rate_model", args=[scenario.pk]),
        reverse("billing:rate_model_compare"),
        reverse("billing:rate_model_pdf", args=[scenario.pk]),
        reverse("billing:rate_model_xlsx", args=[scenario.pk]),
    ]
    expected = 200 if role in MODEL_ROLES else 403
    assert [client.get(url).status_code for url in urls] == [expected] * len(urls)
    saved = _post_barrels(client).status_code
    assert saved == (302 if role in MODEL_ROLES else 403)
