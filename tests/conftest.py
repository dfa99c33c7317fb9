"""Fixtures shared by all tests. The environment (database, Redis) is set in
tests/environment.py, which runs before Django reads its settings."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings

from regioportal.celery import app as celery_app

BASE_DIR = Path(__file__).resolve().parent.parent
ARTIFACTS_DIR = BASE_DIR / "test-artifacts"


@pytest.fixture(scope="session", autouse=True)
def _empty_redis_database():
    """Start from an empty Redis database (cache and Celery queue): what an earlier run left
    there would be read as this run's. Each test process has a database of its own."""
    try:
        for url in (settings.REDIS_URL, settings.CACHE_URL):
            redis.Redis.from_url(url).flushdb()
    except redis.ConnectionError as exc:
        pytest.exit(
            f"Redis does not answer at {settings.REDIS_URL} ({exc}); `make test` starts it."
        )


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """PBKDF2 takes a noticeable time per user by design; the tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _test_database_url():
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("A real Celery worker needs the PostgreSQL test database (DATABASE_URL).")
    if not database["NAME"].startswith("test_"):
        # pytest-django creates the test database only when a collected test asks for one.
        pytest.fail("Mark tests that use live_celery_worker django_db(transaction=True).")
    credentials = quote(database["USER"], safe="")
    if database["PASSWORD"]:
        credentials += ":" + quote(database["PASSWORD"], safe="")
    host = database["HOST"] or "127.0.0.1"
    port = database["PORT"] or 5432
    return f"postgres://{credentials}@{host}:{port}/{database['NAME']}"


@pytest.fixture(scope="session")
def live_celery_worker(django_db_setup, worker_id):
    """A real ``celery worker`` process, on this test process's Redis database and test
    database. Tests using it are marked ``django_db(transaction=True)``: a task sees only
    committed data.
    Its log is in test-artifacts/celery-<worker id>.log."""
    hostname = f"pytest-{worker_id}@{socket.gethostname()}"
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    log_path = ARTIFACTS_DIR / f"celery-{worker_id}.log"
    env = {
        **os.environ,
        # settings.DATABASES now names the test database, which the worker must use too.
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CACHE_URL": settings.CACHE_URL,
        "C_FORCE_ROOT": "1",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "regioportal", "worker",
        "--loglevel=INFO", "--concurrency=1", f"--hostname={hostname}", "--queues=celery,pdf",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    with log_path.open("w") as log:
        worker = subprocess.Popen(  # noqa: S603 - our own command line
            command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + 60
            while not celery_app.control.ping(destination=[hostname], timeout=0.5):
                if worker.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"The Celery worker did not start:\n{log_path.read_text()}")
            yield hostname
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
