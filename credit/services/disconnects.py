"""Reconnecting service once the past due and fees are paid: a reconnect
order for each disconnected service, the field trip charge, and the deposit
asked after a disconnection for non-payment."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Avg
from django.utils import timezone

from accounts.models import (
    Account,
    FieldActivity,
    GLAccount,
    JournalEntry,
    ServiceAgreement,
)
from accounts.selectors import account_aging
from accounts.services import Charge, charges_post
from accounts.services.deposits import deposit_bill
from accounts.services.field import field_activity_cancel, field_activity_order
from billing.models import Bill
from credit.models import CollectionState, Hold, LadderStep
from credit.services.collections import flag_holds, heat_protected, hold_label
from credit.services.holds import holds_in_force
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.money import ZERO, to_money
from mesa_cs.lib.system import system_user


def reconnect_deposit(account: Account) -> Decimal:
    """2 × the average of the last 12 bills' current charges."""
    recent = Bill.objects.filter(account=account, status=Bill.Status.ISSUED).order_by("-bill_on")
    ids = list(recent.values_list("pk", flat=True)[:12])
    average = Bill.objects.filter(pk__in=ids).aggregate(avg=Avg("current_charges"))["avg"] or ZERO
    return to_money(average * settings.RECONNECT_DEPOSIT_MULTIPLE)


def disconnect_blocker(activity: FieldActivity, on: date) -> str:
    """Why the crew may not disconnect this service on ``on`` although the
    order stands, or "": the collection run's holds, re-checked on the day
    (registered as the disconnect's completion check in CreditConfig)."""
    account_id = activity.account_id
    hold = holds_in_force([account_id], on).get(account_id)
    if hold is not None:
        return f"the account is on hold ({hold.get_kind_display().lower()}: {hold.reason})"
    flag = flag_holds([account_id], on).get(account_id)
    if flag:
        return hold_label(flag).lower()  # "account flag: do not disconnect"
    past_due = account_aging(account_id, as_of=on).past_due
    minimum = settings.DISCONNECT_MINIMUM_PAST_DUE
    if past_due < minimum:
        return f"the past due is {money_text(past_due)}, under the {money_text(minimum)} minimum"
    utility = activity.agreement.utility if activity.agreement else activity.service_point.utility
    if utility in heat_protected(on):
        return f"heat protection is in force for {utility} service on {on:%m/%d/%Y}"
    return ""


def disconnect_orders_cancel(*, account: Account, reason: str, by) -> int:
    """Cancel the account's pending disconnect orders (the customer paid
    before the crew came, or a hold came into force); returns how many."""
    pending = FieldActivity.objects.filter(
        account=account, kind=FieldActivity.Kind.DISCONNECT, status=FieldActivity.Status.PENDING
    ).values_list("pk", flat=True)
    for pk in pending:
        field_activity_cancel(activity_id=pk, reason=reason, by=by)
    return len(pending)


def _ladder_step_back(account_id: int, on: date, held_by: str = "") -> None:
    """An account whose disconnect order was cancelled while still past due
    goes back to "eligible", so the ladder orders the disconnect again once
    nothing stops it (at the top of the ladder it would never move again)."""
    state = (
        CollectionState.objects.select_for_update()
        .select_related("step__ladder")
        .filter(account_id=account_id, step__action=LadderStep.Action.DISCONNECT_ORDER)
        .first()
    )
    if (
        state is None
        or FieldActivity.objects.filter(
            account_id=account_id,
            kind=FieldActivity.Kind.DISCONNECT,
            status=FieldActivity.Status.PENDING,
        ).exists()
    ):
        return  # another service's order still stands: ordering again would double it
    eligible = LadderStep.objects.filter(
        ladder=state.step.ladder, action=LadderStep.Action.DISCONNECT_ELIGIBLE
    ).first()
    if eligible is None:
        return
    state.step, state.step_on, state.updated_on = eligible, on, on
    state.held_by = held_by or state.held_by
    state.save(update_fields=["step", "step_on", "updated_on", "held_by"])


def hold_in_force(hold: Hold, on: date) -> bool:
    """One hold, by the rule of ``holds.holds_in_force`` (released on a later
    day: in force until then)."""
    return (
        hold.starts_on <= on
        and (hold.released_on is None or hold.released_on > on)
        and (hold.ends_on is None or hold.ends_on >= on)
    )


@transaction.atomic
def disconnect_orders_cancel_for_hold(*, hold: Hold, on: date | None = None) -> int:
    """A hold in force cancels the account's pending disconnect orders, with
    the hold as the reason, so the crew sheet lists only work a crew may do."""
    on = on or timezone.localdate()
    if not hold_in_force(hold, on):
        return 0
    reason = f"On hold ({hold.get_kind_display().lower()}: {hold.reason})"
    cancelled = disconnect_orders_cancel(account=hold.account, reason=reason, by=hold.owner)
    if cancelled:
        _ladder_step_back(hold.account_id, on, held_by=hold.kind)
    return cancelled


def disconnect_orders_review(*, on: date, by=None) -> int:
    """Cancel every pending disconnect order the crew may not complete on
    ``on`` (``disconnect_blocker``: a hold that has started since the order,
    an account flag, a past due under the minimum, heat protection). Safe to
    run twice: a cancelled order is no longer pending."""
    by = by or system_user()
    pending = (
        FieldActivity.objects.filter(
            kind=FieldActivity.Kind.DISCONNECT,
            status=FieldActivity.Status.PENDING,
            scheduled_on__lte=on,
        )
        .select_related("account", "agreement", "service_point")
        .order_by("pk")
    )
    cancelled, reviewed = 0, set()
    for activity in pending:
        if activity.account_id in reviewed:
            continue
        blocker = disconnect_blocker(activity, on)
        if not blocker:
            continue
        reviewed.add(activity.account_id)
        # House rule: the whole disconnect waits (no water cut while power stays).
        with transaction.atomic():
            cancelled += disconnect_orders_cancel(
                account=activity.account, reason=f"Not sent: {blocker}", by=by
            )
            _ladder_step_back(activity.account_id, on)
    return cancelled


@transaction.atomic
def reconnect_if_cleared(
    *, account: Account, on: date, by, now=None, after_hours: bool = False
) -> list[FieldActivity]:
    """When a disconnected account owes nothing past due, order the reconnects
    (today if cleared before the cut-off hour, else the next day), charge the
    field trip (or the after-hours rate) and ask the reconnection deposit.
    Running it again while the orders are pending does nothing more.

    A disconnect order still waiting for the crew is cancelled once nothing
    is past due, so a customer who pays in time is not cut off."""
    account = Account.objects.select_for_update().get(pk=account.pk)
    cleared = account_aging(account.pk, as_of=on).past_due <= ZERO
    if cleared:
        disconnect_orders_cancel(
            account=account, reason="Past due paid before the crew came", by=by
        )
    disconnected = list(
        account.agreements.filter(status=ServiceAgreement.Status.DISCONNECTED).select_related(
            "premise", "service_point"
        )
    )
    if not disconnected or not cleared:
        return []
    pending = list(
        FieldActivity.objects.filter(
            agreement__in=disconnected,
            kind=FieldActivity.Kind.RECONNECT,
            status=FieldActivity.Status.PENDING,
        )
    )
    if pending:
        return pending
    now = now or timezone.localtime()
    same_day = after_hours or now.hour < settings.RECONNECT_SAME_DAY_CUTOFF_HOUR
    scheduled = on if same_day else on + timedelta(days=1)
    orders = [
        field_activity_order(
            kind=FieldActivity.Kind.RECONNECT,
            account=account,
            premise=sa.premise,
            service_point=sa.service_point,
            agreement=sa,
            scheduled_on=scheduled,
            same_day=after_hours,
            ordered_by=by,
            source_key=f"reconnect:{sa.pk}",
            notes="Past due paid: reconnect",
        )
        for sa in disconnected
    ]
    fee = settings.SAME_DAY_CONNECTION_FEE if after_hours else settings.FIELD_TRIP_CHARGE
    charges_post(
        account=account,
        kind=JournalEntry.Kind.FEE,
        effective_on=on,
        due_on=on + timedelta(days=settings.BILL_DUE_DAYS),
        description="After-hours reconnection" if after_hours else "Field trip charge (reconnect)",
        charges=[Charge(fee, revenue_purpose=GLAccount.Purpose.FEES)],
        created_by=by,
        source_key=f"reconnect-fee:{orders[0].pk}",
    )
    deposit = reconnect_deposit(account)
    if deposit > ZERO:
        deposit_bill(
            account=account,
            amount=deposit,
            on=on,
            created_by=by,
            reason="reconnection after a disconnection for non-payment (2 × the average bill)",
        )
    return orders
