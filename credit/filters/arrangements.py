import django_filters
from django import forms

from credit.models import PaymentArrangement, Pledge

DATE = forms.DateInput(attrs={"type": "date"})


class ArrangementFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=PaymentArrangement.Status.choices, label="Status")
    account = django_filters.CharFilter(field_name="account__number", label="Account number")
    made_from = django_filters.DateFilter(
        field_name="made_on", lookup_expr="gte", label="Made from", widget=DATE
    )
    made_to = django_filters.DateFilter(
        field_name="made_on", lookup_expr="lte", label="Made to", widget=DATE
    )
    # The home tile's "due this week": an installment falls due in the range.
    due_from = django_filters.DateFilter(
        field_name="installments__due_on",
        lookup_expr="gte",
        label="Installment due from",
        widget=DATE,
        distinct=True,
    )
    due_to = django_filters.DateFilter(
        field_name="installments__due_on",
        lookup_expr="lte",
        label="Installment due to",
        widget=DATE,
        distinct=True,
    )

    class Meta:
        model = PaymentArrangement
        fields = []


class PledgeFilter(django_filters.FilterSet):
    agency = django_filters.ChoiceFilter(choices=Pledge.Agency.choices, label="Agency")
    status = django_filters.ChoiceFilter(choices=Pledge.Status.choices, label="Status")
    account = django_filters.CharFilter(field_name="account__number", label="Account number")
    expiring_before = django_filters.DateFilter(
        field_name="expires_on", lookup_expr="lt", label="Expiring before", widget=DATE
    )

    class Meta:
        model = Pledge
        fields = []
