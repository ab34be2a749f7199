import django_filters
from django.db.models import Q

from accounts.models import Account, Utility
from billing.models import Adjustment, RateScenario, RateSchedule, SpecialRateCode


class AdjustmentFilter(django_filters.FilterSet):
    account = django_filters.CharFilter(field_name="account__number", label="Account number")
    status = django_filters.ChoiceFilter(choices=Adjustment.Status.choices, label="Status")
    reason = django_filters.ChoiceFilter(choices=Adjustment.Reason.choices, label="Reason")

    class Meta:
        model = Adjustment
        fields = []


class RateScheduleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Code or name")
    utility = django_filters.ChoiceFilter(choices=Utility.choices, label="Utility")
    customer_class = django_filters.ChoiceFilter(
        choices=Account.CustomerClass.choices,
        label="Customer class",
    )

    class Meta:
        model = RateSchedule
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class SpecialRateCodeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Code, name or reason")
    kind = django_filters.ChoiceFilter(choices=SpecialRateCode.Kind.choices, label="Situation")
    based_on = django_filters.CharFilter(
        field_name="based_on__code", lookup_expr="iexact", label="Base schedule"
    )

    class Meta:
        model = SpecialRateCode
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(schedule__code__icontains=value)
            | Q(schedule__name__icontains=value)
            | Q(reason__icontains=value)
        )


class RateScenarioFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name, note or schedule")
    effective_from = django_filters.DateFilter(
        field_name="effective", lookup_expr="gte", label="Effective on or after"
    )
    status = django_filters.ChoiceFilter(choices=RateScenario.Status.choices, label="Status")

    class Meta:
        model = RateScenario
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(note__icontains=value) | Q(changes__schedule__iexact=value)
        ).distinct()
