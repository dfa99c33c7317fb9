"""Who may change participant data, declared once (STYLE §6). Whether the object is within
the user's reach at all is decided by participants.selectors (not visible → 404).

The rules have the portal's own names (``participants.record_intake``), not Django's model
permission names (``participants.change_participant``): the admin keeps Django's model
permissions, so a coordinator who is made staff gets nothing in /beheer/ from these rules.
They are tested with :func:`can` (rules.test_rule), never with ``user.has_perm``, which
answers True for any superuser: membership and authorship hold for everyone, in the views
and in the domain functions (participants.services) alike.

Write reach is the Coördinator role *and* membership of the programme
(programmes.selectors.is_member_of). Only the full erasure of a person belongs to the
Beheerder as well."""

import rules
from django.core.exceptions import PermissionDenied

from programmes.selectors import is_member_of
from regioportal.roles import Role, has_role


@rules.predicate
def is_administrator(user):
    return has_role(user, Role.administrator)


@rules.predicate
def may_write_in_programme(user, programme):
    """With a programme: whether the user may write in that one. Without: whether to offer
    the page at all (the Coördinator role, no query); the page lists
    programmes_editable_by(user) and the domain function checks the programme chosen."""
    if programme is None:
        return has_role(user, Role.coordinator)
    return is_member_of(user, programme)


@rules.predicate
def may_write_in_enrolment(user, enrolment):
    return enrolment is not None and is_member_of(user, enrolment.programme_id)


@rules.predicate
def may_write_for_participant(user, participant):
    """The person record (name, contact): a member of any programme the person is in."""
    return participant is not None and any(
        is_member_of(user, programme_id) for programme_id in _programme_ids(participant)
    )


@rules.predicate
def is_entry_author(user, entry):
    return entry is not None and entry.author_id == user.pk


@rules.predicate
def may_write_in_entrys_enrolment(user, entry):
    return entry is not None and is_member_of(user, entry.enrolment.programme_id)


@rules.predicate
def is_member_of_every_programme(user, participant):
    """A coordinator may erase the person only when every enrolment lies within their own
    programmes; otherwise the Beheerder does (see participants.services)."""
    programme_ids = _programme_ids(participant) if participant is not None else set()
    return bool(programme_ids) and all(is_member_of(user, pk) for pk in programme_ids)


def _programme_ids(participant):
    return set(participant.enrolments.values_list("programme_id", flat=True))


RULES = {
    "participants.record_intake": may_write_in_programme,
    "participants.import_participants": may_write_in_programme,
    "participants.record_group_activity": may_write_in_programme,
    "participants.edit_participant": may_write_for_participant,
    "participants.edit_enrolment": may_write_in_enrolment,
    # Whether to offer bulk actions on the list at all; each enrolment is checked on its own.
    "participants.edit_enrolment_somewhere": may_write_in_programme,
    "participants.add_entry": may_write_in_enrolment,
    "participants.change_entry": may_write_in_entrys_enrolment & is_entry_author,
    "participants.delete_entry": may_write_in_entrys_enrolment & is_entry_author,
    # Clearing the free text (goal, notes, milestones) of one's own programmes' enrolments.
    "participants.erase_enrolment": may_write_in_enrolment,
    # Erasing the person: name, contact and every enrolment.
    "participants.erase_participant": is_administrator | is_member_of_every_programme,
}
for _name, _predicate in RULES.items():
    rules.add_rule(_name, _predicate)


def can(user, rule, obj=None):
    """Whether ``user`` passes the portal rule ``rule`` for ``obj``. ``None`` (the system:
    the retention task) passes every rule."""
    if user is None:
        return True
    return rules.test_rule(rule, user, obj)


def require(user, rule, obj=None):
    """Raise PermissionDenied unless :func:`can`."""
    if not can(user, rule, obj):
        raise PermissionDenied
