"""Spot checks' pages (docs/spot_checks.md)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from mesa_cs.lib.export import SafeExportMixin
from mesa_cs.lib.forms import add_service_errors
from mesa_cs.lib.roles import AllowMixin, Area, allow
from staffing import services
from staffing.filters import SpotCheckFilter
from staffing.forms import (
    SpotCheckForm,
    SpotSampleForm,
)
from staffing.models import SpotCheckSubject
from staffing.selectors import (
    spot_check_questions,
    spot_check_sample,
    spot_check_target,
    spot_checks_list,
    staff_names,
)
from staffing.tables import SpotCheckTable


class SpotCheckListView(AllowMixin, SafeExportMixin, SingleTableMixin, FilterView):
    """The checks recorded, and a fresh sample of done work to check."""

    area = Area.STAFFING
    table_class = SpotCheckTable
    filterset_class = SpotCheckFilter
    template_name = "staffing/spot_checks/list.html"
    paginate_by = 50
    export_name = "spot-checks"

    def get_queryset(self):
        return spot_checks_list()

    def get_context_data(self, **kwargs):
        from datetime import timedelta

        from mesa_cs.lib.dates import today

        bound = "sample-subject" in self.request.GET
        form = SpotSampleForm(self.request.GET if bound else None, prefix="sample")
        subject, days = "work_item", 7
        if bound and form.is_valid():
            subject, days = form.cleaned_data["subject"], form.cleaned_data["days"]
        sample = spot_check_sample(
            subject, since=today() - timedelta(days=days), not_by=self.request.user.pk
        )
        return super().get_context_data(
            sample_form=form if bound else SpotSampleForm(prefix="sample"),
            sample=sample,
            sample_subject=subject,
            names=staff_names({row["staff_id"] for row in sample}),
            **kwargs,
        )


def _spot_target(subject, object_id):
    if subject not in SpotCheckSubject.values:
        raise Http404("No such kind of work.")
    target = spot_check_target(subject, object_id)
    if target is None:
        raise Http404("No such piece of work.")
    return target


@allow(Area.STAFFING)
def spot_check(request, subject, object_id):
    target = _spot_target(subject, object_id)
    questions = spot_check_questions(subject)
    form = SpotCheckForm(request.POST or None, questions=questions)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                check = services.spot_check_record(
                    subject=subject,
                    object_id=object_id,
                    passed={int(v) for v in form.cleaned_data["passed"]},
                    comment=form.cleaned_data["comment"],
                    by=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Spot check recorded: {check.score} %.")
                return redirect("staffing:spot_checks")
    context = {
        "subject": SpotCheckSubject(subject),
        "target": target,
        "staff_name": staff_names({target.staff_id}).get(target.staff_id, ""),
        "form": form,
    }
    return render(request, "staffing/spot_checks/check.html", context, status=status)
