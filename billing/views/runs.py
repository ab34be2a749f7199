from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from billing.forms import (
    BillRunForm,
    CalculatorForm,
    CancelRebillForm,
)
from billing.models import Bill, BillRun
from billing.pdf import bill_pdf
from billing.rules.engine import BillInput, RateError, calculate
from billing.rules.ratebook import RateBookError
from billing.selectors.bills import bills_paid_state, same_services_last_year
from billing.services import adjustments as adjustment_services
from billing.services.print_file import print_file_path
from billing.services.rates import ratebook_from_db
from billing.services.runs import BillRunError, bill_run_start, bill_run_summary
from mesa_cs.lib.roles import BILLING_WORK_ROLES, Area, allow, user_can
from staffing.models import Section
from staffing.shortcuts import section_index


@allow(Area.BILLING)
def index(request):
    return section_index(
        request,
        template="billing/index.html",
        section=Section.ACCOUNT_MAINTENANCE,
        can_edit_rates=user_can(request.user, Area.RATES),
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
            context["last_year"] = same_services_last_year(
                data["account"], data["schedule"].utility, data["end"], context["calc"].total
            )
            context["utility"] = data["schedule"].get_utility_display()
    template = "billing/_calculation.html" if request.htmx else "billing/calculator.html"
    return render(request, template, context)


@allow(Area.BILLING)
def runs(request):
    return render(
        request,
        "billing/runs.html",
        {"runs": BillRun.objects.select_related("cycle")[:50], "form": BillRunForm()},
    )


@allow(Area.BILLING, roles=BILLING_WORK_ROLES)
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
    from accounts.models import Utility

    summary = bill_run_summary(run)
    return {
        "run": run,
        "summary": summary,
        "by_utility": [
            (Utility(utility).label, amount, summary["estimated_by_utility"].get(utility, 0))
            for utility, amount in summary["billed_by_utility"].items()
        ],
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
    bills_paid_state([bill])
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


@allow(Area.BILLING, roles=BILLING_WORK_ROLES)
def run_print_file(request, pk):
    run = get_object_or_404(BillRun, pk=pk)
    path = print_file_path(run.pk)
    if not default_storage.exists(path):
        raise Http404("The print file is still being built.")
    return FileResponse(
        default_storage.open(path, "rb"), as_attachment=True, filename=f"bill-run-{run.pk}.csv"
    )


@allow(Area.BILLING, roles=BILLING_WORK_ROLES)
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
