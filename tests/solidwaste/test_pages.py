"""Who may open route production and its reports, and the pages' own work:
the day's entry, the upload, the lists and the productivity charts."""

from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mesa_cs.lib.roles import Role
from solidwaste.models import ProductionEntry
from solidwaste.services.production import production_import
from tests.solidwaste.conftest import last_monday, production_csv

pytestmark = pytest.mark.django_db

PAGES = [
    "solidwaste:routes", "solidwaste:trucks", "solidwaste:crew", "solidwaste:production",
    "solidwaste:production_enter", "solidwaste:production_import", "solidwaste:kpis",
    "solidwaste:payroll", "solidwaste:payroll_export", "solidwaste:payroll_xlsx",
    "solidwaste:payroll_pdf", "solidwaste:financial", "solidwaste:financial_xlsx",
    "solidwaste:financial_pdf",
]  # fmt: skip
ADMITTED = {Role.EMS, Role.SUPERVISOR, Role.ADMINISTRATOR}


@pytest.mark.parametrize("role", list(Role))
def test_only_ems_clerks_and_the_leads_open_production_and_its_reports(client_as, role, fleet):
    client = client_as(role)
    for name in PAGES:
        status = client.get(reverse(name)).status_code
        assert (status == 200) == (role in ADMITTED), (name, role, status)
        if role not in ADMITTED:
            assert status == 403, (name, role)
    for name in ("solidwaste:production_enter", "solidwaste:production_import"):
        assert (client.post(reverse(name)).status_code == 403) == (role not in ADMITTED)
    # The section's home stays open to its area (Clerks take solid-waste
    # calls) and links production only for those who may use it.
    home = client.get(reverse("solidwaste:index"))
    if role in {Role.EMS, Role.CLERK, Role.SUPERVISOR, Role.ADMINISTRATOR}:
        linked = reverse("solidwaste:production_enter") in home.content.decode()
        assert linked == (role in ADMITTED)
    else:
        assert home.status_code == 403


def test_entering_a_line_records_it_and_entering_it_again_corrects_it(client_as, fleet):
    client = client_as(Role.EMS)
    day = last_monday()
    form = {
        "work_on": str(day), "route": fleet["res"].pk, "truck": fleet["t1"].pk,
        "operator": fleet["ana"].pk, "lifts": "1010", "stops": "990", "tons": "12.25",
        "hours": "8.5", "misses": "1", "overtime_hours": "0.5",
    }  # fmt: skip
    response = client.post(reverse("solidwaste:production_enter"), form)
    assert response.status_code == 302
    assert f"work_on={day}" in response["Location"]
    entry = ProductionEntry.objects.get()
    assert (entry.lifts, entry.tons, entry.entered_by.username) == (1010, D("12.25"), "ems")
    page = client.get(response["Location"]).content.decode()
    assert "recorded" in page and "Ana Diaz" in page
    client.post(reverse("solidwaste:production_enter"), form | {"lifts": "1020"})
    assert ProductionEntry.objects.get().lifts == 1020
    refused = client.post(
        reverse("solidwaste:production_enter"), form | {"misses": "991", "work_on": "2999-01-01"}
    )
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "Cannot be after today" in text
    again = client.post(reverse("solidwaste:production_enter"), form | {"misses": "991"})
    assert "Misses cannot be more than the stops." in again.content.decode()
    assert ProductionEntry.objects.get().misses == 1


def test_the_upload_page_lists_bad_lines_and_records_a_good_file(client_as, fleet):
    client = client_as(Role.EMS)
    day = last_monday()
    bad = production_csv(f"{day},RES-101,T-101,2001,1012,980,12.40,8.5,2,9")
    page = client.post(
        reverse("solidwaste:production_import"),
        {"file": SimpleUploadedFile("sheets.csv", bad, "text/csv")},
    ).content.decode()
    assert "Nothing was recorded" in page and "Line 2: overtime_hours" in page
    good = production_csv(f"{day},RES-101,T-101,2001,1012,980,12.40,8.5,2,0.5")
    page = client.post(
        reverse("solidwaste:production_import"),
        {"file": SimpleUploadedFile("sheets.csv", good, "text/csv")},
    ).content.decode()
    assert "1 recorded, 0 already recorded" in page
    assert ProductionEntry.objects.count() == 1


def test_the_kpi_page_draws_its_charts_with_a_table_and_exports(client_as, fleet):
    day = last_monday()
    production_import(
        content=production_csv(
            f"{day},RES-101,T-101,2001,1000,980,12.40,8,2,0",
            f"{day},COM-201,T-201,2002,180,60,9.75,8,0,0",
        ),
        filename="x.csv",
    )
    client = client_as(Role.SUPERVISOR)
    page = client.get(reverse("solidwaste:kpis"), {"start": str(day), "end": str(day)})
    text = page.content.decode()
    assert text.count("<svg") == 2 and '<title id="lifts-chart-title">' in text
    assert "RES-101" in text and "Lifts per hour" in text
    export = client.get(
        reverse("solidwaste:kpis"), {"start": str(day), "end": str(day), "_export": "csv"}
    ).content.decode()
    assert export.splitlines()[0].startswith("Route,Name,Operator days,Route days,Lifts")
    listing = client.get(reverse("solidwaste:production"), {"_export": "csv"}).content.decode()
    assert len(listing.strip().splitlines()) == 3
