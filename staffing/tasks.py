from celery import shared_task

from staffing.services import complaints_escalate_overdue


# Escalating by the deadline once moves it ahead, so a rerun escalates nothing twice.
@shared_task(acks_late=True)
def complaints_escalate_daily() -> int:
    return complaints_escalate_overdue()
