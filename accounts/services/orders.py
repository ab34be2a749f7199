"""Stopping and transferring service (start is in ``start``). A stop orders
the final reads; when the last open service has ended, ``services_ended``
tells billing the final bill is due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Account, FieldActivity, Premise, ServiceAgreement
from accounts.services.field import (
    field_activity_cancel,
    field_activity_order,
    services_ended_check,
)
from accounts.services.ledger import account_lock
from accounts.services.start import ServiceRequest, services_open

Status = ServiceAgreement.Status


@transaction.atomic
def service_stop(
    *,
    account: Account,
    stops_on: date,
    premise: Premise | None = None,
    same_day: bool = False,
    ordered_by=None,
) -> list[FieldActivity]:
    """Stop the account's open services (at one premise, or all): metered
    ones get a final-read order for the stop date and end when it is read;
    unmetered ones end on the stop date; one never turned on is cancelled."""
    account = account_lock(account)
    agreements = ServiceAgreement.objects.select_for_update(of=("self",)).filter(
        account=account, status__in=ServiceAgreement.OPEN_STATUSES
    )
    if premise is not None:
        agreements = agreements.filter(premise=premise)
    agreements = list(agreements.select_related("premise", "service_point"))
    if not agreements:
        raise ValidationError("There is no open service to stop here.")
    for sa in agreements:
        if stops_on < sa.starts_on:
            raise ValidationError(
                {
                    "stops_on": f"The stop date {stops_on:%m/%d/%Y} is before "
                    f"{sa.get_utility_display().lower()} service started on {sa.starts_on:%m/%d/%Y}."
                }
            )
    orders = []
    for sa in agreements:
        if sa.status == Status.PENDING:
            for order in sa.field_activities.filter(status=FieldActivity.Status.PENDING):
                field_activity_cancel(
                    activity_id=order.pk, reason="Service stopped before it began", by=ordered_by
                )
            sa.status, sa.ends_on = Status.CANCELLED, sa.starts_on
            sa.save(update_fields=["status", "ends_on"])
        elif sa.service_point_id:
            orders.append(
                field_activity_order(
                    kind=FieldActivity.Kind.FINAL_READ,
                    account=account,
                    premise=sa.premise,
                    service_point=sa.service_point,
                    agreement=sa,
                    scheduled_on=stops_on,
                    same_day=same_day,
                    ordered_by=ordered_by,
                    source_key=f"stop:{sa.pk}",
                )
            )
        else:
            sa.status, sa.ends_on = Status.FINAL, stops_on
            sa.save(update_fields=["status", "ends_on"])
    services_ended_check(account, by=ordered_by)
    return orders


@dataclass
class TransferOutcome:
    stop_orders: list[FieldActivity]
    agreements: list[ServiceAgreement]


@transaction.atomic
def service_transfer(
    *,
    account: Account,
    from_premise: Premise,
    to_premise: Premise,
    services: list[ServiceRequest],
    stops_on: date,
    starts_on: date,
    same_day: bool = False,
    ordered_by=None,
) -> TransferOutcome:
    """A move within Mesa on the same account: stop at the old premise, start
    at the new one. The balance and the deposit stay where they are, on the
    account, so they carry to the new address exactly."""
    if from_premise.pk == to_premise.pk:
        raise ValidationError({"to_premise": "Choose the new address, not the one being left."})
    # Open the new services first, so the account never looks fully stopped.
    agreements = services_open(
        account=account,
        premise=to_premise,
        services=services,
        starts_on=starts_on,
        same_day=same_day,
        ordered_by=ordered_by,
        fees_label="Connection fees (transfer)",
    )
    orders = service_stop(
        account=account, stops_on=stops_on, premise=from_premise, ordered_by=ordered_by
    )
    return TransferOutcome(orders, agreements)


# --- After the final bill ----------------------------------------------------------
# Billing's final bill moves the account and its stopped services on; the
# statuses are the accounts app's, so it does so through these.


def _refuse_open(account: Account) -> None:
    if ServiceAgreement.objects.filter(
        account=account, status__in=ServiceAgreement.OPEN_STATUSES
    ).exists():
        raise ValidationError("Service is still open on this account: stop it first.")


@transaction.atomic
def account_finalize(*, account: Account) -> Account:
    """Mark the account final billed. Refused while a service is open on it;
    a closed account stays closed."""
    account = account_lock(account)
    _refuse_open(account)
    if account.status not in (Account.Status.FINAL, Account.Status.CLOSED):
        account.status = Account.Status.FINAL
        account.save(update_fields=["status"])
    return account


@transaction.atomic
def agreements_close(*, account: Account) -> int:
    """Close the account's stopped services once their final bill is issued
    (set-wise); the number closed. Services still open are left as they are."""
    account_lock(account)
    return ServiceAgreement.objects.filter(account=account, status=Status.FINAL).update(
        status=Status.CLOSED
    )


@transaction.atomic
def account_close(*, account: Account, on: date) -> Account:
    """Close a final-billed account that owes nothing more. Refused while a
    service is open or awaits its final bill; closing again changes nothing."""
    account = account_lock(account)
    _refuse_open(account)
    if ServiceAgreement.objects.filter(account=account, status=Status.FINAL).exists():
        raise ValidationError("A stopped service awaits its final bill.")
    if account.status != Account.Status.CLOSED:
        account.status, account.closed_on = Account.Status.CLOSED, on
        account.save(update_fields=["status", "closed_on"])
    return account


@transaction.atomic
def agreement_rate_schedule_set(*, agreement_id: int, rate_schedule: str) -> ServiceAgreement:
    """Put an open service agreement on another rate schedule of its utility;
    its next bill prices with it. The caller (billing, which owns the rate
    book) has checked the schedule prices that utility."""
    sa = ServiceAgreement.objects.select_for_update().filter(pk=agreement_id).first()
    if sa is None:
        raise ValidationError("That service agreement no longer exists.")
    if not sa.is_open:
        raise ValidationError(
            {"agreement": f"The service is {sa.get_status_display().lower()}; it bills no more."}
        )
    if sa.rate_schedule != rate_schedule:
        sa.rate_schedule = rate_schedule
        sa.full_clean()
        sa.save(update_fields=["rate_schedule"])
    return sa


# --- Solid-waste container services --------------------------------------------------
# The solidwaste app keeps the container inventory; the agreement keeps what
# bills (its container count, its end), changed only here.


def _open_solid_waste(agreement_id: int) -> ServiceAgreement:
    sa = ServiceAgreement.objects.select_for_update().filter(pk=agreement_id).first()
    if sa is None:
        raise ValidationError("That service agreement no longer exists.")
    if sa.utility != "solid_waste" or not sa.is_open:
        raise ValidationError(
            {"agreement": f"{sa} is not open solid-waste service; it bills no containers."}
        )
    return sa


@transaction.atomic
def agreement_containers_set(*, agreement_id: int, containers: int) -> ServiceAgreement:
    """Bill an open solid-waste service for this many containers from its next bill."""
    if containers < 1:
        raise ValidationError({"containers": "A service bills at least one container."})
    sa = _open_solid_waste(agreement_id)
    if sa.containers != containers:
        sa.containers = containers
        sa.full_clean()
        sa.save(update_fields=["containers"])
    return sa


@transaction.atomic
def agreement_end(*, agreement_id: int, ends_on: date, by=None) -> ServiceAgreement:
    """End one open solid-waste service (a green barrel) on ``ends_on``: it
    bills through that day; the account's other services go on."""
    sa = _open_solid_waste(agreement_id)
    if ends_on < sa.starts_on:
        raise ValidationError(
            {"stops_on": f"The stop date is before the service started on {sa.starts_on:%m/%d/%Y}."}
        )
    sa.status, sa.ends_on = Status.FINAL, ends_on
    sa.full_clean()
    sa.save(update_fields=["status", "ends_on"])
    services_ended_check(sa.account, by=by)
    return sa
