"""Who may change participant data, declared once (STYLE §6). Whether the object is within
the user's reach at all is decided by participants.selectors (not visible → 404)."""

import rules

from regioportal.roles import Role, has_role


@rules.predicate
def is_coordinator(user):
    return has_role(user, Role.coordinator)


@rules.predicate
def is_administrator(user):
    return has_role(user, Role.administrator)


@rules.predicate
def is_entry_author(user, entry):
    return entry is not None and entry.author_id == user.pk


rules.add_perm("participants.add_participant", is_coordinator)
rules.add_perm("participants.change_participant", is_coordinator)
rules.add_perm("participants.add_progressentry", is_coordinator)
rules.add_perm("participants.change_progressentry", is_coordinator & is_entry_author)
rules.add_perm("participants.delete_progressentry", is_coordinator & is_entry_author)
rules.add_perm("participants.import_participants", is_coordinator)
rules.add_perm("participants.anonymise_participant", is_coordinator | is_administrator)
