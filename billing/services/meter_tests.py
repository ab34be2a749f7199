"""A meter test found the meter fast: credit the usage charges it overbilled
(house rule, docs/service_orders.md). A slow meter is not back-billed."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum

from accounts.models import FieldActivity
from billing.models import Adjustment, Bill, BillLine
from billing.services.adjustments import adjustment_request
from mesa_cs.lib.money import ZERO, to_money

USAGE_LINES = ("per_unit", "tiered", "usage_credit")


def overbilled(activity: FieldActivity) -> Decimal:
    """Usage charges over the adjustment window × error / (100 + error): what
    an accurate meter would have billed less."""
    error = activity.meter_error_percent
    since = activity.completed_on - timedelta(days=30 * settings.METER_ERROR_ADJUST_MONTHS)
    usage_charges = (
        BillLine.objects.filter(
            segment__bill__account_id=activity.account_id,
            segment__bill__status=Bill.Status.ISSUED,
            segment__service_agreement__service_point_id=activity.service_point_id,
            segment__end__gt=since,
            segment__end__lte=activity.completed_on,
            kind__in=USAGE_LINES,
        ).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    return to_money(usage_charges * error / (100 + error))


@transaction.atomic
def meter_test_adjust(*, activity_id: int, by) -> Adjustment | None:
    """The credit for a fast meter beyond tolerance, as an adjustment (which
    waits for approval above the usual threshold). Run twice, it adjusts once."""
    activity = FieldActivity.objects.select_related("agreement").get(pk=activity_id)
    error = activity.meter_error_percent
    if error is None or error <= settings.METER_ERROR_TOLERANCE_PERCENT:
        return None
    note = f"Meter test #{activity.pk}: meter {error}% fast"
    existing = Adjustment.objects.filter(account_id=activity.account_id, note__startswith=note)
    if existing.exists():
        return existing.first()
    amount = overbilled(activity)
    if amount <= ZERO:
        return None
    return adjustment_request(
        account=activity.account,
        amount=-amount,
        reason=Adjustment.Reason.METER_ERROR,
        note=f"{note}, {settings.METER_ERROR_ADJUST_MONTHS} months of usage charges",
        requested_by=by,
        utility=activity.agreement.utility if activity.agreement else "",
    )


def meter_test_request(*, account, by):
    """A meter test asked for from a high-bill investigation: a work item in
    the Account Maintenance & Billing queue (asking twice while it is open
    returns the same item)."""
    from staffing.models import Section
    from staffing.services import work_item_open

    return work_item_open(
        kind="meter_test",
        section=Section.ACCOUNT_MAINTENANCE,
        title=f"Meter test requested for {account.number} (high-bill investigation)",
        account=account,
        opened_by=by,
        source_key=f"meter-test:{account.pk}",
    )
