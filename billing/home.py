"""Billing's tiles on the home page (mesa_cs.lib.home): what a billing
specialist starts the day with, and the last bill run for the administrator."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse

from billing.models import Adjustment, BillRun, CycleDate, RateVersion, ReadHold
from billing.selectors.bills import held_reads_by_reason
from billing.selectors.cycles import accounts_without_cycle as without_cycle
from mesa_cs.lib.dates import today
from mesa_cs.lib.formatting import moment_text
from mesa_cs.lib.home import Figure, Part, Tile, register_tile
from mesa_cs.lib.roles import Role

BILLING = frozenset({Role.BILLING})


def held_reads(request) -> Figure:
    """Reads held for review (as the held-reads page counts them), by the
    reason kept with each hold, each linking to the page filtered by it."""
    by_reason = held_reads_by_reason()
    total = sum(by_reason.values())
    url = reverse("billing:read_exceptions")
    parts = [
        Part(label, by_reason.get(code, 0), f"{url}?{urlencode({'reason': code})}")
        for code, label in ReadHold.Reason.choices
    ]
    other = total - sum(part.value for part in parts)
    if other > 0:
        parts.append(Part("Other", other, url))
    return Figure(total, url, parts=tuple(parts), note="held reads")


def runs(request) -> Figure:
    on = today()
    counts = BillRun.objects.order_by().aggregate(
        running=Count("pk", filter=Q(status__in=[BillRun.Status.PENDING, BillRun.Status.RUNNING])),
        today=Count("pk", filter=Q(bill_on=on)),
        failed=Count("pk", filter=Q(bill_on=on, status=BillRun.Status.FAILED)),
    )
    url = reverse("billing:runs")
    return Figure(
        counts["running"],
        url,
        note="in progress",
        parts=(
            Part("Today's runs", counts["today"], url),
            Part("Failed today", counts["failed"], url),
        ),
        tone="danger" if counts["failed"] else "",
    )


def cycles_due(request) -> Figure:
    on = today()
    monday = on - timedelta(days=on.weekday())
    week = CycleDate.objects.filter(bill_on__range=(monday, monday + timedelta(days=6)))
    rows = list(week.order_by("bill_on", "cycle__number").values_list("cycle__number", "bill_on"))
    url = reverse("billing:runs")
    return Figure(
        len(rows),
        url,
        note="to bill this week",
        parts=tuple(
            Part(f"Cycle {number}", bill_on.strftime("%a %m/%d"), url) for number, bill_on in rows
        ),
    )


def accounts_without_cycle(request) -> Figure:
    count = without_cycle().order_by().count()
    return Figure(
        count,
        reverse("billing:accounts_without_cycle"),
        note="open utility accounts no bill run picks up",
        tone="warning" if count else "",
    )


def adjustments_waiting(request) -> Figure:
    waiting = Adjustment.objects.filter(status=Adjustment.Status.PENDING).order_by()
    totals = waiting.aggregate(n=Count("pk"), amount=Sum("amount"))
    url = f"{reverse('billing:adjustments')}?status=pending"
    return Figure(
        totals["n"],
        url,
        note="waiting for a second person",
        parts=(Part("Amount", totals["amount"] or 0, url, money=True),),
    )


def rate_drafts(request) -> Figure:
    """Draft rate versions (the rate editor's work in progress), and the way
    into the rate book for EMS, which has no Billing page."""
    drafts = RateVersion.objects.filter(status=RateVersion.Status.DRAFT).order_by()
    return Figure(drafts.count(), reverse("billing:rates"), note="draft rate versions")


def last_bill_run(request) -> Figure:
    run = BillRun.objects.select_related("cycle").order_by("-created_at").first()
    url = reverse("billing:runs")
    if run is None:
        return Figure("None yet", url)
    return Figure(
        run.get_status_display(),
        reverse("billing:run", args=[run.pk]),
        note=f"{run} · {moment_text(run.finished_at or run.started_at or run.created_at)}",
        tone="danger" if run.status == BillRun.Status.FAILED else "",
    )


def register() -> None:
    register_tile(Tile("held-reads", "Held reads by reason", BILLING, held_reads, 10))
    register_tile(Tile("bill-runs", "Bill runs", BILLING, runs, 20))
    register_tile(Tile("cycles-due", "Cycles due this week", BILLING, cycles_due, 30))
    register_tile(Tile("no-cycle", "Accounts without a cycle", BILLING, accounts_without_cycle, 40))
    register_tile(Tile("adjustments", "Adjustments waiting", BILLING, adjustments_waiting, 50))
    register_tile(
        Tile("rate-drafts", "Rate book", frozenset({Role.BILLING, Role.EMS}), rate_drafts, 60)
    )
    register_tile(
        Tile("last-bill-run", "Last bill run", frozenset({Role.ADMINISTRATOR}), last_bill_run, 20)
    )
