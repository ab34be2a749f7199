"""Monthly statements of open alarm invoices: the list of who owes, one
holder's statement, and a page of them printed together for the mail."""

from __future__ import annotations

from datetime import date

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from accounts.models import Account
from alarms.selectors.permits import statement_balances, statement_for
from mesa_cs.lib.dates import today
from mesa_cs.lib.pdf import render_pdf
from mesa_cs.lib.roles import Area, allow

PER_PAGE = 50


def _as_of(request) -> date:
    try:
        return min(date.fromisoformat(request.GET.get("as_of", "")), today())
    except ValueError:
        return today()


@allow(Area.ALARMS)
def statements(request):
    as_of = _as_of(request)
    page = Paginator(statement_balances(as_of), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "alarms/statements.html", {"as_of": as_of, "page": page})


def _pdf(statements: list[dict], filename: str) -> HttpResponse:
    response = HttpResponse(
        render_pdf("alarms/statement_pdf.html", {"statements": statements}),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@allow(Area.ALARMS)
def statement_pdf(request, number):
    account = Account.objects.filter(number=number, kind=Account.Kind.ALARM).first()
    if account is None:
        raise Http404("No such alarm account.")
    as_of = _as_of(request)
    return _pdf([statement_for(account, as_of)], f"alarm-statement-{number}-{as_of}.pdf")


@allow(Area.ALARMS)
def statements_pdf(request):
    """The listed page's statements in one PDF, for the mail room."""
    as_of = _as_of(request)
    page = Paginator(statement_balances(as_of), PER_PAGE).get_page(request.GET.get("page"))
    return _pdf(
        [statement_for(account, as_of) for account in page],
        f"alarm-statements-{as_of}-page-{page.number}.pdf",
    )
