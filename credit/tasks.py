from celery import shared_task


# Credited deposits are no longer held, so a second run the same day credits
# nobody twice.
@shared_task(acks_late=True)
def deposits_review_daily() -> dict:
    from django.utils import timezone

    from .services.deposits import deposits_review

    report = deposits_review(on=timezone.localdate())
    return {"examined": report.examined, "credited": len(report.credited)}
