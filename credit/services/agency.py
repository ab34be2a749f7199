"""Final-bill debt placed with the collection agency. The agency is a debt
collector under the FDCPA, so each placement carries what its Regulation F
validation notice must itemise (12 CFR 1006.34(c)(2)): the itemisation date
(the final bill's date), the amount owed then, the interest, fees, payments
and credits since, and the amount owed now."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum

from accounts.models import Account, GLAccount, JournalEntry, JournalLeg
from accounts.selectors import account_balance
from accounts.selectors.letters import letter_recipient
from accounts.services import account_note_add
from billing.models import Bill
from credit.models import AgencyReferral
from mesa_cs.lib.export import neutralise
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.money import ZERO

FINAL_STATUSES = (Account.Status.FINAL, Account.Status.CLOSED)
# The placement file's columns, in order (itemisation keys but the first two).
FILE_COLUMNS = [
    "referral",
    "referred_on",
    "creditor",
    "account_number",
    "debtor_name",
    "address_1",
    "address_2",
    "address_3",
    "itemization_date",
    "amount_on_itemization_date",
    "interest",
    "fees",
    "payments",
    "credits",
    "current_amount",
]


def itemise(account: Account, on: date) -> dict:
    """What the validation notice needs, as of ``on``. The itemisation date is
    the last bill issued (for a final-billed account, the final bill); the
    City charges no interest, so that line is always zero. Since that date,
    fees are the charges added, payments the payments (net of any returned),
    and credits every other reduction, so that
    amount then + interest + fees - payments - credits = amount now."""
    final_bill = (
        Bill.objects.filter(account=account, status=Bill.Status.ISSUED, bill_on__lte=on)
        .order_by("-bill_on", "-pk")
        .first()
    )
    since = final_bill.bill_on if final_bill else on
    then = account_balance(account.pk, as_of=since)
    fees = payments = credits = ZERO
    rows = (
        JournalLeg.objects.filter(
            account_id=account.pk,
            gl_account__purpose=GLAccount.Purpose.RECEIVABLE,
            entry__effective_on__gt=since,
            entry__effective_on__lte=on,
        )
        .values("entry_id", "entry__kind", "entry__reverses__kind")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        kind = row["entry__reverses__kind"] or row["entry__kind"]
        if kind == JournalEntry.Kind.PAYMENT:
            payments -= row["total"]
        elif row["total"] > ZERO:
            fees += row["total"]
        else:
            credits -= row["total"]
    recipient = letter_recipient(account, on)
    lines = list(recipient.address_lines) + ["", "", ""]
    return {
        "creditor": settings.AGENCY_CREDITOR_NAME,
        "account_number": account.number,
        "debtor_name": recipient.name,
        "address_1": lines[0],
        "address_2": lines[1],
        "address_3": lines[2],
        "itemization_date": since.isoformat(),
        "itemization_basis": "final bill" if final_bill else "referral date (no bill issued)",
        "final_bill": final_bill.pk if final_bill else None,
        "amount_on_itemization_date": str(then),
        "interest": str(ZERO),
        "fees": str(fees),
        "payments": str(payments),
        "credits": str(credits),
        "current_amount": str(then + fees - payments - credits),
    }


@transaction.atomic
def agency_refer(*, account: Account, on: date, by=None) -> AgencyReferral | None:
    """Place a final-billed account's debt with the agency. An account has one
    open referral: referring it again returns that one. None when nothing is
    owed."""
    account = Account.objects.select_for_update().get(pk=account.pk)
    existing = AgencyReferral.objects.filter(account=account, recalled_on__isnull=True).first()
    if existing is not None:
        return existing
    if account.status not in FINAL_STATUSES:
        raise ValidationError(
            f"Account {account.number} is {account.get_status_display().lower()}: only a "
            "final-billed account's debt goes to the collection agency."
        )
    amount = account_balance(account.pk, as_of=on)
    if amount <= ZERO:
        return None
    itemisation = itemise(account, on)
    try:
        with transaction.atomic():
            referral = AgencyReferral.objects.create(
                account=account, referred_on=on, amount=amount, itemisation=itemisation
            )
    except IntegrityError:
        return AgencyReferral.objects.get(account=account, recalled_on__isnull=True)
    account_note_add(
        account=account,
        text=f"{money_text(amount)} referred to the collection agency on {on:%m/%d/%Y}.",
        created_by=by,
    )
    return referral


@transaction.atomic
def agency_recall(*, referral: AgencyReferral, on: date, by) -> AgencyReferral:
    """Take a debt back from the agency (paid in full, a bankruptcy, a
    dispute). Recalling twice changes nothing."""
    referral = AgencyReferral.objects.select_for_update().get(pk=referral.pk)
    if referral.recalled_on is not None:
        return referral
    if on < referral.referred_on:
        raise ValidationError({"on": "A referral cannot be recalled before it was made."})
    referral.recalled_on = on
    referral.save(update_fields=["recalled_on"])
    account_note_add(
        account=referral.account,
        text=f"Recalled from the collection agency on {on:%m/%d/%Y} "
        f"(referred {referral.referred_on:%m/%d/%Y}, {money_text(referral.amount)}).",
        created_by=by,
    )
    return referral


def agency_recall_paid(*, on: date, by=None) -> list[int]:
    """Recall every open referral whose account no longer owes anything; the
    ids recalled. Safe to run twice."""
    recalled = []
    for referral in AgencyReferral.objects.filter(recalled_on__isnull=True, referred_on__lte=on):
        if account_balance(referral.account_id, as_of=on) <= ZERO:
            agency_recall(referral=referral, on=on, by=by)
            recalled.append(referral.pk)
    return recalled


def agency_export(*, referred_on: date) -> str:
    """The day's placement file: a CSV row per referral made that day, from
    the itemisation frozen when it was made, so building it twice gives the
    same file. Text that a spreadsheet would run as a formula is neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FILE_COLUMNS)
    referrals = AgencyReferral.objects.filter(referred_on=referred_on).order_by(
        "account__number", "pk"
    )
    for referral in referrals:
        values = {
            **referral.itemisation,
            "referral": referral.pk,
            "referred_on": referral.referred_on.isoformat(),
        }
        writer.writerow([neutralise(values.get(column, "")) for column in FILE_COLUMNS])
    return out.getvalue()
