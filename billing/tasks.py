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
