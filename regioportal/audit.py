"""Writing the audit log. Every domain function that changes (or reveals) personal data
or an application calls :func:`record`.

Entries about participant data carry their scope (AuditEntry.scope): the participant, and
for enrolment-level data the enrolment and programme, so that who may read an entry follows
who may see the data (participants.selectors.audit_entries_visible_to)."""

import contextlib
import contextvars
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from .models import AuditAction, AuditEntry, AuditScope

# The user on whose behalf code runs that has no ``by`` to pass (a signal handler for an
# admin's change of programme members): set by the admin around its views.
_current_actor = contextvars.ContextVar("audit_actor", default=None)


@contextlib.contextmanager
def acting(user):
    token = _current_actor.set(user)
    try:
        yield
    finally:
        _current_actor.reset(token)


def current_actor():
    return _current_actor.get()


def plain(value):
    """A value for an audit entry's JSON ``changes``: amounts and model objects as text, dates
    and moments in ISO format."""
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return value


def snapshot(instance, fields):
    """The current values of ``fields``, for :func:`diff` after a change."""
    return {name: plain(getattr(instance, name)) for name in fields}


def diff(before, instance):
    """``{field: [old, new]}`` for every field in ``before`` whose value changed."""
    changes = {}
    for name, old in before.items():
        new = plain(getattr(instance, name))
        if old != new:
            changes[name] = [old, new]
    return changes


# Keys of ``changes`` about the person (visible to everyone who may see them) rather than
# about one enrolment. Any other key on an entry without an enrolment fails closed.
PERSON_KEYS = {
    "first_name",
    "tussenvoegsel",
    "last_name",
    "birth_date",
    "birth_year",
    "municipality",
    "email",
    "phone",
    "format",
    "fields",
    "purpose",
    "given_on",
    "withdrawn_on",
}


def scope_of(obj):
    """The scope fields for an entry about ``obj``: the participant and, for data of one
    enrolment, the enrolment and its programme. Empty for objects that are not participant
    data. Reads foreign-key ids (and a progress entry's or ladder step's enrolment)."""
    label = obj._meta.label
    if label == "participants.Participant":
        return {"scope": AuditScope.participant, "participant_id": obj.pk}
    if label == "participants.Consent":
        return {"scope": AuditScope.participant, "participant_id": obj.participant_id}
    if label in ("participants.ProgressEntry", "participants.LadderStep"):
        obj = obj.enrolment
        label = "participants.Enrolment"
    if label == "participants.Enrolment":
        return enrolment_scope(obj)
    return {}


def enrolment_scope(enrolment):
    return {
        "scope": AuditScope.enrolment,
        "participant_id": enrolment.participant_id,
        "programme_id": enrolment.programme_id,
        "enrolment_id": enrolment.pk,
    }


def entry(*, actor, obj, action, changes=None, reason="", enrolment=None, about=None):
    """An unsaved AuditEntry, for :func:`record` and for bulk_create of many at once.

    ``about`` is the participant an entry about another object (a user's list export) is
    recorded for; ``enrolment`` scopes an entry about a participant to that enrolment."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    if enrolment is not None:
        scope = enrolment_scope(enrolment)
    elif about is not None:
        scope = scope_of(about)
    else:
        scope = scope_of(obj)
        if scope.get("scope") == AuditScope.participant and not set(changes or {}) <= PERSON_KEYS:
            # Fail closed: a change of enrolment data recorded on the participant without
            # its enrolment is read only by the roles that see every programme.
            scope = {**scope, "scope": AuditScope.enrolment}
    return AuditEntry(
        actor=actor,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action=AuditAction(action),
        changes=changes or {},
        reason=reason,
        **scope,
    )


def record(*, actor, obj, action, changes=None, reason="", enrolment=None):
    """Append one entry to the audit log and return it. Pass ``enrolment`` for a change of
    enrolment-level data recorded on the participant (goal, coach, outcome, progress)."""
    audit_entry = entry(
        actor=actor, obj=obj, action=action, changes=changes, reason=reason, enrolment=enrolment
    )
    audit_entry.save(force_insert=True)
    return audit_entry


def entries_for(obj):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
    ).select_related("actor")


def entries_about(participant):
    """Every entry about the participant's data, whatever object it was recorded on (the
    participant, an enrolment, a progress entry, a consent, a list export)."""
    return AuditEntry.objects.filter(participant=participant).select_related("actor")


def members_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """m2m_changed of Programme.members: membership grants access to participant data, so
    each user added to or removed from a programme is audited on the programme, whichever
    side changed it (programme.members or user.programmes) and wherever (the admin, a
    command). The actor is the user the code runs for (:func:`acting`), or nobody."""
    if action == "pre_clear":
        related = instance.programmes if reverse else instance.members
        instance._audit_cleared = set(related.values_list("pk", flat=True))
        return
    if action == "post_clear":
        pk_set, added = instance.__dict__.pop("_audit_cleared", set()), False
    elif action in ("post_add", "post_remove"):
        added = action == "post_add"
    else:
        return
    if not pk_set:
        return
    if reverse:  # the user's write reach, read once per request (is_member_of), has changed
        instance.__dict__.pop("_regioportal_editable_programmes", None)
        instance.__dict__.pop("_regioportal_member_programmes", None)
    others = model.objects.filter(pk__in=pk_set).order_by("pk")
    pairs = [(other, instance) for other in others] if reverse else [(instance, o) for o in others]
    for programme, user in pairs:
        name = user.get_username()
        record(
            actor=current_actor(),
            obj=programme,
            action=AuditAction.update,
            changes={"members": [None, name] if added else [name, None]},
        )


# Entries the retention period applies to: those about participant data (scoped to a person
# or an enrolment) and those about logins. Entries about applications, tenders and decisions
# are part of the subsidy file and follow its archiving rules instead, so they are kept.
EXPIRING_ACTIONS = (AuditAction.login, AuditAction.logout, AuditAction.login_failed)


def purge_expired(*, today=None):
    """Delete audit entries about participant data and logins older than
    AUDIT_RETENTION_DAYS. Returns how many. Runs nightly (regioportal.tasks)."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    start_of_cutoff = timezone.make_aware(datetime.combine(cutoff, time.min))
    expired = AuditEntry.objects.filter(at__lt=start_of_cutoff).filter(
        Q(participant__isnull=False) | ~Q(scope=AuditScope.none) | Q(action__in=EXPIRING_ACTIONS)
    )
    deleted, _by_model = expired.delete()
    return deleted
