"""Late fees by the Mesa rule (docs/pricing.md, "Late fees"): the day after the due date, the
greater of 2 % of the past-due amount or $5.00, plus sales tax; none when the
past-due amount is under $25.00."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from accounts.models import GLAccount, JournalEntry
from accounts.selectors import account_aging
from accounts.services import Charge, charges_post
from billing.models import Bill
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.money import ZERO, to_money


@dataclass
class LateFeeReport:
    examined: int = 0
    assessed: int = 0
    amount: Decimal = ZERO
    below_minimum: int = 0


def late_fee_for(past_due: Decimal) -> tuple[Decimal, Decimal]:
    """(fee, tax) for a past-due amount; (0, 0) below the minimum."""
    if past_due < settings.LATE_FEE_MINIMUM_PAST_DUE:
        return ZERO, ZERO
    fee = to_money(max(past_due * settings.LATE_FEE_PERCENT / 100, settings.LATE_FEE_FLOOR))
    return fee, to_money(fee * settings.LATE_FEE_TAX_PERCENT / 100)


def late_fees_assess(*, on: date) -> LateFeeReport:
    """Assess the fees due on ``on`` for bills due the day before. Running it
    twice for a day charges nobody twice (each fee's source key names its bill)."""
    report = LateFeeReport()
    due = on - timedelta(days=1)
    for bill in Bill.objects.filter(due_on=due, status=Bill.Status.ISSUED).select_related(
        "account"
    ):
        report.examined += 1
        past_due = account_aging(bill.account_id, as_of=on).past_due
        fee, tax = late_fee_for(past_due)
        if not fee:
            report.below_minimum += 1
            continue
        with transaction.atomic():
            entry = charges_post(
                account=bill.account,
                kind=JournalEntry.Kind.LATE_FEE,
                effective_on=on,
                description=f"Late fee on {money_text(past_due)} past due",
                charges=[
                    Charge(fee, revenue_purpose=GLAccount.Purpose.FEES),
                    Charge(tax, revenue_purpose=GLAccount.Purpose.TAX),
                ],
                source_key=f"latefee:{bill.pk}",
            )
        if entry.effective_on == on:
            report.assessed += 1
            report.amount += fee + tax
    return report
