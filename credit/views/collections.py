"""Working the day's collections: the worklist, runs and notice batches,
holds on an account, heat days."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.models import Account
from credit.filters.collections import WorklistFilter
from credit.forms.collections import HeatDayForm, HoldForm, RunForm
from credit.models import HeatDay, Hold, NoticeBatch
from credit.selectors.collections import recent_batches, recent_runs, worklist
from credit.services.holds import hold_place, hold_release_by_hand
from credit.tables.collections import WorklistTable
from mesa_cs.lib.export import SafeExportMixin
from mesa_cs.lib.roles import LEADS, AllowMixin, Area, allow


class WorklistView(AllowMixin, SafeExportMixin, SingleTableMixin, FilterView):
    area = Area.CREDIT
    table_class = WorklistTable
    filterset_class = WorklistFilter
    template_name = "credit/collections.html"
    paginate_by = 50
    export_name = "collections"

    def get_queryset(self):
        return worklist()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(runs=recent_runs(), batches=recent_batches(), run_form=RunForm())
        return context


@allow(Area.CREDIT)
@require_POST
def collections_start(request):
    form = RunForm(request.POST)
    if form.is_valid():
        from credit.tasks import collections_for

        run_on = form.cleaned_data["run_on"]
        latest = recent_runs(1)
        if latest and run_on < latest[0].run_on:
            messages.error(
                request,
                f"Collections already ran for {latest[0].run_on:%m/%d/%Y}; pick that day or later.",
            )
            return redirect("credit:collections")
        collections_for.delay_on_commit(run_on.isoformat())
        messages.success(request, f"Collections for {run_on:%m/%d/%Y} are running; refresh to see.")
    else:
        messages.error(request, f"Run collections for: {' '.join(form.errors['run_on'])}")
    return redirect("credit:collections")


@allow(Area.CREDIT)
def notice_batch_pdf(request, pk):
    batch = get_object_or_404(NoticeBatch, pk=pk)
    if not batch.pdf:
        raise Http404("This batch's PDF is still being built.")
    response = HttpResponse(bytes(batch.pdf), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="notices-{batch.action}-{batch.run_on.isoformat()}.pdf"'
    )
    return response


def _to_tab(account: Account):
    return redirect(f"{reverse('accounts:detail', args=[account.number])}?tab=collections")


@allow(Area.CREDIT)
@require_POST
def hold_add(request, number):
    account = get_object_or_404(Account, number=number)
    form = HoldForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        return _to_tab(account)
    try:
        hold = hold_place(account=account, owner=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{hold.get_kind_display()} hold placed.")
    return _to_tab(account)


@allow(Area.CREDIT)
@require_POST
def hold_end(request, pk):
    hold = get_object_or_404(Hold.objects.select_related("account"), pk=pk)
    try:
        hold_release_by_hand(hold=hold, reason=request.POST.get("reason", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{hold.get_kind_display()} hold released.")
    return _to_tab(hold.account)


@allow(Area.CREDIT)
def heat_days(request):
    """Supervisors record forecast days and excessive heat warnings."""
    from mesa_cs.lib.roles import user_roles

    can_record = bool(user_roles(request.user) & LEADS)
    form = HeatDayForm(request.POST or None)
    if request.method == "POST":
        if not can_record:
            messages.error(request, "Only a supervisor records heat days.")
            return redirect("credit:heat_days")
        if form.is_valid():
            day = form.save(commit=False)
            day.recorded_by = request.user
            day.save()
            messages.success(request, f"{day.get_kind_display()} recorded for {day.day:%m/%d/%Y}.")
            return redirect("credit:heat_days")
    return render(
        request,
        "credit/heat_days.html",
        {
            "form": form,
            "days": HeatDay.objects.select_related("recorded_by")[:60],
            "can_record": can_record,
        },
        status=400 if form.errors else 200,
    )
