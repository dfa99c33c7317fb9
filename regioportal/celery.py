import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regioportal.settings")

app = Celery("regioportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _announce_worker(sender, **kwargs):
    """Write the heartbeat as soon as the worker is ready, so /healthz need not wait for beat."""
    from .tasks import heartbeat

    heartbeat()
