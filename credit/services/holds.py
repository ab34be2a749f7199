"""Holds stop the collection ladder for an account while they last. Other
credit services place and release them (an arrangement, a pledge, a
bankruptcy); a representative places medical, dispute and supervisor holds."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Account
from accounts.services import account_note_add
from credit.models import Hold
from mesa_cs.lib.luhn import reject_card_numbers


@transaction.atomic
def hold_place(
    *,
    account: Account,
    kind: str,
    reason: str,
    owner,
    starts_on: date | None = None,
    ends_on: date | None = None,
    source_key: str = "",
) -> Hold:
    """Place a hold. With ``source_key``, placing it again while it is open
    returns the open one."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the account is held."})
    reject_card_numbers(reason=reason)
    starts_on = starts_on or timezone.localdate()
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": "A hold cannot end before it starts."})
    if source_key:
        existing = Hold.objects.filter(source_key=source_key, released_on__isnull=True).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            hold = Hold.objects.create(
                account=account,
                kind=kind,
                reason=reason.strip()[:200],
                owner=owner,
                starts_on=starts_on,
                ends_on=ends_on,
                source_key=source_key,
            )
    except IntegrityError:
        return Hold.objects.get(source_key=source_key, released_on__isnull=True)
    # Every hold comes through here: a crew is never sent to a held account.
    # (A hold dated to start later is caught by the daily review that day.)
    from credit.services.disconnects import disconnect_orders_cancel_for_hold

    disconnect_orders_cancel_for_hold(hold=hold)
    return hold


@transaction.atomic
def hold_release(*, hold: Hold | None = None, source_key: str = "", on: date | None = None):
    """End a hold early (its cause is over). Releasing twice changes nothing."""
    on = on or timezone.localdate()
    holds = Hold.objects.filter(released_on__isnull=True)
    if hold is not None:
        holds = holds.filter(pk=hold.pk)
    elif source_key:
        holds = holds.filter(source_key=source_key)
    else:
        raise ValueError("hold_release needs a hold or a source_key")
    return holds.update(released_on=on)


# A hold placed by its own record ends with that record, not by hand.
SOURCE_OF = {
    "arrangement": "payment arrangement",
    "pledge": "pledge",
    "bankruptcy": "bankruptcy case",
}


@transaction.atomic
def hold_release_by_hand(*, hold: Hold, reason: str, by, on: date | None = None) -> None:
    """A representative ends a hold early, saying why (kept as an account
    note). Holds that belong to an arrangement, a pledge or a bankruptcy end
    with it, so they are refused here."""
    if hold.source_key:
        source = SOURCE_OF.get(hold.source_key.split(":")[0], "record that placed it")
        raise ValidationError(
            f"This {hold.get_kind_display().lower()} hold ends with its {source}; "
            "work that instead."
        )
    if not reason.strip():
        raise ValidationError({"reason": "Say why the hold is released."})
    reject_card_numbers(reason=reason)
    if hold_release(hold=hold, on=on):
        account_note_add(
            account=hold.account,
            created_by=by,
            text=f"{hold.get_kind_display()} hold released: {reason.strip()}",
        )


def holds_in_force(account_ids, on: date) -> dict[int, Hold]:
    """The first hold in force on ``on`` for each account that has one."""
    rows = (
        Hold.objects.filter(account_id__in=account_ids, starts_on__lte=on)
        .filter(Q(released_on__isnull=True) | Q(released_on__gt=on))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .order_by("account_id", "starts_on", "pk")
    )
    found: dict[int, Hold] = {}
    for hold in rows:
        found.setdefault(hold.account_id, hold)
    return found
