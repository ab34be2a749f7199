import django_filters

from billing.models import Adjustment


class AdjustmentFilter(django_filters.FilterSet):
    account = django_filters.CharFilter(field_name="account__number", label="Account number")
    status = django_filters.ChoiceFilter(choices=Adjustment.Status.choices, label="Status")
    reason = django_filters.ChoiceFilter(choices=Adjustment.Reason.choices, label="Reason")

    class Meta:
        model = Adjustment
        fields = []
