"""Reads for special-billing rate codes (docs/special_rate_codes.md)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Max, OuterRef, Subquery

from accounts.models import Account, ServiceAgreement, Utility
from billing.models import Bill, BillSegment, RateSchedule, RateVersion, SpecialRateCode

IN_FORCE = RateVersion.Status.IN_FORCE
OPEN = ServiceAgreement.OPEN_STATUSES


def special_codes_list():
    """Every special code with its base, the day its first version in force
    starts (none while it is a draft) and the open agreements it bills."""
    versions = RateVersion.objects.filter(schedule=OuterRef("schedule_id"), status=IN_FORCE)
    agreements = (
        ServiceAgreement.objects.filter(rate_schedule=OuterRef("schedule__code"), status__in=OPEN)
        .values("rate_schedule")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return SpecialRateCode.objects.select_related("schedule", "based_on", "created_by").annotate(
        in_force_from=Subquery(versions.order_by("effective").values("effective")[:1]),
        agreements=Subquery(agreements),
    )


def special_code_by_code(code: str) -> SpecialRateCode | None:
    return (
        SpecialRateCode.objects.select_related("schedule", "based_on", "created_by")
        .filter(schedule__code=code)
        .first()
    )


def base_schedules():
    """The schedules a special code may start from: solid waste, not itself
    a special code, with a version in force."""
    return (
        RateSchedule.objects.filter(utility=Utility.SOLID_WASTE, special_code__isnull=True)
        .filter(versions__status=IN_FORCE)
        .distinct()
        .order_by("code")
    )


def first_in_force(schedule: RateSchedule) -> date | None:
    return (
        RateVersion.objects.filter(schedule=schedule, status=IN_FORCE)
        .order_by("effective")
        .values_list("effective", flat=True)
        .first()
    )


def next_service_day(agreement: ServiceAgreement) -> date:
    """The first day the agreement's next bill covers: the day after its last
    issued bill's read date, or its start."""
    last = BillSegment.objects.filter(
        service_agreement=agreement, bill__status=Bill.Status.ISSUED
    ).aggregate(last=Max("end"))["last"]
    return last + timedelta(days=1) if last else agreement.starts_on


def agreements_on(code: str):
    """The open agreements a schedule bills."""
    return (
        ServiceAgreement.objects.filter(rate_schedule=code, status__in=OPEN)
        .select_related("account", "premise")
        .order_by("account__number")
    )


def solid_waste_agreements_of(number: str):
    """An account's open solid-waste agreements (none for an unknown number)."""
    account = Account.objects.filter(number=number).first()
    if account is None:
        return None, ServiceAgreement.objects.none()
    return account, (
        ServiceAgreement.objects.filter(
            account=account, utility=Utility.SOLID_WASTE, status__in=OPEN
        )
        .select_related("premise")
        .order_by("rate_schedule", "pk")
    )
