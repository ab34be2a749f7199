import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from accounts.rules.scanline import parse_scan_line
from cashiering.forms import (
    ROWS,
    CloseShiftForm,
    CounterPaymentForm,
    OpenShiftForm,
    counter_tally,
    drawer_count_read,
    scan_lines_read,
)
from cashiering.models import (
    DrawerShift,
)
from cashiering.selectors.counter import (
    account_at_counter,
    open_shift_for,
    receipt_for,
    shift_payments,
)
from cashiering.services.drawers import drawer_count, shift_close, shift_expected, shift_open
from cashiering.services.payments import TenderLine, payment_take
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.luhn import looks_like_card_number
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
    if request.htmx and request.method == "GET":
        # The live panel: amount due, tendered and change from the fields so far.
        return render(
            request,
            "cashiering/_counter_tally.html",
            {"tally": counter_tally(scan_lines_read(request.GET))},
        )
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
                form.forget_card_numbers()
            else:
                return redirect("cashiering:receipt", pk=payment.pk)
        status = 400
        data = form.data
    else:
        initial = {"key": uuid.uuid4().hex, "tender_1": "CASH"}
        account = request.GET.get("account", "").strip()
        if account and (parse_scan_line(account) or not looks_like_card_number(account)):
            initial["account_1"] = account
        initial = scan_lines_read(initial)
        form = CounterPaymentForm(initial=initial)
        status = 200
        data = initial
    return render(
        request,
        "cashiering/counter.html",
        {
            "form": form,
            "shift": shift,
            "rows": counter_rows(form, data),
            "tally": counter_tally(data),
        },
        status=status,
    )


def counter_rows(form, data) -> dict:
    """The counter's rows with their fields; each account row with its lookup
    (kept on the screen after a refusal), and whether each extra row is in
    use (Tab skips the empty ones)."""
    accounts, tenders = [], []
    for n in range(1, ROWS + 1):
        text = (data.get(f"account_{n}") or "").strip()
        accounts.append(
            {
                "n": n,
                "account": form[f"account_{n}"],
                "amount": form[f"amount_{n}"],
                "lookup": {"info": account_at_counter(text), "q": text} if text else None,
                "used": form.row_used("account", n) or bool(text),
            }
        )
        tenders.append(
            {
                "n": n,
                "tender": form[f"tender_{n}"],
                "amount": form[f"tender_amount_{n}"],
                "reference": form[f"reference_{n}"],
                "used": form.row_used("tender", n),
            }
        )
    return {"accounts": accounts, "tenders": tenders}


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
    """What the cashier sees beside an account field once it is filled. A
    scan line also tells the page (an htmx event) the account number and the
    stub's amount to put in the row's fields."""
    # htmx sends the account field that changed, named account_1, account_2, ...
    name, q = next(
        ((k, v) for k, v in request.GET.items() if k.startswith("account_") and v.strip()),
        ("", request.GET.get("q", "")),
    )
    info = account_at_counter(q)
    # A number the lookup refused is not written back if it is a card number.
    shown = "" if looks_like_card_number(q) and info is None else q
    response = render(request, "cashiering/_account_summary.html", {"info": info, "q": shown})
    if info is not None and info["scanned_amount"] is not None and name:
        trigger_client_event(
            response,
            "counter:scanned",
            {
                "row": name.removeprefix("account_"),
                "account": info["account"].number,
                "amount": f"{info['scanned_amount']:.2f}" if info["scanned_amount"] > 0 else "",
            },
            after="settle",
        )
    return response


@allow(Area.CASHIERING)
def receipt(request, pk):
    return render(request, "cashiering/receipt.html", {"receipt": receipt_for(pk)})


@allow(Area.CASHIERING)
def receipt_pdf(request, pk):
    shown = receipt_for(pk)
    pdf = render_pdf("cashiering/receipt_pdf.html", {"receipt": shown})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{pk}.pdf"'
    return response


@allow(Area.CASHIERING)
def close_drawer(request, pk):
    shift = get_object_or_404(DrawerShift.objects.select_related("source"), pk=pk)
    if shift.cashier_id != request.user.pk:
        raise Http404("Not your shift.")
    if request.htmx:
        # The running totals while the cashier counts; posted, as the check
        # lines are typed text and must not land in a URL or an access log.
        return render(
            request,
            "cashiering/_close_tally.html",
            {"count": drawer_count(shift_expected(shift), *drawer_count_read(request.POST))},
        )
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
                closed = shift_close(
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
                if closed.awaits_sign_off:
                    messages.warning(
                        request,
                        f"Drawer closed {money_text(closed.difference)} over/short; "
                        "it waits for a supervisor's sign-off before it goes to the bank.",
                    )
                else:
                    messages.success(request, "Drawer closed and balanced.")
                return redirect("cashiering:index")
    expected = shift_expected(shift)
    return render(
        request,
        "cashiering/close.html",
        {
            "shift": shift,
            "form": form,
            "expected": expected,
            "count": drawer_count(expected, *drawer_count_read(form.data)),
            "threshold": settings.DRAWER_SIGN_OFF_THRESHOLD,
        },
        status=400 if form.errors else 200,
    )
