from celery import shared_task
from django.conf import settings


@shared_task
def bill_run_execute(run_id: int) -> None:
    """Fan a run out to one worker task per core."""
    for _ in range(settings.BILL_RUN_WORKERS):
        bill_run_drain.delay(run_id)


# Rerunning is harmless (claims are conditional, bills unique per period), so
# a task lost with a killed worker may be redelivered, and the watchdog sets
# another on the run without waiting for that. Each drain is short (minutes,
# inside the broker's visibility timeout) and hands on to a fresh one.
@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.BILL_RUN_TASK_SECONDS + 60,
    time_limit=settings.BILL_RUN_TASK_SECONDS + 120,
)
def bill_run_drain(run_id: int) -> int:
    from billing.services.runs import bill_run_open, bill_run_work

    processed = bill_run_work(run_id, max_seconds=settings.BILL_RUN_TASK_SECONDS)
    if bill_run_open(run_id):
        bill_run_drain.delay(run_id)
    return processed


# From beat every BILL_RUN_WATCHDOG_SECONDS. Harmless twice: it recounts,
# completes only runs with nothing left, and a spare drain finds nothing.
@shared_task
def bill_runs_watchdog() -> list[int]:
    """Set a worker on each run whose workers died (stale claims or nobody
    claiming), so recovery does not wait for the broker's redelivery."""
    from billing.services.runs import bill_runs_watch

    needy = bill_runs_watch()
    for run_id in needy:
        bill_run_drain.delay(run_id)
    return needy


# Fees carry a source key per bill, so assessing a day twice charges nobody twice.
@shared_task(acks_late=True)
def late_fees_daily() -> dict:
    from django.utils import timezone

    from billing.services.late_fees import late_fees_assess

    report = late_fees_assess(on=timezone.localdate())
    return {"examined": report.examined, "assessed": report.assessed, "amount": str(report.amount)}


@shared_task(acks_late=True)
def bill_run_print_file(run_id: int) -> str:
    from billing.services.print_file import print_file_build

    return print_file_build(run_id)


# Both are safe to repeat: a final bill is issued once per account (and its
# settlement is keyed), a meter test adjusts once.
@shared_task(acks_late=True)
def final_bill(account_id: int, user_id: int | None = None) -> int | None:
    from django.contrib.auth import get_user_model

    from billing.services.final import final_bill_issue

    by = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    bill = final_bill_issue(account_id=account_id, by=by)
    return bill.pk if bill else None


@shared_task(acks_late=True)
def final_bills_sweep() -> int:
    """Catch any final bill whose signal was lost (e.g. the broker was down)."""
    from billing.services.final import accounts_awaiting_final_bill

    pending = accounts_awaiting_final_bill()
    for account_id in pending:
        final_bill.delay(account_id)
    return len(pending)


@shared_task(acks_late=True)
def meter_test_adjustment(activity_id: int, user_id: int | None = None) -> int | None:
    from django.contrib.auth import get_user_model

    from billing.services.meter_tests import meter_test_adjust
    from mesa_cs.lib.system import system_user

    by = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    adjustment = meter_test_adjust(activity_id=activity_id, by=by or system_user())
    return adjustment.pk if adjustment else None


# Work items are keyed by account, so a second run opens none twice.
@shared_task(acks_late=True)
def bill_cycles_check_daily() -> int:
    from billing.services.cycles import accounts_without_cycle_check

    return accounts_without_cycle_check()


# Safe to rerun: a finished import is left alone, the save happens under the
# import's row lock in one transaction, and a read already recorded is skipped.
@shared_task(
    acks_late=True,
    soft_time_limit=settings.IMPORT_TASK_SECONDS,
    time_limit=settings.IMPORT_TASK_SECONDS + 60,
)
def read_import(import_id: int) -> str:
    from billing.services.reads import read_import_abandon, read_import_process

    try:
        return read_import_process(import_id=import_id).status
    except Exception as exc:
        read_import_abandon(import_id=import_id, why=type(exc).__name__)
        raise
