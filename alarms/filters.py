import django_filters
from django import forms
from django.db.models import Q

from alarms.models import AlarmCompany, AlarmInvoice, AlarmPermit, Appeal, Incident
from mesa_cs.lib.address import normalize_address

DATE = forms.DateInput(attrs={"type": "date"})


def _address(queryset, name, value):
    return queryset.filter(address_key__startswith=normalize_address(value))


class PermitFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=AlarmPermit.Status.choices, label="Status")
    q = django_filters.CharFilter(method="search", label="Number or holder")
    address = django_filters.CharFilter(method=_address, label="Address starts")
    alarm_company = django_filters.CharFilter(
        field_name="alarm_company__name", lookup_expr="icontains", label="Alarm company"
    )
    expires_from = django_filters.DateFilter(
        field_name="expires_on", lookup_expr="gte", label="Expires from", widget=DATE
    )
    expires_to = django_filters.DateFilter(
        field_name="expires_on", lookup_expr="lte", label="Expires to", widget=DATE
    )

    class Meta:
        model = AlarmPermit
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(number__iexact=value) | Q(holder_name__icontains=value))


class IncidentFilter(django_filters.FilterSet):
    research = django_filters.ChoiceFilter(
        choices=[("open", "To research"), ("done", "Researched")], label="Research"
    )
    alarm_type = django_filters.ChoiceFilter(choices=Incident._meta.get_field("alarm_type").choices)
    disposition = django_filters.ChoiceFilter(
        choices=Incident._meta.get_field("disposition").choices
    )
    chargeable = django_filters.ChoiceFilter(
        choices=[("1", "False alarms (charged)"), ("0", "Valid or cancelled (no fee)")],
        empty_label="All calls",
        label="Fee",
        method="by_fee",
    )
    address = django_filters.CharFilter(method=_address, label="Address starts")
    permit = django_filters.CharFilter(field_name="permit__number", label="Permit number")
    reported_from = django_filters.DateFilter(
        field_name="reported_on", lookup_expr="gte", label="Reported from", widget=DATE
    )
    reported_to = django_filters.DateFilter(
        field_name="reported_on", lookup_expr="lte", label="Reported to", widget=DATE
    )

    class Meta:
        model = Incident
        fields = []

    def by_fee(self, queryset, name, value):
        return queryset.filter(chargeable=value == "1")


class InvoiceFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=AlarmInvoice.Kind.choices, label="Kind")
    permit = django_filters.CharFilter(field_name="permit__number", label="Permit number")
    account = django_filters.CharFilter(field_name="account__number", label="Account number")
    issued_from = django_filters.DateFilter(
        field_name="issued_on", lookup_expr="gte", label="Issued from", widget=DATE
    )
    issued_to = django_filters.DateFilter(
        field_name="issued_on", lookup_expr="lte", label="Issued to", widget=DATE
    )

    class Meta:
        model = AlarmInvoice
        fields = []


class AppealFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Appeal.Status.choices, label="Status")
    outcome = django_filters.ChoiceFilter(choices=Appeal.Outcome.choices, label="Outcome")
    hearing_by_to = django_filters.DateFilter(
        field_name="hearing_by", lookup_expr="lte", label="Hear by (on or before)", widget=DATE
    )

    class Meta:
        model = Appeal
        fields = []


class CompanyFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label="Name")
    active = django_filters.BooleanFilter(label="Active")

    class Meta:
        model = AlarmCompany
        fields = []
