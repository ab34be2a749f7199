"""Bank deposits: closed, balanced shifts bundled into one deposit per office."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from cashiering.models import BankDeposit, DrawerShift, Payment, PaymentTender, Tender
from mesa_cs.lib.money import ZERO


@transaction.atomic
def deposit_prepare(*, shift_ids: list[int], prepared_by) -> BankDeposit:
    """Bundle closed shifts of one office and day into a deposit. A shift is
    deposited once; what goes to the bank is what was counted."""
    shifts = list(
        DrawerShift.objects.select_for_update(of=("self",))
        .select_related("source")
        .filter(pk__in=shift_ids)
    )
    if not shifts or len(shifts) != len(set(shift_ids)):
        raise ValidationError("Choose one or more closed shifts.")
    if any(s.status != DrawerShift.Status.CLOSED for s in shifts):
        raise ValidationError("Only closed, balanced shifts go to the bank.")
    if any(s.awaits_sign_off for s in shifts):
        raise ValidationError(
            "A chosen shift's over/short waits for a supervisor's sign-off "
            "(the approvals inbox); deposit it once signed off."
        )
    if any(s.deposit_id for s in shifts):
        raise ValidationError("A chosen shift is already in a deposit.")
    offices = {s.source.office for s in shifts}
    days = {s.business_date for s in shifts}
    if len(offices) != 1 or len(days) != 1:
        raise ValidationError("A deposit holds the shifts of one office and one day.")
    # The float stays in the drawer; the rest of the counted cash goes to the bank.
    cash = sum((s.counted_cash - s.opening_float for s in shifts), ZERO)
    checks = sum((s.counted_checks for s in shifts), ZERO)
    deposit = BankDeposit.objects.create(
        office=offices.pop(),
        business_date=days.pop(),
        cash=cash,
        checks=checks,
        prepared_by=prepared_by,
    )
    DrawerShift.objects.filter(pk__in=shift_ids).update(deposit=deposit)
    return deposit


def daily_cash_report(day: date) -> list[dict]:
    """Payments of a day by office, source and tender (voided ones left out).
    Cash is what stayed in the till: the notes taken less the change given
    back, so the day's cash agrees with what goes to the bank."""
    counted = [Payment.Status.POSTED, Payment.Status.RETURNED]
    rows = (
        PaymentTender.objects.filter(payment__received_on=day, payment__status__in=counted)
        .values("payment__source__office", "payment__source__name", "tender")
        .annotate(total=Sum("amount"))
        .order_by("payment__source__office", "payment__source__name", "tender")
    )
    given = (
        Payment.objects.filter(received_on=day, status__in=counted, change_due__gt=0)
        .values("source__office", "source__name")
        .annotate(change=Sum("change_due"))
        .order_by()
    )
    change = {(r["source__office"], r["source__name"]): r["change"] for r in given}
    return [
        {
            "office": r["payment__source__office"],
            "source": r["payment__source__name"],
            "tender": Tender(r["tender"]).label,
            "amount": r["total"]
            - (
                change.get((r["payment__source__office"], r["payment__source__name"]), ZERO)
                if r["tender"] == Tender.CASH
                else ZERO
            ),
        }
        for r in rows
    ]


@transaction.atomic
def bank_credit_record(*, source, day: date, amount, prepared_by) -> BankDeposit:
    """The bank's credit for a file source (lockbox, online, ACH, kiosk, drop
    box) on a day, as on the bank statement, to reconcile with the files."""
    from mesa_cs.lib.money import to_money

    if source.kind != source.Kind.FILE:
        raise ValidationError("Counter drawers are deposited from their closed shifts.")
    return BankDeposit.objects.create(
        office=source.name,
        business_date=day,
        cash=ZERO,
        checks=to_money(amount),
        prepared_by=prepared_by,
    )


def file_reconciliation(start: date, end: date) -> list[dict]:
    """Accepted payment files' net totals (payments less returns) by day and
    source, against the bank credits recorded for them."""
    from cashiering.models import PaymentFile, TenderSource

    names = dict(TenderSource.objects.values_list("code", "name"))
    files: dict[tuple, Decimal] = {}
    for f in PaymentFile.objects.filter(
        status=PaymentFile.Status.ACCEPTED, created_on__range=(start, end)
    ):
        payments = f.summary.get("payments", {})
        returns = f.summary.get("returns", {})
        net = sum((Decimal(p["amount"]) for p in payments.values()), ZERO) - sum(
            (Decimal(r["amount"]) for r in returns.values()), ZERO
        )
        net -= Decimal(payments.get("duplicate_items", {}).get("amount", "0"))
        key = (f.created_on, names.get(f.source, f.source))
        files[key] = files.get(key, ZERO) + net
    banked = {
        (d, office): total
        for d, office, total in BankDeposit.objects.filter(business_date__range=(start, end))
        .values("business_date", "office")
        .annotate(total=Sum("checks") + Sum("cash"))
        .values_list("business_date", "office", "total")
        if office in names.values()
    }
    rows = []
    for key in sorted(set(files) | set(banked)):
        file_total, bank_total = files.get(key, ZERO), banked.get(key, ZERO)
        rows.append(
            {
                "day": key[0],
                "source": key[1],
                "files": file_total,
                "bank": bank_total,
                "difference": bank_total - file_total,
            }
        )
    return rows
