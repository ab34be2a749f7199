"""Drawer shifts: open with a float, close by counting, balance or explain."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.models import GLAccount, JournalEntry
from accounts.services import GLChart, Leg, entry_post, entry_reverse
from cashiering.models import DrawerShift, Payment, PaymentTender, Tender, TenderSource
from mesa_cs.lib.luhn import reject_card_numbers
from mesa_cs.lib.money import ZERO, to_money
from mesa_cs.lib.roles import Role, user_roles

DENOMINATIONS = ["100", "50", "20", "10", "5", "2", "1", "0.50", "0.25", "0.10", "0.05", "0.01"]


def _is_supervisor(user) -> bool:
    return bool(user_roles(user) & {Role.SUPERVISOR, Role.ADMINISTRATOR})


@transaction.atomic
def shift_open(*, source: TenderSource, cashier, opening_float: Decimal) -> DrawerShift:
    if source.kind != TenderSource.Kind.DRAWER:
        raise ValidationError(f"{source} is not a counter drawer.")
    if to_money(opening_float) < ZERO:
        raise ValidationError({"opening_float": "The opening float cannot be negative."})
    try:
        with transaction.atomic():
            return DrawerShift.objects.create(
                source=source, cashier=cashier, opening_float=to_money(opening_float)
            )
    except IntegrityError as exc:
        raise ValidationError(
            "That drawer already has an open shift, or you already have one open: close it first."
        ) from exc


def shift_expected(shift: DrawerShift) -> dict[str, Decimal]:
    """What the drawer should hold, by tender type."""
    totals = dict(
        PaymentTender.objects.filter(payment__shift=shift, payment__status=Payment.Status.POSTED)
        .values("tender")
        .annotate(total=Sum("amount"))
        .values_list("tender", "total")
    )
    change = (
        Payment.objects.filter(shift=shift, status=Payment.Status.POSTED).aggregate(
            t=Sum("change_due")
        )["t"]
        or ZERO
    )
    return {
        "cash": shift.opening_float + totals.get(Tender.CASH, ZERO) - change,
        "checks": totals.get(Tender.CHECK, ZERO) + totals.get(Tender.MONEY_ORDER, ZERO),
        "card": totals.get(Tender.CARD, ZERO),
    }


def counted_cash(denominations: dict[str, int]) -> Decimal:
    total = ZERO
    for denomination, count in denominations.items():
        if denomination not in DENOMINATIONS:
            raise ValidationError({"denominations": f"Unknown denomination {denomination}."})
        if int(count) < 0:
            raise ValidationError({"denominations": "Counts cannot be negative."})
        total += Decimal(denomination) * int(count)
    return to_money(total)


@dataclass(frozen=True)
class DrawerCount:
    """What the cashier has counted so far beside what the drawer should
    hold, by tender. The close page shows it while counting; ``shift_close``
    balances the drawer by the same difference."""

    expected: dict[str, Decimal]
    cash: Decimal
    checks: Decimal
    check_count: int

    @property
    def cash_difference(self) -> Decimal:
        return self.cash - self.expected["cash"]

    @property
    def checks_difference(self) -> Decimal:
        return self.checks - self.expected["checks"]

    @property
    def difference(self) -> Decimal:
        return self.cash_difference + self.checks_difference

    @property
    def counted_total(self) -> Decimal:
        return self.cash + self.checks

    @property
    def expected_total(self) -> Decimal:
        return self.expected["cash"] + self.expected["checks"]


def drawer_count(
    expected: dict[str, Decimal], denominations: dict[str, int], checks: list[Decimal]
) -> DrawerCount:
    return DrawerCount(
        expected=expected,
        cash=counted_cash(denominations),
        checks=to_money(sum((to_money(c) for c in checks), ZERO)),
        check_count=len(checks),
    )


@transaction.atomic
def shift_close(
    *,
    shift_id: int,
    cashier,
    denominations: dict[str, int],
    checks: list[Decimal],
    reason: str = "",
    signed_off_by=None,
) -> DrawerShift:
    """Close a shift. A difference needs a reason; above the threshold a
    supervisor (not the cashier) signs off; the difference posts to over/short."""
    reject_card_numbers(reason=reason)
    shift = DrawerShift.objects.select_for_update().get(pk=shift_id)
    if shift.status != DrawerShift.Status.OPEN:
        raise ValidationError("This shift is already closed.")
    if shift.cashier_id != cashier.pk:
        raise ValidationError("Only the cashier who opened the shift closes it.")
    count = drawer_count(shift_expected(shift), denominations, checks)
    cash, check_total, difference = count.cash, count.checks, count.difference
    if difference and not reason.strip():
        raise ValidationError(
            {
                "reason": f"The drawer is {'over' if difference > 0 else 'short'} by ${abs(difference)}: say why."
            }
        )
    needs_sign_off = abs(difference) > settings.DRAWER_SIGN_OFF_THRESHOLD
    signed = (
        signed_off_by is not None
        and signed_off_by.pk != cashier.pk
        and _is_supervisor(signed_off_by)
    )
    if needs_sign_off and not signed:
        raise ValidationError(
            {
                "signed_off_by": f"A difference over ${settings.DRAWER_SIGN_OFF_THRESHOLD} "
                "needs a supervisor's sign-off."
            }
        )
    if difference:
        chart = GLChart()
        shift.over_short_entry = entry_post(
            kind=JournalEntry.Kind.OVER_SHORT,
            effective_on=shift.business_date,
            description=f"Drawer {'over' if difference > 0 else 'short'}: {shift} ({reason.strip()})",
            legs=[
                Leg(chart.get(GLAccount.Purpose.CASH), difference),
                Leg(chart.get(GLAccount.Purpose.OVER_SHORT), -difference),
            ],
            created_by=cashier,
        )
    shift.status = DrawerShift.Status.CLOSED
    shift.closed_at = timezone.now()
    shift.counted = {
        "cash": {k: int(v) for k, v in denominations.items()},
        "checks": [str(to_money(c)) for c in checks],
    }
    shift.counted_cash, shift.counted_checks, shift.difference = cash, check_total, difference
    shift.difference_reason = reason.strip()
    shift.signed_off_by = (
        signed_off_by if abs(difference) > settings.DRAWER_SIGN_OFF_THRESHOLD else None
    )
    shift.save()
    return shift


@transaction.atomic
def shift_reopen(*, shift_id: int, supervisor, reason: str) -> DrawerShift:
    """Reopen a closed shift (audited); its over/short is reversed and posted
    again when it closes."""
    if not _is_supervisor(supervisor):
        raise ValidationError("Only a supervisor reopens a closed shift.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the shift is reopened."})
    reject_card_numbers(reason=reason)
    shift = DrawerShift.objects.select_for_update().get(pk=shift_id)
    if shift.status != DrawerShift.Status.CLOSED or shift.deposit_id:
        raise ValidationError("Only a closed shift not yet deposited can be reopened.")
    if shift.over_short_entry_id:
        entry_reverse(
            entry=shift.over_short_entry,
            reason=f"shift reopened: {reason}",
            effective_on=timezone.localdate(),
            created_by=supervisor,
        )
    shift.status = DrawerShift.Status.OPEN
    shift.over_short_entry = None
    shift.signed_off_by = None
    shift.difference = shift.counted_cash = shift.counted_checks = None
    shift.difference_reason = f"Reopened by {supervisor.get_username()}: {reason.strip()}"
    shift.closed_at = None
    shift.reopen_count += 1
    shift.save()
    return shift
