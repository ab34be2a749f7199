import json
from decimal import Decimal as D

import pytest

from accounts.models import AccountFlag, JournalEntry
from accounts.selectors import account_balance, ledger_unbalanced_entries
from cashiering.models import Payment, PaymentFile, SuspenseItem
from cashiering.services.payment_files import payment_file_import
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def remit(*records: str) -> bytes:
    return ("\n".join(records) + "\n").encode()


def run(content: bytes, name="lbx.csv"):
    kept, outcome = payment_file_import(content=content, name=name)
    return kept, outcome.as_dict()


@pytest.fixture
def accounts():
    return AccountFactory(), AccountFactory()


def good_file(a, b, file_id="LBX-20260105-01"):
    return remit(
        f"H,{file_id},2026-01-05,LOCKBOX",
        f'P,ITEM-1,{a.number},100.10,CHECK,1001,"Gonzales, Maria"',
        f"P,ITEM-2,{b.number},115.00,MONEY_ORDER,,James Whitfield",
        "P,ITEM-3,1234567890,40.00,CHECK,77,Unknown Payer",
        "T,3,255.10,0,0.00",
    )


def test_an_accepted_file_posts_payments_and_holds_the_rest(accounts):
    a, b = accounts
    kept, summary = run(good_file(a, b))
    assert summary == {
        "file_id": "LBX-20260105-01",
        "status": "accepted",
        "payments": {
            "posted": {"count": 2, "amount": "215.10"},
            "suspense": {"count": 1, "amount": "40.00"},
            "duplicate_items": {"count": 0, "amount": "0.00"},
        },
        "returns": {
            "reversed": {"count": 0, "amount": "0.00"},
            "unmatched": {"count": 0, "amount": "0.00"},
        },
        "errors": [],
    }
    assert account_balance(a.pk) == D("-100.10") and account_balance(b.pk) == D("-115.00")
    assert Payment.objects.get(idempotency_key="remit:ITEM-1").payer_name == "Gonzales, Maria"
    held = SuspenseItem.objects.get()
    assert (held.item_ref, held.reason) == ("ITEM-3", "the account number fails its check digit")
    assert kept.original.read() == good_file(a, b)
    assert ledger_unbalanced_entries() == []


def test_the_same_file_twice_is_a_duplicate_and_posts_nothing(accounts):
    a, b = accounts
    run(good_file(a, b))
    kept, summary = run(good_file(a, b))
    assert summary["status"] == "duplicate"
    assert kept.status == PaymentFile.Status.DUPLICATE and kept.original.read()
    assert Payment.objects.count() == 2
    assert account_balance(a.pk) == D("-100.10")


def test_a_duplicate_item_in_another_file_is_skipped_and_reported(accounts):
    a, b = accounts
    run(good_file(a, b))
    _, summary = run(
        remit("H,KSK-2,2026-01-06,KIOSK", f"P,ITEM-1,{a.number},100.10,CASH,,x", "T,1,100.10,0,0")
    )
    assert summary["status"] == "accepted"
    assert summary["payments"]["duplicate_items"] == {"count": 1, "amount": "100.10"}
    assert summary["payments"]["posted"] == {"count": 0, "amount": "0.00"}
    assert account_balance(a.pk) == D("-100.10")


@pytest.mark.parametrize(
    ("records", "line", "reason"),
    [
        (
            ["H,F1,2026-01-05,LOCKBOX", "P,I1,{a},10.005,CHECK,1,x", "T,1,10.01,0,0.00"],
            2,
            "at most two places",
        ),
        (
            ["H,F1,2026-01-05,LOCKBOX", "P,I1,{a},-10.00,CHECK,1,x", "T,1,10.00,0,0.00"],
            2,
            "positive decimal",
        ),
        (
            ["H,F1,2026-01-05,LOCKBOX", "P,I1,{a},10.00,CHECK,1,x"],
            2,
            "last record must be the trailer",
        ),
        (["H,F1,2026-01-05,LOCKBOX", "P,I1,{a},10.00,CHECK,1,x", "T,1,11.00,0,0.00"], 3, "P total"),
        (["P,I1,{a},10.00,CHECK,1,x", "T,1,10.00,0,0.00"], 1, "first record must be the header"),
        (["H,F1,2026-13-05,LOCKBOX", "T,0,0.00,0,0.00"], 1, "not a date"),
        (["H,F1,2026-01-05,BANKX", "T,0,0.00,0,0.00"], 1, "source 'BANKX'"),
        (["H,F1,2026-01-05,LOCKBOX", "P,I1,{a},10.00,CHECK,x", "T,1,10.00,0,0.00"], 2, "7 fields"),
        (["H,F1,2026-01-05,LOCKBOX", "X,1,2", "T,0,0.00,0,0.00"], 2, "unknown record type"),
        (
            ["H,F1,2026-01-05,LOCKBOX", "T,0,0.00,0,0.00", "H,F2,2026-01-05,LOCKBOX"],
            3,
            "header record is allowed only on the first line",
        ),
        (
            ["H,F1,2026-01-05,LOCKBOX", "R,I1,R01,5.00,2026-02-30", "T,0,0.00,1,5.00"],
            2,
            "return date",
        ),
        (
            ["H,F1,2026-01-05,LOCKBOX", "P,I1,{a},10.00,CHEQUE,1,x", "T,1,10.00,0,0.00"],
            2,
            "tender 'CHEQUE'",
        ),
        (["H,F1,2026-01-05,LOCKBOX", "P,I1,{a},10.00,CHECK,1,x", "T,2,10.00,0,0.00"], 3, "P count"),
    ],
)
def test_a_bad_file_is_rejected_whole_with_the_line_and_reason(accounts, records, line, reason):
    a, _ = accounts
    content = remit(*(r.format(a=a.number) for r in records))
    kept, summary = run(content)
    assert summary["status"] == "rejected"
    assert any(e["line"] == line and reason in e["reason"] for e in summary["errors"]), summary[
        "errors"
    ]
    assert not Payment.objects.exists() and not SuspenseItem.objects.exists()
    assert account_balance(a.pk) == D("0")
    assert kept.status == PaymentFile.Status.REJECTED and kept.original.read() == content


def test_a_return_reverses_the_payment_charges_the_fee_and_requires_certified_funds(accounts):
    a, b = accounts
    run(good_file(a, b))
    _, summary = run(
        remit(
            "H,LBX-RET-1,2026-01-20,LOCKBOX",
            "R,ITEM-1,R01,100.10,2026-01-19",
            "R,NOPE-9,R02,12.00,2026-01-19",
            "T,0,0.00,2,112.10",
        )
    )
    assert summary["returns"] == {
        "reversed": {"count": 1, "amount": "100.10"},
        "unmatched": {"count": 1, "amount": "12.00"},
    }
    assert account_balance(a.pk) == D("25.00")  # the payment is undone, the fee added
    payment = Payment.objects.get(idempotency_key="remit:ITEM-1")
    assert payment.status == Payment.Status.RETURNED
    assert JournalEntry.objects.filter(reverses=payment.allocations.get().entry).exists()
    flag = AccountFlag.objects.get(account=a, kind=AccountFlag.Kind.CERTIFIED_FUNDS_ONLY)
    assert (flag.ends_on - flag.starts_on).days == 365
    unmatched = SuspenseItem.objects.get(kind=SuspenseItem.Kind.RETURN)
    assert unmatched.item_ref == "NOPE-9" and "no posted payment" in unmatched.reason
    assert ledger_unbalanced_entries() == []


def test_after_a_return_a_check_goes_to_suspense(accounts):
    a, b = accounts
    run(good_file(a, b))
    run(remit("H,RET,2026-01-20,LOCKBOX", "R,ITEM-1,R01,100.10,2026-01-19", "T,0,0,1,100.10"))
    _, summary = run(
        remit(
            "H,LBX-3,2026-01-25,LOCKBOX", f"P,ITEM-9,{a.number},50.00,CHECK,2002,x", "T,1,50.00,0,0"
        )
    )
    assert summary["payments"]["suspense"]["count"] == 1
    assert (
        SuspenseItem.objects.get(item_ref="ITEM-9").reason
        == "the account must pay by certified funds"
    )


def test_payments_suspense_and_duplicates_add_up_to_the_trailer(accounts):
    a, b = accounts
    run(good_file(a, b))
    content = remit(
        "H,MIX,2026-01-07,ONLINE",
        f"P,ITEM-1,{a.number},100.10,CARD,APPROVED-1,x",
        f"P,ITEM-20,{b.number},9.99,CARD,APPROVED-2,y",
        "P,ITEM-21,9999999999,1.01,CARD,APPROVED-3,z",
        "T,3,111.10,0,0.00",
    )
    _, summary = run(content)
    parts = summary["payments"]
    total = sum(D(parts[k]["amount"]) for k in ("posted", "suspense", "duplicate_items"))
    assert total == D("111.10")


def test_the_command_prints_json_and_exits_non_zero_unless_accepted(accounts, tmp_path):
    a, b = accounts
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(good_file(a, b, file_id="CMD-1"))
    bad.write_bytes(remit("H,CMD-2,2026-01-05,LOCKBOX", "T,1,1.00,0,0.00"))
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("import_payments", str(good), "--json", stdout=out)
    assert json.loads(out.getvalue())["status"] == "accepted"
    out = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_payments", str(bad), "--json", stdout=out)
    assert exit_info.value.code == 1
    assert json.loads(out.getvalue())["status"] == "rejected"


def test_an_item_repeated_in_one_file_posts_once(accounts):
    a, _ = accounts
    _, summary = run(
        remit(
            "H,REP,2026-01-05,KIOSK",
            f"P,R-1,{a.number},5.00,CASH,,x",
            f"P,R-1,{a.number},5.00,CASH,,x",
            "T,2,10.00,0,0",
        )
    )
    assert (
        summary["payments"]["posted"]["count"] == 1
        and summary["payments"]["duplicate_items"]["count"] == 1
    )
    assert account_balance(a.pk) == D("-5.00")


def test_several_payments_to_one_account_apply_oldest_first_like_the_counter(accounts):
    from datetime import date

    from accounts.models import JournalEntry, JournalLeg
    from accounts.services import Charge, charges_post
    from tests.factories import agreement

    a, _ = accounts
    water = agreement(a)
    sewer = agreement(a, "wastewater", "S1.1", premise_obj=water.premise)
    charges_post(
        account=a,
        kind=JournalEntry.Kind.BILL,
        effective_on=date(2025, 12, 5),
        description="Bill",
        charges=[Charge(D("30"), "water", "W1.1", water.pk)],
    )
    charges_post(
        account=a,
        kind=JournalEntry.Kind.BILL,
        effective_on=date(2026, 1, 2),
        description="Bill",
        charges=[Charge(D("20"), "wastewater", "S1.1", sewer.pk)],
    )
    run(
        remit(
            "H,OLD,2026-01-05,ONLINE",
            f"P,O-1,{a.number},25.00,CARD,AP1,x",
            f"P,O-2,{a.number},15.00,CARD,AP2,x",
            "T,2,40.00,0,0",
        )
    )
    water_credit = sum(
        JournalLeg.objects.filter(service_agreement=water, amount__lt=0).values_list(
            "amount", flat=True
        )
    )
    sewer_credit = sum(
        JournalLeg.objects.filter(service_agreement=sewer, amount__lt=0).values_list(
            "amount", flat=True
        )
    )
    assert (water_credit, sewer_credit) == (D("-30.00"), D("-10.00"))


def test_a_return_dated_before_its_payment_is_held_not_posted(accounts):
    # The ledger refuses a reversal dated before what it reverses; the file's
    # line goes to suspense with the reason instead of failing the file.
    a, b = accounts
    run(good_file(a, b))
    _, summary = run(
        remit(
            "H,LBX-RET-2,2026-01-20,LOCKBOX", "R,ITEM-1,R01,100.10,2026-01-04", "T,0,0.00,1,100.10"
        )
    )
    assert summary["status"] == "accepted"
    assert summary["returns"]["unmatched"] == {"count": 1, "amount": "100.10"}
    assert Payment.objects.get(idempotency_key="remit:ITEM-1").status == Payment.Status.POSTED
    held = SuspenseItem.objects.get(kind=SuspenseItem.Kind.RETURN)
    assert held.reason == "R01: the return is dated before the payment was received"
    assert account_balance(a.pk) == D("-100.10")


def test_the_return_service_refuses_a_date_before_the_payment(accounts):
    from datetime import date

    from django.core.exceptions import ValidationError

    from cashiering.services.payments import payment_return

    a, b = accounts
    run(good_file(a, b))
    payment = Payment.objects.get(idempotency_key="remit:ITEM-1")
    with pytest.raises(ValidationError, match="received on 01/05/2026"):
        payment_return(payment=payment, return_code="R01", on=date(2026, 1, 4))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.POSTED
