import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_heartbeat():
    cache.delete("worker-heartbeat")


def test_healthz_reports_database_and_cache_ok_before_the_first_worker_heartbeat(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": "ok",
            "cache": "ok",
            "broker": "redis",
            "worker": "unknown: no heartbeat yet",
        },
    }


def test_healthz_reports_a_recent_worker_heartbeat_as_ok(client):
    cache.set("worker-heartbeat", timezone.now().isoformat())

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"]["worker"] == "ok"


def test_healthz_reports_a_stale_worker_heartbeat_with_its_age_but_stays_healthy(client):
    ten_minutes_ago = timezone.now() - datetime.timedelta(minutes=10)
    cache.set("worker-heartbeat", ten_minutes_ago.isoformat())

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"]["worker"] == "stale: last seen 600 s ago"


def test_healthz_answers_503_when_the_cache_server_is_unreachable(client, settings):
    # Nothing listens on port 1: a real refused connection, no mock.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "checks": {
            "database": "ok",
            "cache": "error: ConnectionError",
            "broker": "redis",
            "worker": "unknown: no heartbeat yet",
        },
    }


def test_healthz_accepts_only_get(client):
    response = client.post("/healthz")

    assert response.status_code == 405
