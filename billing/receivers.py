"""Billing's answers to what accounts announces (accounts may not call us)."""

from accounts.models import FieldActivity


def on_services_ended(sender, *, account_id, user_id=None, **kwargs):
    from billing.tasks import final_bill

    final_bill.delay_on_commit(account_id, user_id)


def on_field_activity_completed(sender, *, activity_id, user_id=None, **kwargs):
    from django.contrib.auth import get_user_model

    from billing.services.reads import read_reread_done
    from billing.tasks import meter_test_adjustment

    if FieldActivity.objects.filter(pk=activity_id, kind=FieldActivity.Kind.REREAD).exists():
        # In the crew's transaction: the held read is replaced as the re-read lands.
        read_reread_done(
            activity_id=activity_id, by=get_user_model().objects.filter(pk=user_id).first()
        )

    if FieldActivity.objects.filter(
        pk=activity_id, kind=FieldActivity.Kind.METER_TEST, meter_error_percent__gt=0
    ).exists():
        meter_test_adjustment.delay_on_commit(activity_id, user_id)


def rate_schedule_choices() -> list[tuple[str, str, str, str]]:
    from billing.models import RateSchedule

    return list(
        RateSchedule.objects.order_by("utility", "code").values_list(
            "code", "name", "utility", "customer_class"
        )
    )
