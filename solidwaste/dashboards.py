"""Solid Waste Customer Service's measures on its dashboard: production."""

from django.urls import reverse_lazy as reverse

from mesa_cs.lib.dashboards import counted, register_measure
from solidwaste.models import ProductionEntry

SECTION = "solid_waste"


def register() -> None:
    register_measure(
        counted(
            section=SECTION,
            name="lifts",
            label="Lifts (route production)",
            rows=lambda: ProductionEntry.objects.all(),
            day="work_on",
            total="lifts",
            url=reverse("solidwaste:production"),
            order=10,
        )
    )
