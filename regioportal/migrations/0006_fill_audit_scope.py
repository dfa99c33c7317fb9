"""Give the existing audit entries about participant data their participant and scope.

Entries on a participant about the person (name, contact, views, exports) are
participant-level. Entries about enrolment data (intake, goal, coach, track, status,
outcome, ladder, progress) get the enrolment when it can be derived: the enrolment named by
the intake's programme, or the participant's only enrolment. Otherwise they stay
enrolment-level without a programme, which only the roles that see every programme read.
Entries on an enrolment, progress entry or ladder step (the admin's) get that enrolment;
on a consent, its participant."""

from django.db import migrations
from django.db.models import BigIntegerField, CharField, Subquery
from django.db.models.functions import Cast

PERSON_FIELDS = {
    "first_name",
    "last_name",
    "birth_date",
    "birth_year",
    "municipality",
    "email",
    "phone",
    "format",
    "reference",
}
PERSON_ACTIONS = {"view", "export", "anonymise"}
BATCH = 2000


def _is_person_level(entry):
    if entry.action in PERSON_ACTIONS or not entry.changes:
        return True
    names = set(entry.changes)
    if names == {"fields"}:  # the admin recorded only the names of the changed fields
        names = set(entry.changes["fields"] or [])
    return names <= PERSON_FIELDS


def fill(apps, schema_editor):
    AuditEntry = apps.get_model("regioportal", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Enrolment = apps.get_model("participants", "Enrolment")
    Participant = apps.get_model("participants", "Participant")
    types = {
        ct.model: ct.pk for ct in ContentType.objects.filter(app_label="participants").only("model")
    }
    if not types:
        return
    enrolments = {}  # pk -> (participant_id, programme_id)
    by_participant = {}  # participant_id -> [(enrolment_id, programme_id, programme name)]
    for pk, participant_id, programme_id, name in Enrolment.objects.values_list(
        "pk", "participant_id", "programme_id", "programme__name"
    ).iterator(chunk_size=BATCH):
        enrolments[pk] = (participant_id, programme_id)
        by_participant.setdefault(participant_id, []).append((pk, programme_id, name))
    participants = set(Participant.objects.values_list("pk", flat=True).iterator(chunk_size=BATCH))

    def referenced(model, field):
        """``{pk: field}`` of the rows of ``model`` that audit entries name (few: the admin's)."""
        ids = [
            int(object_id)
            for object_id in AuditEntry.objects.filter(
                content_type_id=types.get(model)
            ).values_list("object_id", flat=True)
            if object_id.isdigit()
        ]
        rows = apps.get_model("participants", model).objects.filter(pk__in=ids)
        return dict(rows.values_list("pk", field))

    enrolment_of = {
        types[model]: referenced(model, "enrolment_id")
        for model in ("progressentry", "ladderstep")
        if model in types
    }
    consent_participant = referenced("consent", "participant_id") if "consent" in types else {}

    def scope_enrolment(entry, enrolment_id):
        entry.scope = "enrolment"
        if enrolment_id in enrolments:
            entry.enrolment_id = enrolment_id
            entry.participant_id, entry.programme_id = enrolments[enrolment_id]

    # Most entries are views of a participant page: one UPDATE for all of them.
    if "participant" in types:
        existing = Participant.objects.annotate(text_pk=Cast("pk", CharField())).values("text_pk")
        AuditEntry.objects.filter(
            content_type_id=types["participant"],
            action__in=PERSON_ACTIONS,
            object_id__in=Subquery(existing),
        ).update(scope="participant", participant_id=Cast("object_id", BigIntegerField()))

    changed = []
    remaining = AuditEntry.objects.filter(content_type_id__in=types.values(), scope="")
    for entry in remaining.iterator(chunk_size=BATCH):
        try:
            object_id = int(entry.object_id)
        except ValueError:
            continue
        if entry.content_type_id == types.get("participant"):
            if object_id not in participants:
                continue
            entry.participant_id = object_id
            if _is_person_level(entry):
                entry.scope = "participant"
            else:
                entry.scope = "enrolment"
                own = by_participant.get(object_id, [])
                named = (entry.changes.get("programme") or [None, None])[1]
                matching = [e for e in own if named and e[2] == named] or own
                if len(matching) == 1:
                    entry.enrolment_id, entry.programme_id, _name = matching[0]
        elif entry.content_type_id == types.get("enrolment"):
            scope_enrolment(entry, object_id)
        elif entry.content_type_id in enrolment_of:
            scope_enrolment(entry, enrolment_of[entry.content_type_id].get(object_id))
        elif entry.content_type_id == types.get("consent"):
            entry.scope = "participant"
            entry.participant_id = consent_participant.get(object_id)
        else:
            continue
        changed.append(entry)
        if len(changed) >= BATCH:
            AuditEntry.objects.bulk_update(
                changed, ["scope", "participant", "programme", "enrolment"]
            )
            changed = []
    AuditEntry.objects.bulk_update(changed, ["scope", "participant", "programme", "enrolment"])


class Migration(migrations.Migration):
    dependencies = [
        ("regioportal", "0005_audit_scope"),
        ("participants", "0002_progress_author_index"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
