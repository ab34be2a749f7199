"""Drawer shifts: open with a float, close by counting, balance or explain."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from accounts.models import GLAccount, JournalEntry
from accounts.services import GLChart, Leg, entry_post, entry_reverse
from cashiering.models import (
    DrawerShift,
    Payment,
    PaymentTender,
    Tender,
    TenderSource,
    VoidRequest,
)
from mesa_cs.lib.formatting import day_text, money_text, staff_name
from mesa_cs.lib.luhn import reject_card_numbers
from mesa_cs.lib.money import ZERO, to_money
from mesa_cs.lib.roles import Role, user_roles
from staffing.models import Section
from staffing.services import work_item_close_for_source, work_item_open

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


def needs_sign_off(difference: Decimal | None) -> bool:
    return difference is not None and abs(difference) > settings.DRAWER_SIGN_OFF_THRESHOLD


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
    """Close a shift. A difference needs a reason and posts to over/short;
    above the threshold a supervisor (not the cashier) signs off, there and
    then when one signs in at the counter, else from the approvals inbox (the
    shift waits for it and is not deposited before)."""
    reject_card_numbers(reason=reason)
    shift = DrawerShift.objects.select_for_update().get(pk=shift_id)
    if shift.status != DrawerShift.Status.OPEN:
        raise ValidationError("This shift is already closed.")
    if shift.cashier_id != cashier.pk:
        raise ValidationError("Only the cashier who opened the shift closes it.")
    waiting = VoidRequest.objects.filter(payment__shift=shift, status=VoidRequest.Status.PENDING)
    if waiting.exists():
        raise ValidationError(
            "A void of a payment in this drawer waits for a supervisor: "
            "have it decided before you count the drawer."
        )
    count = drawer_count(shift_expected(shift), denominations, checks)
    cash, check_total, difference = count.cash, count.checks, count.difference
    if difference and not reason.strip():
        raise ValidationError(
            {
                "reason": f"The drawer is {'over' if difference > 0 else 'short'} "
                f"by {money_text(abs(difference))}: say why."
            }
        )
    if signed_off_by is not None and (
        signed_off_by.pk == cashier.pk or not _is_supervisor(signed_off_by)
    ):
        raise ValidationError(
            {"signed_off_by": "The sign-off is a supervisor's other than the cashier."}
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
    shift.signed_off_by = signed_off_by if needs_sign_off(difference) else None
    shift.sign_off_requested_at = (
        shift.closed_at if needs_sign_off(difference) and signed_off_by is None else None
    )
    shift.save()
    if shift.sign_off_requested_at:
        work_item_open(
            kind=SIGN_OFF_APPROVAL,
            section=Section.BUSINESS_OFFICE,
            title=f"Sign off {shift.source}'s drawer: {'over' if difference > 0 else 'short'} "
            f"{money_text(abs(difference))} on {day_text(shift.business_date)}",
            details=shift.difference_reason,
            opened_by=cashier,
            source_key=sign_off_key(shift),
        )
    return shift


SIGN_OFF_APPROVAL = "drawer_sign_off"  # the work item a pending sign-off opens


def sign_off_key(shift: DrawerShift) -> str:
    # A shift reopened and closed again waits for a new sign-off.
    return f"shift:{shift.pk}:{shift.reopen_count}"


def _awaiting_sign_off(shift_id: int, by) -> DrawerShift:
    shift = DrawerShift.objects.select_for_update().get(pk=shift_id)
    if shift.status != DrawerShift.Status.CLOSED or shift.sign_off_requested_at is None:
        raise ValidationError("This drawer does not wait for a sign-off.")
    if shift.signed_off_by_id:
        raise ValidationError("This drawer has already been signed off.")
    if shift.cashier_id == by.pk:
        raise ValidationError("Nobody signs off their own drawer; ask another supervisor.")
    if not _is_supervisor(by):
        raise ValidationError("A supervisor signs off a drawer's over/short.")
    return shift


@transaction.atomic
def shift_sign_off(*, shift_id: int, by) -> DrawerShift:
    """A supervisor accepts a closed drawer's difference; it may go to the bank."""
    shift = _awaiting_sign_off(shift_id, by)
    shift.signed_off_by = by
    shift.save(update_fields=["signed_off_by"])
    work_item_close_for_source(
        kind=SIGN_OFF_APPROVAL, source_key=sign_off_key(shift), closed_by=by, outcome="Signed off"
    )
    return shift


@transaction.atomic
def shift_sign_off_decline(*, shift_id: int, by, why: str) -> DrawerShift:
    """A supervisor refuses the count: the shift reopens for the cashier to
    count again (its over/short is reversed)."""
    why = why.strip()
    if not why:
        raise ValidationError({"why": "Say why the count is not accepted."})
    shift = _awaiting_sign_off(shift_id, by)
    key = sign_off_key(shift)
    reopened = shift_reopen(shift_id=shift.pk, supervisor=by, reason=f"sign-off declined: {why}")
    work_item_close_for_source(
        kind=SIGN_OFF_APPROVAL, source_key=key, closed_by=by, outcome=f"Declined: {why}"[:200]
    )
    return reopened


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
    open_now = DrawerShift.objects.filter(status=DrawerShift.Status.OPEN).filter(
        Q(cashier_id=shift.cashier_id) | Q(source_id=shift.source_id)
    )
    if open_now.exists():
        raise ValidationError(
            f"{staff_name(shift.cashier)} or {shift.source} has another shift open: "
            "close it before this one reopens."
        )
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
    shift.sign_off_requested_at = None
    shift.difference = shift.counted_cash = shift.counted_checks = None
    shift.difference_reason = f"Reopened by {staff_name(supervisor)}: {reason.strip()}"[:200]
    shift.closed_at = None
    shift.reopen_count += 1
    shift.save()
    return shift
