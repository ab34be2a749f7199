from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from accounts.selectors import account_by_number


def same_services_last_year(number: str, utility: str, end: date, total: Decimal) -> dict | None:
    """The account's charges for the same service (``utility``) on the bills
    read in the same month a year before ``end``, and how ``total`` compares:
    a water calculation is set beside last year's water charges, not beside
    the whole bill with its other services, fees and taxes."""
    from billing.models import Bill, BillSegment

    account = account_by_number(number)
    if account is None:
        return None
    segments = list(
        BillSegment.objects.filter(
            bill__account=account,
            bill__status=Bill.Status.ISSUED,
            utility=utility,
            end__year=end.year - 1,
            end__month=end.month,
        )
        .select_related("bill")
        .order_by("end", "pk")
    )
    found = {"account": account, "segments": segments, "month": end.replace(year=end.year - 1)}
    if not segments:
        return found
    amount = sum((s.total for s in segments), Decimal(0))
    return {
        **found,
        "amount": amount,
        "difference": total - amount,
        "usage": sum((s.usage for s in segments), Decimal(0)),
        "unit": segments[0].unit,
    }


def bills_for_account(account, limit: int = 36):
    """The account's bills, newest first, each with its payment state."""
    from billing.models import Bill

    bills = list(Bill.objects.filter(account=account).order_by("-period_end", "-pk")[:limit])
    bills_paid_state(bills)
    return bills


@dataclass(frozen=True)
class PaidState:
    label: str  # Open, Partly paid, Paid, Nothing to pay, Cancelled
    charged: Decimal  # what the bill's entry put on the account
    open: Decimal  # what of it is still owed

    @property
    def badge(self) -> str:
        return {"Open": "warning", "Partly paid": "info", "Paid": "success"}.get(
            self.label, "secondary"
        )


def bills_paid_state(bills) -> None:
    """Set ``paid`` (a ``PaidState``) on each bill, from the ledger's open
    items (``accounts.selectors.receivable_open_items``, the one source of
    amount due): credits pay the oldest charges first, so a bill is paid
    once nothing of its own charges is open."""
    from django.db.models import Sum

    from accounts.models import GLAccount, JournalLeg
    from accounts.selectors import receivable_open_items

    open_by_entry: dict[int, Decimal] = {}
    for account_id in {bill.account_id for bill in bills}:
        for item in receivable_open_items(account_id):
            open_by_entry[item.entry_id] = open_by_entry.get(item.entry_id, 0) + item.open_amount
    charged = dict(
        JournalLeg.objects.filter(
            entry_id__in=[bill.entry_id for bill in bills],
            gl_account__purpose=GLAccount.Purpose.RECEIVABLE,
        )
        .values("entry_id")
        .annotate(total=Sum("amount"))
        .values_list("entry_id", "total")
    )
    for bill in bills:
        owed, still = charged.get(bill.entry_id, Decimal(0)), open_by_entry.get(bill.entry_id, 0)
        if bill.status == bill.Status.CANCELLED:
            label = "Cancelled"
        elif owed <= 0:
            label = "Nothing to pay"
        elif still <= 0:
            label = "Paid"
        elif still < owed:
            label = "Partly paid"
        else:
            label = "Open"
        bill.paid = PaidState(label, owed, Decimal(still))


PAGE = 100  # meters on one page of read entry


@dataclass
class EntryRow:
    installation: object
    last: object | None  # the last accepted read before the read date
    entered: object | None  # a read already recorded on the read date (not replaced)
    error: str = ""  # why what was typed on this row was refused
    typed: str = ""


def read_entry_meters(cycle: int, route: str):
    """The installed meters of a cycle (and route) in walk order: each route's
    premises by their place on the reader's walk (``Premise.walk_order``),
    then those not placed yet in street order, house numbers as numbers."""
    from django.db.models import F
    from django.db.models.functions import Length

    from accounts.models import MeterInstallation, ServiceAgreement

    points = ServiceAgreement.objects.filter(
        account__bill_cycle=cycle,
        status__in=["active", "disconnected", "final"],
        service_point__isnull=False,
    )
    if route:
        points = points.filter(premise__service_area=route)
    premise = "service_point__premise__"
    return (
        MeterInstallation.objects.filter(
            service_point_id__in=points.values("service_point_id"), removed_on__isnull=True
        )
        .select_related("meter", "service_point__premise")
        .order_by(
            f"{premise}service_area",
            F(f"{premise}walk_order").asc(nulls_last=True),
            f"{premise}street_name",
            f"{premise}direction",
            Length(f"{premise}house_number"),
            f"{premise}house_number",
            f"{premise}unit",
            "service_point__utility",
            "pk",
        )
    )


def read_entry_rows(
    cycle: int, route: str, read_on: date, offset: int = 0, limit: int = PAGE
) -> tuple[list[EntryRow], int]:
    """One page of read entry: each meter with its last accepted read before
    ``read_on`` and any read already recorded that day; and how many meters
    the cycle and route have in all."""
    from accounts.models import MeterRead

    meters = read_entry_meters(cycle, route)
    installations = list(meters[offset : offset + limit])
    last = {
        r.installation_id: r
        for r in MeterRead.objects.filter(
            installation__in=installations,
            status=MeterRead.Status.ACCEPTED,
            read_on__lt=read_on,
        )
        .order_by("installation_id", "-read_on", "-pk")
        .distinct("installation_id")
    }
    entered = {
        r.installation_id: r
        for r in MeterRead.objects.filter(installation__in=installations, read_on=read_on)
        .exclude(status=MeterRead.Status.REPLACED)
        .select_related("hold")
        .order_by("installation_id", "-pk")
        .distinct("installation_id")
    }
    rows = [EntryRow(i, last.get(i.pk), entered.get(i.pk)) for i in installations]
    return rows, meters.count()


def held_reads(reason: str = "", utility: str = ""):
    """Reads held for review, oldest first, with why (``billing.ReadHold``)
    and any re-read ordered."""
    from accounts.models import MeterRead

    reads = (
        MeterRead.objects.filter(status=MeterRead.Status.EXCEPTION)
        .select_related(
            "installation__meter",
            "installation__service_point__premise",
            "hold__account",
            "hold__reread",
        )
        .order_by("read_on", "pk")
    )
    if reason:
        reads = reads.filter(hold__reason=reason)
    if utility:
        reads = reads.filter(installation__meter__utility=utility)
    return reads


def held_reads_by_reason() -> dict[str | None, int]:
    """How many reads are held, by ``ReadHold.Reason`` code (``None`` for a
    read held before its reason was kept), for a home page's tile."""
    from django.db.models import Count

    from accounts.models import MeterRead

    counts = (
        MeterRead.objects.filter(status=MeterRead.Status.EXCEPTION)
        .values("hold__reason")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["hold__reason"]: row["n"] for row in counts}


def investigation(account) -> list[dict]:
    """Per metered service: usage by period with the same period a year
    earlier, and the meter's reads, for a high-bill investigation."""
    from accounts.models import MeterRead, ServiceAgreement
    from billing.models import Bill, BillSegment

    services = []
    for sa in ServiceAgreement.objects.filter(
        account=account, service_point__isnull=False
    ).order_by("utility"):
        segments = list(
            BillSegment.objects.filter(service_agreement=sa, bill__status=Bill.Status.ISSUED)
            .order_by("-end")
            .values("start", "end", "usage", "unit", "total", "estimated")[:25]
        )
        by_month = {(s["end"].year, s["end"].month): s for s in segments}
        for segment in segments:
            days = max((segment["end"] - segment["start"]).days, 1)
            segment["per_day"] = segment["usage"] / days
            last_year = by_month.get((segment["end"].year - 1, segment["end"].month))
            segment["last_year_usage"] = last_year["usage"] if last_year else None
        reads = list(
            MeterRead.objects.filter(installation__service_point_id=sa.service_point_id)
            .select_related("installation__meter")
            .order_by("-read_on", "-pk")[:24]
        )
        services.append({"agreement": sa, "segments": segments[:13], "reads": reads})
    return services
