from celery import shared_task
from django.utils import timezone

from mesa_cs.models import WorkerHeartbeat


# Writing "now" again is harmless, so a redelivered heartbeat may run twice.
@shared_task(acks_late=True)
def heartbeat_record(worker: str | None = None) -> str:
    name = worker or heartbeat_record.request.hostname or "unknown"
    WorkerHeartbeat.objects.update_or_create(worker=name, defaults={"seen_at": timezone.now()})
    return name
