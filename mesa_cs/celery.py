import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mesa_cs.settings")

# DjangoTask gives every task delay_on_commit(): queue only once the
# transaction that made the work commits.
app = Celery("mesa_cs", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
