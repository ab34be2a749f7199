from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.models import Account, Deposit
from credit.filters.deposits import DepositFilter
from credit.forms.deposits import DisputeForm
from credit.selectors.deposits import deposits_list
from credit.services.deposits import deposit_credit_back, deposit_dispute_open
from credit.tables.deposits import DepositTable
from mesa_cs.lib.export import SafeExportMixin
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.roles import AllowMixin, Area, allow
from staffing.models import Section
from staffing.shortcuts import section_index


@allow(Area.CREDIT)
def index(request):
    return section_index(request, template="credit/index.html", section=Section.CREDIT)


class DepositsView(AllowMixin, SafeExportMixin, SingleTableMixin, FilterView):
    area = Area.CREDIT
    table_class = DepositTable
    filterset_class = DepositFilter
    template_name = "credit/deposits.html"
    paginate_by = 50
    export_name = "deposits"

    def get_queryset(self):
        return deposits_list()


def _back_to_deposits(account: Account):
    return redirect(f"{reverse('accounts:detail', args=[account.number])}?tab=deposits")


@allow(Area.CREDIT)
@require_POST
def deposit_dispute(request, pk):
    deposit = get_object_or_404(Deposit.objects.select_related("account"), pk=pk)
    form = DisputeForm(request.POST)
    if form.is_valid():
        item = deposit_dispute_open(
            deposit=deposit, details=form.cleaned_data["details"], by=request.user
        )
        messages.success(request, f"Dispute opened as work item #{item.pk} in Credit Services.")
    else:
        messages.error(request, "Say what the customer disputes.")
    return _back_to_deposits(deposit.account)


@allow(Area.CREDIT)
@require_POST
def deposit_credit(request, number):
    account = get_object_or_404(Account, number=number)
    try:
        held = deposit_credit_back(
            account=account,
            on=timezone.localdate(),
            by=request.user,
            note="credited by Credit Services",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Deposit of {money_text(held)} credited to the account.")
    return _back_to_deposits(account)
