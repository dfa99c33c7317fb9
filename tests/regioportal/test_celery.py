"""The Celery app against a real worker process and Redis (see ``live_celery_worker``)."""

import pytest
from django.core.cache import cache

from regioportal.tasks import heartbeat, ping

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_ping_task_round_trips_through_redis_and_a_worker_process(live_celery_worker):
    result = ping.delay(value=42)

    assert result.get(timeout=30) == {"pong": 42}
    assert result.state == "SUCCESS"


def test_heartbeat_task_records_the_moment_that_healthz_reports(live_celery_worker, client):
    cache.delete("worker-heartbeat")

    beat = heartbeat.delay().get(timeout=30)

    assert cache.get("worker-heartbeat") == beat
    assert client.get("/healthz").json()["checks"]["worker"] == "ok"
