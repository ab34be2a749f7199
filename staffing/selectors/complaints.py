"""Reads of complaints (docs/complaints.md)."""

from __future__ import annotations


def complaints_list():
    from staffing.models import Complaint

    return Complaint.objects.select_related("account", "opened_by")


def complaint_by_pk(pk: int):
    from staffing.models import Complaint

    return (
        Complaint.objects.select_related("account", "opened_by", "closed_by", "response_letter")
        .filter(pk=pk)
        .first()
    )


def complaints_escalated():
    """The hardest cases: open complaints a supervisor or administrator now
    holds, the nearest deadline first."""
    from staffing.models import Complaint

    return (
        complaints_list()
        .filter(level__gte=Complaint.Level.SUPERVISOR)
        .exclude(status=Complaint.Status.CLOSED)
        .order_by("level_due_on", "pk")
    )
