"""Pages for bankruptcies, write-offs and recoveries, and agency referrals."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.models import Account, Deposit
from credit.filters.cases import BankruptcyFilter, ReferralFilter, WriteOffFilter
from credit.forms.cases import (
    AgencyFileForm,
    BankruptcyForm,
    CaseCloseForm,
    RecoveryForm,
    RejectForm,
    WriteOffForm,
)
from credit.models import AgencyReferral, Bankruptcy, WriteOff
from credit.selectors.cases import (
    bankruptcies_list,
    petition_balances,
    pre_petition_balance,
    recoverable,
    referrals_list,
    write_offs_list,
)
from credit.services.agency import agency_export, agency_recall, agency_refer
from credit.services.bankruptcy import (
    assurance_amount,
    bankruptcy_discharge,
    bankruptcy_dismiss,
    bankruptcy_record,
)
from credit.services.write_offs import (
    recovery_post,
    write_off_approve,
    write_off_reject,
    write_off_request,
)
from credit.tables.cases import BankruptcyTable, ReferralTable, WriteOffTable
from mesa_cs.lib.export import SafeExportMixin
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.roles import LEADS, AllowMixin, Area, allow, user_roles


def _is_supervisor(user) -> bool:
    return bool(user_roles(user) & LEADS)


# --- Bankruptcy ---------------------------------------------------------------


class BankruptcyListView(AllowMixin, SafeExportMixin, SingleTableMixin, FilterView):
    area = Area.CREDIT
    table_class = BankruptcyTable
    filterset_class = BankruptcyFilter
    template_name = "credit/bankruptcies.html"
    paginate_by = 50
    export_name = "bankruptcies"

    def get_queryset(self):
        return bankruptcies_list()


@allow(Area.CREDIT)
def bankruptcy_new(request, number):
    account = get_object_or_404(Account, number=number)
    form = BankruptcyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = bankruptcy_record(account=account, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"{case} recorded: {money_text(case.pre_petition_balance)} frozen for the claim.",
            )
            return redirect("credit:bankruptcy", pk=case.pk)
    context = {
        "account": account,
        "form": form,
        "balances": petition_balances(account),
        "assurance": assurance_amount(account.pk, timezone.localdate()),
    }
    return render(
        request, "credit/bankruptcy_new.html", context, status=400 if form.is_bound else 200
    )


@allow(Area.CREDIT)
def bankruptcy_detail(request, pk):
    case = get_object_or_404(Bankruptcy.objects.select_related("account", "recorded_by"), pk=pk)
    account = case.account
    context = {
        "case": case,
        "account": account,
        "balances": petition_balances(account),
        "on_claim": pre_petition_balance(account.pk),
        "deposits": Deposit.objects.filter(
            account=account, reason__contains=f"case {case.case_number}"
        ),
        "form": CaseCloseForm(),
    }
    return render(request, "credit/bankruptcy.html", context)


@allow(Area.CREDIT)
@require_POST
def bankruptcy_close(request, pk, outcome):
    close = {"discharge": bankruptcy_discharge, "dismiss": bankruptcy_dismiss}.get(outcome)
    if close is None:
        raise Http404("No such outcome.")
    case = get_object_or_404(Bankruptcy, pk=pk)
    form = CaseCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Date of the court's order: {' '.join(form.errors['on'])}")
        return redirect("credit:bankruptcy", pk=case.pk)
    try:
        case = close(bankruptcy=case, on=form.cleaned_data["on"], by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{case}: {case.get_status_display().lower()}.")
    return redirect("credit:bankruptcy", pk=case.pk)


# --- Write-offs and recoveries -------------------------------------------------


class WriteOffListView(AllowMixin, SafeExportMixin, SingleTableMixin, FilterView):
    """Opens on the write-offs waiting for a decision."""

    area = Area.CREDIT
    table_class = WriteOffTable
    filterset_class = WriteOffFilter
    template_name = "credit/write_offs.html"
    paginate_by = 50
    export_name = "write-offs"

    def get_queryset(self):
        return write_offs_list()

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if "status" not in self.request.GET:
            kwargs["data"] = self.request.GET.copy()
            kwargs["data"]["status"] = WriteOff.Status.PENDING
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_decide=_is_supervisor(self.request.user), **kwargs)


def _write_off_page(request, account, form=None, recovery_form=None, status=200):
    context = {
        "account": account,
        "form": form or WriteOffForm(),
        "recovery_form": recovery_form or RecoveryForm(prefix="recovery"),
        "balances": petition_balances(account),
        "recoverable": recoverable(account.pk),
        "write_offs": account.write_offs.select_related("requested_by", "decided_by"),
    }
    return render(request, "credit/write_off_account.html", context, status=status)


@allow(Area.CREDIT)
def write_off_account(request, number):
    account = get_object_or_404(Account, number=number)
    if request.method != "POST":
        return _write_off_page(request, account)
    form = WriteOffForm(request.POST)
    if form.is_valid():
        try:
            write_off = write_off_request(
                account=account, requested_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"Write-off of {money_text(write_off.amount)} waiting for a supervisor's approval.",
            )
            return redirect("credit:write_off_account", number=account.number)
    return _write_off_page(request, account, form=form, status=400)


@allow(Area.CREDIT)
@require_POST
def recovery_new(request, number):
    account = get_object_or_404(Account, number=number)
    form = RecoveryForm(request.POST, prefix="recovery")
    if form.is_valid():
        try:
            recovery_post(account=account, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, f"Recovery of {money_text(form.cleaned_data['amount'])} posted."
            )
            return redirect("credit:write_off_account", number=account.number)
    return _write_off_page(request, account, recovery_form=form, status=400)


@allow(Area.CREDIT, roles=LEADS)
@require_POST
def write_off_decide(request, pk, decision):
    if decision not in ("approve", "reject"):
        raise Http404("No such decision.")
    form = RejectForm(request.POST)
    form.is_valid()
    try:
        if decision == "approve":
            write_off = write_off_approve(write_off_id=pk, by=request.user)
            messages.success(
                request, f"Write-off of {money_text(write_off.amount)} approved and posted."
            )
        else:
            write_off_reject(write_off_id=pk, by=request.user, why=form.cleaned_data.get("why", ""))
            messages.success(request, "Write-off rejected.")
    except WriteOff.DoesNotExist as exc:
        raise Http404("No such write-off.") from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("credit:write_offs")


# --- Agency referrals -------------------------------------------------------


class ReferralListView(AllowMixin, SafeExportMixin, SingleTableMixin, FilterView):
    area = Area.CREDIT
    table_class = ReferralTable
    filterset_class = ReferralFilter
    template_name = "credit/referrals.html"
    paginate_by = 50
    export_name = "agency-referrals"

    def get_queryset(self):
        return referrals_list()

    def get_context_data(self, **kwargs):
        return super().get_context_data(file_form=AgencyFileForm(), **kwargs)


@allow(Area.CREDIT)
def agency_file(request):
    """The day's placement file for the agency (today's without a date)."""
    form = AgencyFileForm(request.GET)
    day = form.cleaned_data["day"] if form.is_valid() else timezone.localdate()
    response = HttpResponse(agency_export(referred_on=day), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="agency-placements-{day}.csv"'
    return response


@allow(Area.CREDIT)
@require_POST
def referral_new(request, number):
    account = get_object_or_404(Account, number=number)
    try:
        referral = agency_refer(account=account, on=timezone.localdate(), by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if referral is None:
            messages.info(request, "The account owes nothing; nothing was referred.")
        else:
            messages.success(
                request,
                f"{money_text(referral.amount)} referred to the agency on {referral.referred_on}.",
            )
    return redirect(f"{reverse('credit:referrals')}?account={account.number}")


@allow(Area.CREDIT)
@require_POST
def referral_recall(request, pk):
    referral = get_object_or_404(AgencyReferral, pk=pk)
    try:
        agency_recall(referral=referral, on=timezone.localdate(), by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Referral of {referral.account.number} recalled.")
    return redirect("credit:referrals")
