"""Assistance-program enrolments (SEA, LISR) with their eligibility dates;
the rate engine applies a program while an enrolment covers the bill.
Credit Services enrols and ends them; a clerk may enrol at a service start."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from accounts.models import Account, ProgramEnrolment
from mesa_cs.lib.dates import add_months
from mesa_cs.lib.luhn import reject_card_numbers

Program = ProgramEnrolment.Program
# The assistance programs (Budget Billing and Select Due Date are billing's).
ASSISTANCE_PROGRAMS = (Program.SEA, Program.LISR)


def enrolment_dates(program: str, starts_on: date) -> tuple[date, date]:
    """When an enrolment asked for on ``starts_on`` begins and ends: SEA for
    its summer season (an enrolment before it starts with the season, one
    after it is for next year's), LISR until it must be requalified."""
    if program == Program.SEA:
        (start_month, start_day), (end_month, end_day) = settings.SEA_SEASON
        year = starts_on.year
        if (starts_on.month, starts_on.day) > (end_month, end_day):
            year += 1
        season_start = date(year, start_month, start_day)
        return max(starts_on, season_start), date(year, end_month, end_day)
    if program == Program.LISR:
        return starts_on, add_months(starts_on, 12 * settings.LISR_REQUALIFY_YEARS) - timedelta(
            days=1
        )
    raise ValidationError({"program": "Only SEA and LISR are assistance programs."})


@transaction.atomic
def enrolment_start(
    *, account: Account, program: str, starts_on: date, verified_by: str
) -> ProgramEnrolment:
    """Enrol the account in SEA or LISR with its eligibility dates; refused
    while an enrolment in the same program overlaps them."""
    if program not in ASSISTANCE_PROGRAMS:
        raise ValidationError({"program": "Only SEA and LISR are assistance programs."})
    if not verified_by.strip():
        raise ValidationError({"verified_by": "Say who verified the customer's eligibility."})
    reject_card_numbers(verified_by=verified_by)
    account = Account.objects.select_for_update().get(pk=account.pk)
    begins, ends = enrolment_dates(program, starts_on)
    overlapping = (
        ProgramEnrolment.objects.filter(account=account, program=program, starts_on__lte=ends)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=begins))
        .first()
    )
    if overlapping is not None:
        until = f" to {overlapping.ends_on:%m/%d/%Y}" if overlapping.ends_on else ""
        raise ValidationError(
            f"The account is enrolled in {overlapping.get_program_display()} from "
            f"{overlapping.starts_on:%m/%d/%Y}{until} already."
        )
    return ProgramEnrolment.objects.create(
        account=account,
        program=program,
        starts_on=begins,
        ends_on=ends,
        verified_by=verified_by.strip()[:100],
    )


@transaction.atomic
def enrolment_end(*, enrolment: ProgramEnrolment, ends_on: date) -> ProgramEnrolment:
    """End an enrolment early (the customer no longer qualifies): it covers
    bills up to and including ``ends_on``."""
    enrolment = ProgramEnrolment.objects.select_for_update().get(pk=enrolment.pk)
    if ends_on < enrolment.starts_on:
        raise ValidationError(
            {"ends_on": f"The enrolment starts on {enrolment.starts_on:%m/%d/%Y}."}
        )
    if enrolment.ends_on is not None and ends_on >= enrolment.ends_on:
        raise ValidationError(
            {"ends_on": f"The enrolment ends on {enrolment.ends_on:%m/%d/%Y} already."}
        )
    enrolment.ends_on = ends_on
    enrolment.save(update_fields=["ends_on"])
    return enrolment
