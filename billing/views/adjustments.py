from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from billing.filters import AdjustmentFilter
from billing.forms import (
    AdjustmentForm,
    DecisionForm,
)
from billing.models import Adjustment
from billing.services import adjustments as adjustment_services
from billing.tables import AdjustmentTable
from mesa_cs.lib.export import SafeExportMixin
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.roles import BILLING_WORK_ROLES, AllowMixin, Area, allow


class AdjustmentListView(AllowMixin, SafeExportMixin, SingleTableMixin, FilterView):
    area = Area.BILLING
    roles = BILLING_WORK_ROLES
    table_class = AdjustmentTable
    filterset_class = AdjustmentFilter
    template_name = "billing/adjustments.html"
    paginate_by = 50
    form = None  # a refused request form, shown again with its errors

    def get_queryset(self):
        return Adjustment.objects.select_related("account", "requested_by", "decided_by")

    def get_context_data(self, **kwargs):
        form = self.form or AdjustmentForm(initial={"account": self.request.GET.get("account", "")})
        return super().get_context_data(form=form, **kwargs)


@allow(Area.BILLING, roles=BILLING_WORK_ROLES)
@require_POST
def adjustment_request(request):
    form = AdjustmentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            adjustment = adjustment_services.adjustment_request(
                account=data["account"],
                amount=data["amount"],
                reason=data["reason"],
                note=data["note"],
                utility=data["utility"],
                requested_by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if adjustment.status == Adjustment.Status.POSTED:
                messages.success(request, f"Adjustment of {money_text(adjustment.amount)} posted.")
            else:
                messages.info(
                    request,
                    f"Adjustment of {money_text(adjustment.amount)} is waiting for a second approver.",
                )
            return redirect("billing:adjustments")
    request.method = "GET"  # show the list again, with the refused form
    response = AdjustmentListView.as_view(form=form)(request)
    response.status_code = 400
    return response


@allow(Area.BILLING, roles=BILLING_WORK_ROLES)
@require_POST
def adjustment_decide(request, pk, decision):
    if decision not in ("approve", "reject"):
        raise Http404("No such decision.")
    get_object_or_404(Adjustment, pk=pk)  # a missing adjustment is a 404, not a 500
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        if decision == "approve":
            adjustment_services.adjustment_approve(adjustment_id=pk, by=request.user)
            messages.success(request, "Adjustment approved and posted.")
        else:
            adjustment_services.adjustment_reject(
                adjustment_id=pk, by=request.user, why=form.cleaned_data.get("why", "")
            )
            messages.success(request, "Adjustment rejected.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("billing:adjustments")
