"""STUB (H10's worktree only; H9 owns this module and replaces it at merge).

Who may generate and edit a factsheet, with the contract's names."""

import rules

from programmes.selectors import is_member_of
from regioportal.roles import Role, has_role

from .selectors import factsheets_visible_to


@rules.predicate
def may_see_factsheet(user, factsheet):
    return factsheet is not None and factsheets_visible_to(user).filter(pk=factsheet.pk).exists()


@rules.predicate
def may_edit_factsheet(user, factsheet):
    if factsheet is None:
        return False
    if has_role(user, Role.programme_manager):
        return True
    return factsheet.programme_id is not None and is_member_of(user, factsheet.programme_id)


RULES = {
    "reports.generate_factsheet": may_see_factsheet,
    "reports.edit_factsheet": may_edit_factsheet,
}
for _name, _predicate in RULES.items():
    rules.add_rule(_name, _predicate)


def can(user, rule, obj=None):
    return rules.test_rule(rule, user, obj)
