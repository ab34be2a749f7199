"""Cashiering's tiles on the home page (mesa_cs.lib.home): the cashier's
drawer and office, and for supervisors the day's money and its exceptions."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import reverse

from cashiering.models import DrawerShift, Payment, PaymentTender, SuspenseItem, Tender
from cashiering.services.drawers import shift_expected
from mesa_cs.lib.dates import today
from mesa_cs.lib.home import Figure, Part, Tile, register_tile
from mesa_cs.lib.money import ZERO
from mesa_cs.lib.roles import Role

CASHIER = frozenset({Role.CASHIER})
SUPERVISOR = frozenset({Role.SUPERVISOR})


def _daily_cash(on) -> str:
    return f"{reverse('cashiering:daily_cash')}?day={on.isoformat()}"


def _change_given(on, **where) -> Decimal:
    """Change handed back on a day's posted payments: the cash tendered less
    this is the cash taken (what the drawers and the bank deposit hold)."""
    return (
        Payment.objects.filter(received_on=on, status=Payment.Status.POSTED, **where).aggregate(
            change=Sum("change_due")
        )["change"]
        or ZERO
    )


def my_drawer(request) -> Figure:
    url = reverse("cashiering:index")
    shift = (
        DrawerShift.objects.filter(cashier=request.user, status=DrawerShift.Status.OPEN)
        .select_related("source")
        .first()
    )
    if shift is None:
        return Figure("Not open", url, note="open a drawer to take payments", tone="warning")
    expected = shift_expected(shift)
    taken = Payment.objects.filter(shift=shift, received_on=today()).aggregate(
        n=Count("pk", filter=Q(status=Payment.Status.POSTED)),
        voided=Count("pk", filter=Q(status=Payment.Status.VOIDED)),
    )
    return Figure(
        expected["cash"],
        url,
        money=True,
        note=f"{shift.source} open · expected cash",
        parts=(
            Part("Payments today", taken["n"], url),
            Part("Voided today", taken["voided"], url),
            Part("Checks expected", expected["checks"], url, money=True),
        ),
    )


def office_totals(request) -> Figure:
    """Today's payments at the office of the cashier's latest drawer."""
    on = today()
    shift = (
        DrawerShift.objects.filter(cashier=request.user).select_related("source").first()
    )  # newest first
    if shift is None:
        return Figure("No drawer yet", reverse("cashiering:index"))
    office = shift.source.office
    totals = dict(
        PaymentTender.objects.filter(
            payment__received_on=on,
            payment__status=Payment.Status.POSTED,
            payment__source__office=office,
        )
        .values("tender")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("tender", "total")
    )
    if Tender.CASH in totals:
        totals[Tender.CASH] -= _change_given(on, source__office=office)
    url = _daily_cash(on)
    return Figure(
        sum(totals.values(), ZERO),
        url,
        money=True,
        note=f"{office} office today",
        parts=tuple(
            Part(Tender(tender).label, totals[tender], url, money=True)
            for tender in Tender.values
            if tender in totals
        ),
    )


def drawers(request) -> Figure:
    on = today()
    counts = DrawerShift.objects.order_by().aggregate(
        open=Count("pk", filter=Q(status=DrawerShift.Status.OPEN)),
        undeposited=Count("pk", filter=Q(status=DrawerShift.Status.CLOSED, deposit__isnull=True)),
        over_short=Count(
            "pk",
            filter=Q(business_date=on, status=DrawerShift.Status.CLOSED) & ~Q(difference=0),
        ),
        sign_off=Count(
            "pk",
            filter=Q(
                status=DrawerShift.Status.CLOSED,
                sign_off_requested_at__isnull=False,
                signed_off_by__isnull=True,
            ),
        ),
    )
    deposits = reverse("cashiering:deposits")
    over_short = reverse("cashiering:report", args=["over-short"])
    return Figure(
        counts["undeposited"],
        deposits,
        note="closed, waiting for the bank deposit",
        parts=(
            Part("Awaiting sign-off", counts["sign_off"], reverse("staffing:approvals")),
            Part("Open now", counts["open"], reverse("cashiering:index")),
            Part("Over or short today", counts["over_short"], over_short),
        ),
        tone="warning" if counts["over_short"] or counts["sign_off"] else "",
    )


def payments_today(request) -> Figure:
    on = today()
    totals = Payment.objects.filter(received_on=on).aggregate(
        n=Count("pk", filter=Q(status=Payment.Status.POSTED)),
        voided=Count("pk", filter=Q(status=Payment.Status.VOIDED)),
        returned=Count("pk", filter=Q(status=Payment.Status.RETURNED)),
    )
    amount = PaymentTender.objects.filter(
        payment__received_on=on, payment__status=Payment.Status.POSTED
    ).aggregate(total=Sum("amount"))["total"]
    url = _daily_cash(on)
    return Figure(
        (amount or ZERO) - _change_given(on),
        url,
        money=True,
        note=f"{totals['n']} payments",
        parts=(
            Part("Voided", totals["voided"], url),
            Part("Returned", totals["returned"], url),
        ),
    )


def exceptions(request) -> Figure:
    held = SuspenseItem.objects.filter(status=SuspenseItem.Status.HELD).aggregate(
        n=Count("pk"), amount=Sum("amount")
    )
    url = f"{reverse('cashiering:suspense')}?status=held"
    return Figure(
        held["n"],
        url,
        note="payments in suspense",
        parts=(Part("Amount held", held["amount"] or ZERO, url, money=True),),
        tone="warning" if held["n"] else "",
    )


def register() -> None:
    register_tile(Tile("my-drawer", "My drawer", CASHIER, my_drawer, 1))
    register_tile(Tile("office-totals", "My office's totals", CASHIER, office_totals, 2))
    register_tile(Tile("drawers", "Drawers to deposit", SUPERVISOR, drawers, 30))
    register_tile(Tile("payments-today", "Today's payments", SUPERVISOR, payments_today, 40))
    register_tile(Tile("cash-exceptions", "Payment exceptions", SUPERVISOR, exceptions, 50))
