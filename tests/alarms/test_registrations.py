"""Alarm companies' bulk registrations, as interchange_formats.md specifies
them: one permit created or renewed per row, its fee charged, all or nothing."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Account, JournalEntry, Person
from accounts.selectors.ledger import account_balance
from alarms.models import AlarmCompany, AlarmFile, AlarmInvoice, AlarmPermit
from alarms.services.registrations import registrations_import
from tests.factories import premise

pytestmark = pytest.mark.django_db

HEADER = "holder_name,address,alarm_functions,issued_on,alarm_company,phone,email"


def registrations(*rows: str) -> bytes:
    return "\n".join([HEADER, *rows]).encode() + b"\n"


def run(content: bytes, name="acme.csv"):
    summary, _ = registrations_import(content=content, filename=name)
    return summary


GOOD = (
    "Maria Gonzales,1425 E University Dr,burglary;panic,2026-03-05,Acme Alarm Co,"
    "480-644-2221,maria@example.com",
    "Desert Dental LLC,200 W Main St,burglary;robbery,2026-11-30,Acme Alarm Co,(480) 555-0142,",
    "Tom Reyes,77 N Center St,burglary,2026-01-01,,4805550199,",
)


def test_each_row_is_a_permit_with_its_fee_on_a_new_alarm_account(on_today):
    summary = run(registrations(*GOOD))
    assert summary["created"] == 3 and summary["renewed"] == 0 and summary["errors"] == []
    assert [p["line"] for p in summary["permits"]] == [2, 3, 4]
    by_number = {p["permit_number"]: p["line"] for p in summary["permits"]}
    permits = {p.number: p for p in AlarmPermit.objects.select_related("account")}
    assert set(permits) == set(by_number)
    maria = permits[summary["permits"][0]["permit_number"]]
    dental = permits[summary["permits"][1]["permit_number"]]
    tom = permits[summary["permits"][2]["permit_number"]]
    assert (maria.functions, maria.customer_class) == (["burglary", "panic"], "residential")
    assert (dental.functions, dental.customer_class) == (["burglary", "robbery"], "commercial")
    assert maria.issued_on == date(2026, 3, 5) and maria.expires_on == date(2027, 3, 4)
    assert maria.status == "active" and maria.alarm_company.name == "Acme Alarm Co"
    assert tom.alarm_company is None
    # Each holder has an account of their own, an alarm account, owing $10 a function.
    assert len({p.account_id for p in permits.values()}) == 3
    assert {p.account.kind for p in permits.values()} == {Account.Kind.ALARM}
    assert account_balance(maria.account_id) == Decimal("20.00")
    assert account_balance(dental.account_id) == Decimal("20.00")
    assert account_balance(tom.account_id) == Decimal("10.00")
    invoice = AlarmInvoice.objects.get(permit=maria)
    assert (invoice.kind, invoice.amount, invoice.term_ends_on) == (
        "permit",
        Decimal("20.00"),
        date(2027, 3, 4),
    )
    assert invoice.entry.kind == JournalEntry.Kind.FEE
    # The holder is a person whose mailing address is the premise.
    person = Person.objects.get(links__account=maria.account)
    assert (person.first_name, person.last_name) == ("Maria", "Gonzales")
    assert (person.mailing_line1, person.mailing_city, person.mailing_state) == (
        "1425 E University Dr",
        "Mesa",
        "AZ",
    )
    assert (person.phone, person.email) == ("4806442221", "maria@example.com")
    business = Person.objects.get(links__account=dental.account)
    assert business.business_name == "Desert Dental LLC" and business.phone == "4805550142"
    assert AlarmFile.objects.get().summary == summary


def test_the_command_prints_exactly_the_summary_as_json(on_today, tmp_path, capsys):
    path = tmp_path / "acme.csv"
    path.write_bytes(registrations(GOOD[0]))
    call_command("import_alarm_permits", str(path), "--json")
    printed = json.loads(capsys.readouterr().out)
    number = AlarmPermit.objects.get().number
    assert printed == {
        "created": 1,
        "renewed": 0,
        "errors": [],
        "permits": [{"line": 2, "permit_number": number}],
    }
    assert number.startswith("AP-") and len(number) == 9


def test_the_command_exits_1_on_a_bad_row_and_refuses_an_unreadable_file(
    on_today, tmp_path, capsys
):
    path = tmp_path / "acme.csv"
    path.write_bytes(registrations(GOOD[0], "Bad Row,1 W Main St,fire,2026-03-05,,,"))
    with pytest.raises(SystemExit) as exited:
        call_command("import_alarm_permits", str(path), "--json")
    assert exited.value.code == 1
    printed = json.loads(capsys.readouterr().out)
    assert printed["created"] == 0 and printed["permits"] == []
    assert [e["line"] for e in printed["errors"]] == [3]
    with pytest.raises(CommandError):
        call_command("import_alarm_permits", str(tmp_path / "missing.csv"), "--json")


BAD = [
    ("Fire Only,1 W Main St,fire,2026-03-05,,,", "alarm_functions"),
    ("No Functions,2 W Main St,,2026-03-05,,,", "alarm_functions"),
    # A panic alarm is for a residence; robbery makes the premise a business.
    ("Mixed Up,3 W Main St,panic;robbery,2026-03-05,,,", "alarm_functions"),
    ("Bad Date,4 W Main St,burglary,2026-02-30,,,", "issued_on"),
    ("US Date,5 W Main St,burglary,03/05/2026,,,", "issued_on"),
    ("Tomorrow,6 W Main St,burglary,2026-12-01,,,", "future"),
    ("Lapsed,7 W Main St,burglary,2025-11-29,,,", "issued_on"),
    ("Short Phone,8 W Main St,burglary,2026-03-05,,480-644,", "phone"),
    ("Bad Area,9 W Main St,burglary,2026-03-05,,123-456-7890,", "phone"),
    ("Bad Email,10 W Main St,burglary,2026-03-05,,,not-an-address", "email"),
    ("4111 1111 1111 1111,11 W Main St,burglary,2026-03-05,,,", "card number"),
    ("Card Address,4111-1111-1111-1111,burglary,2026-03-05,,,", "card number"),
    ("Card Co,12 W Main St,burglary,2026-03-05,4111111111111111,,", "card number"),
    ("Short Row,13 W Main St,burglary,2026-03-05", "fields"),
]


def test_one_bad_row_and_nothing_is_registered_every_bad_row_listed(on_today):
    rows = [GOOD[0], *[row for row, _ in BAD], GOOD[1]]
    summary = run(registrations(*rows))
    assert summary["created"] == 0 and summary["renewed"] == 0 and summary["permits"] == []
    assert [e["line"] for e in summary["errors"]] == list(range(3, 3 + len(BAD)))
    for error, (_, word) in zip(summary["errors"], BAD, strict=True):
        assert word in error["reason"], error
    assert "4111" not in json.dumps(summary)
    assert not AlarmPermit.objects.exists()
    assert not Account.objects.filter(kind="alarm").exists()
    assert not AlarmInvoice.objects.exists() and not JournalEntry.objects.exists()
    assert not AlarmCompany.objects.exists()
    # The file is kept with what became of it.
    kept = AlarmFile.objects.get()
    assert kept.kind == "registrations" and kept.summary == summary


def test_a_card_number_in_the_email_is_refused_by_line(on_today):
    summary = run(
        registrations(
            GOOD[0], "Card Email,14 W Main St,burglary,2026-03-05,,,4111111111111111@x.com"
        )
    )
    assert summary["created"] == 0
    assert [e["line"] for e in summary["errors"]] == [3]
    assert "4111" not in json.dumps(summary)
    assert "4111" not in AlarmFile.objects.get().summary.__repr__()
    assert not AlarmPermit.objects.exists()


def test_a_name_too_long_for_the_accounts_model_is_refused_by_line(on_today):
    first = "Bartholomew" * 8  # 88 characters: a first name holds 80
    summary = run(registrations(GOOD[0], f"{first} Smith,15 W Main St,burglary,2026-03-05,,,"))
    assert summary["created"] == 0
    assert [e["line"] for e in summary["errors"]] == [3]
    assert not AlarmPermit.objects.exists()


def test_a_header_that_is_not_the_format_is_refused_at_line_1(on_today):
    summary = run(b"name,address\nMaria Gonzales,1425 E University Dr\n")
    assert summary["errors"] == [{"line": 1, "reason": summary["errors"][0]["reason"]}]
    assert "header" in summary["errors"][0]["reason"]
    assert summary["created"] == 0 and not AlarmPermit.objects.exists()


def test_the_same_premise_twice_in_a_file_is_refused(on_today):
    summary = run(
        registrations(GOOD[0], "Maria Gonzales,1425 East University Drive,burglary,2026-03-05,,,")
    )
    assert [e["line"] for e in summary["errors"]] == [3]
    assert "line 2" in summary["errors"][0]["reason"]


def test_the_same_file_twice_renews_and_charges_nothing_new(on_today):
    content = registrations(*GOOD)
    first = run(content)
    balances = {p.number: account_balance(p.account_id) for p in AlarmPermit.objects.all()}
    entries, accounts = JournalEntry.objects.count(), Account.objects.count()
    second = run(content)
    assert second["created"] == 0 and second["renewed"] == 3 and second["errors"] == []
    assert second["permits"] == first["permits"]
    assert AlarmPermit.objects.count() == 3
    assert {p.number: account_balance(p.account_id) for p in AlarmPermit.objects.all()} == balances
    assert JournalEntry.objects.count() == entries and Account.objects.count() == accounts
    assert AlarmInvoice.objects.count() == 3
    assert set(AlarmPermit.objects.values_list("status", flat=True)) == {"active"}


def test_the_holder_of_a_lapsed_permit_registering_again_renews_it(make_permit):
    permit = make_permit(issued_on=date(2025, 6, 1))
    AlarmPermit.objects.filter(pk=permit.pk).update(status="expired")
    before = account_balance(permit.account_id)
    summary = run(registrations("maria  GONZALES,1425 E University Dr,burglary,2026-06-01,,,"))
    assert (summary["created"], summary["renewed"]) == (0, 1)
    assert summary["permits"] == [{"line": 2, "permit_number": permit.number}]
    permit.refresh_from_db()
    assert permit.status == "active"
    assert (permit.issued_on, permit.expires_on) == (date(2026, 6, 1), date(2027, 5, 31))
    assert permit.functions == ["burglary"]
    # The new term's fee, $10.00 for the one function, on the same account.
    assert account_balance(permit.account_id) == before + Decimal("10.00")
    renewal = AlarmInvoice.objects.get(permit=permit, kind="renewal")
    assert renewal.term_ends_on == date(2027, 5, 31)


def test_a_new_holder_at_a_registered_premise_revokes_the_old_permit(make_permit):
    old = make_permit()
    old_balance = account_balance(old.account_id)
    summary = run(registrations("John Smith,1425 East University Drive,burglary,2026-11-01,,,"))
    assert (summary["created"], summary["renewed"]) == (1, 0)
    new = AlarmPermit.objects.get(number=summary["permits"][0]["permit_number"])
    old.refresh_from_db()
    assert old.status == "revoked" and old.status_since == date(2026, 11, 30)
    assert new.number in old.status_reason
    assert new.status == "active" and new.holder_name == "John Smith"
    assert new.account_id != old.account_id
    assert account_balance(new.account_id) == Decimal("10.00")
    assert account_balance(old.account_id) == old_balance


def test_a_new_company_is_added_to_the_registry_and_a_known_one_reused(on_today):
    known = AlarmCompany.objects.create(name="SafeHome Security")
    summary = run(
        registrations(
            "Ann Lee,1 E Main St,burglary,2026-03-05,safehome security,,",
            "Bo Diaz,2 E Main St,burglary,2026-03-05,Acme Alarm Co,,",
            "Cy Park,3 E Main St,burglary,2026-03-05,ACME ALARM CO,,",
        )
    )
    assert summary["created"] == 3
    assert sorted(AlarmCompany.objects.values_list("name", flat=True)) == [
        "Acme Alarm Co",
        "SafeHome Security",
    ]
    by_holder = {p.holder_name: p.alarm_company for p in AlarmPermit.objects.all()}
    assert by_holder["Ann Lee"] == known
    assert by_holder["Bo Diaz"] == by_holder["Cy Park"] != known


def test_a_permit_at_a_utility_premise_is_linked_to_it(on_today):
    place = premise("1425 E University Dr", "85203")
    run(registrations(GOOD[0]))
    assert AlarmPermit.objects.get().premise == place
