from django.conf import settings

from mesa_cs.celery import app


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()
    missing = [
        entry["task"]
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] not in app.tasks
    ]
    assert missing == []
    assert "credit.tasks.collections_daily" in {
        e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()
    }
