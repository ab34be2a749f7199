import django_filters
from django import forms

from accounts.models import Deposit


class DepositFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Deposit.Status.choices, label="Status")
    form = django_filters.ChoiceFilter(choices=Deposit.Form.choices, label="Form")
    account = django_filters.CharFilter(field_name="account__number", label="Account number")
    required_from = django_filters.DateFilter(
        field_name="required_on",
        lookup_expr="gte",
        label="Required from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    required_to = django_filters.DateFilter(
        field_name="required_on",
        lookup_expr="lte",
        label="Required to",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Deposit
        fields = []
