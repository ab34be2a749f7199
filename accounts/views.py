from django.shortcuts import get_object_or_404, redirect, render

from mesa_cs.lib.roles import Area, allow
from staffing.selectors import work_items_for_account

from .models import Account
from .selectors import account_by_number, account_search


@allow(Area.ACCOUNTS)
def index(request):
    q = request.GET.get("q", "").strip()
    exact = account_by_number(q) if q.isdigit() and len(q) == 10 else None
    if exact is not None:
        return redirect(exact)
    results = account_search(q)[:50]
    return render(request, "accounts/index.html", {"q": q, "results": results})


@allow(Area.ACCOUNTS)
def detail(request, number):
    account = get_object_or_404(Account, number=number)
    return render(
        request,
        "accounts/detail.html",
        {"account": account, "work_items": work_items_for_account(account)},
    )
