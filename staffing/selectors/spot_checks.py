"""Reads for spot checks (docs/spot_checks.md): samples, targets, scores."""

from __future__ import annotations

from django.db.models import Count

from staffing.models import WorkItem


def _spot_candidates(subject: str, since):
    """What may be sampled: ``subject``'s done work since ``since``, with the
    id, who did it and when (a queryset of dicts)."""
    from django.db.models import F

    from accounts.models import JournalEntry, Letter

    if subject == "work_item":
        rows = WorkItem.objects.filter(
            status=WorkItem.Status.CLOSED, closed_by__isnull=False, closed_at__date__gte=since
        ).annotate(staff_id=F("closed_by"), done_at=F("closed_at"))
    elif subject == "payment":
        rows = JournalEntry.objects.filter(
            kind=JournalEntry.Kind.PAYMENT, created_by__isnull=False, effective_on__gte=since
        ).annotate(staff_id=F("created_by"), done_at=F("posted_at"))
    else:
        rows = Letter.objects.filter(
            created_by__isnull=False, created_at__date__gte=since
        ).annotate(staff_id=F("created_by"), done_at=F("created_at"))
    return rows


def spot_check_sample(
    subject: str, *, since, staff_id=None, not_by=None, size: int = 5
) -> list[dict]:
    """A random sample of done work not yet spot-checked (and not the
    checker's own, ``not_by``, which they may not score)."""
    from staffing.models import SpotCheck

    checked = SpotCheck.objects.filter(subject=subject).values("object_id")
    rows = _spot_candidates(subject, since).exclude(pk__in=checked)
    if not_by:
        rows = rows.exclude(staff_id=not_by)
    if staff_id:
        rows = rows.filter(staff_id=staff_id)
    return list(rows.order_by("?").values("pk", "staff_id", "done_at")[:size])


def spot_check_target(subject: str, object_id: int):
    """The record a spot check looks at, with who did it, or None."""
    from datetime import date

    row = _spot_candidates(subject, date(2000, 1, 1)).filter(pk=object_id).first()
    return row


def spot_check_questions(subject: str):
    from staffing.models import SpotCheckQuestion

    return list(SpotCheckQuestion.objects.filter(subject=subject, active=True))


def spot_checks_list():
    from staffing.models import SpotCheck

    return SpotCheck.objects.select_related("staff", "checked_by")


def spot_check_scores(user, since) -> dict:
    """How a person's spot-checked work scored since ``since``: how many
    checks and the average score (for their evaluation)."""
    from django.db.models import Avg

    from staffing.models import SpotCheck

    found = SpotCheck.objects.filter(staff=user, checked_at__date__gte=since).aggregate(
        checks=Count("pk"), average=Avg("score")
    )
    return {"checks": found["checks"], "average": found["average"]}


def staff_names(user_ids) -> dict[int, str]:
    """Full names (logins when none) of the given users."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(pk__in=[pk for pk in user_ids if pk])
    return {u.pk: u.get_full_name() or u.get_username() for u in users}
