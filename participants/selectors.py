"""Who may see which participant data. Views, tables, exports and tasks use these functions
and never build their own permission filter (STYLE §5)."""

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q

from programmes.models import Programme
from programmes.selectors import programmes_with_participants_visible_to
from regioportal.models import AuditEntry, AuditScope
from regioportal.roles import Role, has_role

from .counting import data_version
from .enums import EnrolmentStatus
from .models import Consent, Enrolment, Participant, ParticipantImport, ProgressEntry


def participants_visible_to(user):
    """Participants enrolled in a programme the user may see participant data of."""
    if has_role(user, Role.programme_manager, Role.administrator):
        return Participant.objects.all()
    if has_role(user, Role.coordinator):
        return Participant.objects.filter(
            enrolments__programme__in=programmes_with_participants_visible_to(user)
        ).distinct()
    return Participant.objects.none()


def enrolments_visible_to(user):
    if has_role(user, Role.programme_manager, Role.administrator):
        return Enrolment.objects.all()
    if has_role(user, Role.coordinator):
        return Enrolment.objects.filter(programme__in=programmes_with_participants_visible_to(user))
    return Enrolment.objects.none()


def progress_entries_visible_to(user):
    return ProgressEntry.objects.filter(enrolment__in=enrolments_visible_to(user))


def imports_visible_to(user):
    """Imports the user may follow: their own, and those into a programme whose participants
    they may see."""
    return ParticipantImport.objects.filter(
        Q(uploaded_by=user) | Q(programme__in=programmes_with_participants_visible_to(user))
    )


def enrolment_counts_by_programme(user, programmes):
    """``{programme_id: {"total": n, "active": n}}`` for the enrolments the user may see in
    ``programmes``. Counted on the enrolment table alone (an index-only scan on programme and
    status), not as an annotation that groups by every programme column, and cached until
    participant data or a programme membership changes (``participants.counting``)."""
    counts = cache.get(key := f"dashboard-counts:{user.pk}:{data_version()}")
    if counts is None:
        counts = {
            row["programme_id"]: {"total": row["total"], "active": row["active"]}
            for row in enrolments_visible_to(user)
            .filter(programme__in=programmes)
            .values("programme_id")
            .annotate(
                total=Count("*"),
                active=Count("status", filter=Q(status__in=EnrolmentStatus.open())),
            )
            .order_by()
        }
        cache.set(key, counts, 600)
    return counts


def recent_progress_by(user, *, limit):
    """The latest progress entries the user wrote and may still see, newest first."""
    return list(
        progress_entries_visible_to(user)
        .filter(author=user)
        .select_related("enrolment__participant", "enrolment__programme")
        .order_by("-date", "-id")[:limit]
    )


def sees_every_programme(user):
    """Roles that see the participant data of every programme (and so every audit entry)."""
    return has_role(user, Role.programme_manager, Role.administrator)


def audit_entries_visible_to(user, participant):
    """The audit trail of ``participant`` as ``user`` may read it: entries about the person
    (name, contact, views, access exports) for everyone who may see the participant; entries
    about an enrolment (goal, coach, track, status, outcome, ladder, progress, list exports)
    only for those who may see that programme's participants. Entries that could not be
    attributed to a programme are read only by the roles that see every programme.

    The history tab, the access export (JSON and PDF) and any other audit view use this; the
    caller has already checked that the participant is visible (participants_visible_to).
    Entries recorded before they carried a scope got it from migration regioportal 0006."""
    entries = AuditEntry.objects.filter(participant=participant)
    if not sees_every_programme(user):
        entries = entries.filter(
            Q(scope=AuditScope.participant)
            | Q(
                scope=AuditScope.enrolment,
                programme__in=programmes_with_participants_visible_to(user),
            )
        )
    return entries.select_related("actor", "programme").order_by("-at", "-id")


def coaches_of(programmes):
    """Who may coach enrolments in ``programmes`` (one programme, or several): the active
    Coördinatoren who are members of them. The intake and edit forms, the list's coach
    filter and the CSV import all offer and accept exactly these."""
    if isinstance(programmes, Programme):
        programmes = [programmes]
    return (
        get_user_model()
        .objects.filter(programmes__in=programmes, groups__name=Role.coordinator, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def excluding_withdrawn_consent(enrolments):
    """``enrolments`` without those of participants who withdrew their consent (a withdrawn
    consent and none that still holds: services.consent_withdrawn_ids), e.g. the attendees
    a group activity offers."""
    consents = Consent.objects.filter(participant=OuterRef("participant"))
    return enrolments.exclude(
        Exists(consents.filter(withdrawn_on__isnull=False))
        & ~Exists(consents.filter(withdrawn_on__isnull=True))
    )
