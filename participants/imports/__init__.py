"""Bulk intake from a CSV file (deelnemersimport).

A coordinator downloads the template, fills it in Excel and uploads it for one programme.
The file is read (:func:`read_table`), every row is checked (:func:`check_rows`) and, only when
no row has an error, every participant is created in one transaction (:func:`run_import`).
Small files are imported in the request, large ones by the Celery task
``participants.tasks.run_participant_import``; both call :func:`run_import`.

Rows are created in bulk rather than through ``services.register_intake`` one by one: that
costs six queries a row, about 19 s for 10.000 rows on PostgreSQL, before any checks. The bulk
path writes the same rows (``tests/participants/test_import.py`` compares them) in a few
statements per table, and takes about 5 s for the whole 10.000-row import. It builds the same
:class:`~participants.services.Intake` per row.
"""

import uuid
from functools import partial
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes.models import Programme
from programmes.selectors import programmes_editable_by

from ..models import ImportStatus, ParticipantImport
from ..rules import require
from .checking import check_rows, column_order, duplicates_in_programme
from .creating import create_participants
from .reading import (
    COLUMNS,
    EXAMPLE_ROW,
    MAX_FILE_SIZE,
    REQUIRED_COLUMNS,
    Table,
    read_table,
    template_csv,
)

__all__ = [
    "COLUMNS",
    "EXAMPLE_ROW",
    "IN_REQUEST_MAX_ROWS",
    "MAX_FILE_SIZE",
    "REQUIRED_COLUMNS",
    "SHOWN_ERRORS",
    "Table",
    "check_rows",
    "create_participants",
    "duplicates_in_programme",
    "error_summary",
    "programmes_to_import_into",
    "read_table",
    "run_import",
    "start_import",
    "template_csv",
]

# Up to this many data rows the import runs in the request; larger files go to Celery.
IN_REQUEST_MAX_ROWS = 500
SHOWN_ERRORS = 200


def programmes_to_import_into(user):
    """Programmes a coordinator may import participants into."""
    return programmes_editable_by(user)


def start_import(*, programme, upload, by):
    """Store the uploaded file privately and import it: in the request when it has at most
    IN_REQUEST_MAX_ROWS rows, otherwise by the Celery task (queued on commit).

    ``upload`` has passed ``forms_import.ParticipantImportForm``. Returns the
    ParticipantImport; its status is done or failed when imported in the request."""
    from ..tasks import run_participant_import  # the task module imports this one

    require(by, "participants.import_participants", programme)
    data = upload.read()
    upload.seek(0)
    table = read_table(data)
    participant_import = ParticipantImport(
        programme=programme,
        original_name=PurePath(upload.name).name[:200],
        total_rows=len(table.rows),
        uploaded_by=by,
    )
    # A random stored name: the original one may well contain a person's name.
    participant_import.file.save(f"{uuid.uuid4().hex}.csv", upload, save=False)
    participant_import.save()
    if participant_import.total_rows <= IN_REQUEST_MAX_ROWS:
        run_import(participant_import=participant_import)
    else:
        transaction.on_commit(
            partial(run_participant_import.delay, import_id=participant_import.pk)
        )
    return participant_import


def run_import(*, participant_import):
    """Check every row of the import's file and, when no row has an error, create every
    participant (:func:`create_participants`) in one transaction. All or nothing.

    Effects: status running, then done (with ``created_count``) or failed (with ``errors``);
    ``processed_rows`` is written every PROGRESS_EVERY rows while checking, outside the
    transaction, so the status page can show it. The stored file is deleted once the import
    has finished: the data now lives in the participant tables, or was rejected.

    Safe to run again (Celery redelivers with acks_late): a finished import is left alone, and
    two runs at once are serialised on the import row, so the rows are created once."""
    pk = participant_import.pk
    # 'running' too: a worker that died mid-import rolled back, and the redelivery starts over.
    claimed = ParticipantImport.objects.filter(
        pk=pk, status__in=[ImportStatus.queued, ImportStatus.running]
    ).update(status=ImportStatus.running, processed_rows=0)
    if not claimed:
        return participant_import
    try:
        return _run(participant_import)
    except Exception:
        ParticipantImport.objects.filter(pk=pk, status=ImportStatus.running).update(
            status=ImportStatus.failed,
            finished_at=timezone.now(),
            errors=[
                _file_error(
                    _(
                        "Er ging iets mis bij het importeren; er is niets aangemaakt. "
                        "Probeer het opnieuw of neem contact op met de beheerder."
                    )
                )
            ],
        )
        raise


def _file_error(message):
    return {"row": None, "column": None, "message": message}


def _run(participant_import):
    pk = participant_import.pk
    programme = participant_import.programme
    try:
        with participant_import.file.open("rb") as stored:
            table = read_table(stored.read())
    except ValidationError as exc:
        return _finish(participant_import, errors=[_file_error(m) for m in exc.messages])

    def report(rows_checked):
        ParticipantImport.objects.filter(pk=pk).update(processed_rows=rows_checked)

    intakes, errors = check_rows(programme=programme, table=table, on_progress=report)
    report(len(table.rows))
    with transaction.atomic():
        locked = ParticipantImport.objects.select_for_update().get(pk=pk)
        if locked.status != ImportStatus.running:
            return locked  # another delivery of the task finished it meanwhile
        # One import at a time per programme, so that two uploads of the same file cannot
        # both pass the duplicate check below. NO KEY: intakes in the browser (which insert
        # enrolments referring to the programme) are not held up.
        Programme.objects.select_for_update(no_key=True).get(pk=programme.pk)
        errors += duplicates_in_programme(programme=programme, intakes=intakes)
        if errors:
            errors.sort(key=lambda e: (e["row"], column_order(e["column"])))
            return _finish(locked, errors=errors, total_rows=len(table.rows))
        create_participants(
            intakes=[intake for _row, intake in intakes],
            by=participant_import.uploaded_by,
            reason=_("Deelnemersimport %(name)s") % {"name": participant_import.original_name},
        )
        return _finish(locked, created=len(intakes), total_rows=len(table.rows))


def _finish(participant_import, *, errors=None, created=0, total_rows=None):
    participant_import.status = ImportStatus.failed if errors else ImportStatus.done
    participant_import.errors = errors or []
    participant_import.created_count = created
    if total_rows is not None:
        participant_import.total_rows = total_rows
        participant_import.processed_rows = total_rows
    participant_import.finished_at = timezone.now()
    participant_import.save(
        update_fields=[
            "status",
            "errors",
            "created_count",
            "total_rows",
            "processed_rows",
            "finished_at",
        ]
    )
    transaction.on_commit(partial(_discard_file, participant_import.pk))
    return participant_import


def _discard_file(pk):
    participant_import = ParticipantImport.objects.filter(pk=pk).first()
    if participant_import and participant_import.file:
        participant_import.file.delete(save=False)
        ParticipantImport.objects.filter(pk=pk).update(file="")


def error_summary(participant_import):
    """The errors to show (at most SHOWN_ERRORS) and how many more there are."""
    errors = participant_import.errors
    return errors[:SHOWN_ERRORS], max(len(errors) - SHOWN_ERRORS, 0)
