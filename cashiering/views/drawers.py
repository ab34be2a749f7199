import uuid

from django.contrib import messages
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cashiering.forms import CloseShiftForm, CounterPaymentForm, OpenShiftForm
from cashiering.models import (
    DrawerShift,
)
from cashiering.selectors.counter import (
    account_at_counter,
    open_shift_for,
    payment_shown,
    shift_payments,
)
from cashiering.services.drawers import shift_close, shift_expected, shift_open
from cashiering.services.payments import TenderLine, payment_take
from mesa_cs.lib.pdf import render_pdf
from mesa_cs.lib.roles import Area, allow


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


@allow(Area.CASHIERING)
def receipt(request, pk):
    return render(request, "cashiering/receipt.html", {"payment": payment_shown(pk)})


@allow(Area.CASHIERING)
def receipt_pdf(request, pk):
    payment = payment_shown(pk)
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
