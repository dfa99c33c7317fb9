"""Thin Celery tasks of the PDF pipeline (reports.services does the work). They run on the
``pdf`` queue (CELERY_TASK_ROUTES), acknowledge late and are redelivered when their worker
dies; the job's row, not the message, says whether there is anything left to do."""

import gc
import logging
import time

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_init, worker_process_init
from django.db import OperationalError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import rendering, services
from .models import FactsheetBatch, RenderedFactsheet

logger = logging.getLogger(__name__)

# Errors worth another try: the database or the file system briefly unavailable.
TRANSIENT_ERRORS = (OperationalError, OSError)
PDF_TASK_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 5,
    "retry_backoff_max": 120,
    # Every retry is an attempt too: the last one fails the job instead of giving it up.
    "max_retries": services.MAX_ATTEMPTS - 1,
    "ignore_result": True,
}


FACTSHEET_FAILED = gettext_lazy("Het feitenblad kon niet worden gemaakt (%(error)s).")


def run_job(task, model, produce, job_id, *, soft_limit, failed_message=FACTSHEET_FAILED):
    """The body of a PDF task: claim the job of ``model``, ``produce(job, task_id=…)`` it, and
    record a failure in Dutch (``failed_message`` with ``%(error)s`` for an unexpected error).
    Transient errors are re-raised for autoretry_for (PDF_TASK_OPTIONS)."""
    request = task.request
    task_id = request.id
    redelivered = bool((request.delivery_info or {}).get("redelivered"))
    job = services.claim_job(model, job_id=job_id, task_id=task_id, redelivered=redelivered)
    if job is None:
        logger.info("%s %s: nothing to do for task %s.", model.__name__, job_id, task_id)
        return None
    try:
        ready = produce(job, task_id=task_id)
    except SoftTimeLimitExceeded:
        message = _("Het maken duurde te lang (langer dan %(seconds)d seconden).") % {
            "seconds": soft_limit
        }
        services.fail_job(job, task_id=task_id, message=message)
        return "failed"
    except TRANSIENT_ERRORS as exc:
        if request.retries >= task.max_retries:
            message = _("Het maken is mislukt door een storing (%(error)s).") % {
                "error": type(exc).__name__
            }
            services.fail_job(job, task_id=task_id, message=message)
        else:
            message = _("Tijdelijke storing; het wordt opnieuw geprobeerd.")
            services.release_for_retry(job, task_id=task_id, message=message)
        raise  # autoretry_for retries with backoff, or records the final failure
    except Exception as exc:
        logger.exception("%s %s failed.", model.__name__, job_id)
        message = str(failed_message) % {"error": type(exc).__name__}
        services.fail_job(job, task_id=task_id, message=message)
        return "failed"
    return "ready" if ready else None


@shared_task(
    bind=True,
    soft_time_limit=services.FACTSHEET_SOFT_TIME_LIMIT,
    time_limit=services.FACTSHEET_TIME_LIMIT,
    **PDF_TASK_OPTIONS,
)
def render_factsheet_task(self, *, rendering_id):
    """Render one factsheet's PDF. Idempotent: a rendering already ready, failed, or owned by
    another delivery is left alone."""
    return run_job(
        self,
        RenderedFactsheet,
        services.produce_factsheet_pdf,
        rendering_id,
        soft_limit=services.FACTSHEET_SOFT_TIME_LIMIT,
    )


@shared_task(
    bind=True,
    soft_time_limit=services.BATCH_SOFT_TIME_LIMIT,
    time_limit=services.BATCH_TIME_LIMIT,
    **PDF_TASK_OPTIONS,
)
def render_factsheet_batch_task(self, *, batch_id):
    """Render a terugblik's combined PDF, writing its progress (n of m) to the batch row."""
    return run_job(
        self,
        FactsheetBatch,
        services.produce_batch_pdf,
        batch_id,
        soft_limit=services.BATCH_SOFT_TIME_LIMIT,
    )


# Warming up a worker that renders PDFs --------------------------------------------------------

PDF_QUEUE = "pdf"
_renders_pdfs = False


@worker_init.connect
def _preload_pdf_renderer(sender=None, **kwargs):
    """In the main process of a worker that consumes the pdf queue, before it forks its pool:
    load WeasyPrint once for all pool processes (reports.rendering.preload), then freeze what
    is loaded so far, so that the pool processes' garbage collector neither walks nor copies
    it."""
    global _renders_pdfs  # noqa: PLW0603 - set once per process, before the pool forks
    if sender is None or PDF_QUEUE not in sender.app.amqp.queues.consume_from:
        return
    _renders_pdfs = True
    rendering.preload()
    gc.freeze()


@worker_process_init.connect
def _warm_up_pdf_renderer(**kwargs):
    """Every new pool process of a PDF worker (also one that replaces a process recycled after
    its tasks) renders a small sheet before it takes a task (reports.rendering.warm_up)."""
    if not _renders_pdfs:
        return
    started = time.monotonic()
    try:
        rendering.warm_up()
    except Exception:  # a worker that cannot warm up still takes tasks, and reports there
        logger.exception("Warming up the PDF renderer failed.")
    else:
        logger.info("PDF renderer warmed up in %.2f s.", time.monotonic() - started)


@shared_task
def sweep_stuck_renderings():
    """Periodic (beat): re-queue PDF jobs whose worker was lost; see services.sweep_stuck_jobs."""
    requeued, failed = services.sweep_stuck_jobs()
    return {"requeued": requeued, "failed": failed}
