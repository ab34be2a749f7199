"""Assistance: agency pledges hold collection until the agency pays or the
pledge expires. SEA and LISR enrolments are accounts' (a clerk enrols at a
service start too): accounts/services/enrolments.py. See
docs/credit_arrangements.md."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Account, Contact, JournalEntry
from accounts.services import contact_log, payment_post
from credit.models import Hold, Pledge
from credit.services.disconnects import reconnect_if_cleared
from credit.services.holds import hold_place, hold_release
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.luhn import reject_card_numbers
from mesa_cs.lib.money import ZERO, to_money


def pledge_hold_key(pledge_id: int) -> str:
    return f"pledge:{pledge_id}"


@transaction.atomic
def pledge_record(
    *,
    account: Account,
    agency: str,
    amount: Decimal,
    expires_on: date,
    reference: str,
    recorded_by,
    on: date,
) -> Pledge:
    """An agency promises to pay part of the bill: collection is held until
    it pays or ``expires_on``. MesaCAN helps a household again only after
    MESACAN_REAPPLY_DAYS."""
    reject_card_numbers(reference=reference)
    if agency not in Pledge.Agency.values:
        raise ValidationError({"agency": "Choose the agency that pledged."})
    amount = to_money(amount)
    if amount <= ZERO:
        raise ValidationError({"amount": "A pledge must be more than $0.00."})
    limit = settings.PLEDGE_LIMITS.get(agency)
    if limit is not None and amount > limit:
        raise ValidationError(
            {"amount": f"{Pledge.Agency(agency).label} pledges no more than {money_text(limit)}."}
        )
    if expires_on < on:
        raise ValidationError({"expires_on": "The pledge would have expired already."})
    # Two pledges entered at once for one account: the second sees the first.
    account = Account.objects.select_for_update().get(pk=account.pk)
    if agency == Pledge.Agency.MESACAN:
        since = on - timedelta(days=settings.MESACAN_REAPPLY_DAYS)
        last = (
            Pledge.objects.filter(account=account, agency=agency, pledged_on__gt=since)
            .exclude(status=Pledge.Status.CANCELLED)
            .order_by("-pledged_on")
            .first()
        )
        if last is not None:
            again = last.pledged_on + timedelta(days=settings.MESACAN_REAPPLY_DAYS)
            raise ValidationError(
                {
                    "agency": f"MesaCAN pledged on {last.pledged_on:%m/%d/%Y}; the household "
                    f"may reapply after {settings.MESACAN_REAPPLY_DAYS} days, from "
                    f"{again:%m/%d/%Y}."
                }
            )
    pledge = Pledge.objects.create(
        account=account,
        agency=agency,
        amount=amount,
        pledged_on=on,
        expires_on=expires_on,
        reference=reference.strip()[:40],
        recorded_by=recorded_by,
    )
    hold_place(
        account=account,
        kind=Hold.Kind.PLEDGE,
        owner=recorded_by,
        starts_on=on,
        ends_on=expires_on,
        source_key=pledge_hold_key(pledge.pk),
        reason=f"{pledge.get_agency_display()} pledge of {money_text(amount)} until {expires_on:%m/%d/%Y}",
    )
    contact_log(
        account=account,
        channel=Contact.Channel.CALL,
        topic=Contact.Topic.ASSISTANCE,
        created_by=recorded_by,
        notes=f"{pledge.get_agency_display()} pledged {money_text(amount)}"
        + (f" (reference {pledge.reference})" if pledge.reference else "")
        + f"; collection held until {expires_on:%m/%d/%Y}.",
    )
    return pledge


@transaction.atomic
def pledge_paid(*, pledge: Pledge, payment_amount: Decimal, on: date, by) -> JournalEntry:
    """The agency paid: post its payment to the account and release the hold."""
    pledge = Pledge.objects.select_for_update().select_related("account").get(pk=pledge.pk)
    if pledge.status != Pledge.Status.PENDING:
        raise ValidationError(f"This pledge is {pledge.get_status_display().lower()} already.")
    payment_amount = to_money(payment_amount)
    if payment_amount <= ZERO:
        raise ValidationError({"payment_amount": "Enter what the agency paid."})
    reference = f" {pledge.reference}" if pledge.reference else ""
    entry = payment_post(
        account=pledge.account,
        amount=payment_amount,
        effective_on=on,
        created_by=by,
        description=f"Assistance payment, {pledge.get_agency_display()}{reference}",
        source_key=f"pledge-payment:{pledge.pk}",
    )
    pledge.status = Pledge.Status.PAID
    pledge.save(update_fields=["status"])
    hold_release(source_key=pledge_hold_key(pledge.pk), on=on)
    # An agency payment that clears the past due reconnects as a counter one does.
    reconnect_if_cleared(account=pledge.account, on=on, by=by)
    return entry


def pledges_expire(*, on: date) -> int:
    """Pending pledges whose date has passed expire and their holds go (the
    hold lapses on its own date too; this records it). Safe to run twice."""
    expired = 0
    for pk in Pledge.objects.filter(status=Pledge.Status.PENDING, expires_on__lt=on).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            updated = Pledge.objects.filter(pk=pk, status=Pledge.Status.PENDING).update(
                status=Pledge.Status.EXPIRED
            )
            if updated:
                hold_release(source_key=pledge_hold_key(pk), on=on)
                expired += 1
    return expired
