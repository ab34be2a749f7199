from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from cashiering.models import (
    BankDeposit,
    DrawerShift,
)
from cashiering.services import deposits as deposit_services
from mesa_cs.lib.pdf import render_pdf
from mesa_cs.lib.roles import LEADS, Area, allow


@allow(Area.CASHIERING, roles=LEADS)
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


@allow(Area.CASHIERING, roles=LEADS)
def deposit_slip(request, pk):
    deposit = get_object_or_404(
        BankDeposit.objects.prefetch_related("shifts__source", "shifts__cashier"), pk=pk
    )
    pdf = render_pdf("cashiering/deposit_slip.html", {"deposit": deposit})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="deposit-{deposit.pk}.pdf"'
    return response
