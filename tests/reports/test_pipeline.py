"""Asking for a factsheet's PDF (reports.services) and the pages around it: generate, the
status page, the download. The renderings are made by running the task in this process
(``.apply``); tests/reports/test_tasks.py has the real worker."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from regioportal.audit import entries_for
from reports import services
from reports.models import FactsheetBatch, RenderedFactsheet, RenderStatus
from reports.tasks import render_factsheet_batch_task, render_factsheet_task
from tests.factories import (
    FactsheetFactory,
    ProgrammeFactory,
    ProgrammeManagerFactory,
    RenderedFactsheetFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return ProgrammeManagerFactory(username="programmamanager")


@pytest.fixture
def factsheet():
    return FactsheetFactory(
        programme=ProgrammeFactory(slug="van-waarde", name="Van Waarde"), title="Van Waarde"
    )


def _render(job):
    """Run the job's task here, as the worker would."""
    if isinstance(job, RenderedFactsheet):
        render_factsheet_task.apply(kwargs={"rendering_id": job.pk}, task_id=job.task_id)
    else:
        render_factsheet_batch_task.apply(kwargs={"batch_id": job.pk}, task_id=job.task_id)
    job.refresh_from_db()
    return job


# --- services ---------------------------------------------------------------------------------


def test_a_request_queues_one_rendering_and_sends_its_task_on_commit(
    factsheet, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        job = services.request_rendering(factsheet=factsheet, by=manager)

    assert job.status == RenderStatus.queued
    assert job.requested_by == manager
    assert job.forced is False
    assert len(job.task_id) == 36
    assert len(callbacks) == 1
    [entry] = entries_for(factsheet)
    assert (entry.actor, entry.action, entry.changes, entry.reason) == (
        manager,
        "export",
        {"pdf": [None, job.pk]},
        "PDF aangevraagd",
    )


def test_two_requests_while_queued_are_one_job(
    factsheet, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        first = services.request_rendering(factsheet=factsheet, by=manager)
        second = services.request_rendering(factsheet=factsheet, by=manager)

    assert second.pk == first.pk
    assert len(callbacks) == 1
    assert RenderedFactsheet.objects.count() == 1


def test_forcing_while_running_joins_the_running_job(
    factsheet, manager, django_capture_on_commit_callbacks
):
    running = RenderedFactsheetFactory(factsheet=factsheet, status=RenderStatus.rendering)

    with django_capture_on_commit_callbacks() as callbacks:
        job = services.request_rendering(factsheet=factsheet, by=manager, force=True)

    assert job.pk == running.pk
    assert callbacks == []


def test_same_content_serves_the_existing_pdf(
    factsheet, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        made = _render(services.request_rendering(factsheet=factsheet, by=manager))
    assert made.status == RenderStatus.ready

    with django_capture_on_commit_callbacks() as callbacks:
        again = services.request_rendering(factsheet=factsheet, by=manager)

    assert again.pk == made.pk
    assert callbacks == []
    assert entries_for(factsheet).first().reason == (
        "PDF aangevraagd (inhoud ongewijzigd: bestaande PDF)"
    )


def test_changed_text_makes_a_new_pdf(factsheet, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        made = _render(services.request_rendering(factsheet=factsheet, by=manager))
    factsheet.title = "Van Waarde, vernieuwd"
    factsheet.save()

    with django_capture_on_commit_callbacks() as callbacks:
        again = services.request_rendering(factsheet=factsheet, by=manager)

    assert again.pk != made.pk
    assert again.status == RenderStatus.queued
    assert len(callbacks) == 1


def test_forcing_makes_a_new_pdf_of_unchanged_content(
    factsheet, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        made = _render(services.request_rendering(factsheet=factsheet, by=manager))

    with django_capture_on_commit_callbacks() as callbacks:
        forced = services.request_rendering(factsheet=factsheet, by=manager, force=True)

    assert forced.pk != made.pk
    assert (forced.status, forced.forced) == (RenderStatus.queued, True)
    assert len(callbacks) == 1
    assert entries_for(factsheet).first().reason == "PDF opnieuw aangevraagd"


def test_a_ready_rendering_records_file_hashes_and_size(
    factsheet, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        job = _render(services.request_rendering(factsheet=factsheet, by=manager))

    data = job.file.read()
    assert data.startswith(b"%PDF-")
    assert job.sha256 == hashlib.sha256(data).hexdigest()
    assert job.size == len(data)
    assert job.page_count == 1
    assert job.content_hash == services.content.content_hash(factsheet)
    assert job.file.name.startswith(f"factsheets/feitenblad-van-waarde-{job.pk}-")
    assert (job.attempts, job.error_message) == (1, "")
    assert job.started_at <= job.finished_at


def test_a_batch_renders_the_overview_and_its_programmes_with_progress(
    manager, django_capture_on_commit_callbacks
):
    overview = FactsheetFactory(overview=True, title="Terugblik")
    umbrella = overview.umbrella
    for name in ("Op Koers", "Familiehuis"):
        FactsheetFactory(programme=ProgrammeFactory(umbrella=umbrella), title=name)
    FactsheetFactory(title="Elders")  # another umbrella's programme

    with django_capture_on_commit_callbacks() as callbacks:
        job = services.request_batch(umbrella=umbrella, by=manager)
        again = services.request_batch(umbrella=umbrella, by=manager)
    assert again.pk == job.pk
    assert len(callbacks) == 1
    assert [f.title for f in services.batch_factsheets(umbrella)] == [
        "Terugblik",
        "Familiehuis",
        "Op Koers",
    ]

    job = _render(job)

    assert (job.status, job.done, job.total) == (RenderStatus.ready, 3, 3)
    assert job.file.read().startswith(b"%PDF-")


# --- pages ------------------------------------------------------------------------------------


def test_generate_redirects_to_the_status_page(client, factsheet, manager):
    client.force_login(manager)

    response = client.post(reverse("reports:generate", args=[factsheet.pk]))

    job = RenderedFactsheet.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:rendering-status", args=[job.pk])


def test_generate_with_opnieuw_forces_a_new_rendering(client, factsheet, manager):
    made = RenderedFactsheetFactory(
        factsheet=factsheet,
        status=RenderStatus.ready,
        content_hash=services.content.content_hash(factsheet),
        file=ContentFile(b"%PDF-1.7 oud", name="oud.pdf"),
    )
    client.force_login(manager)

    client.post(reverse("reports:generate", args=[factsheet.pk]))
    assert RenderedFactsheet.objects.count() == 1
    client.post(reverse("reports:generate", args=[factsheet.pk]), {"opnieuw": "1"})

    forced = RenderedFactsheet.objects.exclude(pk=made.pk).get()
    assert forced.forced is True


def test_generate_is_post_only(client, factsheet, manager):
    client.force_login(manager)

    assert client.get(reverse("reports:generate", args=[factsheet.pk])).status_code == 405


def test_status_page_refreshes_itself_while_queued(client, factsheet, manager):
    job = RenderedFactsheetFactory(factsheet=factsheet, requested_by=manager)
    client.force_login(manager)

    response = client.get(reverse("reports:rendering-status", args=[job.pk]))

    html = response.content.decode()
    url = reverse("reports:rendering-status", args=[job.pk])
    assert response.status_code == 200
    # Reloading without script only: axe fails a meta refresh outside <noscript> (WCAG 2.2.1).
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in html
    assert f'data-job-status-url="{url}?format=json"' in html
    assert '<script src="/static/js/job-progress.js" defer></script>' in html
    assert "<script>" not in html
    assert "In de wachtrij" in html
    assert reverse("reports:download", args=[job.pk]) not in html
    assert response["Cache-Control"].startswith("max-age=0, no-cache, no-store")


def test_status_page_gives_its_job_as_json_for_the_script(client, factsheet, manager):
    job = RenderedFactsheetFactory(factsheet=factsheet, requested_by=manager)
    client.force_login(manager)
    url = reverse("reports:rendering-status", args=[job.pk])

    queued = client.get(url, {"format": "json"})
    RenderedFactsheet.objects.filter(pk=job.pk).update(status=RenderStatus.failed)
    failed = client.get(url, {"format": "json"})

    assert queued.json() == {
        "pending": True,
        "status": "queued",
        "status_display": "In de wachtrij",
    }
    assert failed.json() == {"pending": False, "status": "failed", "status_display": "Mislukt"}


def test_status_page_stops_refreshing_on_request(client, factsheet, manager):
    job = RenderedFactsheetFactory(factsheet=factsheet)
    client.force_login(manager)

    response = client.get(reverse("reports:rendering-status", args=[job.pk]), {"verversen": "uit"})

    html = response.content.decode()
    assert 'http-equiv="refresh"' not in html
    assert "job-progress.js" not in html
    assert "data-job-status-url" not in html


def test_status_page_of_a_failed_rendering_shows_the_error(client, factsheet, manager):
    job = RenderedFactsheetFactory(
        factsheet=factsheet,
        status=RenderStatus.failed,
        attempts=3,
        error_message="Het maken is na 3 pogingen afgebroken.",
    )
    client.force_login(manager)

    html = client.get(reverse("reports:rendering-status", args=[job.pk])).content.decode()

    assert "Mislukt" in html
    assert "Het maken is na 3 pogingen afgebroken." in html
    assert 'http-equiv="refresh"' not in html
    assert "Opnieuw genereren" in html


def test_status_page_of_a_ready_rendering_links_the_download(
    client, factsheet, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        job = _render(services.request_rendering(factsheet=factsheet, by=manager))
    client.force_login(manager)

    html = client.get(reverse("reports:rendering-status", args=[job.pk])).content.decode()

    assert "Klaar" in html
    assert f'href="{reverse("reports:download", args=[job.pk])}"' in html
    assert f'<a href="{factsheet.get_absolute_url()}">Terug naar het feitenblad</a>' in html
    assert 'http-equiv="refresh"' not in html


@pytest.mark.parametrize("status", [RenderStatus.queued, RenderStatus.ready])
def test_status_page_takes_a_fixed_number_of_queries(
    client, factsheet, manager, status, django_assert_num_queries
):
    file = ContentFile(b"%PDF-1.7", name="x.pdf") if status == RenderStatus.ready else ""
    job = RenderedFactsheetFactory(
        factsheet=factsheet, status=status, requested_by=manager, file=file, size=8
    )
    client.force_login(manager)
    url = reverse("reports:rendering-status", args=[job.pk])
    client.get(url)

    # the user (the session and the roles are cached), the rendering with its factsheet,
    # programme and requester in one join
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200


def test_download_serves_the_pdf_as_an_attachment_and_is_audited(
    client, factsheet, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        job = _render(services.request_rendering(factsheet=factsheet, by=manager))
    client.force_login(manager)

    response = client.get(reverse("reports:download", args=[job.pk]))

    day = timezone.localdate(job.finished_at)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="feitenblad-van-waarde-{day.isoformat()}.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == job.sha256
    assert entries_for(factsheet).first().reason == "PDF gedownload"


def test_download_of_a_file_gone_from_storage_is_404(client, factsheet, manager):
    job = RenderedFactsheetFactory(
        factsheet=factsheet, status=RenderStatus.ready, file="factsheets/weg.pdf"
    )
    client.force_login(manager)

    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404


def test_download_of_a_rendering_that_is_not_ready_is_404(client, factsheet, manager):
    job = RenderedFactsheetFactory(factsheet=factsheet, status=RenderStatus.rendering)
    client.force_login(manager)

    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404


def test_batch_pages_show_progress_and_then_the_download(
    client, manager, django_capture_on_commit_callbacks
):
    overview = FactsheetFactory(overview=True, title="Terugblik")
    FactsheetFactory(programme=ProgrammeFactory(umbrella=overview.umbrella), title="Op Koers")
    client.force_login(manager)

    with django_capture_on_commit_callbacks():
        response = client.post(reverse("reports:batch", args=[overview.umbrella.slug]))
    job = FactsheetBatch.objects.get()
    assert response["Location"] == reverse("reports:batch-status", args=[job.pk])
    html = client.get(response["Location"]).content.decode()
    assert "0 van 2 feitenbladen" in html
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in html
    assert client.get(response["Location"], {"format": "json"}).json() == {
        "pending": True,
        "status": "queued",
        "status_display": "In de wachtrij",
        "done": 0,
        "total": 2,
        "progress_text": "0 van 2 feitenbladen",
    }

    _render(job)
    html = client.get(response["Location"]).content.decode()
    download = client.get(reverse("reports:batch-download", args=[job.pk]))

    assert f'href="{reverse("reports:batch-download", args=[job.pk])}"' in html
    assert f'<a href="{overview.get_absolute_url()}">Terug naar het feitenblad</a>' in html
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith(
        f'attachment; filename="terugblik-{overview.umbrella.slug}-'
    )


def test_batch_status_page_takes_a_fixed_number_of_queries(
    client, manager, django_assert_num_queries
):
    overview = FactsheetFactory(overview=True)
    job = FactsheetBatch.objects.create(
        umbrella=overview.umbrella, requested_by=manager, task_id="t", done=1, total=4
    )
    client.force_login(manager)
    url = reverse("reports:batch-status", args=[job.pk])
    client.get(url)

    # the user, the batch with its umbrella, overview and requester (visibility is a subquery)
    with django_assert_num_queries(2):
        response = client.get(url)

    assert "1 van 4 feitenbladen" in response.content.decode()
