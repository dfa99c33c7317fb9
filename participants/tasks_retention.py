"""The AVG retention period, enforced nightly by Celery beat (CELERY_BEAT_SCHEDULE)."""

import logging

from celery import shared_task

from .services import anonymise_past_retention, purge_old_import_errors

logger = logging.getLogger(__name__)


@shared_task
def anonymise_expired_participants():
    """Anonymise the participants whose every enrolment ended longer ago than
    PARTICIPANT_RETENTION_DAYS. Idempotent: a redelivered run finds nobody left."""
    count = anonymise_past_retention()
    logger.info("Retention: anonymised %d participant(s) past the retention period.", count)
    purged = purge_old_import_errors()
    logger.info("Retention: cleared the row errors of %d old import(s).", purged)
    return count
