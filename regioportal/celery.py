import os

from celery import Celery
from celery.signals import task_prerun, worker_ready
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regioportal.settings")

app = Celery("regioportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _announce_worker(sender, **kwargs):
    """Write the heartbeat as soon as the worker is ready, so /healthz need not wait for beat."""
    from .tasks import heartbeat

    heartbeat()


@task_prerun.connect
def _close_old_connections(sender=None, **kwargs):
    """Before every task, what Django does before every request: close a database connection
    that has outlived CONN_MAX_AGE, failed its health check or is left unusable, so that the
    task opens a new one. Celery's own Django fixup would close every connection before and
    after every task; CELERY_DB_REUSE_MAX (settings) keeps it from doing so. Not for a task
    run eagerly inside the caller's transaction."""
    if sender is not None and getattr(sender.request, "is_eager", False):
        return
    close_old_connections()
