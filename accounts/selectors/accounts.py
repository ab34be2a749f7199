"""Reads behind the account page."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from accounts.models import (
    Account,
    AccountFlag,
    AccountPerson,
    FieldActivity,
    MeterInstallation,
    MeterRead,
    ServiceAgreement,
)
from accounts.selectors.ledger import Aging, account_aging, deposit_held
from mesa_cs.lib.formatting import day_text


@dataclass
class AccountHeader:
    account: Account
    holders: list[AccountPerson]
    premises: list
    flags: list[AccountFlag]
    aging: Aging
    deposit: Decimal
    disconnect_status: str
    pinned_notes: list
    has_open_service: bool = False
    status_label: str = ""
    # Utilities (labels) whose service is still waiting to be turned on.
    pending_services: list[str] | None = None
    # Services being stopped, waiting for their final read: "Water 12/04/2026".
    pending_stops: list[str] | None = None


def account_for_page(number: str) -> Account | None:
    return Account.objects.filter(number=number).first()


def current_flags(account: Account, on=None) -> list[AccountFlag]:
    on = on or timezone.localdate()
    return list(
        account.flags.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
    )


def account_header(account: Account) -> AccountHeader:
    today = timezone.localdate()
    holders = list(
        account.links.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("person")
        .order_by("role", "pk")
    )
    agreements = list(account.agreements.select_related("premise").order_by("-starts_on"))
    open_agreements = [sa for sa in agreements if sa.is_open]
    premises = list(dict.fromkeys(sa.premise for sa in (open_agreements or agreements[:1])))
    pending = [sa for sa in open_agreements if sa.status == ServiceAgreement.Status.PENDING]
    if any(sa.status == ServiceAgreement.Status.DISCONNECTED for sa in agreements):
        disconnect_status = "Disconnected for non-payment"
    elif len(pending) < len(open_agreements):
        disconnect_status = "Connected"
    elif pending:
        disconnect_status = "Awaiting turn-on"
    else:
        disconnect_status = "No open service"
    # An account opened today is "active" on its row, but until a service is
    # on, the clerk should read that it is waiting.
    status_label = account.get_status_display()
    if pending and len(pending) == len(open_agreements) and account.status == Account.Status.ACTIVE:
        status_label = Account.Status.PENDING.label
    return AccountHeader(
        account=account,
        holders=holders,
        premises=premises,
        flags=current_flags(account, today),
        aging=account_aging(account.pk, as_of=today),
        deposit=deposit_held(account.pk),
        disconnect_status=disconnect_status,
        pinned_notes=list(account.notes.filter(pinned=True)[:3]),
        has_open_service=bool(open_agreements),
        status_label=status_label,
        pending_services=sorted({sa.get_utility_display() for sa in pending}),
        pending_stops=[
            f"{order.agreement.get_utility_display()} {day_text(order.scheduled_on)}"
            for order in FieldActivity.objects.filter(
                account=account,
                kind=FieldActivity.Kind.FINAL_READ,
                status=FieldActivity.Status.PENDING,
                agreement__status__in=ServiceAgreement.OPEN_STATUSES,
            )
            .select_related("agreement")
            .order_by("scheduled_on", "agreement__utility")
        ],
    )


@dataclass
class ServiceRow:
    agreement: ServiceAgreement
    installation: MeterInstallation | None
    last_read: MeterRead | None


def account_services(account: Account) -> list[ServiceRow]:
    """Service agreements, newest first within each utility, each with its
    current meter and that meter's last accepted read."""
    agreements = list(
        account.agreements.select_related("premise", "service_point").order_by(
            "utility", "-starts_on"
        )
    )
    point_ids = [sa.service_point_id for sa in agreements if sa.service_point_id]
    installations = {
        inst.service_point_id: inst
        for inst in MeterInstallation.objects.filter(service_point_id__in=point_ids)
        .select_related("meter")
        .order_by("service_point_id", "-installed_on")
        .distinct("service_point_id")
    }
    last_reads = {
        read.installation_id: read
        for read in MeterRead.objects.filter(
            installation_id__in=[inst.pk for inst in installations.values()],
            status=MeterRead.Status.ACCEPTED,
        )
        .order_by("installation_id", "-read_on", "-pk")
        .distinct("installation_id")
    }
    rows = []
    for sa in agreements:
        installation = installations.get(sa.service_point_id)
        rows.append(
            ServiceRow(
                agreement=sa,
                installation=installation,
                last_read=last_reads.get(installation.pk) if installation else None,
            )
        )
    return rows


def account_contacts(account: Account, limit: int = 50):
    return account.contacts.select_related("created_by", "person")[:limit]


def account_notes(account: Account, limit: int = 50):
    return account.notes.select_related("created_by")[:limit]


def field_work_for(day, area: str = "", kind: str = ""):
    """A day's field work (one area or all, one kind or all) for the crew
    sheet: pending first, then done, in street order. Cancelled orders are
    left off (a crew may not do them; the account's Services tab keeps them,
    with the reason)."""
    from django.db.models import Case, IntegerField, Value, When
    from django.db.models.functions import Cast

    from accounts.models import FieldActivity

    # Pending work first ("completed" would sort before "pending" by name).
    done_last = Case(When(status=FieldActivity.Status.PENDING, then=Value(0)), default=Value(1))
    # Down the street by number: 20 before 100 (as text "100" comes first).
    # Only digits are cast: the validator asks for them, but a bulk load could
    # bring anything, and one bad row must not break the crew's list.
    house = Case(
        When(
            premise__house_number__regex=r"^[0-9]{1,9}$",
            then=Cast("premise__house_number", IntegerField()),
        ),
        default=None,
        output_field=IntegerField(),
    )
    activities = (
        FieldActivity.objects.filter(scheduled_on=day)
        .exclude(status=FieldActivity.Status.CANCELLED)
        .select_related("account", "premise", "service_point", "agreement", "read")
        .order_by(
            done_last,
            "area",
            "premise__street_name",
            house.asc(nulls_last=True),
            "premise__house_number",
        )
    )
    if area:
        activities = activities.filter(area=area)
    if kind in FieldActivity.Kind.values:
        activities = activities.filter(kind=kind)
    return activities


def service_areas() -> list[str]:
    """The field crews' areas, from the one list (``ServiceArea``)."""
    from accounts.models import ServiceArea

    return list(ServiceArea.values)


def account_field_work(account: Account, limit: int = 20):
    """The account's field orders, pending first, then the latest done."""
    return (
        FieldActivity.objects.filter(account=account)
        .select_related("premise", "service_point", "agreement")
        .order_by("-status", "-scheduled_on", "-pk")[:limit]
    )


def agreements_with_meter(agreements: list[ServiceAgreement]) -> set[int]:
    """Of these services, those with a meter installed now (meter work needs one)."""
    points = {sa.service_point_id for sa in agreements if sa.service_point_id}
    installed = set(
        MeterInstallation.objects.filter(
            service_point_id__in=points, removed_on__isnull=True
        ).values_list("service_point_id", flat=True)
    )
    return {sa.pk for sa in agreements if sa.service_point_id in installed}


def account_open_agreements(account: Account) -> list[ServiceAgreement]:
    return [
        sa
        for sa in account.agreements.select_related("premise", "service_point").order_by(
            "utility", "pk"
        )
        if sa.is_open
    ]
