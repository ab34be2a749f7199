from celery import shared_task

from alarms.services.notices import file_letters_send
from alarms.services.renewals import renewals_run
from alarms.services.suspensions import permits_suspend_past_due
from mesa_cs.lib.audit import audit_context
from mesa_cs.lib.dates import today


@shared_task
def alarm_file_letters(file_id: int) -> int:
    with audit_context(task="alarm_file_letters", file=file_id):
        return file_letters_send(file_id=file_id)


@shared_task
def alarm_permits_daily() -> dict:
    """The Alarm Unit's day: renewals, lapsed permits, past-due suspensions."""
    on = today()
    with audit_context(task="alarm_permits_daily", on=on.isoformat()):
        report = renewals_run(on=on)
        report["suspended_past_due"] = permits_suspend_past_due(on=on)
    return report
