"""The PDF tasks (reports.tasks): idempotent deliveries, retries, the sweeper, and the real
path through Redis and worker processes, including a worker killed in the middle."""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from regioportal.celery import app as celery_app
from reports import services
from reports.models import RenderedFactsheet, RenderStatus
from reports.tasks import (
    render_factsheet_batch_task,
    render_factsheet_task,
    sweep_stuck_renderings,
)
from tests.conftest import BASE_DIR, _test_database_url
from tests.factories import (
    FactsheetFactory,
    ProgrammeFactory,
    ProgrammeManagerFactory,
    RenderedFactsheetFactory,
)


def _run(job, **options):
    render_factsheet_task.apply(kwargs={"rendering_id": job.pk}, task_id=job.task_id, **options)
    job.refresh_from_db()
    return job


# --- one delivery at a time, in this process -------------------------------------------------


@pytest.mark.django_db
def test_a_ready_rendering_is_left_alone_by_another_delivery():
    job = _run(RenderedFactsheetFactory())
    finished_at, name = job.finished_at, job.file.name

    job = _run(job)

    assert (job.status, job.attempts) == (RenderStatus.ready, 1)
    assert (job.finished_at, job.file.name) == (finished_at, name)


@pytest.mark.django_db
def test_a_delivery_of_a_running_rendering_does_not_render_it_again():
    job = RenderedFactsheetFactory(
        status=RenderStatus.rendering, attempts=1, started_at=timezone.now()
    )

    job = _run(job)

    assert (job.status, job.attempts, job.file.name) == (RenderStatus.rendering, 1, "")


@pytest.mark.django_db
def test_a_message_with_another_task_id_is_stale_and_ignored():
    job = RenderedFactsheetFactory()

    render_factsheet_task.apply(kwargs={"rendering_id": job.pk}, task_id=str(uuid.uuid4()))

    job.refresh_from_db()
    assert (job.status, job.attempts) == (RenderStatus.queued, 0)


@pytest.mark.django_db
def test_a_deleted_rendering_is_nothing_to_do():
    result = render_factsheet_task.apply(kwargs={"rendering_id": 999_999})

    assert result.get() is None


@pytest.mark.django_db
def test_only_one_of_two_deliveries_claims_the_job():
    job = RenderedFactsheetFactory()

    first = services.claim_job(
        RenderedFactsheet, job_id=job.pk, task_id=job.task_id, redelivered=False
    )
    second = services.claim_job(
        RenderedFactsheet, job_id=job.pk, task_id=job.task_id, redelivered=False
    )

    assert (first.status, first.attempts) == (RenderStatus.rendering, 1)
    assert second is None


@pytest.mark.django_db
def test_a_redelivered_message_takes_over_a_job_left_running():
    job = RenderedFactsheetFactory(
        status=RenderStatus.rendering, attempts=1, started_at=timezone.now()
    )

    claimed = services.claim_job(
        RenderedFactsheet, job_id=job.pk, task_id=job.task_id, redelivered=True
    )

    assert (claimed.status, claimed.attempts) == (RenderStatus.rendering, 2)


@pytest.mark.django_db
def test_a_redelivered_job_that_used_its_attempts_fails():
    job = RenderedFactsheetFactory(
        status=RenderStatus.rendering, attempts=services.MAX_ATTEMPTS, started_at=timezone.now()
    )

    claimed = services.claim_job(
        RenderedFactsheet, job_id=job.pk, task_id=job.task_id, redelivered=True
    )

    job.refresh_from_db()
    assert claimed is None
    assert (job.status, job.error_message) == (
        RenderStatus.failed,
        "Het maken is na 3 pogingen afgebroken.",
    )


@pytest.mark.django_db
def test_a_storage_that_keeps_failing_is_retried_then_fails_in_dutch(settings, tmp_path):
    # The storage location is a file: every save raises an OSError (NotADirectoryError).
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(blocked)}},
    }
    job = RenderedFactsheetFactory()

    job = _run(job)  # eager: the retries run at once, one inside the other

    assert (job.status, job.attempts) == (RenderStatus.failed, services.MAX_ATTEMPTS)
    assert job.error_message == "Het maken is mislukt door een storing (NotADirectoryError)."
    assert job.file.name == ""


# --- the sweeper ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sweeper_requeues_a_job_running_longer_than_the_hard_limit(
    django_capture_on_commit_callbacks,
):
    now = timezone.now()
    lost = RenderedFactsheetFactory(
        status=RenderStatus.rendering, attempts=1, started_at=now - timedelta(minutes=5)
    )
    busy = RenderedFactsheetFactory(
        status=RenderStatus.rendering, attempts=1, started_at=now - timedelta(seconds=30)
    )
    old_task_id = lost.task_id

    with django_capture_on_commit_callbacks() as callbacks:
        result = sweep_stuck_renderings.apply().get()

    lost.refresh_from_db()
    busy.refresh_from_db()
    assert result == {"requeued": 1, "failed": 0}
    assert len(callbacks) == 1
    assert (lost.status, lost.attempts) == (RenderStatus.queued, 1)
    assert lost.task_id != old_task_id
    assert busy.status == RenderStatus.rendering


@pytest.mark.django_db
def test_sweeper_requeues_a_job_queued_too_long_and_fails_one_out_of_attempts(
    django_capture_on_commit_callbacks,
):
    long_ago = timezone.now() - timedelta(hours=1)
    forgotten = RenderedFactsheetFactory()
    RenderedFactsheet.objects.filter(pk=forgotten.pk).update(requested_at=long_ago)
    worn_out = RenderedFactsheetFactory(
        status=RenderStatus.rendering, attempts=3, started_at=long_ago
    )
    fresh = RenderedFactsheetFactory()

    with django_capture_on_commit_callbacks() as callbacks:
        assert services.sweep_stuck_jobs() == (1, 1)

    for job in (forgotten, worn_out, fresh):
        job.refresh_from_db()
    assert len(callbacks) == 1
    assert forgotten.status == RenderStatus.queued
    assert (worn_out.status, worn_out.error_message) == (
        RenderStatus.failed,
        "Het maken is na 3 pogingen afgebroken.",
    )
    assert fresh.task_id == RenderedFactsheet.objects.get(pk=fresh.pk).task_id


@pytest.mark.django_db
def test_the_old_message_of_a_swept_job_is_ignored_and_the_new_one_renders(
    django_capture_on_commit_callbacks,
):
    job = RenderedFactsheetFactory(
        status=RenderStatus.rendering,
        attempts=1,
        started_at=timezone.now() - timedelta(minutes=5),
    )
    old_task_id = job.task_id
    with django_capture_on_commit_callbacks():
        services.sweep_stuck_jobs()
    job.refresh_from_db()

    render_factsheet_task.apply(kwargs={"rendering_id": job.pk}, task_id=old_task_id)
    job.refresh_from_db()
    assert job.status == RenderStatus.queued

    job = _run(job)
    assert (job.status, job.attempts) == (RenderStatus.ready, 2)


@pytest.mark.django_db
def test_a_ready_job_is_not_swept():
    RenderedFactsheetFactory(
        status=RenderStatus.ready,
        attempts=1,
        started_at=timezone.now() - timedelta(hours=2),
        file=ContentFile(b"%PDF-1.7", name="x.pdf"),
    )

    assert services.sweep_stuck_jobs() == (0, 0)


# --- through Redis and real worker processes --------------------------------------------------


def _wait_for(job, status, *, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status == status:
            return job
        time.sleep(0.2)
    pytest.fail(f"rendering {job.pk} is {job.status}, not {status}, after {seconds} s")


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_requested_factsheet_is_rendered_by_the_worker_on_the_pdf_queue(live_celery_worker):
    factsheet = FactsheetFactory()
    manager = ProgrammeManagerFactory()

    job = services.request_rendering(factsheet=factsheet, by=manager)  # enqueued on commit

    job = _wait_for(job, RenderStatus.ready, seconds=60)
    assert job.attempts == 1
    assert job.file.read().startswith(b"%PDF-")


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_terugblik_batch_is_rendered_by_the_worker_with_its_progress(live_celery_worker):
    overview = FactsheetFactory(overview=True)
    for _ in range(2):
        FactsheetFactory(programme=ProgrammeFactory(umbrella=overview.umbrella))

    job = services.request_batch(umbrella=overview.umbrella, by=ProgrammeManagerFactory())

    job = _wait_for(job, RenderStatus.ready, seconds=60)
    assert (job.done, job.total, job.attempts) == (3, 3, 1)
    assert job.file.read().startswith(b"%PDF-")


def _start_worker(name, queue, log_path, **env):
    hostname = f"{name}-{uuid.uuid4().hex[:6]}@{socket.gethostname()}"
    environment = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CACHE_URL": settings.CACHE_URL,
        "C_FORCE_ROOT": "1",
        **env,
    }
    command = [
        sys.executable, "-m", "celery", "-A", "tests.reports.sigkill_worker", "worker",
        "--loglevel=INFO", "--pool=solo", f"--hostname={hostname}", f"--queues={queue}",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    log = log_path.open("a")
    # A session of its own: SIGKILL reaches the worker and nothing else.
    return subprocess.Popen(  # noqa: S603 - our own command line
        command, cwd=BASE_DIR, env=environment, stdout=log, stderr=subprocess.STDOUT
    )


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_render_leaves_a_job_another_worker_finishes(tmp_path):
    """acks_late: the message stays unacknowledged in Redis while the task runs. SIGKILL
    leaves it there; after the broker's visibility timeout (8 s for these workers, an hour in
    production, see settings) a worker puts it back on the queue as redelivered, and the task
    takes over the job that was left "bezig"."""
    queue = f"pdf-sigkill-{uuid.uuid4().hex[:8]}"  # no other worker of the test run reads it
    log_path = tmp_path / "workers.log"
    job = RenderedFactsheetFactory()
    first = _start_worker("slow", queue, log_path, SLOW_RENDER_SECONDS="60")
    second = None
    try:
        render_factsheet_task.apply_async(
            kwargs={"rendering_id": job.pk}, task_id=job.task_id, queue=queue
        )
        _wait_for(job, RenderStatus.rendering, seconds=60)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)

        second = _start_worker("rescue", queue, log_path)
        job = _wait_for(job, RenderStatus.ready, seconds=90)
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=30)
        celery_app.connection_for_write().default_channel.queue_delete(queue)

    assert job.attempts == 2
    assert job.file.read().startswith(b"%PDF-")
    assert "render_factsheet_task" in log_path.read_text()


def test_pdf_tasks_run_on_the_pdf_queue_late_acked_and_the_sweeper_is_scheduled():
    routes = settings.CELERY_TASK_ROUTES
    sweeper = settings.CELERY_BEAT_SCHEDULE["sweep-stuck-renderings"]

    assert routes["reports.tasks.render_factsheet_task"] == {"queue": "pdf"}
    assert routes["reports.tasks.render_factsheet_batch_task"] == {"queue": "pdf"}
    for task in (render_factsheet_task, render_factsheet_batch_task):
        assert (task.acks_late, task.reject_on_worker_lost) == (True, True)
        assert task.soft_time_limit < task.time_limit
    assert sweeper == {"task": "reports.tasks.sweep_stuck_renderings", "schedule": 300.0}
    assert settings.CELERY_WORKER_MAX_TASKS_PER_CHILD == 50
