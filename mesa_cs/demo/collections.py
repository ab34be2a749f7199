"""Demo collections: the city's delinquent customers walked up their ladders
by real runs over the last weeks, a heat day, and holds."""

from __future__ import annotations

from datetime import date, timedelta

from accounts.models import Account
from credit.models import CollectionRun, CollectionState, HeatDay, Hold
from credit.services.collections import collections_run
from credit.services.holds import hold_place

# Far enough apart for each ladder step's delay: reminder, notice, eligible, disconnect.
RUN_DAYS_BACK = (21, 11, 1, 0)
MAX_ACCOUNTS = 20_000  # the benchmarks' cities start their ladders themselves


def demo_collections(*, supervisor, today: date) -> dict | None:
    if Account.objects.count() > MAX_ACCOUNTS:
        return None
    HeatDay.objects.get_or_create(
        day=date(today.year, 7, 14), kind=HeatDay.Kind.WARNING,
        defaults={"note": "NWS excessive heat warning, 116 °F", "recorded_by": supervisor},
    )  # fmt: skip
    report = None
    latest = CollectionRun.objects.order_by("-run_on").values_list("run_on", flat=True).first()
    for back in RUN_DAYS_BACK:
        day = today - timedelta(days=back)
        if latest is None or day >= latest:
            report = collections_run(on=day, by=supervisor)
    states = list(
        CollectionState.objects.filter(step__action="eligible").order_by("account_id")[:2]
    )
    reasons = [
        (Hold.Kind.MEDICAL, "Medical certificate: home dialysis (Dr. Patel, Banner Desert)"),
        (Hold.Kind.DISPUTE, "Customer disputes the October water usage; re-read ordered"),
    ]
    for state, (kind, reason) in zip(states, reasons, strict=False):
        hold_place(
            account=state.account, kind=kind, reason=reason, owner=supervisor,
            ends_on=today + timedelta(days=60), source_key=f"demo-hold:{state.account_id}",
        )  # fmt: skip
    return report.as_dict() if report else None
