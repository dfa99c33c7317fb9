from celery import shared_task
from django.core.cache import cache
from django.utils import timezone


@shared_task
def heartbeat():
    """Record that the worker (and beat) are alive; /healthz reads it."""
    now = timezone.now().isoformat()
    cache.set("worker-heartbeat", now, timeout=None)
    return now


@shared_task
def ping(*, value):
    """A round trip through the broker, used by /healthz and the Celery test."""
    return {"pong": value}


@shared_task
def purge_expired_audit_entries():
    """The audit log's own retention period (AUDIT_RETENTION_DAYS); idempotent."""
    from . import audit

    return audit.purge_expired()
