from celery import shared_task


# Safe to rerun: a finished file is left alone, and the posting happens in one
# transaction under the file's row lock, so a redelivered task posts nothing twice.
@shared_task(acks_late=True)
def payment_file_import(file_id: int) -> str:
    from .services.payment_files import payment_file_process

    return payment_file_process(file_id=file_id).status
