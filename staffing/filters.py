import django_filters
from django import forms

from mesa_cs.lib.formatting import code_label
from staffing.models import Complaint, SpotCheck, SpotCheckSubject, WorkItem


def kind_choices():
    """The kinds of work items there are, by name rather than code."""
    kinds = WorkItem.objects.order_by("kind").values_list("kind", flat=True).distinct()
    return [(kind, code_label(kind)) for kind in kinds]


class WorkItemFilter(django_filters.FilterSet):
    ASSIGNED_CHOICES = (("me", "Assigned to me"), ("none", "Unassigned"), ("any", "Anyone"))

    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", label="Title contains"
    )
    status = django_filters.MultipleChoiceFilter(
        choices=WorkItem.Status.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Status",
    )
    kind = django_filters.ChoiceFilter(
        field_name="kind", label="Kind", choices=kind_choices, empty_label="Any kind"
    )
    priority = django_filters.ChoiceFilter(choices=WorkItem.Priority.choices, label="Priority")
    assigned = django_filters.ChoiceFilter(
        choices=ASSIGNED_CHOICES, method="filter_assigned", label="Assigned", empty_label="Anyone"
    )
    due_before = django_filters.DateFilter(
        field_name="due_on",
        lookup_expr="lte",
        label="Due on or before",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    account = django_filters.CharFilter(field_name="account__number", label="Account number")

    class Meta:
        model = WorkItem
        fields = []

    def filter_assigned(self, queryset, name, value):
        if value == "me":
            return queryset.filter(assignee=self.request.user)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        return queryset


class ComplaintFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Complaint.Status.choices, label="Status")
    level = django_filters.ChoiceFilter(choices=Complaint.Level.choices, label="Level")
    category = django_filters.ChoiceFilter(choices=Complaint.Category.choices, label="Category")
    account = django_filters.CharFilter(field_name="account__number", label="Account number")

    class Meta:
        model = Complaint
        fields = []


class SpotCheckFilter(django_filters.FilterSet):
    subject = django_filters.ChoiceFilter(
        choices=SpotCheckSubject.choices, label="What was checked"
    )
    staff = django_filters.CharFilter(field_name="staff__username", label="Staff login")
    since = django_filters.DateFilter(
        field_name="checked_at__date",
        lookup_expr="gte",
        label="Checked on or after",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = SpotCheck
        fields = []
