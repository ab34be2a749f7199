import django_filters

from cashiering.models import SuspenseItem


class SuspenseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=SuspenseItem.Status.choices, label="Status")
    kind = django_filters.ChoiceFilter(choices=SuspenseItem.Kind.choices, label="Kind")
    source = django_filters.CharFilter(label="Source")
    item_ref = django_filters.CharFilter(lookup_expr="icontains", label="Item reference")

    class Meta:
        model = SuspenseItem
        fields = []
