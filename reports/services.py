"""The PDF pipeline's state changes: asking for a factsheet's PDF (or a terugblik's combined
PDF), and the steps the Celery tasks (reports.tasks) take through a job's life:

    queued ("in de wachtrij") → rendering ("bezig") → ready ("klaar") | failed ("mislukt")

A job's state lives in its row. Every step is a conditional update on the state the step
expects (and on the job's current Celery task id), so that a message delivered twice, a
message the sweeper has replaced, or a worker that comes back late cannot move a job twice."""

import logging
import uuid
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes.models import UmbrellaProgramme
from regioportal import audit
from regioportal.models import AuditAction

from . import content, rendering
from .models import Factsheet, FactsheetBatch, RenderedFactsheet, RenderStatus
from .rules import require

logger = logging.getLogger(__name__)

# Time limits of the tasks (reports.tasks), here because the sweeper needs them too: a job
# "bezig" for longer than its hard limit has lost its worker.
FACTSHEET_SOFT_TIME_LIMIT = 90
FACTSHEET_TIME_LIMIT = 120
BATCH_SOFT_TIME_LIMIT = 900
BATCH_TIME_LIMIT = 960
# A job that starts this often without finishing (the worker dies: out of memory, killed) is
# given up rather than retried forever.
MAX_ATTEMPTS = 3
# A queued job whose message is this old has lost it (a broker flushed, a worker that took
# it died before starting); the sweeper sends a new one.
QUEUED_TOO_LONG = timedelta(minutes=10)
# Slack after the hard limit before the sweeper calls a running job lost.
SWEEP_MARGIN = timedelta(seconds=60)


# PDF jobs of other apps (subsidies.letters: the decision letters), registered with
# register_job_model: how to send a job's task, and the task's hard time limit for the sweeper.
_OTHER_JOB_MODELS = {}


def register_job_model(model, *, enqueue, time_limit):
    """Let the sweeper (and a re-queue) handle ``model``, a RenderJob of another app:
    ``enqueue(job)`` sends the job's task with ``task_id=job.task_id``; ``time_limit`` is that
    task's hard time limit in seconds."""
    _OTHER_JOB_MODELS[model] = (enqueue, time_limit)


def _enqueue(job):
    from . import tasks

    if type(job) in _OTHER_JOB_MODELS:
        _OTHER_JOB_MODELS[type(job)][0](job)
        return

    task = (
        tasks.render_factsheet_task
        if isinstance(job, RenderedFactsheet)
        else tasks.render_factsheet_batch_task
    )
    key = "rendering_id" if isinstance(job, RenderedFactsheet) else "batch_id"
    task.apply_async(kwargs={key: job.pk}, task_id=job.task_id)


def request_rendering(*, factsheet, by, force=False):
    """Ask for the factsheet's PDF and return the rendering that will answer it:

    - a job that is queued or running already (two clicks on "Genereer PDF" are one job);
    - unless ``force``, the latest ready PDF when it was made from the same content (texts
      and figures: reports.content.content_hash);
    - otherwise a new queued rendering, its task sent to the ``pdf`` queue once committed.

    The request is audited on the factsheet, whatever the answer."""
    require(by, "reports.generate_factsheet", factsheet)
    with transaction.atomic():
        # The factsheet's row lock serialises requests for it: the second click waits for the
        # first to commit its job, then finds it.
        factsheet = Factsheet.objects.select_for_update().get(pk=factsheet.pk)
        job = factsheet.renderings.filter(status__in=RenderStatus.pending()).first()
        outcome = "PDF aangevraagd (wordt al gemaakt)"
        if job is None and not force:
            latest = (
                factsheet.renderings.filter(status=RenderStatus.ready)
                .order_by("-finished_at", "-id")
                .first()
            )
            if latest is not None and latest.content_hash == content.content_hash(factsheet):
                job, outcome = latest, "PDF aangevraagd (inhoud ongewijzigd: bestaande PDF)"
        if job is None:
            job = RenderedFactsheet.objects.create(
                factsheet=factsheet, requested_by=by, forced=force, task_id=str(uuid.uuid4())
            )
            outcome = "PDF opnieuw aangevraagd" if force else "PDF aangevraagd"
            transaction.on_commit(lambda: _enqueue(job))
        audit.record(
            actor=by,
            obj=factsheet,
            action=AuditAction.export,
            changes={"pdf": [None, job.pk]},
            reason=outcome,
        )
    return job


def batch_factsheets(umbrella):
    """The factsheets of a terugblik, in the combined PDF's order: the umbrella's overview
    first, then its programmes' factsheets by title."""
    return (
        Factsheet.objects.filter(Q(umbrella=umbrella) | Q(programme__umbrella=umbrella))
        .select_related("programme", "umbrella")
        .order_by(
            # the overview (about the umbrella itself) first
            F("umbrella_id").asc(nulls_last=True),
            "title",
            "pk",
        )
    )


def request_batch(*, umbrella, by):
    """Ask for the combined PDF of every factsheet of ``umbrella`` (its terugblik). A batch
    that is queued or running is returned instead of a second one. Audited on the umbrella."""
    require(by, "reports.generate_batch", umbrella)
    with transaction.atomic():
        umbrella = UmbrellaProgramme.objects.select_for_update().get(pk=umbrella.pk)
        job = umbrella.factsheet_batches.filter(status__in=RenderStatus.pending()).first()
        if job is None:
            job = FactsheetBatch.objects.create(
                umbrella=umbrella,
                requested_by=by,
                total=batch_factsheets(umbrella).count(),
                task_id=str(uuid.uuid4()),
            )
            transaction.on_commit(lambda: _enqueue(job))
        audit.record(
            actor=by,
            obj=umbrella,
            action=AuditAction.export,
            changes={"pdf": [None, job.pk]},
            reason="terugblik-PDF aangevraagd",
        )
    return job


# --- the steps of a job, taken by reports.tasks -----------------------------------------------


def claim_job(model, *, job_id, task_id, redelivered):
    """Move the job to "bezig" for the task ``task_id`` and return it, or None when this
    delivery must not render: the job is gone, finished, owned by another message, or
    running under a live delivery. A redelivered message (its worker died: acks_late) may take
    over a job left "bezig". At most one of two concurrent deliveries wins: the update is
    conditional on the state and attempt count read."""
    job = model.objects.filter(pk=job_id).first()
    if job is None or job.task_id != task_id:
        return None
    if not (
        job.status == RenderStatus.queued or (job.status == RenderStatus.rendering and redelivered)
    ):
        return None
    if job.attempts >= MAX_ATTEMPTS:
        give_up(job, task_id=task_id, from_status=job.status)
        return None
    claimed = model.objects.filter(
        pk=job.pk, status=job.status, attempts=job.attempts, task_id=task_id
    ).update(
        status=RenderStatus.rendering,
        attempts=F("attempts") + 1,
        started_at=timezone.now(),
        finished_at=None,
    )
    if claimed != 1:
        return None
    job.refresh_from_db()
    return job


def give_up(job, *, task_id, from_status=RenderStatus.rendering):
    message = _("Het maken is na %(attempts)d pogingen afgebroken.") % {"attempts": job.attempts}
    return _finish_failed(job, task_id=task_id, message=message, from_status=from_status)


def fail_job(job, *, task_id, message):
    """The job failed for good ("mislukt"), with a Dutch ``message`` for the status page."""
    return _finish_failed(job, task_id=task_id, message=message)


def _finish_failed(job, *, task_id, message, from_status=RenderStatus.rendering):
    return (
        type(job)
        .objects.filter(pk=job.pk, status=from_status, task_id=task_id)
        .update(status=RenderStatus.failed, error_message=message, finished_at=timezone.now())
    )


def release_for_retry(job, *, task_id, message):
    """Back to the queue after a transient error; the task retries with backoff (the same
    task id, so the retry may claim it)."""
    return (
        type(job)
        .objects.filter(pk=job.pk, status=RenderStatus.rendering, task_id=task_id)
        .update(status=RenderStatus.queued, error_message=message)
    )


def store_pdf(job, *, pdf, name, task_id, **fields):
    """Save the PDF in private storage (in the folder of the job's ``file`` field) and mark the
    job ready, if it is still this task's. A new file every time: storage never overwrites a
    name, and a ready job is never stored again."""
    storage = job.file.storage
    path = storage.save(job.file.field.generate_filename(job, name), _content_file(pdf.data))
    finished = (
        type(job)
        .objects.filter(pk=job.pk, status=RenderStatus.rendering, task_id=task_id)
        .update(
            status=RenderStatus.ready,
            file=path,
            sha256=pdf.sha256,
            size=len(pdf.data),
            page_count=pdf.page_count,
            content_hash=pdf.content_hash,
            finished_at=timezone.now(),
            error_message="",
            **fields,
        )
    )
    if finished != 1:
        # The sweeper gave the job to another message meanwhile; that one stores its own.
        storage.delete(path)
    return finished == 1


def _content_file(data):
    from django.core.files.base import ContentFile

    return ContentFile(data)


def produce_factsheet_pdf(job, *, task_id):
    """Render the claimed rendering's factsheet and store it. Returns whether it is ready."""
    factsheet = job.factsheet
    pdf = rendering.render_factsheet(factsheet)
    name = f"feitenblad-{factsheet.subject.slug}-{job.pk}-{pdf.sha256[:12]}.pdf"
    return store_pdf(job, pdf=pdf, name=name, task_id=task_id)


def produce_batch_pdf(job, *, task_id):
    """Render the claimed batch's factsheets into one PDF, writing "n of m" to its row after
    each factsheet, and store it. Returns whether it is ready."""
    factsheets = list(batch_factsheets(job.umbrella))
    FactsheetBatch.objects.filter(pk=job.pk).update(done=0, total=len(factsheets))

    def progress(done, total):
        FactsheetBatch.objects.filter(pk=job.pk, task_id=task_id).update(done=done, total=total)

    pdf = rendering.render_combined(factsheets, on_progress=progress)
    name = f"terugblik-{job.umbrella.slug}-{job.pk}-{pdf.sha256[:12]}.pdf"
    return store_pdf(job, pdf=pdf, name=name, task_id=task_id, done=len(factsheets))


def sweep_stuck_jobs(*, now=None):
    """Re-queue jobs that lost their worker: "bezig" for longer than the task's hard time
    limit (the worker died, or the limit killed it and the message was lost), or "in de
    wachtrij" for QUEUED_TOO_LONG. Each gets a new task id, so that an old message that still
    arrives leaves it alone; a job that has used MAX_ATTEMPTS fails. Returns how many jobs
    were re-queued and how many failed."""
    now = now or timezone.now()
    requeued = failed = 0
    for model, time_limit in (
        (RenderedFactsheet, FACTSHEET_TIME_LIMIT),
        (FactsheetBatch, BATCH_TIME_LIMIT),
        *((model, limit) for model, (_send, limit) in _OTHER_JOB_MODELS.items()),
    ):
        running_since = now - timedelta(seconds=time_limit) - SWEEP_MARGIN
        stuck = model.objects.filter(
            Q(status=RenderStatus.rendering, started_at__lt=running_since)
            | Q(status=RenderStatus.queued, requested_at__lt=now - QUEUED_TOO_LONG)
            & (Q(started_at__isnull=True) | Q(started_at__lt=now - QUEUED_TOO_LONG))
        )
        for job in stuck:
            if job.attempts >= MAX_ATTEMPTS:
                failed += give_up(job, task_id=job.task_id, from_status=job.status)
                continue
            new_task_id = str(uuid.uuid4())
            with transaction.atomic():
                moved = model.objects.filter(
                    pk=job.pk, status=job.status, task_id=job.task_id
                ).update(status=RenderStatus.queued, task_id=new_task_id)
                if moved:
                    job.task_id = new_task_id
                    transaction.on_commit(lambda job=job: _enqueue(job))
            if moved:
                logger.warning("Re-queued %s %s (was %s).", model.__name__, job.pk, job.status)
            requeued += moved
    return requeued, failed


def download_name(job):
    """``feitenblad-<slug>-<YYYY-MM-DD>.pdf`` (or ``terugblik-…``), dated when it was made."""
    made = timezone.localdate(job.finished_at)
    if isinstance(job, FactsheetBatch):
        return f"terugblik-{job.umbrella.slug}-{made.isoformat()}.pdf"
    return f"feitenblad-{job.factsheet.subject.slug}-{made.isoformat()}.pdf"


def record_download(job, *, by):
    obj = job.umbrella if isinstance(job, FactsheetBatch) else job.factsheet
    audit.record(
        actor=by, obj=obj, action=AuditAction.export, changes={"pdf": [None, job.pk]},
        reason="PDF gedownload",
    )  # fmt: skip
