"""The AVG retention period, enforced nightly by Celery beat (CELERY_BEAT_SCHEDULE)."""

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task
def anonymise_expired_participants():
    """Anonymise the participants whose every enrolment ended longer ago than
    PARTICIPANT_RETENTION_DAYS. Idempotent: a redelivered run finds nobody left."""
    count = services.anonymise_past_retention()
    logger.info("Retention: anonymised %d participant(s) past the retention period.", count)
    purged = services.purge_old_import_errors()
    logger.info("Retention: cleared the row errors of %d old import(s).", purged)
    return count


@shared_task
def close_inactive_enrolments():
    """Close the open enrolments without activity for ENROLMENT_INACTIVE_DAYS as gestopt.
    Idempotent: a closed enrolment is no longer selected."""
    count = services.close_inactive_enrolments()
    logger.info("Retention: closed %d inactive enrolment(s) as gestopt.", count)
    return count
