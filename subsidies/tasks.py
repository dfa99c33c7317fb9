"""Thin Celery tasks of the subsidy journey (subsidies.letters does the work). The decision
letter is a PDF job like a factsheet: on the ``pdf`` queue (CELERY_TASK_ROUTES), acknowledged
late, redelivered when its worker dies, retried with backoff after a transient error; the
letter's row says whether there is anything left to do."""

from celery import shared_task
from django.utils.translation import gettext_lazy as _

from reports.tasks import PDF_TASK_OPTIONS, run_job

from . import letters
from .models import DecisionLetter

LETTER_FAILED = _("De beschikking kon niet worden gemaakt (%(error)s).")


@shared_task(
    bind=True,
    soft_time_limit=letters.SOFT_TIME_LIMIT,
    time_limit=letters.TIME_LIMIT,
    **PDF_TASK_OPTIONS,
)
def render_decision_letter(self, *, letter_id):
    """Render one decision's letter. Idempotent: a letter already ready, failed, or owned by
    another delivery is left alone."""
    return run_job(
        self,
        DecisionLetter,
        letters.produce_letter,
        letter_id,
        soft_limit=letters.SOFT_TIME_LIMIT,
        failed_message=LETTER_FAILED,
    )
