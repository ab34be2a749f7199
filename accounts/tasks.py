from celery import shared_task


# Safe to run twice: the service claims the letter by setting emailed_at where
# it is empty, so a redelivered task sends nothing. A mail server that is down
# gives the claim back and the task retries later.
@shared_task(bind=True, acks_late=True, max_retries=6, default_retry_delay=300)
def letter_email(self, letter_id: int) -> bool:
    from smtplib import SMTPException

    from accounts.services.letters import letter_email_send

    try:
        return letter_email_send(letter_id=letter_id)
    except (SMTPException, OSError) as exc:
        raise self.retry(exc=exc) from exc
