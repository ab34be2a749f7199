"""Container services and one-time orders (docs/solid_waste_services.md).

Containers are delivered to and removed from a premise on the solid-waste
service that bills them; once a service has containers on record its
billed count is the inventory's (accounts.services.orders sets it). The
green barrel's stop ends its service and charges what is left of the
six-month minimum. A one-time order is refused, with the reason, when its
rule says no (bulk pickup with a past due, a second landfill load in a
month), else priced, charged to the account as a fee the next bill shows
under other charges, and dispatched to the route serving the premise."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import GLAccount, JournalEntry, ServiceAgreement
from accounts.selectors.ledger import account_aging
from accounts.services.ledger import Charge, account_lock, charges_post, entry_reverse
from accounts.services.orders import agreement_containers_set, agreement_end
from billing.selectors.special_codes import special_code_by_code
from billing.services.rates import ratebook_from_db
from mesa_cs.lib.dates import refuse_future, today
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.luhn import reject_card_numbers
from mesa_cs.lib.money import ZERO, to_money
from solidwaste.models import Container, ContainerKind, Order, OrderKind, Route, ServiceLine
from solidwaste.rules import containers as rules
from solidwaste.selectors.containers import order_billed_on

# Orders are booked up to this many days ahead.
BOOK_AHEAD_DAYS = 60


def base_schedule(agreement: ServiceAgreement) -> str:
    """The rate book schedule a service is on, or a special code's base."""
    special = special_code_by_code(agreement.rate_schedule)
    return special.based_on.code if special else agreement.rate_schedule


def _open_service(agreement_id: int) -> ServiceAgreement:
    sa = (
        ServiceAgreement.objects.select_for_update(of=("self",))
        .select_related("account", "premise")
        .filter(pk=agreement_id)
        .first()
    )
    if sa is None or sa.utility != "solid_waste" or not sa.is_open:
        raise ValidationError({"agreement": "Choose an open solid-waste service."})
    return sa


def _sync_count(sa: ServiceAgreement) -> None:
    base = base_schedule(sa)
    billed = [
        c
        for c in sa.sw_containers.filter(removed_on__isnull=True)
        if rules.is_billed_kind(sa.rate_schedule, c.kind, base)
    ]
    if billed:
        agreement_containers_set(agreement_id=sa.pk, containers=len(billed))


@transaction.atomic
def container_deliver(
    *,
    agreement_id: int,
    kind: str,
    delivered_on: date,
    tag: str = "",
    size: str = "",
    by=None,
) -> Container:
    """Record a container delivered to the service's premise; a billed
    container changes the service's billed count from its next bill."""
    sa = _open_service(agreement_id)
    refuse_future("delivered_on", delivered_on, "The delivery date")
    if delivered_on < sa.starts_on:
        raise ValidationError(
            {
                "delivered_on": f"The service started on {sa.starts_on:%m/%d/%Y}; deliver on or after it."
            }
        )
    base = base_schedule(sa)
    if not rules.kind_allowed(sa.rate_schedule, kind, base):
        raise ValidationError(
            {
                "kind": f"A {ContainerKind(kind).label.lower()} does not go on {sa.rate_schedule} service."
            }
        )
    if kind == ContainerKind.ROLL_OFF and not size:
        raise ValidationError({"size": "Give the roll-off container's size."})
    container = Container(
        premise=sa.premise,
        agreement=sa,
        kind=kind,
        service_code=sa.service_code if kind == ContainerKind.FRONT_LOAD else "",
        size=size if kind == ContainerKind.ROLL_OFF else "",
        tag=tag,
        delivered_on=delivered_on,
        delivered_by=by,
    )
    container.full_clean()
    container.save()
    _sync_count(sa)
    return container


@transaction.atomic
def container_remove(*, container_id: int, removed_on: date, reason: str, by=None) -> Container:
    """Record a container taken away. The last billed container of a service
    leaves with its stop (the green barrel's stop, or a stop of service)."""
    container = Container.objects.select_for_update().filter(pk=container_id).first()
    if container is None or not container.is_current:
        raise ValidationError("That container is no longer at the premise.")
    refuse_future("removed_on", removed_on, "The removal date")
    if removed_on < container.delivered_on:
        raise ValidationError(
            {"removed_on": f"It was delivered on {container.delivered_on:%m/%d/%Y}."}
        )
    if not reason.strip():
        raise ValidationError({"reason": "Say why the container is removed."})
    sa = _open_service(container.agreement_id)
    base = base_schedule(sa)
    if rules.is_billed_kind(sa.rate_schedule, container.kind, base):
        left = sa.sw_containers.filter(removed_on__isnull=True, kind=container.kind).count()
        if left <= 1:
            raise ValidationError(
                "This is the service's last billed container: stop the service instead"
                + (" (Stop green barrel)." if container.kind == ContainerKind.GREEN else ".")
            )
    container.removed_on, container.removal_reason, container.removed_by = removed_on, reason, by
    container.full_clean()
    container.save(update_fields=["removed_on", "removal_reason", "removed_by"])
    _sync_count(sa)
    return container


def green_stop_quote(agreement: ServiceAgreement, stops_on: date) -> tuple[Decimal, str]:
    """What stopping the green barrel on ``stops_on`` still charges."""
    return rules.green_minimum_charge(ratebook_from_db(), agreement.starts_on, stops_on)


@transaction.atomic
def green_barrel_stop(*, agreement_id: int, stops_on: date, by=None) -> JournalEntry | None:
    """Stop green barrel service: it bills through the stop day, its barrels
    are removed that day, and a stop inside the six-month minimum charges
    the rest of the minimum (priced by the engine) on the next bill."""
    sa = _open_service(agreement_id)
    if base_schedule(sa) != rules.GREEN_SCHEDULE:
        raise ValidationError({"agreement": "That service is not a green barrel."})
    if stops_on < today():
        raise ValidationError({"stops_on": "A stop is from today on, not in the past."})
    if stops_on > today() + timedelta(days=BOOK_AHEAD_DAYS):
        raise ValidationError({"stops_on": f"A stop is at most {BOOK_AHEAD_DAYS} days ahead."})
    amount, description = green_stop_quote(sa, stops_on)
    account_lock(sa.account)
    agreement_end(agreement_id=sa.pk, ends_on=stops_on, by=by)
    sa.sw_containers.filter(removed_on__isnull=True).update(
        removed_on=stops_on, removal_reason="Green barrel service stopped", removed_by=by
    )
    if amount <= ZERO:
        return None
    return charges_post(
        account=sa.account,
        kind=JournalEntry.Kind.FEE,
        effective_on=today(),
        due_on=today() + timedelta(days=settings.BILL_DUE_DAYS),
        description=description,
        charges=[Charge(amount, sa.utility, sa.rate_schedule, sa.pk, GLAccount.Purpose.FEES)],
        created_by=by,
        source_key=f"green-minimum:{sa.pk}",
    )


# --- One-time orders -----------------------------------------------------------------


def service_line_for(kind: str, sa: ServiceAgreement) -> str:
    if kind == OrderKind.ROLL_OFF:
        return ServiceLine.ROLL_OFF
    if sa.account.customer_class == "commercial" or sa.service_code:
        return ServiceLine.COMMERCIAL
    return ServiceLine.RESIDENTIAL


def route_for(kind: str, sa: ServiceAgreement) -> Route:
    """The active route of the order's service line in the premise's service area."""
    line = service_line_for(kind, sa)
    route = (
        Route.objects.filter(active=True, service_line=line, service_area=sa.premise.service_area)
        .order_by("code")
        .first()
    )
    if route is None:
        area = sa.premise.service_area or "no service area on record"
        raise ValidationError(
            f"No active {ServiceLine(line).label.lower()} route serves {sa.premise} ({area})."
        )
    return route


def _check_date(scheduled_on: date) -> None:
    if scheduled_on < today():
        raise ValidationError({"scheduled_on": "The pickup date is today or later."})
    if scheduled_on > today() + timedelta(days=BOOK_AHEAD_DAYS):
        raise ValidationError({"scheduled_on": f"Book at most {BOOK_AHEAD_DAYS} days ahead."})


def bulk_refusal(account_id: int) -> str:
    """Why a bulk pickup cannot be booked now ('' when it can): the past due,
    from the same open items every balance figure uses, is paid first."""
    past_due = account_aging(account_id, as_of=today()).past_due
    if past_due > ZERO:
        return (
            f"The account has {money_text(past_due)} past due: a bulk pickup is booked "
            "once the past-due balance is paid."
        )
    return ""


def _lines(kind, sa, *, loads, pounds, roll_off_size, delivery, pull, tons, rental_days, on):
    if kind == OrderKind.BULK_PICKUP:
        if not 1 <= loads <= rules.BULK_MAX_LOADS:
            raise ValidationError({"loads": f"From 1 to {rules.BULK_MAX_LOADS} loads."})
        refusal = bulk_refusal(sa.account_id)
        if refusal:
            raise ValidationError(refusal)
        return rules.bulk_lines(loads)
    if kind == OrderKind.LANDFILL:
        if pounds is None or not 1 <= pounds <= rules.LANDFILL_MAX_POUNDS:
            raise ValidationError(
                {"pounds": f"A landfill load is up to {rules.LANDFILL_MAX_POUNDS:,} lb."}
            )
        taken = (
            Order.objects.exclude(status=Order.Status.CANCELLED)
            .filter(
                account=sa.account,
                kind=OrderKind.LANDFILL,
                scheduled_on__year=on.year,
                scheduled_on__month=on.month,
            )
            .first()
        )
        if taken is not None:
            raise ValidationError(
                {
                    "scheduled_on": f"The landfill use program is once a month: this account "
                    f"has a load on {taken.scheduled_on:%m/%d/%Y}."
                }
            )
        return rules.landfill_lines(pounds)
    if kind == OrderKind.EXTRA_PICKUP:
        if not 1 <= loads <= rules.MAX_EXTRA_CONTAINERS:
            raise ValidationError({"loads": f"From 1 to {rules.MAX_EXTRA_CONTAINERS} containers."})
        code = sa.service_code if base_schedule(sa) == "SW3.1" else ""
        return rules.extra_pickup_lines(
            ratebook_from_db(), commercial_code=code, containers=loads, on=on
        )
    if kind == OrderKind.ROLL_OFF:
        if not roll_off_size:
            raise ValidationError({"roll_off_size": "Give the roll-off container's size."})
        if tons is not None and not ZERO <= tons <= rules.MAX_TONS:
            raise ValidationError({"tons": f"From 0 to {rules.MAX_TONS} tons."})
        if tons and not pull:
            raise ValidationError({"tons": "Disposal is charged with the pull."})
        if rental_days is not None and not 0 <= rental_days <= rules.MAX_RENTAL_DAYS:
            raise ValidationError({"rental_days": f"From 0 to {rules.MAX_RENTAL_DAYS} days."})
        lines = rules.roll_off_lines(
            size_label=roll_off_size,
            delivery=delivery,
            pull=pull,
            tons=tons,
            rental_days=rental_days,
        )
        if not lines:
            raise ValidationError(
                "A roll-off ticket needs a delivery, a pull, disposal or rental days."
            )
        return lines
    raise ValidationError({"kind": "Choose what is ordered."})


@transaction.atomic
def order_book(
    *,
    agreement_id: int,
    kind: str,
    scheduled_on: date,
    loads: int = 1,
    pounds: int | None = None,
    roll_off_size: str = "",
    delivery: bool = False,
    pull: bool = False,
    tons: Decimal | None = None,
    rental_days: int | None = None,
    notes: str = "",
    by=None,
) -> Order:
    """Book, price, charge and dispatch one order."""
    sa = _open_service(agreement_id)
    account_lock(sa.account)
    _check_date(scheduled_on)
    lines = _lines(
        kind, sa, loads=loads, pounds=pounds, roll_off_size=roll_off_size, delivery=delivery,
        pull=pull, tons=tons, rental_days=rental_days, on=scheduled_on,
    )  # fmt: skip
    amount = to_money(sum((line.amount for line in lines), ZERO))
    order = Order(
        kind=kind,
        account=sa.account,
        premise=sa.premise,
        agreement=sa,
        route=route_for(kind, sa),
        scheduled_on=scheduled_on,
        loads=loads if kind in (OrderKind.BULK_PICKUP, OrderKind.EXTRA_PICKUP) else 1,
        pounds=pounds if kind == OrderKind.LANDFILL else None,
        roll_off_size=roll_off_size if kind == OrderKind.ROLL_OFF else "",
        delivery=delivery and kind == OrderKind.ROLL_OFF,
        pull=pull and kind == OrderKind.ROLL_OFF,
        tons=tons if kind == OrderKind.ROLL_OFF else None,
        rental_days=rental_days if kind == OrderKind.ROLL_OFF else None,
        amount=amount,
        lines=[line.as_dict() for line in lines],
        notes=notes,
        ordered_by=by,
    )
    order.full_clean(exclude=["entry"])
    order.save()
    order.entry = charges_post(
        account=sa.account,
        kind=JournalEntry.Kind.FEE,
        effective_on=today(),
        due_on=today() + timedelta(days=settings.BILL_DUE_DAYS),
        description=f"{order.get_kind_display()} {scheduled_on:%m/%d/%Y}",
        charges=[Charge(amount, sa.utility, sa.rate_schedule, sa.pk, GLAccount.Purpose.FEES)],
        created_by=by,
        source_key=f"sw-order:{order.pk}",
    )
    order.save(update_fields=["entry"])
    return order


# --- An order's end: completed by the route, or cancelled ---------------------------


def _lock_order(order_id: int) -> Order:
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("account", "entry")
        .filter(pk=order_id)
        .first()
    )
    if order is None:
        raise ValidationError("That order no longer exists.")
    if order.status != Order.Status.OPEN:
        raise ValidationError(f"This order is already {order.get_status_display().lower()}.")
    return order


@transaction.atomic
def order_complete(*, order_id: int, completed_on: date, by=None) -> Order:
    """The route did the order on ``completed_on`` (not after today, not
    before it was booked). Its charge stands: it is billed as booked."""
    order = _lock_order(order_id)
    refuse_future("completed_on", completed_on, "The day it was done")
    booked = timezone.localdate(order.ordered_at)
    if completed_on < booked:
        raise ValidationError(
            {"completed_on": f"The order was booked on {booked:%m/%d/%Y}; it was done after that."}
        )
    order.status, order.completed_on = Order.Status.COMPLETED, completed_on
    order.closed_by, order.closed_at = by, timezone.now()
    order.save(update_fields=["status", "completed_on", "closed_by", "closed_at"])
    return order


@transaction.atomic
def order_cancel(*, order_id: int, reason: str, by=None) -> Order:
    """Cancel an open order: its charge is reversed today, so no bill
    charges it. Refused once a bill has shown the charge (credit the account
    with an adjustment instead) and for an order already done."""
    order = _lock_order(order_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the order is cancelled."})
    reject_card_numbers(reason=reason)
    account_lock(order.account)
    bill = order_billed_on(order)
    if bill is not None:
        raise ValidationError(
            f"The bill of {bill:%m/%d/%Y} charged this order; it cannot be cancelled. "
            "Credit the account with an adjustment if the charge is not owed."
        )
    if order.entry is not None:
        order.reversal = entry_reverse(
            entry=order.entry,
            reason=f"order cancelled: {reason}",
            effective_on=max(today(), order.entry.effective_on),
            created_by=by,
        )
    order.status, order.cancel_reason = Order.Status.CANCELLED, reason[:300]
    order.closed_by, order.closed_at = by, timezone.now()
    order.full_clean(exclude=["entry", "reversal"])
    order.save(update_fields=["status", "cancel_reason", "reversal", "closed_by", "closed_at"])
    return order
