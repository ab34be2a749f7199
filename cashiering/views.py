import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from cashiering.filters import SuspenseFilter
from cashiering.forms import CloseShiftForm, CounterPaymentForm, OpenShiftForm, PaymentFileForm
from cashiering.models import (
    BankDeposit,
    CreditRefund,
    DrawerShift,
    Payment,
    PaymentAllocation,
    PaymentFile,
    SuspenseItem,
    TenderSource,
)
from cashiering.selectors import reports
from cashiering.selectors.counter import account_at_counter, open_shift_for, shift_payments
from cashiering.services import corrections as correction_services
from cashiering.services import deposits as deposit_services
from cashiering.services import refunds as refund_services
from cashiering.services import suspense as suspense_services
from cashiering.services.drawers import shift_close, shift_expected, shift_open
from cashiering.services.payment_files import payment_file_process, payment_file_receive
from cashiering.services.payments import TenderLine, payment_take
from cashiering.tables import DailyCashTable, SuspenseTable
from cashiering.tasks import payment_file_import as payment_file_import_task
from mesa_cs.lib.export import RowsTableMixin, SafeExportMixin
from mesa_cs.lib.pdf import render_pdf
from mesa_cs.lib.roles import AllowMixin, Area, Role, allow


@allow(Area.CASHIERING)
def index(request):
    shift = open_shift_for(request.user)
    return render(
        request,
        "cashiering/index.html",
        {
            "shift": shift,
            "form": OpenShiftForm(),
            "payments": shift_payments(shift)[:20] if shift else [],
            "expected": shift_expected(shift) if shift else None,
        },
    )


@allow(Area.CASHIERING)
@require_POST
def open_drawer(request):
    form = OpenShiftForm(request.POST)
    if form.is_valid():
        try:
            shift_open(cashier=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Drawer open. Take payments at the counter screen.")
            return redirect("cashiering:counter")
    else:
        messages.error(request, "Choose a drawer and an opening float.")
    return redirect("cashiering:index")


@allow(Area.CASHIERING)
def counter(request):
    shift = open_shift_for(request.user)
    if shift is None:
        messages.info(request, "Open a drawer before taking payments.")
        return redirect("cashiering:index")
    if request.method == "POST":
        form = CounterPaymentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                payment = payment_take(
                    source=shift.source,
                    shift=shift,
                    received_on=timezone.localdate(),
                    tenders=[TenderLine(t, a, r) for t, a, r in data["tenders"]],
                    allocations=data["allocations"],
                    idempotency_key=f"counter:{data['key']}",
                    payer_name=data["payer_name"],
                    created_by=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                return redirect("cashiering:receipt", pk=payment.pk)
        status = 400
    else:
        initial = {"key": uuid.uuid4().hex, "tender_1": "CASH"}
        if request.GET.get("account"):
            initial["account_1"] = request.GET["account"]
        form = CounterPaymentForm(initial=initial)
        status = 200
    return render(request, "cashiering/counter.html", {"form": form, "shift": shift}, status=status)


@allow(Area.CASHIERING)
def counter_search(request):
    """Find the paying account by name or address without leaving the counter."""
    from accounts.selectors import account_search

    outcome = account_search(request.GET.get("q", ""), limit=10)
    hits = outcome.hits
    if outcome.jump_to is not None:
        from accounts.selectors.search import exact_match_outcome

        hits = exact_match_outcome(outcome).hits
    return render(request, "cashiering/_counter_search.html", {"hits": hits, "q": outcome.query})


@allow(Area.CASHIERING)
def account_lookup(request):
    # htmx sends the account field that changed, named account_1, account_2, ...
    q = request.GET.get("q") or next(
        (v for k, v in request.GET.items() if k.startswith("account_") and v.strip()), ""
    )
    info = account_at_counter(q)
    return render(request, "cashiering/_account_summary.html", {"info": info, "q": q})


def _payment(pk):
    return get_object_or_404(
        Payment.objects.select_related("source", "created_by").prefetch_related(
            "tenders", "allocations__account"
        ),
        pk=pk,
    )


@allow(Area.CASHIERING)
def receipt(request, pk):
    return render(request, "cashiering/receipt.html", {"payment": _payment(pk)})


@allow(Area.CASHIERING)
def receipt_pdf(request, pk):
    payment = _payment(pk)
    pdf = render_pdf("cashiering/receipt_pdf.html", {"payment": payment})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{payment.pk}.pdf"'
    return response


@allow(Area.CASHIERING)
def close_drawer(request, pk):
    shift = get_object_or_404(DrawerShift.objects.select_related("source"), pk=pk)
    if shift.cashier_id != request.user.pk:
        raise Http404("Not your shift.")
    form = CloseShiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        supervisor = None
        if data["supervisor"]:
            supervisor = authenticate(
                request, username=data["supervisor"], password=data["supervisor_password"]
            )
            if supervisor is None:
                form.add_error("supervisor", "That supervisor sign-in is not right.")
        if not form.errors:
            try:
                shift_close(
                    shift_id=shift.pk,
                    cashier=request.user,
                    denominations=form.denominations(),
                    checks=data["checks"],
                    reason=data["reason"],
                    signed_off_by=supervisor,
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, "Drawer closed and balanced.")
                return redirect("cashiering:index")
    return render(
        request,
        "cashiering/close.html",
        {"shift": shift, "form": form, "expected": shift_expected(shift)},
        status=400 if form.errors else 200,
    )


SUPERVISORS = {Role.SUPERVISOR, Role.ADMINISTRATOR}


@allow(Area.CASHIERING, roles=SUPERVISORS)
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


@allow(Area.CASHIERING, roles=SUPERVISORS)
def payment_file_detail(request, pk):
    kept = get_object_or_404(PaymentFile, pk=pk)
    return render(request, "cashiering/payment_file.html", {"file": kept})


@allow(Area.CASHIERING, roles=SUPERVISORS)
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


@allow(Area.CASHIERING, roles=SUPERVISORS)
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


@allow(Area.CASHIERING, roles=SUPERVISORS)
def deposits(request):
    if request.method == "POST":
        try:
            deposit = deposit_services.deposit_prepare(
                shift_ids=[int(pk) for pk in request.POST.getlist("shift")],
                prepared_by=request.user,
            )
        except (ValidationError, ValueError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, f"Deposit {deposit.pk} prepared: print its slip.")
        return redirect("cashiering:deposits")
    waiting = DrawerShift.objects.filter(
        status=DrawerShift.Status.CLOSED, deposit__isnull=True
    ).select_related("source", "cashier")
    return render(
        request,
        "cashiering/deposits.html",
        {
            "waiting": waiting,
            "deposits": BankDeposit.objects.prefetch_related("shifts__source")[:30],
        },
    )


@allow(Area.CASHIERING, roles=SUPERVISORS)
def deposit_slip(request, pk):
    deposit = get_object_or_404(
        BankDeposit.objects.prefetch_related("shifts__source", "shifts__cashier"), pk=pk
    )
    pdf = render_pdf("cashiering/deposit_slip.html", {"deposit": deposit})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="deposit-{deposit.pk}.pdf"'
    return response


class DailyCashReport(AllowMixin, SafeExportMixin, SingleTableMixin, TemplateView):
    area = Area.CASHIERING
    template_name = "cashiering/daily_cash.html"

    def day(self):
        try:
            return date.fromisoformat(self.request.GET.get("day", ""))
        except ValueError:
            return timezone.localdate()

    def get_table_data(self):
        return deposit_services.daily_cash_report(self.day())

    def get_table_class(self):
        return DailyCashTable

    def get_context_data(self, **kwargs):
        return super().get_context_data(day=self.day(), **kwargs)


class CashieringReportView(
    AllowMixin, RowsTableMixin, SafeExportMixin, SingleTableMixin, TemplateView
):
    area = Area.CASHIERING
    roles = SUPERVISORS
    template_name = "cashiering/report.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if kwargs["name"] not in reports.REPORTS:
            raise Http404("No such report.")

    def period(self):
        today = timezone.localdate()
        try:
            start = date.fromisoformat(self.request.GET.get("start", ""))
        except ValueError:
            start = today.replace(day=1)
        try:
            end = date.fromisoformat(self.request.GET.get("end", ""))
        except ValueError:
            end = today
        return start, end

    def report_rows(self):
        start, end = self.period()
        name = self.kwargs["name"]
        if name == "payments":
            return reports.payments_by_source(start, end)
        if name == "over-short":
            return reports.over_short_by_cashier(start, end)
        if name == "reconciliation":
            return deposit_services.file_reconciliation(start, end)
        return reports.suspense_aging(timezone.localdate())

    def get_context_data(self, **kwargs):
        start, end = self.period()
        return super().get_context_data(
            title=reports.REPORTS[self.kwargs["name"]],
            reports=reports.REPORTS,
            start=start,
            end=end,
            **kwargs,
        )


@allow(Area.CASHIERING)
def payment_detail(request, pk):
    return render(request, "cashiering/payment.html", {"payment": _payment(pk)})


@allow(Area.CASHIERING)
@require_POST
def payment_void_view(request, pk):
    supervisor = authenticate(
        request,
        username=request.POST.get("supervisor", ""),
        password=request.POST.get("password", ""),
    )
    if supervisor is None:
        messages.error(request, "A void needs a supervisor to sign in here.")
        return redirect("cashiering:payment", pk=pk)
    try:
        correction_services.payment_void(
            payment_id=pk, supervisor=supervisor, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Payment voided; hand the money back.")
    return redirect("cashiering:payment", pk=pk)


@allow(Area.CASHIERING)
@require_POST
def payment_transfer_view(request, pk):
    from accounts.selectors import account_by_number

    allocation = get_object_or_404(
        PaymentAllocation, pk=request.POST.get("allocation"), payment_id=pk
    )
    account = account_by_number(request.POST.get("account", "").strip())
    try:
        if account is None:
            raise ValidationError("Enter the account number the payment belongs to.")
        correction_services.payment_transfer(
            allocation_id=allocation.pk,
            to_account=account,
            amount=None,
            reason=request.POST.get("reason", ""),
            by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Payment moved to {account.number}; both accounts show it.")
    return redirect("cashiering:payment", pk=pk)


@allow(Area.CASHIERING)
def refunds(request):
    from accounts.selectors import account_by_number

    if request.method == "POST":
        account = account_by_number(request.POST.get("account", "").strip())
        try:
            if account is None:
                raise ValidationError("Enter the account number.")
            refund_services.refund_request(
                account=account,
                amount=Decimal(request.POST.get("amount") or "0"),
                reason=request.POST.get("reason", ""),
                requested_by=request.user,
            )
        except (ValidationError, ArithmeticError) as exc:
            messages.error(
                request, " ".join(getattr(exc, "messages", ["Enter the amount as a number."]))
            )
        else:
            messages.success(request, "Refund requested; a supervisor approves it.")
        return redirect("cashiering:refunds")
    return render(
        request,
        "cashiering/refunds.html",
        {
            "refunds": CreditRefund.objects.select_related("account", "requested_by", "decided_by")[
                :100
            ]
        },
    )


@allow(Area.CASHIERING, roles=SUPERVISORS)
@require_POST
def refund_decide(request, pk, decision):
    get_object_or_404(CreditRefund, pk=pk)  # a missing refund is a 404, not a 500
    try:
        if decision == "approve":
            refund_services.refund_approve(refund_id=pk, by=request.user)
        elif decision == "reject":
            refund_services.refund_reject(
                refund_id=pk, by=request.user, why=request.POST.get("why", "")
            )
        else:
            raise Http404("No such decision.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Refund decided.")
    return redirect("cashiering:refunds")
