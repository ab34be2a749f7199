from django.shortcuts import render

from mesa_cs.lib.roles import Area, allow
from staffing.models import Section
from staffing.shortcuts import section_index

from .engine import BillInput, RateError, calculate
from .forms import CalculatorForm
from .ratebook import RateBookError
from .selectors import same_month_last_year
from .services.rates import ratebook_from_db


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
