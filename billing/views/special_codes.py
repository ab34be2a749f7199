"""Special-billing rate codes (docs/special_rate_codes.md): the list, a new
code started from a solid-waste schedule, and a code's page, where its
prices are reached in the rate editor and services are put on it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from billing.filters import SpecialRateCodeFilter
from billing.forms.special_codes import AccountLookupForm, SpecialCodeForm
from billing.selectors import rates as rate_selectors
from billing.selectors import special_codes as selectors
from billing.services import special_codes as services
from billing.tables import SpecialRateCodeTable
from mesa_cs.lib.dates import today
from mesa_cs.lib.export import SafeExportMixin
from mesa_cs.lib.formatting import day_text
from mesa_cs.lib.forms import add_service_errors
from mesa_cs.lib.roles import AllowMixin, Area, allow


class SpecialCodeListView(AllowMixin, SafeExportMixin, SingleTableMixin, FilterView):
    area = Area.RATES
    table_class = SpecialRateCodeTable
    filterset_class = SpecialRateCodeFilter
    template_name = "billing/special_codes/list.html"
    paginate_by = 50
    export_name = "special-rate-codes"

    def get_queryset(self):
        return selectors.special_codes_list()


@allow(Area.RATES)
def special_code_new(request):
    bases = list(selectors.base_schedules())
    editable = [s for s in bases if rate_selectors.user_may_edit_schedule(request.user, s)]
    initial = {"effective": today().replace(day=1), "based_on": "SW1.1"}
    form = SpecialCodeForm(request.POST or None, bases=editable, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                special = services.special_code_create(**form.cleaned_data, by=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                code = special.schedule.code
                messages.success(
                    request,
                    f"{code} created from {special.based_on.code} as a draft from "
                    f"{day_text(special.effective)}. Set its prices, then put it in force.",
                )
                draft = rate_selectors.draft_of(special.schedule)
                return redirect("billing:rate_version_edit", draft.pk)
    return render(request, "billing/special_codes/new.html", {"form": form}, status=status)


def _special(code):
    special = selectors.special_code_by_code(code)
    if special is None:
        raise Http404("No such special rate code.")
    return special


def _code_page(request, special, status=200, error=None):
    lookup = AccountLookupForm(request.GET or None)
    account, candidates = None, []
    if lookup.is_valid():
        account, candidates = selectors.solid_waste_agreements_of(lookup.cleaned_data["account"])
        if account is None:
            lookup.add_error("account", "No account has that number.")
    schedule = special.schedule
    return render(
        request,
        "billing/special_codes/detail.html",
        {
            "special": special,
            "schedule": schedule,
            "rows": rate_selectors.schedule_versions(schedule),
            "in_force_from": selectors.first_in_force(schedule),
            "can_edit": rate_selectors.user_may_edit_schedule(request.user, schedule),
            "agreements": selectors.agreements_on(schedule.code),
            "lookup": lookup,
            "account": account,
            "candidates": candidates,
            "error": error,
        },
        status=status,
    )


@allow(Area.RATES)
def special_code(request, code):
    return _code_page(request, _special(code))


@allow(Area.RATES)
@require_POST
def special_code_assign(request, code):
    special = _special(code)
    back = request.POST.get("to") == "base"
    try:
        sa = services.special_code_assign(
            code=special.schedule.code,
            agreement_id=int(request.POST.get("agreement") or 0),
            by=request.user,
            back_to_base=back,
        )
    except (ValidationError, ValueError) as exc:
        messages_ = exc.messages if isinstance(exc, ValidationError) else ["Choose a service."]
        return _code_page(request, special, status=400, error=" ".join(messages_))
    messages.success(
        request,
        f"Account {sa.account.number}'s solid-waste service is now on {sa.rate_schedule}; "
        "its next bill prices with it.",
    )
    return redirect(reverse("billing:special_code", args=[special.schedule.code]))
