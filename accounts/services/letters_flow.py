"""The letters the service flows send: welcome and deposit required at a
start, the final bill letter, the deposit refund letter. Each is keyed, so a
flow that runs again sends nothing twice."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings

from accounts.models import Account, Deposit, LetterTemplate, Utility
from accounts.rules.letter_texts import (
    DEPOSIT_REFUND,
    DEPOSIT_REQUIRED,
    ENGLISH,
    FINAL_BILL,
    SPANISH,
    UTILITY_NAMES_ES,
    WELCOME,
    deposit_reason_wording,
)
from accounts.services.letters import letter_send as _letter_send


def letter_send(*, kind: str, **kwargs):
    # A supervisor who turns a letter off stops the flows sending it; the
    # start, stop or refund itself goes on.
    if LetterTemplate.objects.filter(kind=kind, active=True).exists():
        return _letter_send(kind=kind, **kwargs)
    return None


def start_letters(*, account: Account, agreements, fees, deposit: Deposit | None, sent_by=None):
    """The welcome letter, and the deposit letter when a cash deposit is asked."""
    starts_on = min(sa.starts_on for sa in agreements)
    letter_send(
        account=account,
        kind=WELCOME,
        sent_by=sent_by,
        source_key=f"welcome:{account.pk}",
        merge={
            "start_date": starts_on,
            "services": {
                ENGLISH: ", ".join(Utility(sa.utility).label.lower() for sa in agreements),
                SPANISH: ", ".join(UTILITY_NAMES_ES[sa.utility] for sa in agreements),
            },
            "fees_total": fees,
            "deposit_amount": deposit.amount if deposit else Decimal("0.00"),
        },
    )
    if deposit is not None and deposit.form == Deposit.Form.CASH:
        letter_send(
            account=account,
            kind=DEPOSIT_REQUIRED,
            sent_by=sent_by,
            source_key=f"deposit-required:{deposit.pk}",
            merge={
                "deposit_amount": deposit.amount,
                "deposit_reason": deposit_reason_wording(deposit.reason),
                "due_date": deposit.required_on + timedelta(days=settings.BILL_DUE_DAYS),
            },
        )


def final_bill_letter(
    *, account: Account, amount_due, deposit_applied, due_on: date, stop_date: date, sent_by=None
):
    letter_send(
        account=account,
        kind=FINAL_BILL,
        sent_by=sent_by,
        source_key=f"final-bill:{account.pk}",
        merge={
            "final_bill_amount": amount_due,
            "deposit_applied": deposit_applied,
            "due_date": due_on,
            "stop_date": stop_date,
        },
    )


def deposit_refund_letter(*, account: Account, amount, release_key: str, sent_by=None):
    letter_send(
        account=account,
        kind=DEPOSIT_REFUND,
        sent_by=sent_by,
        source_key=f"deposit-refund:{release_key}",
        merge={
            "refund_amount": amount,
            "refund_method": {
                ENGLISH: "credited to your account; it will show on your next bill",
                SPANISH: "acreditado a su cuenta; aparecerá en su próxima factura",
            },
        },
    )
