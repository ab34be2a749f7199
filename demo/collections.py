"""Demo collections: the city's delinquent customers walked up their ladders
by real runs over the last weeks, a heat day, and holds."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

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
    # Last summer's heat warning: the latest 14 July on or before today.
    heat_year = today.year if (today.month, today.day) >= (7, 14) else today.year - 1
    HeatDay.objects.get_or_create(
        day=date(heat_year, 7, 14),
        kind=HeatDay.Kind.WARNING,
        defaults={"note": "NWS excessive heat warning, 116 °F", "recorded_by": supervisor},
    )
    report = None
    latest = CollectionRun.objects.order_by("-run_on").values_list("run_on", flat=True).first()
    for back in RUN_DAYS_BACK:
        day = today - timedelta(days=back)
        if latest is None or day >= latest:
            report = collections_run(on=day, by=supervisor)
    _arrangements_pledges_bankruptcy(supervisor, today)
    states = list(
        CollectionState.objects.filter(step__action="eligible", held_by="")
        .exclude(account__holds__released_on__isnull=True)
        .order_by("account_id")[:2]
    )
    reasons = [
        (Hold.Kind.MEDICAL, "Medical certificate: home dialysis (Dr. Patel, Banner Desert)"),
        (Hold.Kind.DISPUTE, "Customer disputes the October water usage; re-read ordered"),
    ]
    for state, (kind, reason) in zip(states, reasons, strict=False):
        hold_place(
            account=state.account,
            kind=kind,
            reason=reason,
            owner=supervisor,
            starts_on=today,
            ends_on=today + timedelta(days=60),
            source_key=f"demo-hold:{state.account_id}",
        )
    return report.as_dict() if report else None


def _arrangements_pledges_bankruptcy(supervisor, today: date) -> None:
    """An arrangement, a pledge and a bankruptcy on three delinquent accounts."""
    from django.core.exceptions import ValidationError

    from credit.models import Bankruptcy, PaymentArrangement, Pledge
    from credit.services.arrangements import arrangement_make
    from credit.services.assistance import pledge_record
    from credit.services.bankruptcy import bankruptcy_record

    if PaymentArrangement.objects.exists() or Pledge.objects.exists():
        return
    candidates = list(
        CollectionState.objects.filter(past_due__gt=0, account__status="active")
        .order_by("-past_due")
        .values_list("account", flat=True)[:30]
    )
    accounts = iter(Account.objects.filter(pk__in=candidates).order_by("number"))
    made = {"arrangement": False, "pledge": False, "bankruptcy": False}
    for account in accounts:
        try:
            if not made["arrangement"]:
                arrangement_make(
                    account=account,
                    down_payment=Decimal("40.00"),
                    months=4,
                    made_by=supervisor,
                    on=today,
                )
                made["arrangement"] = True
            elif not made["pledge"]:
                pledge_record(
                    account=account,
                    agency=Pledge.Agency.MESACAN,
                    amount=Decimal("150.00"),
                    expires_on=today + timedelta(days=30),
                    reference="ANL-26-0412",
                    recorded_by=supervisor,
                    on=today,
                )
                made["pledge"] = True
            elif not made["bankruptcy"]:
                bankruptcy_record(
                    account=account,
                    case_number="2:26-bk-08817",
                    chapter=Bankruptcy.Chapter.THIRTEEN,
                    court="U.S. Bankruptcy Court, District of Arizona",
                    petition_on=today - timedelta(days=3),
                    recorded_by=supervisor,
                )
                made["bankruptcy"] = True
            else:
                break
        except ValidationError:
            continue  # not eligible for that; try the next account
