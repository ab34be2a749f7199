"""Account Maintenance & Billing's measures on its dashboard."""

from django.urls import reverse_lazy as reverse
from django.utils.text import format_lazy

from accounts.models import MeterRead
from billing.models import Bill, BillSegment
from mesa_cs.lib.dashboards import counted, register_measure

SECTION = "account_maintenance"


def register() -> None:
    runs = reverse("billing:runs")
    register_measure(
        counted(
            section=SECTION,
            name="bills",
            label="Bills issued",
            rows=lambda: Bill.objects.filter(status=Bill.Status.ISSUED),
            day="bill_on",
            url=runs,
            order=10,
        )
    )
    register_measure(
        counted(
            section=SECTION,
            name="estimates",
            label="Estimated bill segments",
            rows=lambda: BillSegment.objects.filter(
                estimated=True, bill__status=Bill.Status.ISSUED
            ),
            day="bill__bill_on",
            url=runs,
            order=11,
        )
    )
    register_measure(
        counted(
            section=SECTION,
            name="held_reads",
            label="Reads held as exceptions",
            rows=lambda: MeterRead.objects.filter(status=MeterRead.Status.EXCEPTION),
            day="read_on",
            url=format_lazy("{}?kind=read_exception", reverse("staffing:queue", args=[SECTION])),
            order=12,
        )
    )
