from celery import shared_task
from django.conf import settings


@shared_task
def bill_run_execute(run_id: int) -> None:
    """Fan a run out to one worker task per core."""
    for _ in range(settings.BILL_RUN_WORKERS):
        bill_run_drain.delay(run_id)


# Rerunning is harmless (claims are conditional, bills unique per period), so
# a task lost with a killed worker is redelivered and picks up where it was.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def bill_run_drain(run_id: int) -> int:
    from .services.runs import bill_run_work

    return bill_run_work(run_id)


# Fees carry a source key per bill, so assessing a day twice charges nobody twice.
@shared_task(acks_late=True)
def late_fees_daily() -> dict:
    from django.utils import timezone

    from .services.late_fees import late_fees_assess

    report = late_fees_assess(on=timezone.localdate())
    return {"examined": report.examined, "assessed": report.assessed, "amount": str(report.amount)}


@shared_task(acks_late=True)
def bill_run_print_file(run_id: int) -> str:
    from .services.print_file import print_file_build

    return print_file_build(run_id)
