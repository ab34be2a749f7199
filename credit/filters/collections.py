import django_filters

from accounts.models import Account
from credit.models import CollectionState, LadderStep


class WorklistFilter(django_filters.FilterSet):
    step = django_filters.ChoiceFilter(
        field_name="step__action", choices=LadderStep.Action.choices, label="Step"
    )
    held = django_filters.ChoiceFilter(
        label="Stopped by a hold",
        choices=[("yes", "Stopped"), ("no", "Moving")],
        method="filter_held",
        empty_label="Either",
    )
    customer_class = django_filters.ChoiceFilter(
        field_name="account__customer_class", choices=Account.CustomerClass.choices, label="Class"
    )
    min_past_due = django_filters.NumberFilter(
        field_name="past_due", lookup_expr="gte", label="Past due at least"
    )
    account = django_filters.CharFilter(field_name="account__number", label="Account number")

    def filter_held(self, queryset, name, value):
        return queryset.exclude(held_by="") if value == "yes" else queryset.filter(held_by="")

    class Meta:
        model = CollectionState
        fields = []
