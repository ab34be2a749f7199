"""Deposits on the ledger: billed to the customer against customer deposits
held (whole or in installments), or a utility bond in their place; released
by crediting the account, after good payment history or on the final bill."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Account, Deposit, GLAccount, JournalEntry
from accounts.selectors.ledger import account_aging, deposit_liability
from accounts.services.ledger import GLChart, Leg, account_lock, credit_legs, entry_post
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.luhn import reject_card_numbers
from mesa_cs.lib.money import ZERO, to_money


def installment_amounts(amount: Decimal, installments: int) -> list[Decimal]:
    """Equal installments in cents; the first carries the odd cent."""
    base = to_money(amount / installments)
    if base * installments > amount:
        base -= Decimal("0.01")
    first = amount - base * (installments - 1)
    return [first] + [base] * (installments - 1)


@transaction.atomic
def deposit_bill(
    *,
    account: Account,
    amount: Decimal,
    reason: str,
    on: date,
    installments: int = 1,
    created_by=None,
    due_on: date | None = None,
) -> Deposit:
    """Ask for a cash deposit: each installment is a charge a month apart,
    due with that month's bill, recorded on customer deposits held. ``due_on``
    sets the first installment's due date where a rule fixes it (e.g. the
    bankruptcy adequate-assurance deadline)."""
    reject_card_numbers(reason=reason)
    amount = to_money(amount)
    if amount <= ZERO:
        raise ValidationError({"amount": "A deposit must be more than $0.00."})
    if not 1 <= installments <= settings.DEPOSIT_MAX_INSTALLMENTS:
        raise ValidationError(
            {"installments": f"Installments: 1 to {settings.DEPOSIT_MAX_INSTALLMENTS}."}
        )
    deposit = Deposit.objects.create(
        account=account,
        amount=amount,
        installments=installments,
        reason=reason[:300],
        required_on=on,
        created_by=created_by,
    )
    chart = GLChart()
    for number, part in enumerate(installment_amounts(amount, installments)):
        billed_on = on + timedelta(days=30 * number)
        label = f" (installment {number + 1} of {installments})" if installments > 1 else ""
        entry_post(
            kind=JournalEntry.Kind.DEPOSIT,
            effective_on=billed_on,
            due_on=(due_on if due_on and number == 0 else None)
            or billed_on + timedelta(days=settings.BILL_DUE_DAYS),
            description=f"Deposit{label}",
            account=account,
            created_by=created_by,
            legs=[
                Leg(chart.get(GLAccount.Purpose.RECEIVABLE), part, account.pk),
                Leg(chart.get(GLAccount.Purpose.DEPOSITS), -part, account.pk),
            ],
            source_key=f"deposit:{deposit.pk}:{number + 1}",
        )
    return deposit


@transaction.atomic
def deposit_bond_record(
    *,
    account: Account,
    amount: Decimal,
    reason: str,
    bond_reference: str,
    bond_expires_on: date | None,
    on: date,
    created_by=None,
) -> Deposit:
    """A utility bond accepted instead of a cash deposit: nothing is billed."""
    reject_card_numbers(reason=reason, bond_reference=bond_reference)
    if not bond_reference.strip():
        raise ValidationError({"bond_reference": "Enter the bond's number."})
    if bond_expires_on is not None and bond_expires_on <= on:
        raise ValidationError({"bond_expires_on": "The bond has expired already."})
    return Deposit.objects.create(
        account=account,
        form=Deposit.Form.BOND,
        amount=to_money(amount),
        reason=reason[:300],
        required_on=on,
        bond_reference=bond_reference.strip(),
        bond_expires_on=bond_expires_on,
        created_by=created_by,
    )


@transaction.atomic
def deposit_release(
    *, account: Account, on: date, outcome: str, by=None, note: str = ""
) -> JournalEntry | None:
    """Give back everything held on deposit by crediting the account (its open
    charges first, any rest a credit balance). ``outcome`` is credited or
    refunded (good payment history: refused while anything is past due or a
    deposit installment is unpaid) or applied (the final bill: an unpaid
    installment is cancelled by the same credit). Bonds are released."""
    reject_card_numbers(note=note)
    account = account_lock(account)
    deposits = list(
        Deposit.objects.select_for_update().filter(account=account, status=Deposit.Status.OPEN)
    )
    if not deposits:
        raise ValidationError("The account has no deposit held.")
    liability, unpaid = deposit_liability(account.pk)
    if outcome != Deposit.Status.APPLIED:
        past_due = account_aging(account.pk, as_of=on).past_due
        if past_due > ZERO:
            raise ValidationError(
                f"The account has {money_text(past_due)} past due: a deposit is not refunded while "
                "anything is past due."
            )
        if unpaid > ZERO:
            raise ValidationError(f"{money_text(unpaid)} of the deposit has not been paid yet.")
    entry = None
    if liability > ZERO:
        chart = GLChart()
        label = dict(Deposit.Status.choices)[outcome]
        entry = entry_post(
            kind=JournalEntry.Kind.DEPOSIT_REFUND,
            effective_on=on,
            description=f"Deposit {label.lower()}" + (f": {note}" if note else ""),
            account=account,
            created_by=by,
            legs=[Leg(chart.get(GLAccount.Purpose.DEPOSITS), liability, account.pk)]
            + credit_legs(account, liability, chart),
            source_key=f"deposit-release:{account.pk}:{max(d.pk for d in deposits)}",
        )
    for deposit in deposits:
        deposit.status = Deposit.Status.RELEASED if deposit.form == Deposit.Form.BOND else outcome
        deposit.released_on, deposit.released_by = on, by
        deposit.release_entry = entry if deposit.form == Deposit.Form.CASH else None
        deposit.save(update_fields=["status", "released_on", "released_by", "release_entry"])
    return entry
