"""The Business Office's measures on its dashboard (mesa_cs.lib.dashboards)."""

from django.urls import reverse_lazy as reverse

from cashiering.models import DrawerShift, Payment, PaymentTender
from mesa_cs.lib.dashboards import counted, register_measure

SECTION = "business_office"


def register() -> None:
    daily_cash = reverse("cashiering:daily_cash")
    register_measure(
        counted(
            section=SECTION,
            name="payments",
            label="Payments taken",
            rows=lambda: Payment.objects.filter(status=Payment.Status.POSTED),
            day="received_on",
            url=daily_cash,
            order=10,
        )
    )
    register_measure(
        counted(
            section=SECTION,
            name="payments_amount",
            label="Amount taken",
            rows=lambda: PaymentTender.objects.filter(payment__status=Payment.Status.POSTED),
            day="payment__received_on",
            total="amount",
            money=True,
            url=daily_cash,
            order=11,
        )
    )
    register_measure(
        counted(
            section=SECTION,
            name="over_short",
            label="Drawers over (+) or short (−)",
            rows=lambda: DrawerShift.objects.filter(difference__isnull=False),
            day="business_date",
            total="difference",
            money=True,
            url=reverse("cashiering:index"),
            order=12,
        )
    )
