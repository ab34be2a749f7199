from django.db import models


class WorkerHeartbeat(models.Model):
    """Last time each Celery worker ran the beat's heartbeat task (shown by /health/)."""

    worker = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self):
        return f"{self.worker} at {self.seen_at:%Y-%m-%d %H:%M:%S}"
