from django.shortcuts import render

from billing.selectors.cycles import accounts_without_cycle as without_cycle
from mesa_cs.lib.roles import Area, allow


@allow(Area.BILLING)
def accounts_without_cycle(request):
    accounts = without_cycle()
    return render(
        request,
        "billing/accounts_without_cycle.html",
        {"accounts": accounts[:500], "count": accounts.count()},
    )
