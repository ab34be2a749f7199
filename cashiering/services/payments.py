"""Taking payments: counter payments with several tenders and accounts, file
payments, and returned payments. Every payment posts through the ledger's
services; none edits a posted entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Account, AccountFlag, GLAccount, JournalEntry
from accounts.panels import payment_posted
from accounts.selectors.accounts import current_flags
from accounts.services import (
    Charge,
    GLChart,
    account_flag_set,
    charges_post,
    entry_reverse,
    payment_post,
)
from cashiering.models import (
    DrawerShift,
    Payment,
    PaymentAllocation,
    PaymentTender,
    Tender,
    TenderSource,
)
from cashiering.rules.tally import tally
from mesa_cs.lib.dates import refuse_future
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.luhn import reject_card_numbers
from mesa_cs.lib.money import ZERO, to_money

CERTIFIED = {Tender.CASH, Tender.MONEY_ORDER, Tender.CARD}


@dataclass(frozen=True)
class TenderLine:
    tender: str
    amount: Decimal
    reference: str = ""


def certified_funds_only(account: Account, on: date | None = None) -> bool:
    return any(f.kind == AccountFlag.Kind.CERTIFIED_FUNDS_ONLY for f in current_flags(account, on))


def _validate(tenders, allocations, payer_name: str) -> Decimal:
    reject_card_numbers(
        payer_name=payer_name, **{f"reference_{i}": t.reference for i, t in enumerate(tenders)}
    )
    if not tenders:
        raise ValidationError("Add at least one tender.")
    if not allocations:
        raise ValidationError("Apply the payment to at least one account.")
    for tender in tenders:
        if tender.tender not in Tender.values:
            raise ValidationError({"tender": f"Unknown tender {tender.tender}."})
        if to_money(tender.amount) <= ZERO:
            raise ValidationError({"amount": "Each tender needs a positive amount."})
        if tender.tender in (Tender.CHECK, Tender.MONEY_ORDER) and not tender.reference.strip():
            raise ValidationError(
                {"reference": f"Enter the {Tender(tender.tender).label.lower()} number."}
            )
        if tender.tender == Tender.CARD and not tender.reference.strip():
            raise ValidationError({"reference": "Enter the card terminal's approval code."})
    if any(to_money(amount) <= ZERO for _, amount in allocations):
        raise ValidationError({"allocations": "Each account's amount must be positive."})
    sums = tally((amount for _, amount in allocations), ((t.tender, t.amount) for t in tenders))
    if sums.short:
        raise ValidationError(
            f"The tenders ({money_text(sums.tendered)}) do not cover the payment "
            f"({money_text(sums.due)})."
        )
    if sums.non_cash_over:
        raise ValidationError(
            "Only cash gives change: checks, money orders and cards must not exceed what is paid."
        )
    for account, _ in allocations:
        if certified_funds_only(account) and any(t.tender not in CERTIFIED for t in tenders):
            raise ValidationError(
                f"Account {account.number} must pay by certified funds (cash, money order or card): "
                "its last payment was returned. Checks are refused."
            )
    return sums.change


@transaction.atomic
def payment_take(
    *,
    source: TenderSource,
    received_on: date,
    tenders: list[TenderLine],
    allocations: list[tuple[Account, Decimal]],
    idempotency_key: str,
    payer_name: str = "",
    shift: DrawerShift | None = None,
    created_by=None,
    debit_gl: GLAccount | None = None,
) -> Payment:
    """Take one payment (several tenders, several accounts). Submitting the
    same key again returns the first payment and posts nothing."""
    existing = Payment.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    if shift is not None and shift.status != DrawerShift.Status.OPEN:
        raise ValidationError("This drawer shift is closed; open a shift to take payments.")
    change = _validate(tenders, allocations, payer_name)
    return payment_record(
        source=source,
        received_on=received_on,
        tenders=tenders,
        allocations=allocations,
        idempotency_key=idempotency_key,
        payer_name=payer_name,
        shift=shift,
        created_by=created_by,
        debit_gl=debit_gl,
        change=change,
    )


@transaction.atomic
def payment_record(
    *,
    source: TenderSource,
    received_on: date,
    tenders: list[TenderLine],
    allocations: list[tuple[Account, Decimal]],
    idempotency_key: str,
    payer_name: str = "",
    shift: DrawerShift | None = None,
    created_by=None,
    debit_gl: GLAccount | None = None,
    change: Decimal = ZERO,
) -> Payment:
    """Record and post a payment already validated by its channel (the
    counter screen or a payment file). Money is never received in the future."""
    refuse_future("received_on", received_on, "Received on")
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                source=source,
                shift=shift,
                received_on=received_on,
                payer_name=payer_name[:120],
                idempotency_key=idempotency_key,
                change_due=change,
                created_by=created_by,
            )
    except IntegrityError:
        # A second submission raced the first: replay the first.
        return Payment.objects.get(idempotency_key=idempotency_key)
    PaymentTender.objects.bulk_create(
        PaymentTender(
            payment=payment,
            tender=t.tender,
            amount=to_money(t.amount),
            reference=t.reference.strip(),
        )
        for t in tenders
    )
    cash_gl = debit_gl or GLChart().get(GLAccount.Purpose.CASH)
    for account, amount in sorted(allocations, key=lambda a: a[0].pk):
        entry = payment_post(
            account=account,
            amount=to_money(amount),
            effective_on=received_on,
            description=f"Payment, {source.name}",
            debit_gl=cash_gl,
            created_by=created_by,
            source_key=f"payment:{payment.pk}:{account.pk}",
        )
        PaymentAllocation.objects.create(
            payment=payment, account=account, amount=to_money(amount), entry=entry
        )
        payment_posted(account=account, on=received_on, by=created_by)
    return payment


@transaction.atomic
def payment_return(
    *, payment: Payment, return_code: str, on: date, created_by=None
) -> list[JournalEntry]:
    """A returned payment: reverse it (never delete it), charge the returned
    payment fee and require certified funds for a year."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status != Payment.Status.POSTED:
        raise ValidationError(
            f"Payment {payment.pk} is already {payment.get_status_display().lower()}."
        )
    if on < payment.received_on:
        raise ValidationError(
            f"Payment {payment.pk} was received on {payment.received_on:%m/%d/%Y}; "
            "it cannot be returned before that."
        )
    entries = []
    for allocation in payment.allocations.select_related("account", "entry"):
        entries.append(
            entry_reverse(
                entry=allocation.entry,
                reason=f"returned {return_code}",
                effective_on=on,
                created_by=created_by,
            )
        )
        entries.append(
            charges_post(
                account=allocation.account,
                kind=JournalEntry.Kind.FEE,
                effective_on=on,
                description=f"Returned payment fee ({return_code})",
                charges=[
                    Charge(settings.RETURNED_PAYMENT_FEE, revenue_purpose=GLAccount.Purpose.FEES)
                ],
                created_by=created_by,
                source_key=f"returned-fee:{payment.pk}:{allocation.account_id}",
            )
        )
        account_flag_set(
            account=allocation.account,
            kind=AccountFlag.Kind.CERTIFIED_FUNDS_ONLY,
            starts_on=on,
            ends_on=on + timedelta(days=round(settings.CERTIFIED_FUNDS_MONTHS * 365 / 12)),
            reason=f"Payment returned ({return_code})",
            set_by=created_by,
        )
    Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.RETURNED)
    return entries
