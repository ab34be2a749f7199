from celery import shared_task
from django.conf import settings


# Safe to rerun: a finished file is left alone, and the posting happens in one
# transaction under the file's row lock, so a redelivered task posts nothing twice.
@shared_task(
    acks_late=True,
    soft_time_limit=settings.IMPORT_TASK_SECONDS,
    time_limit=settings.IMPORT_TASK_SECONDS + 60,
)
def payment_file_import(file_id: int) -> str:
    from cashiering.services.payment_files import payment_file_abandon, payment_file_process

    try:
        return payment_file_process(file_id=file_id).status
    except Exception as exc:
        payment_file_abandon(file_id=file_id, why=type(exc).__name__)
        raise
