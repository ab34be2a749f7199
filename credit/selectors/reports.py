"""Credit Services reports: each a list of rows (dicts) for a table, a chart
and the exports. docs/credit_reports.md says what each shows and how."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import TruncDate, TruncMonth

from accounts.models import Account, FieldActivity, GLAccount, JournalEntry, JournalLeg, Utility
from accounts.selectors.aging import receivable_aging_totals
from accounts.selectors.ledger import AGING_BUCKETS
from credit.models import CollectionState, Hold, LadderStep, PaymentArrangement, Pledge
from credit.services.collections import hold_label
from mesa_cs.lib.money import ZERO

# --- Aging -----------------------------------------------------------------------

AGING_COLUMNS = {
    "current": "current",
    "1-30": "1-30_days",
    "31-60": "31-60_days",
    "61-90": "61-90_days",
    "over 90": "over_90_days",
}
NO_UTILITY = "Other (fees, deposits)"
# The receivable's GL accounts by utility, in the order the reports show them.
UTILITY_LABELS = {**dict(Utility.choices), "": NO_UTILITY}


def aging(as_of: date) -> list[dict]:
    """What customers owe on ``as_of`` by customer class and utility (the
    receivable's GL account), by days past each open charge's own due date
    (current: not yet due; 1–30, 31–60, 61–90, over 90), with a last row for
    everything: ``accounts.selectors.account_aging`` summed over every
    account, read set-wise by ``accounts.selectors.aging``."""
    utility_of = dict(
        GLAccount.objects.filter(purpose=GLAccount.Purpose.RECEIVABLE).values_list("pk", "utility")
    )
    totals: dict[tuple[str, str], dict[str, Decimal]] = {}
    for (customer_class, gl_id), amounts in receivable_aging_totals(as_of).items():
        row = totals.setdefault(
            (customer_class, utility_of[gl_id]), dict.fromkeys(AGING_BUCKETS, ZERO)
        )
        for key, amount in zip(AGING_BUCKETS, amounts, strict=True):
            row[key] += amount
    classes = dict(Account.CustomerClass.choices)
    order = list(UTILITY_LABELS)
    rows, everything = [], dict.fromkeys(AGING_BUCKETS, ZERO)
    for (customer_class, utility), buckets in sorted(
        totals.items(), key=lambda item: (item[0][0], order.index(item[0][1]))
    ):
        label = classes.get(customer_class, customer_class)
        rows.append(_aging_row(label, UTILITY_LABELS[utility], buckets))
        for key, amount in buckets.items():
            everything[key] += amount
    if rows:
        rows.append(_aging_row("All classes", "All utilities", everything))
    return rows


def _aging_row(customer_class: str, utility: str, buckets: dict[str, Decimal]) -> dict:
    return {
        "class": customer_class,
        "utility": utility,
        **{AGING_COLUMNS[key]: amount for key, amount in buckets.items()},
        "total": sum(buckets.values(), ZERO),
    }


# --- Disconnects and reconnects --------------------------------------------------


def disconnects(start: date, end: date) -> list[dict]:
    """Disconnect and reconnect orders per day: placed that day, completed
    that day, and cancelled (by the day they were scheduled for, as an order
    records no date of cancelling)."""
    kinds = {
        FieldActivity.Kind.DISCONNECT: "disconnects",
        FieldActivity.Kind.RECONNECT: "reconnects",
    }
    orders = FieldActivity.objects.filter(kind__in=kinds)
    counts: dict[tuple[date, str], int] = {}

    def add(rows, what):
        for day, kind, count in rows:
            counts[(day, f"{kinds[kind]}_{what}")] = count

    add(
        orders.filter(ordered_at__date__range=(start, end))
        .annotate(day=TruncDate("ordered_at"))
        .values("day", "kind")
        .annotate(count=Count("pk"))
        .values_list("day", "kind", "count"),
        "ordered",
    )
    add(
        orders.filter(status=FieldActivity.Status.COMPLETED, completed_on__range=(start, end))
        .values("completed_on", "kind")
        .annotate(count=Count("pk"))
        .values_list("completed_on", "kind", "count"),
        "completed",
    )
    add(
        orders.filter(status=FieldActivity.Status.CANCELLED, scheduled_on__range=(start, end))
        .values("scheduled_on", "kind")
        .annotate(count=Count("pk"))
        .values_list("scheduled_on", "kind", "count"),
        "cancelled",
    )
    columns = [
        f"{kind}_{what}"
        for kind in kinds.values()
        for what in ("ordered", "completed", "cancelled")
    ]
    return [
        {"day": day, **{column: counts.get((day, column), 0) for column in columns}}
        for day in _days(start, end)
    ]


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _months(start: date, end: date) -> list[date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _by_month(queryset, field: str) -> dict[date, tuple[int, Decimal]]:
    """(count, amount) per first of the month of ``field``."""
    return {
        row["month"]: (row["count"], row["total"] or ZERO)
        for row in queryset.annotate(month=TruncMonth(field))
        .values("month")
        .annotate(count=Count("pk"), total=Sum("amount"))
    }


# --- Payment arrangements ---------------------------------------------------------


def arrangements(start: date, end: date) -> list[dict]:
    """Arrangements made per month (by the day made) and kept or broken (by
    the day they ended), with the debt each arranged."""
    Status = PaymentArrangement.Status
    every = PaymentArrangement.objects.all()
    made = _by_month(every.filter(made_on__range=(start, end)), "made_on")
    kept = _by_month(every.filter(status=Status.KEPT, ended_on__range=(start, end)), "ended_on")
    broken = _by_month(every.filter(status=Status.BROKEN, ended_on__range=(start, end)), "ended_on")
    nothing = (0, ZERO)
    rows = []
    for month in _months(start, end):
        row = {"month": f"{month:%Y-%m}"}
        for name, figures in (("made", made), ("kept", kept), ("broken", broken)):
            count, amount = figures.get(month, nothing)
            row[name], row[f"{name}_amount"] = count, amount
        rows.append(row)
    return rows


# --- Write-offs and recoveries ----------------------------------------------------


def write_offs(start: date, end: date) -> list[dict]:
    """Write-offs posted (approved, or discharged in bankruptcy) and
    recoveries of written-off debt per month, from the ledger's bad-debt
    legs. A reversed entry counts for neither."""
    legs = (
        JournalLeg.objects.filter(
            gl_account__purpose=GLAccount.Purpose.BAD_DEBT,
            entry__kind__in=[JournalEntry.Kind.WRITE_OFF, JournalEntry.Kind.RECOVERY],
            entry__effective_on__range=(start, end),
            entry__reversed_by__isnull=True,
        )
        .annotate(month=TruncMonth("entry__effective_on"))
        .values("month", "entry__kind")
        .annotate(entries=Count("entry", distinct=True), total=Sum("amount"))
    )
    figures = {(row["month"], row["entry__kind"]): row for row in legs}
    rows = []
    for month in _months(start, end):
        written = figures.get((month, JournalEntry.Kind.WRITE_OFF), {})
        recovered = figures.get((month, JournalEntry.Kind.RECOVERY), {})
        written_off = written.get("total") or ZERO
        recovered_amount = -(recovered.get("total") or ZERO)
        rows.append(
            {
                "month": f"{month:%Y-%m}",
                "write_offs": written.get("entries", 0),
                "written_off": written_off,
                "recoveries": recovered.get("entries", 0),
                "recovered": recovered_amount,
                "net_written_off": written_off - recovered_amount,
            }
        )
    return rows


# --- Assistance pledges -------------------------------------------------------------

PLEDGE_PAYMENT_KEY = "pledge-payment:"


def pledges(start: date, end: date) -> list[dict]:
    """By agency: pledges pending now (count, amount, the nearest expiry),
    and over the period those the agency paid (by the day its payment was
    posted; a reversed payment is left out) and those that expired (by their
    expiry date)."""
    pending = {
        row["agency"]: row
        for row in Pledge.objects.filter(status=Pledge.Status.PENDING)
        .values("agency")
        .annotate(count=Count("pk"), amount=Sum("amount"), nearest=Min("expires_on"))
    }
    expired = {
        row["agency"]: row
        for row in Pledge.objects.filter(
            status=Pledge.Status.EXPIRED, expires_on__range=(start, end)
        )
        .values("agency")
        .annotate(count=Count("pk"), amount=Sum("amount"))
    }
    payments = dict(
        JournalEntry.objects.filter(
            source_key__startswith=PLEDGE_PAYMENT_KEY,
            effective_on__range=(start, end),
            reversed_by__isnull=True,
        )
        .annotate(paid=Sum("legs__amount", filter=Q(legs__amount__gt=0)))
        .values_list("source_key", "paid")
    )
    by_pledge = {int(key.removeprefix(PLEDGE_PAYMENT_KEY)): paid for key, paid in payments.items()}
    paid: dict[str, list] = {}
    for pk, agency in Pledge.objects.filter(
        pk__in=by_pledge, status=Pledge.Status.PAID
    ).values_list("pk", "agency"):
        figures = paid.setdefault(agency, [0, ZERO])
        figures[0] += 1
        figures[1] += by_pledge[pk] or ZERO
    rows = []
    for agency, label in Pledge.Agency.choices:
        now = pending.get(agency, {})
        lapsed = expired.get(agency, {})
        count, amount = paid.get(agency, (0, ZERO))
        rows.append(
            {
                "agency": label,
                "pending": now.get("count", 0),
                "pending_amount": now.get("amount") or ZERO,
                "nearest_expiry": now.get("nearest") or "",
                "paid": count,
                "paid_amount": amount,
                "expired": lapsed.get("count", 0),
                "expired_amount": lapsed.get("amount") or ZERO,
            }
        )
    return rows


# --- The collection ladder today ----------------------------------------------------


def ladder(today: date) -> list[dict]:
    """Accounts at each step of each ladder (where the last collection run
    left them), what stopped those it could not move on, and the holds in
    force today by kind, each with the accounts' past due."""
    states = CollectionState.objects.all()
    at_step = {
        row["step"]: row
        for row in states.filter(step__isnull=False)
        .values("step")
        .annotate(accounts=Count("pk"), past_due=Sum("past_due"))
    }
    rows = []
    before = states.filter(step__isnull=True, past_due__gt=0).aggregate(
        accounts=Count("pk"), past_due=Sum("past_due")
    )
    rows.append(
        {
            "group": "All ladders",
            "item": "Past due, before the first step",
            "accounts": before["accounts"],
            "past_due": before["past_due"] or ZERO,
        }
    )
    for step in (
        LadderStep.objects.filter(Q(ladder__active=True) | Q(pk__in=list(at_step)))
        .select_related("ladder")
        .order_by("ladder__customer_class", "position")
    ):
        figures = at_step.get(step.pk, {})
        rows.append(
            {
                "group": step.ladder.name,
                "item": f"{step.position}. {step.get_action_display()}",
                "accounts": figures.get("accounts", 0),
                "past_due": figures.get("past_due") or ZERO,
            }
        )
    for row in (
        states.exclude(held_by="")
        .values("held_by")
        .annotate(accounts=Count("pk"), past_due=Sum("past_due"))
        .order_by("held_by")
    ):
        rows.append(
            {
                "group": "Stopped from moving on by",
                "item": hold_label(row["held_by"]),
                "accounts": row["accounts"],
                "past_due": row["past_due"] or ZERO,
            }
        )
    in_force = (
        Hold.objects.filter(starts_on__lte=today)
        .filter(Q(released_on__isnull=True) | Q(released_on__gt=today))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    )
    for kind, label in Hold.Kind.choices:
        held = in_force.filter(kind=kind).values("account_id")
        rows.append(
            {
                "group": "Hold in force",
                "item": label,
                "accounts": held.distinct().count(),
                "past_due": states.filter(account_id__in=held).aggregate(total=Sum("past_due"))[
                    "total"
                ]
                or ZERO,
            }
        )
    return rows


REPORTS = {
    "aging": (
        "Aging by class and utility",
        "What customers owe on a date by days past each open charge's due date (credits pay the oldest first).",
    ),
    "disconnects": (
        "Disconnects and reconnects",
        "Orders per day: placed, completed, and cancelled (by the day they were scheduled for).",
    ),
    "arrangements": (
        "Payment arrangements",
        "Arrangements made, kept and broken per month, with the debt each arranged.",
    ),
    "write_offs": (
        "Write-offs and recoveries",
        "Bad debt written off and recovered per month, from the ledger.",
    ),
    "pledges": (
        "Assistance pledges",
        "Pledges pending by agency now, and those paid or expired in the period.",
    ),
    "ladder": (
        "Collection ladder today",
        "Accounts at each ladder step, what stopped held ones, and holds in force by kind.",
    ),
}
