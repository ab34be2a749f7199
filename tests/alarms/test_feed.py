"""The dispatch feed, as interchange_formats.md specifies it."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from accounts.selectors.ledger import account_balance
from alarms.models import AlarmPermit, Assessment, Incident
from alarms.services.feed import feed_import
from staffing.models import WorkItem
from tests.alarms.conftest import feed

pytestmark = pytest.mark.django_db


def run(content: bytes, name="cad.csv"):
    summary, _ = feed_import(content=content, filename=name)
    return summary


def test_matched_by_permit_number_counts_and_charges_the_ladder(make_permit):
    permit = make_permit()
    summary = run(
        feed(
            f"MPD-26-000101,2026-03-05T14:22:00,1425 E University Dr,burglary,false,{permit.number}",
            f"MPD-26-000102,2026-04-05T09:00:00,1425 E University Dr,burglary,false,{permit.number}",
            f"MPD-26-000103,2026-05-05T09:00:00,1425 E University Dr,burglary,valid,{permit.number}",
            f"MPD-26-000104,2026-06-05T09:00:00,1425 E University Dr,burglary,cancelled,{permit.number}",
        )
    )
    assert summary["incidents"] == {"read": 4, "new": 4, "duplicates": 0, "errors": 0}
    assert [
        (a["incident_number"], a["count_in_window"], a["amount"]) for a in summary["assessments"]
    ] == [
        ("MPD-26-000101", 1, "50.00"),
        ("MPD-26-000102", 2, "100.00"),
    ]
    assert summary["assessments"][0] == {
        "incident_number": "MPD-26-000101",
        "permit_number": permit.number,
        "fee_type": "false_alarm",
        "alarm_class": "burglary",
        "count_in_window": 1,
        "amount": "50.00",
    }
    assert summary["total_assessed"] == "150.00"
    # The $20.00 permit fee and the two invoices, on the holder's alarm account.
    assert account_balance(permit.account_id) == Decimal("170.00")


@pytest.mark.parametrize(
    "written",
    [
        "1425 East University Drive",
        "1425 e. university dr.",
        "  1425   EAST  UNIVERSITY   DR ",
        '"1425 E, University Dr"',
    ],
)
def test_address_normalisation_matches_the_permit(make_permit, written):
    permit = make_permit()
    summary = run(feed(f"MPD-1,2026-03-05T14:22:00,{written},burglary,false,"))
    assert summary["assessments"][0]["permit_number"] == permit.number
    incident = Incident.objects.get()
    assert (incident.permit, incident.matched_by) == (permit, "address")


def test_panic_and_robbery_count_together_apart_from_burglary(make_permit):
    permit = make_permit(functions=("burglary", "panic"))
    summary = run(
        feed(
            f"P-1,2026-03-01T10:00:00,1425 E University Dr,panic,false,{permit.number}",
            f"P-2,2026-03-02T10:00:00,1425 E University Dr,burglary,false,{permit.number}",
            # A cancelled panic alarm counts: panic alarms cannot be cancelled.
            f"P-3,2026-03-03T10:00:00,1425 E University Dr,panic,cancelled,{permit.number}",
            f"P-4,2026-03-04T10:00:00,1425 E University Dr,robbery,false,{permit.number}",
        )
    )
    got = [
        (a["incident_number"], a["alarm_class"], a["count_in_window"], a["amount"])
        for a in summary["assessments"]
    ]
    assert got == [
        ("P-1", "panic_robbery", 1, "0.00"),
        ("P-2", "burglary", 1, "50.00"),
        ("P-3", "panic_robbery", 2, "100.00"),
        ("P-4", "panic_robbery", 3, "200.00"),
    ]


def test_no_permit_at_a_known_address_is_assessed_both_fees(make_permit):
    permit = make_permit(issued_on=__import__("datetime").date(2025, 6, 1))
    AlarmPermit.objects.filter(pk=permit.pk).update(status="expired")
    summary = run(feed("N-1,2026-07-01T10:00:00,1425 E University Dr,burglary,false,"))
    assert [(a["fee_type"], a["permit_number"], a["amount"]) for a in summary["assessments"]] == [
        ("false_alarm", None, "50.00"),
        ("no_permit", None, "100.00"),
    ]
    assert summary["total_assessed"] == "150.00"
    # Billed to the holder of the lapsed permit.
    assert Assessment.objects.filter(status="billed").count() == 2


def test_unmatched_incident_goes_to_research_with_its_fees_waiting(db, on_today):
    summary = run(feed("U-1,2026-07-01T10:00:00,99 W Nowhere Ln,burglary,false,"))
    assert [a["fee_type"] for a in summary["assessments"]] == ["false_alarm", "no_permit"]
    incident = Incident.objects.get()
    assert incident.research == "open"
    assert set(incident.assessments.values_list("status", flat=True)) == {"research"}
    item = WorkItem.objects.get(kind="alarm_research")
    assert "U-1" in item.title and item.section == "account_maintenance"


def test_the_same_feed_twice_assesses_once(make_permit):
    permit = make_permit()
    content = feed(
        f"D-1,2026-03-05T14:22:00,1425 E University Dr,burglary,false,{permit.number}",
        "D-2,2026-03-06T14:22:00,77 W Main St,burglary,false,",
    )
    first = run(content)
    balance = account_balance(permit.account_id)
    second = run(content)
    assert first["incidents"]["new"] == 2
    assert second["incidents"] == {"read": 2, "new": 0, "duplicates": 2, "errors": 0}
    assert second["assessments"] == [] and second["total_assessed"] == "0.00"
    assert account_balance(permit.account_id) == balance
    assert WorkItem.objects.filter(kind="alarm_research").count() == 1


def test_a_row_repeated_within_the_file_is_a_duplicate(make_permit):
    make_permit()
    summary = run(
        feed(
            "R-1,2026-03-05T14:22:00,1425 E University Dr,burglary,false,",
            "R-1,2026-03-05T14:22:00,1425 E University Dr,burglary,false,",
        )
    )
    assert summary["incidents"] == {"read": 2, "new": 1, "duplicates": 1, "errors": 0}


def test_counts_carry_from_one_file_to_the_next(make_permit):
    permit = make_permit()
    run(feed(f"C-1,2026-02-01T10:00:00,1425 E University Dr,burglary,false,{permit.number}"))
    run(feed(f"C-2,2026-03-01T10:00:00,1425 E University Dr,burglary,false,{permit.number}"))
    third = run(
        feed(f"C-3,2026-04-01T10:00:00,1425 E University Dr,burglary,false,{permit.number}")
    )
    assert [(a["count_in_window"], a["amount"]) for a in third["assessments"]] == [(3, "150.00")]


@pytest.mark.parametrize(
    ("first_on", "count", "amount"),
    [
        ("2025-08-02", 2, "100.00"),  # 364 days before: inside the window
        ("2025-08-01", 1, "50.00"),  # 365 days before: the window starts the day after
    ],
)
def test_the_365_day_window_at_its_edges(make_permit, first_on, count, amount):
    from datetime import date

    permit = make_permit(issued_on=date(2025, 7, 1))
    AlarmPermit.objects.filter(pk=permit.pk).update(expires_on=date(2027, 6, 30))
    run(feed(f"W-1,{first_on}T23:59:00,1425 E University Dr,burglary,false,{permit.number}"))
    # 08/01/2026's window is 08/02/2025 to 08/01/2026.
    summary = run(
        feed(f"W-2,2026-08-01T00:01:00,1425 E University Dr,burglary,false,{permit.number}")
    )
    assert [(a["count_in_window"], a["amount"]) for a in summary["assessments"]] == [
        (count, amount)
    ]


def test_the_tenth_burglary_false_alarm_suspends_the_permit(make_permit):
    permit = make_permit()
    rows = [
        f"S-{n},2026-{(n % 9) + 2:02d}-{n + 1:02d}T10:00:00,1425 E University Dr,burglary,false,{permit.number}"
        for n in range(1, 11)
    ]
    summary = run(feed(*rows))
    assert [a["amount"] for a in summary["assessments"]][-4:] == ["400.00"] * 4
    assert summary["suspensions"] == [
        {
            "permit_number": permit.number,
            "incident_number": summary["assessments"][9]["incident_number"],
            "reason": "burglary_count",
            "count_in_window": 10,
        }
    ]
    permit.refresh_from_db()
    assert permit.status == "suspended"
    assert WorkItem.objects.filter(kind="alarm_reinstatement", source_key=permit.number).exists()


def test_nine_do_not_suspend(make_permit):
    permit = make_permit()
    rows = [
        f"S-{n},2026-03-{n:02d}T10:00:00,1425 E University Dr,burglary,false,{permit.number}"
        for n in range(1, 10)
    ]
    assert run(feed(*rows))["suspensions"] == []
    permit.refresh_from_db()
    assert permit.status == "active"


def test_malformed_rows_are_reported_by_line_and_the_rest_read(make_permit):
    make_permit()
    summary = run(
        feed(
            "M-1,2026-03-05T14:22:00,1425 E University Dr,burglary,false,",
            "M-2,yesterday,1425 E University Dr,burglary,false,",
            "M-3,2026-03-05T14:22:00,1425 E University Dr,fire,false,",
            "M-4,2026-03-05T14:22:00,1425 E University Dr,burglary,maybe,",
            "M-5,2099-03-05T14:22:00,1425 E University Dr,burglary,false,",
            "M-6,2026-03-05T14:22:00,4111 1111 1111 1111,burglary,false,",
            "M-7,2026-03-05T14:22:00,1425 E University Dr,burglary",
            "M-8,2026-03-06T14:22:00,1425 E University Dr,burglary,false,AP-42",
            "M-9,2026-03-07T14:22:00,1425 E University Dr,burglary,false,",
        )
    )
    assert summary["incidents"] == {"read": 9, "new": 2, "duplicates": 0, "errors": 7}
    assert [e["line"] for e in summary["errors"]] == [3, 4, 5, 6, 7, 8, 9]
    assert "reported_at" in summary["errors"][0]["reason"]
    assert "alarm_type" in summary["errors"][1]["reason"]
    assert "future" in summary["errors"][3]["reason"]
    assert "4111" not in json.dumps(summary)
    assert [a["count_in_window"] for a in summary["assessments"]] == [1, 2]


def test_a_file_without_the_header_is_read_no_further(db, on_today):
    summary = run(b"MPD-1,2026-03-05T14:22:00,1425 E University Dr,burglary,false,\n")
    assert summary["incidents"] == {"read": 0, "new": 0, "duplicates": 0, "errors": 1}
    assert summary["errors"][0]["line"] == 1
    assert Incident.objects.count() == 0


def test_the_command_prints_the_summary_and_exits_by_the_errors(make_permit, tmp_path, capsys):
    permit = make_permit()
    path = tmp_path / "cad.csv"
    path.write_bytes(
        feed(f"J-1,2026-03-05T14:22:00,1425 E University Dr,burglary,false,{permit.number}")
    )
    call_command("import_false_alarms", str(path), "--json")
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) == {"incidents", "assessments", "total_assessed", "suspensions", "errors"}
    assert printed["total_assessed"] == "50.00"
    path.write_bytes(feed("J-2,not a date,1425 E University Dr,burglary,false,"))
    with pytest.raises(SystemExit) as exited:
        call_command("import_false_alarms", str(path), "--json")
    assert exited.value.code == 1
