import django_filters
from django import forms

from accounts.models import ServiceAgreement, ServiceArea
from mesa_cs.lib.address import normalize_address
from solidwaste.models import (
    CrewMember,
    Order,
    OrderKind,
    ProductionEntry,
    Route,
    ServiceLine,
    Truck,
)

DATE = forms.DateInput(attrs={"type": "date"})


class EntryFilter(django_filters.FilterSet):
    work_from = django_filters.DateFilter(
        field_name="work_on", lookup_expr="gte", label="Worked from", widget=DATE
    )
    work_to = django_filters.DateFilter(
        field_name="work_on", lookup_expr="lte", label="Worked to", widget=DATE
    )
    route = django_filters.ModelChoiceFilter(queryset=Route.objects.all(), label="Route")
    operator = django_filters.ModelChoiceFilter(queryset=CrewMember.objects.all(), label="Operator")
    truck = django_filters.ModelChoiceFilter(queryset=Truck.objects.all(), label="Truck")
    service_line = django_filters.ChoiceFilter(
        field_name="route__service_line", choices=ServiceLine.choices, label="Service line"
    )
    source = django_filters.ChoiceFilter(
        choices=[("file", "Imported from a file"), ("page", "Entered on the page")],
        label="Recorded",
        method="by_source",
    )

    class Meta:
        model = ProductionEntry
        fields = []

    def by_source(self, queryset, name, value):
        return queryset.filter(file__isnull=value == "page")


class RouteFilter(django_filters.FilterSet):
    service_line = django_filters.ChoiceFilter(choices=ServiceLine.choices, label="Service line")
    service_area = django_filters.ChoiceFilter(choices=ServiceArea.choices, label="Service area")
    active = django_filters.BooleanFilter(label="Active")

    class Meta:
        model = Route
        fields = []


class TruckFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Truck.Kind.choices, label="Kind")
    active = django_filters.BooleanFilter(label="Active")

    class Meta:
        model = Truck
        fields = []


class CrewFilter(django_filters.FilterSet):
    position = django_filters.ChoiceFilter(choices=CrewMember.Position.choices, label="Position")
    name = django_filters.CharFilter(lookup_expr="icontains", label="Name")
    active = django_filters.BooleanFilter(label="Active")

    class Meta:
        model = CrewMember
        fields = []


class ServiceFilter(django_filters.FilterSet):
    address = django_filters.CharFilter(label="Address", method="by_address")
    account = django_filters.CharFilter(field_name="account__number", label="Account number")
    rate_schedule = django_filters.CharFilter(label="Schedule", lookup_expr="iexact")
    service_area = django_filters.ChoiceFilter(
        field_name="premise__service_area", choices=ServiceArea.choices, label="Service area"
    )

    class Meta:
        model = ServiceAgreement
        fields = []

    def by_address(self, queryset, name, value):
        return queryset.filter(premise__address_key__contains=normalize_address(value))


class OrderFilter(django_filters.FilterSet):
    scheduled_from = django_filters.DateFilter(
        field_name="scheduled_on", lookup_expr="gte", label="Pickup from", widget=DATE
    )
    scheduled_to = django_filters.DateFilter(
        field_name="scheduled_on", lookup_expr="lte", label="Pickup to", widget=DATE
    )
    route = django_filters.ModelChoiceFilter(queryset=Route.objects.all(), label="Route")
    kind = django_filters.ChoiceFilter(choices=OrderKind.choices, label="Order")
    status = django_filters.ChoiceFilter(choices=Order.Status.choices, label="Status")
    account = django_filters.CharFilter(field_name="account__number", label="Account number")

    class Meta:
        model = Order
        fields = []
