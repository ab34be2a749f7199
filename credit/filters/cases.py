import django_filters
from django import forms

from credit.models import AgencyReferral, Bankruptcy, WriteOff

DATE = forms.DateInput(attrs={"type": "date"})


class BankruptcyFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Bankruptcy.Status.choices, label="Status")
    chapter = django_filters.ChoiceFilter(choices=Bankruptcy.Chapter.choices, label="Chapter")
    account = django_filters.CharFilter(field_name="account__number", label="Account number")
    petition_from = django_filters.DateFilter(
        field_name="petition_on", lookup_expr="gte", label="Petition from", widget=DATE
    )
    petition_to = django_filters.DateFilter(
        field_name="petition_on", lookup_expr="lte", label="Petition to", widget=DATE
    )

    class Meta:
        model = Bankruptcy
        fields = []


class WriteOffFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=WriteOff.Status.choices, label="Status", empty_label="Any status"
    )
    account = django_filters.CharFilter(field_name="account__number", label="Account number")
    requested_from = django_filters.DateFilter(
        field_name="requested_at__date", lookup_expr="gte", label="Requested from", widget=DATE
    )
    requested_to = django_filters.DateFilter(
        field_name="requested_at__date", lookup_expr="lte", label="Requested to", widget=DATE
    )

    class Meta:
        model = WriteOff
        fields = []


class ReferralFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        choices=[("open", "Open"), ("recalled", "Recalled")],
        label="State",
        empty_label="Open or recalled",
        method="by_state",
    )
    account = django_filters.CharFilter(field_name="account__number", label="Account number")
    referred_from = django_filters.DateFilter(
        field_name="referred_on", lookup_expr="gte", label="Referred from", widget=DATE
    )
    referred_to = django_filters.DateFilter(
        field_name="referred_on", lookup_expr="lte", label="Referred to", widget=DATE
    )

    class Meta:
        model = AgencyReferral
        fields = []

    def by_state(self, queryset, name, value):
        return queryset.filter(recalled_on__isnull=value == "open")
