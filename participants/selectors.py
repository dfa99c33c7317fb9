"""Who may see which participant data. Views, tables, exports and tasks use these functions
and never build their own permission filter (STYLE §5)."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q

from programmes.models import Programme
from programmes.selectors import programmes_with_participants_visible_to
from regioportal.roles import Role, has_role

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
