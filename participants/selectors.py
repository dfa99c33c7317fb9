"""Who may see which participant data. Views, tables, exports and tasks use these functions
and never build their own permission filter (STYLE §5)."""

from django.db.models import Q

from programmes.selectors import programmes_with_participants_visible_to
from regioportal.roles import Role, has_role

from .models import Enrolment, Participant, ParticipantImport, ProgressEntry


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
