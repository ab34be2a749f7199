from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from billing.filters import AdjustmentFilter
from billing.forms import (
    AdjustmentForm,
    BillRunForm,
    CalculatorForm,
    CancelRebillForm,
    DecisionForm,
    ReadImportForm,
    ReadRouteForm,
)
from billing.models import Adjustment, Bill, BillRun, ReadImport
from billing.pdf import bill_pdf
from billing.rules.engine import BillInput, RateError, calculate
from billing.rules.ratebook import RateBookError
from billing.selectors import reports
from billing.selectors.bills import held_reads, investigation, read_entry_rows, same_month_last_year
from billing.services import adjustments as adjustment_services
from billing.services import reads as read_services
from billing.services.print_file import print_file_path
from billing.services.rates import ratebook_from_db
from billing.services.runs import BillRunError, bill_run_start, bill_run_summary
from billing.tables import AdjustmentTable
from billing.tasks import read_import
from mesa_cs.lib.export import RowsTableMixin, SafeExportMixin
from mesa_cs.lib.roles import AllowMixin, Area, Role, allow
from staffing.models import Section
from staffing.shortcuts import section_index

RUNNERS = {Role.BILLING, Role.SUPERVISOR, Role.ADMINISTRATOR}


@allow(Area.BILLING)
def index(request):
    return section_index(
        request, template="billing/index.html", section=Section.ACCOUNT_MAINTENANCE
    )


@allow(Area.BILLING)
def calculator(request):
    form = CalculatorForm(request.GET or None)
    context = {"form": form}
    if form.is_valid():
        data = form.cleaned_data
        bill = BillInput(
            schedule=data["schedule"].code,
            start=data["start"],
            end=data["end"],
            usage=data["usage"],
            meter_size=data["meter_size"] or None,
            quantity=data["quantity"],
            service=data["service"] or None,
            acres=data["acres"],
            winter_average=data["winter_average"],
            programs=frozenset(data["programs"]),
        )
        try:
            context["calc"] = calculate(ratebook_from_db(), bill)
        except (RateError, RateBookError) as exc:
            context["error"] = str(exc)
        if data["account"] and "calc" in context:
            context["last_year"] = same_month_last_year(
                data["account"], data["end"], context["calc"].total
            )
    template = "billing/_calculation.html" if request.htmx else "billing/calculator.html"
    return render(request, template, context)


@allow(Area.BILLING)
def runs(request):
    return render(
        request,
        "billing/runs.html",
        {"runs": BillRun.objects.select_related("cycle")[:50], "form": BillRunForm()},
    )


@allow(Area.BILLING, roles=RUNNERS)
@require_POST
def run_start(request):
    form = BillRunForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "billing/runs.html",
            {"runs": BillRun.objects.select_related("cycle")[:50], "form": form},
            status=400,
        )
    cycle = form.cleaned_data["cycle"]
    try:
        run = bill_run_start(
            cycle=None if cycle == "all" else int(cycle),
            bill_on=form.cleaned_data["bill_on"],
            created_by=request.user,
        )
    except BillRunError as exc:
        form.add_error("bill_on", str(exc))
        return render(
            request,
            "billing/runs.html",
            {"runs": BillRun.objects.select_related("cycle")[:50], "form": form},
            status=400,
        )
    messages.success(request, f"{run} started: {run.total} accounts to bill.")
    return redirect("billing:run", pk=run.pk)


def _run_context(run):
    return {
        "run": run,
        "summary": bill_run_summary(run),
        "exceptions": run.items.filter(status="exception").select_related("account")[:100],
    }


@allow(Area.BILLING)
def run_detail(request, pk):
    run = get_object_or_404(BillRun.objects.select_related("cycle"), pk=pk)
    return render(request, "billing/run.html", _run_context(run))


@allow(Area.BILLING)
def run_progress(request, pk):
    run = get_object_or_404(BillRun.objects.select_related("cycle"), pk=pk)
    return render(request, "billing/_run_progress.html", _run_context(run))


@allow(Area.BILLING)
def bill_detail(request, pk):
    bill = get_object_or_404(Bill.objects.select_related("account", "run"), pk=pk)
    segments = bill.segments.prefetch_related("lines").select_related("service_agreement")
    return render(request, "billing/bill.html", {"bill": bill, "segments": segments})


@allow(Area.BILLING)
def bill_pdf_view(request, pk):
    bill = get_object_or_404(Bill.objects.select_related("account"), pk=pk)
    response = HttpResponse(bill_pdf(bill), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="bill-{bill.account.number}-{bill.bill_on:%Y%m%d}.pdf"'
    )
    return response


@allow(Area.BILLING, roles=RUNNERS)
def run_print_file(request, pk):
    run = get_object_or_404(BillRun, pk=pk)
    path = print_file_path(run.pk)
    if not default_storage.exists(path):
        raise Http404("The print file is still being built.")
    return FileResponse(
        default_storage.open(path, "rb"), as_attachment=True, filename=f"bill-run-{run.pk}.csv"
    )


class AdjustmentListView(AllowMixin, SafeExportMixin, SingleTableMixin, FilterView):
    area = Area.BILLING
    roles = RUNNERS
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


@allow(Area.BILLING, roles=RUNNERS)
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
                messages.success(request, f"Adjustment of ${adjustment.amount} posted.")
            else:
                messages.info(
                    request, f"Adjustment of ${adjustment.amount} is waiting for a second approver."
                )
            return redirect("billing:adjustments")
    request.method = "GET"  # show the list again, with the refused form
    response = AdjustmentListView.as_view(form=form)(request)
    response.status_code = 400
    return response


@allow(Area.BILLING, roles=RUNNERS)
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


@allow(Area.BILLING, roles=RUNNERS)
@require_POST
def bill_cancel(request, pk):
    bill = get_object_or_404(Bill, pk=pk)
    form = CancelRebillForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the bill is cancelled.")
        return redirect("billing:bill", pk=bill.pk)
    try:
        rebill = adjustment_services.bill_cancel_rebill(
            bill_id=bill.pk,
            reason=form.cleaned_data["reason"],
            by=request.user,
            book=ratebook_from_db(),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("billing:bill", pk=bill.pk)
    messages.success(request, "The bill was cancelled and a corrected bill issued.")
    return redirect("billing:bill", pk=rebill.pk)


@allow(Area.BILLING, roles=RUNNERS)
def reads_entry(request):
    """Keyboard-fast read entry: one field per meter, Tab to the next, Enter saves."""
    source = request.POST if request.method == "POST" else request.GET
    form = ReadRouteForm(source or None)
    rows, results = [], []
    if form.is_valid():
        data = form.cleaned_data
        offset = max(int(request.GET.get("offset", 0) or 0), 0)
        rows = read_entry_rows(data["cycle"], data["route"], offset=offset)
        if request.method == "POST":
            results = _save_reads(request, rows, data["read_on"])
            held = sum(1 for _, status in results if status == "held")
            messages.success(request, f"{len(results)} reads saved, {held} held for review.")
            rows = read_entry_rows(data["cycle"], data["route"], offset=offset)
    return render(
        request, "billing/reads_entry.html", {"form": form, "rows": rows, "results": results}
    )


def _save_reads(request, rows, read_on):
    from decimal import Decimal, InvalidOperation

    from accounts.models import MeterRead

    results = []
    for installation, _last in rows:
        text = request.POST.get(f"register-{installation.pk}", "").strip()
        if not text:
            continue
        try:
            register = Decimal(text)
        except InvalidOperation:
            messages.error(request, f"Meter {installation.meter.number}: {text!r} is not a number.")
            continue
        try:
            read = read_services.read_record(
                installation=installation, read_on=read_on, register=register, source="office"
            )
        except ValidationError as exc:
            messages.error(request, f"Meter {installation.meter.number}: {' '.join(exc.messages)}")
            continue
        results.append(
            (
                installation.meter.number,
                "held" if read.status == MeterRead.Status.EXCEPTION else "accepted",
            )
        )
    return results


@allow(Area.BILLING, roles=RUNNERS)
def read_exceptions(request):
    return render(request, "billing/read_exceptions.html", {"reads": held_reads()[:200]})


@allow(Area.BILLING, roles=RUNNERS)
@require_POST
def read_exception_act(request, pk, action):
    from decimal import Decimal, InvalidOperation

    from accounts.models import MeterRead

    get_object_or_404(MeterRead, pk=pk)  # a missing read is a 404, not a 500
    try:
        if action == "accept":
            read_services.read_accept(read_id=pk, by=request.user)
        elif action == "reread":
            read_services.read_order_reread(read_id=pk, by=request.user)
        elif action == "replace":
            try:
                register = Decimal(request.POST.get("register", ""))
            except InvalidOperation:
                raise ValidationError("Enter the corrected register as a number.") from None
            read_services.read_replace(read_id=pk, register=register, by=request.user)
        else:
            raise Http404("No such action.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Done.")
    return redirect("billing:read_exceptions")


@allow(Area.BILLING, roles=RUNNERS)
def reads_import_view(request):
    form = ReadImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kept = read_services.read_import_receive(
            content=upload.read(), name=upload.name, imported_by=request.user
        )
        if upload.size > settings.IMPORT_INLINE_MAX_BYTES:
            # Longer than a request may take: a worker imports it while the
            # import's page shows how far it has got.
            read_import.delay_on_commit(kept.pk)
            return redirect("billing:read_import", pk=kept.pk)
        report = read_services.read_import_process(import_id=kept.pk).summary
    return render(
        request,
        "billing/reads_import.html",
        {"form": form, "report": report},
        status=400 if form.errors else 200,
    )


@allow(Area.BILLING, roles=RUNNERS)
def read_import_detail(request, pk):
    kept = get_object_or_404(ReadImport, pk=pk)
    return render(request, "billing/read_import.html", {"import": kept})


@allow(Area.BILLING, roles=RUNNERS)
def read_import_progress(request, pk):
    kept = get_object_or_404(ReadImport, pk=pk)
    return render(request, "billing/_read_import_progress.html", {"import": kept})


class ReportView(AllowMixin, RowsTableMixin, SafeExportMixin, SingleTableMixin, TemplateView):
    """One page for the four billing reports; each exports to CSV and Excel."""

    area = Area.BILLING
    template_name = "billing/report.html"
    paginate_by = 100

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if kwargs["name"] not in reports.REPORTS:
            raise Http404("No such report.")
        self.name = kwargs["name"]

    def report_rows(self):
        today = timezone.localdate()
        year = _int(self.request.GET.get("year"), today.year)
        if self.name == "register":
            run = _int(self.request.GET.get("run"), None) or (
                BillRun.objects.values_list("pk", flat=True).first()
            )
            return reports.billing_register(run) if run else []
        if self.name == "revenue":
            return reports.revenue_by_schedule(year)
        if self.name == "consumption":
            return reports.consumption_by_class(year)
        return reports.read_exception_aging(today)

    def get_export_filename(self, export_format):
        return f"{self.name}.{export_format}"

    def get_context_data(self, **kwargs):
        title, blurb = reports.REPORTS[self.name]
        return super().get_context_data(
            title=title,
            blurb=blurb,
            reports=reports.REPORTS,
            runs=BillRun.objects.select_related("cycle")[:30],
            **kwargs,
        )


def _int(text, default):
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


@allow(Area.BILLING)
def high_bill(request, number):
    from accounts.selectors import account_by_number

    account = account_by_number(number)
    if account is None:
        raise Http404("No such account.")
    return render(
        request,
        "billing/high_bill.html",
        {"account": account, "services": investigation(account)},
    )


@allow(Area.BILLING)
@require_POST
def meter_test_request(request, number):
    from accounts.selectors import account_by_number
    from staffing.models import Section
    from staffing.services import work_item_open

    account = account_by_number(number)
    if account is None:
        raise Http404("No such account.")
    work_item_open(
        kind="meter_test",
        section=Section.ACCOUNT_MAINTENANCE,
        title=f"Meter test requested for {account.number} (high-bill investigation)",
        account=account,
        opened_by=request.user,
        source_key=f"meter-test:{account.pk}",
    )
    messages.success(
        request, "Meter test requested: it is in the Account Maintenance & Billing queue."
    )
    return redirect("billing:high_bill", number=number)
