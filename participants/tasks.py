import logging

from celery import shared_task

from .imports import run_import
from .models import ParticipantImport

logger = logging.getLogger(__name__)


@shared_task
def run_participant_import(*, import_id):
    """Import a large participant file. Idempotent: a finished import is left alone."""
    participant_import = (
        ParticipantImport.objects.select_related("programme", "uploaded_by")
        .filter(pk=import_id)
        .first()
    )
    if participant_import is None:
        logger.info("Participant import %s is gone; nothing to import.", import_id)
        return None
    participant_import = run_import(participant_import=participant_import)
    return participant_import.status
