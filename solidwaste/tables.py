from datetime import date
from decimal import Decimal

import django_tables2 as tables
from django.urls import reverse

from accounts.models import ServiceAgreement
from mesa_cs.lib import formatting
from mesa_cs.lib.columns import DayColumn, MoneyColumn, StaffColumn
from solidwaste.models import CrewMember, Order, ProductionEntry, Route, Truck

NUMBER = {"td": {"class": "text-end"}, "th": {"class": "text-end"}}


class EntryTable(tables.Table):
    route = tables.Column(accessor="route__code", verbose_name="Route")
    truck = tables.Column(accessor="truck__number", verbose_name="Truck")
    operator = tables.Column(accessor="operator__name", verbose_name="Operator")
    lifts = tables.Column(attrs=NUMBER)
    stops = tables.Column(attrs=NUMBER)
    tons = tables.Column(attrs=NUMBER)
    hours = tables.Column(attrs=NUMBER)
    misses = tables.Column(attrs=NUMBER)
    overtime_hours = tables.Column(attrs=NUMBER, verbose_name="Overtime on sheet")
    file = tables.Column(accessor="file__filename", default="Entered", verbose_name="From")
    entered_by = StaffColumn(verbose_name="By")

    class Meta:
        model = ProductionEntry
        fields = [
            "work_on", "route", "truck", "operator", "lifts", "stops", "tons", "hours",
            "misses", "overtime_hours", "file", "entered_by",
        ]  # fmt: skip
        empty_text = "No production matches."


def _edit_column(url_name: str):
    """A row's "Edit" link (left out of exports, and for those who may not)."""
    return tables.LinkColumn(
        url_name,
        args=[tables.A("pk")],
        text="Edit",
        verbose_name="Edit",
        orderable=False,
        empty_values=(),
        exclude_from_export=True,
    )


class RouteTable(tables.Table):
    edit = _edit_column("solidwaste:route_edit")
    foreman = tables.Column(accessor="foreman__name", default="—", verbose_name="Foreman")
    daily_lift_target = tables.Column(attrs=NUMBER, verbose_name="Lifts a day (target)")

    class Meta:
        model = Route
        fields = [
            "code", "name", "service_line", "service_area", "foreman", "daily_lift_target",
            "active",
        ]  # fmt: skip
        empty_text = "No routes match."


class TruckTable(tables.Table):
    edit = _edit_column("solidwaste:truck_edit")

    class Meta:
        model = Truck
        fields = ["number", "kind", "active"]
        empty_text = "No trucks match."


class CrewTable(tables.Table):
    edit = _edit_column("solidwaste:crew_member_edit")
    foreman = tables.Column(accessor="foreman__name", default="—", verbose_name="Foreman")

    class Meta:
        model = CrewMember
        fields = ["employee_number", "name", "position", "foreman", "active"]
        empty_text = "No crew match."


class FigureColumn(tables.Column):
    """A report cell of production figures: a day the one way, numbers with
    thousands separators, nothing as a dash. Exports keep the number."""

    def render(self, value):
        if isinstance(value, date):
            return formatting.day_text(value)
        if isinstance(value, int | Decimal):
            return f"{value:,}"
        return value

    def value(self, value):
        return formatting.export_text(value)


class ServiceTable(tables.Table):
    premise = tables.Column(
        accessor="premise__address_line",
        verbose_name="Premise",
        linkify=lambda record: reverse("solidwaste:premise", args=[record.premise_id]),
        order_by=("premise__street_name", "premise__house_number"),
    )
    account = tables.Column(accessor="account__number", verbose_name="Account")
    rate_schedule = tables.Column(verbose_name="Schedule")
    service_code = tables.Column(verbose_name="Service code", default="—")
    containers = tables.Column(verbose_name="Billed containers", attrs=NUMBER, default=1)
    on_record = tables.Column(verbose_name="Containers on record", attrs=NUMBER)

    class Meta:
        model = ServiceAgreement
        fields = ["premise", "account", "rate_schedule", "service_code", "containers", "on_record"]
        empty_text = "No solid-waste services match."


class OrderTable(tables.Table):
    scheduled_on = DayColumn(verbose_name="Pickup date")
    route = tables.Column(accessor="route__code", verbose_name="Route")
    premise = tables.Column(
        accessor="premise__address_line",
        verbose_name="Premise",
        linkify=lambda record: reverse("solidwaste:premise", args=[record.premise_id]),
        order_by=("premise__street_name", "premise__house_number"),
    )
    account = tables.Column(accessor="account__number", verbose_name="Account")
    amount = MoneyColumn(verbose_name="Charged")
    ordered_by = StaffColumn(verbose_name="Booked by")

    class Meta:
        model = Order
        fields = [
            "scheduled_on", "route", "kind", "status", "premise", "account", "loads", "pounds",
            "tons", "amount", "notes", "ordered_by",
        ]  # fmt: skip
        empty_text = "No orders match."
