from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from cashiering.filters import SuspenseFilter
from cashiering.forms import PaymentFileForm
from cashiering.models import (
    PaymentFile,
    SuspenseItem,
    TenderSource,
)
from cashiering.services import deposits as deposit_services
from cashiering.services import suspense as suspense_services
from cashiering.services.payment_files import payment_file_process, payment_file_receive
from cashiering.tables import SuspenseTable
from cashiering.tasks import payment_file_import as payment_file_import_task
from mesa_cs.lib.export import SafeExportMixin
from mesa_cs.lib.roles import LEADS, AllowMixin, Area, allow


@allow(Area.CASHIERING, roles=LEADS)
def payment_files(request):
    form = PaymentFileForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kept = payment_file_receive(
            content=upload.read(), name=upload.name, imported_by=request.user
        )
        if upload.size > settings.IMPORT_INLINE_MAX_BYTES:
            # Longer than a request may take: a worker imports it while the
            # file's page shows how far it has got.
            payment_file_import_task.delay_on_commit(kept.pk)
            return redirect("cashiering:payment_file", pk=kept.pk)
        outcome = payment_file_process(file_id=kept.pk).summary
    return render(
        request,
        "cashiering/payment_files.html",
        {"form": form, "outcome": outcome, "files": PaymentFile.objects.all()[:50]},
        status=400 if form.errors else 200,
    )


@allow(Area.CASHIERING, roles=LEADS)
def payment_file_detail(request, pk):
    kept = get_object_or_404(PaymentFile, pk=pk)
    return render(request, "cashiering/payment_file.html", {"file": kept})


@allow(Area.CASHIERING, roles=LEADS)
def payment_file_progress(request, pk):
    kept = get_object_or_404(PaymentFile, pk=pk)
    return render(request, "cashiering/_payment_file_progress.html", {"file": kept})


class SuspenseView(AllowMixin, SafeExportMixin, SingleTableMixin, FilterView):
    area = Area.CASHIERING
    table_class = SuspenseTable
    filterset_class = SuspenseFilter
    template_name = "cashiering/suspense.html"
    paginate_by = 50

    def get_queryset(self):
        return SuspenseItem.objects.select_related("applied_account", "resolved_by")


@allow(Area.CASHIERING)
@require_POST
def suspense_act(request, pk, action):
    from accounts.selectors import account_by_number

    try:
        if action == "apply":
            account = account_by_number(request.POST.get("account", "").strip())
            if account is None:
                raise ValidationError("Enter the account number the money belongs to.")
            suspense_services.suspense_apply(
                item_id=pk, account=account, by=request.user, note=request.POST.get("note", "")
            )
        elif action == "refund":
            suspense_services.suspense_refund(
                item_id=pk, by=request.user, note=request.POST.get("note", "")
            )
        else:
            raise Http404("No such action.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Suspense item resolved.")
    return redirect("cashiering:suspense")


@allow(Area.CASHIERING, roles=LEADS)
@require_POST
def bank_credit(request):
    try:
        deposit_services.bank_credit_record(
            source=TenderSource.objects.get(pk=request.POST.get("source")),
            day=date.fromisoformat(request.POST.get("day", "")),
            amount=Decimal(request.POST.get("amount") or "x"),
            prepared_by=request.user,
        )
    except (ValidationError, ValueError, ArithmeticError, TenderSource.DoesNotExist) as exc:
        messages.error(
            request, " ".join(getattr(exc, "messages", ["Choose a source, a day and an amount."]))
        )
    else:
        messages.success(request, "Bank credit recorded; see the reconciliation report.")
    return redirect("cashiering:deposits")
