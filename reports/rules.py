"""Who may do what with a factsheet, declared once (STYLE §6). Test with :func:`can`
(rules.test_rule), never ``user.has_perm``, which answers True for any superuser.

- ``reports.generate_factsheet``: whoever may see the factsheet (reports.selectors
  .factsheets_visible_to) may have its PDF made and download it. Factsheets hold no personal
  data, so seeing one is enough; not seeing it is a 404, never a 403.
- ``reports.edit_factsheet``: the Programmamanager edits every factsheet; a Coördinator edits
  the factsheet of a programme they are a member of (they write its texts in practice), not
  the umbrella's overview. Nobody else: the Beheerder manages accounts, not content, and
  the superuser flag grants nothing here.
- ``reports.generate_batch``: the combined terugblik of an umbrella programme, for whoever may
  see its overview factsheet."""

import rules
from django.core.exceptions import PermissionDenied

from programmes.selectors import member_programme_ids
from regioportal.roles import Role, has_role

from .selectors import factsheets_visible_to


@rules.predicate
def may_see_factsheet(user, factsheet):
    return factsheet is not None and factsheets_visible_to(user).filter(pk=factsheet.pk).exists()


@rules.predicate
def is_programme_manager(user):
    return has_role(user, Role.programme_manager)


@rules.predicate
def is_member_of_factsheets_programme(user, factsheet):
    """A Coördinator who is a member of the factsheet's programme. Membership itself, not
    programmes.selectors.is_member_of: that one is the reach of participant data and leaves
    out programmes without participants, whose factsheets their coordinators write as well."""
    return (
        factsheet is not None
        and factsheet.programme_id is not None
        and has_role(user, Role.coordinator)
        and factsheet.programme_id in member_programme_ids(user)
    )


@rules.predicate
def may_see_umbrella_overview(user, umbrella):
    return umbrella is not None and factsheets_visible_to(user).filter(umbrella=umbrella).exists()


RULES = {
    "reports.generate_factsheet": may_see_factsheet,
    "reports.edit_factsheet": is_programme_manager | is_member_of_factsheets_programme,
    "reports.generate_batch": may_see_umbrella_overview,
}
for _name, _predicate in RULES.items():
    rules.add_rule(_name, _predicate)


def can(user, rule, obj=None):
    """Whether ``user`` passes the portal rule ``rule`` for ``obj``."""
    return rules.test_rule(rule, user, obj)


def require(user, rule, obj=None):
    """Raise PermissionDenied unless :func:`can`."""
    if not can(user, rule, obj):
        raise PermissionDenied
