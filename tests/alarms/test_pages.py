"""The Alarm Unit's pages as its clerk and a supervisor use them."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.selectors.ledger import account_balance
from alarms.models import AlarmInvoice, AlarmPermit, Appeal, Incident
from alarms.services.feed import feed_import
from mesa_cs.lib.roles import Role
from tests.alarms.conftest import feed

pytestmark = pytest.mark.django_db


@pytest.fixture
def alarms_client(client_as):
    return client_as(Role.ALARMS)


def test_the_clerk_issues_a_permit_at_the_counter(alarms_client, on_today):
    response = alarms_client.post(
        reverse("alarms:permit_new"),
        {
            "holder_name": "Desert Sun Dental",
            "business": "on",
            "customer_class": "commercial",
            "address": "1425 East University Drive",
            "zip_code": "85203",
            "functions": ["burglary", "robbery"],
            "issued_on": "2026-11-30",
            "phone": "480-555-0101",
            "preferred_language": "en",
            "responder_1_name": "Ana Ruiz",
            "responder_1_phone": "480 555 0102",
        },
    )
    permit = AlarmPermit.objects.get()
    assert response.status_code == 302 and response.url == permit.get_absolute_url()
    assert (permit.holder_name, permit.functions, permit.expires_on) == (
        "Desert Sun Dental",
        ["burglary", "robbery"],
        date(2027, 11, 29),
    )
    assert permit.account.kind == "alarm"
    assert str(account_balance(permit.account_id)) == "20.00"
    page = alarms_client.get(permit.get_absolute_url())
    assert b"Ana Ruiz" in page.content and b"$20.00" in page.content
    pdf = alarms_client.get(reverse("alarms:permit_pdf", args=[permit.number]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_a_robbery_alarm_at_a_residence_is_refused_beside_the_field(alarms_client, on_today):
    response = alarms_client.post(
        reverse("alarms:permit_new"),
        {
            "holder_name": "Maria Gonzales",
            "customer_class": "residential",
            "address": "1425 E University Dr",
            "zip_code": "85203",
            "functions": ["robbery"],
            "issued_on": "2026-11-30",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 200
    assert "robbery alarm is for a business" in response.context["form"].errors["functions"][0]
    assert not AlarmPermit.objects.exists()


def test_a_future_issue_date_is_refused(alarms_client, on_today):
    response = alarms_client.post(
        reverse("alarms:permit_new"),
        {
            "holder_name": "Maria Gonzales",
            "customer_class": "residential",
            "address": "1425 E University Dr",
            "zip_code": "85203",
            "functions": ["burglary"],
            "issued_on": "2026-12-25",
            "preferred_language": "en",
        },
    )
    assert "issued_on" in response.context["form"].errors
    assert not AlarmPermit.objects.exists()


def test_the_feed_upload_shows_the_summary_and_keeps_the_file(alarms_client, make_permit):
    permit = make_permit()
    content = feed(
        f"MPD-1,2026-03-05T14:22:00,1425 East University Drive,burglary,false,{permit.number}",
        "MPD-2,bad,1425 E University Dr,burglary,false,",
    )
    response = alarms_client.post(
        reverse("alarms:feed"), {"file": SimpleUploadedFile("cad-0305.csv", content)}
    )
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary["incidents"]["new"] == 1 and summary["errors"][0]["line"] == 3
    assert b"Line 3:" in response.content and b"cad-0305.csv" in response.content
    invoice = AlarmInvoice.objects.get(kind="false_alarm")
    pdf = alarms_client.get(reverse("alarms:invoice_pdf", args=[invoice.number]))
    assert pdf.content.startswith(b"%PDF")


def test_lists_filter_and_export(alarms_client, make_permit):
    permit = make_permit()
    make_permit("77 W Main St", name="Lee Park")
    feed_import(
        content=feed(
            f"X-1,2026-03-05T14:22:00,1425 E University Dr,burglary,false,{permit.number}"
        ),
        filename="f.csv",
    )
    listed = alarms_client.get(reverse("alarms:permits"), {"address": "1425 East University"})
    assert [p.number for p in listed.context["table"].data] == [permit.number]
    export = alarms_client.get(reverse("alarms:permits"), {"_export": "csv"})
    assert (
        export["Content-Type"].startswith("text/csv") and permit.number in export.content.decode()
    )
    for name in ("alarms:incidents", "alarms:invoices", "alarms:appeals", "alarms:companies"):
        assert alarms_client.get(reverse(name)).status_code == 200, name
        assert alarms_client.get(reverse(name), {"_export": "xlsx"}).status_code == 200, name


def test_the_lookup_finds_by_address_written_another_way(alarms_client, make_permit):
    permit = make_permit()
    response = alarms_client.get(reverse("alarms:lookup"), {"q": "1425 east university"})
    assert response.context["permits"] == [permit]


def test_research_invoices_the_waiting_fees(alarms_client, make_permit):
    permit = make_permit("500 N Center St")
    feed_import(
        content=feed("Q-1,2026-03-05T14:22:00,9 W Lost Ave,burglary,false,"), filename="f.csv"
    )
    incident = Incident.objects.get()
    response = alarms_client.post(incident.get_absolute_url(), {"permit": permit.number})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.research == "done" and incident.permit == permit
    # The permit was active on the day: the no-permit assessment falls away.
    assert incident.invoice.amount == 50


def test_appeal_filed_by_the_clerk_decided_by_a_supervisor(client_as, make_permit):
    permit = make_permit()
    feed_import(
        content=feed(
            f"A-1,2026-11-20T10:00:00,1425 E University Dr,burglary,false,{permit.number}"
        ),
        filename="f.csv",
    )
    invoice = AlarmInvoice.objects.get(kind="false_alarm")
    clerk = client_as(Role.ALARMS)
    response = clerk.post(
        invoice.get_absolute_url(), {"filed_on": "2026-11-30", "grounds": "Power failure."}
    )
    appeal = Appeal.objects.get()
    assert response.status_code == 302 and response.url == appeal.get_absolute_url()
    refused = clerk.post(
        reverse("alarms:appeal_decide", args=[appeal.pk]), {"outcome": "waived", "reason": "x"}
    )
    assert refused.status_code == 403
    supervisor = client_as(Role.SUPERVISOR)
    decided = supervisor.post(
        reverse("alarms:appeal_decide", args=[appeal.pk]),
        {"outcome": "waived", "reason": "The power company confirmed the outage."},
    )
    assert decided.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.outcome, appeal.amount_upheld) == ("waived", 0)
    assert str(account_balance(permit.account_id)) == "20.00"


def test_reports_render_and_export(alarms_client, make_permit):
    permit = make_permit()
    feed_import(
        content=feed(
            f"R-1,2026-03-05T14:22:00,1425 E University Dr,burglary,false,{permit.number}"
        ),
        filename="f.csv",
    )
    for name in ("by_address", "by_company", "by_month", "fees", "permits", "appeals"):
        page = alarms_client.get(reverse("alarms:report", args=[name]))
        assert page.status_code == 200, name
        export = alarms_client.get(reverse("alarms:report", args=[name]), {"_export": "csv"})
        assert export.status_code == 200, name
    by_address = alarms_client.get(reverse("alarms:report", args=["by_address"]))
    assert b"1425 E UNIVERSITY DR" in by_address.content


def test_the_home_page_shows_the_alarm_units_day(alarms_client, make_permit):
    feed_import(
        content=feed("H-1,2026-03-05T14:22:00,9 W Lost Ave,burglary,false,"), filename="f.csv"
    )
    make_permit()
    home = alarms_client.get("/")
    assert b"Incidents to research" in home.content
    assert b"Appeals due for hearing" in home.content


def test_the_months_statements_list_who_owes_and_print(alarms_client, make_permit):
    permit = make_permit()
    paid = make_permit("77 W Main St", name="Lee Park")
    from accounts.services.ledger import payment_post

    payment_post(account=paid.account, amount=20, effective_on=date(2026, 11, 30))
    page = alarms_client.get(reverse("alarms:statements"))
    assert [a.number for a in page.context["page"]] == [permit.account.number]
    one = alarms_client.get(reverse("alarms:statement_pdf", args=[permit.account.number]))
    assert one.content.startswith(b"%PDF")
    batch = alarms_client.get(reverse("alarms:statements_pdf"))
    assert batch.content.startswith(b"%PDF")


def test_the_holder_changes_company_and_responders_by_phone(alarms_client, make_permit):
    from alarms.services.permits import company_save

    permit = make_permit(responders=[("Ana Ruiz", "4805550102")])
    company = company_save(name="Valley Alarm Co")
    response = alarms_client.post(
        reverse("alarms:permit_change", args=[permit.number]),
        {
            "alarm_company": company.pk,
            "responder_1_name": "Luis Gonzales",
            "responder_1_phone": "480-555-0143",
            "responder_2_name": "",
            "responder_2_phone": "",
        },
    )
    assert response.status_code == 302
    permit.refresh_from_db()
    assert permit.alarm_company == company
    assert [(r.name, r.phone) for r in permit.responders.all()] == [("Luis Gonzales", "4805550143")]
    refused = alarms_client.post(
        reverse("alarms:permit_change", args=[permit.number]),
        {"responder_1_name": "No Phone", "responder_1_phone": ""},
    )
    assert refused.status_code == 200 and "10-digit" in str(refused.context["form"].errors)


def test_the_page_refuses_to_waive_a_no_permit_assessment_beside_the_field(client_as, db, on_today):
    feed_import(
        content=feed("NP-1,2026-11-20T10:00:00,9 W Lost Ave,panic,false,"), filename="f.csv"
    )
    from alarms.services.research import incident_research_resolve
    from tests.factories import UserFactory

    incident_research_resolve(
        incident=Incident.objects.get(),
        by=UserFactory(),
        holder_name="Pat Owner",
        mailing_address="9 W Lost Ave",
        zip_code="85201",
    )
    invoice = AlarmInvoice.objects.get()  # $0.00 first panic alarm + $100.00 no permit
    clerk = client_as(Role.ALARMS)
    clerk.post(invoice.get_absolute_url(), {"filed_on": "2026-11-30", "grounds": "Not ours."})
    appeal = Appeal.objects.get()
    supervisor = client_as(Role.SUPERVISOR)
    response = supervisor.post(
        reverse("alarms:appeal_decide", args=[appeal.pk]), {"outcome": "waived", "reason": "x"}
    )
    assert response.status_code == 200
    assert "cannot be waived" in " ".join(response.context["decision_form"].errors["outcome"])
    appeal.refresh_from_db()
    assert appeal.status != "decided"
    assert str(account_balance(invoice.account_id)) == "100.00"
