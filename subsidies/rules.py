"""Who may change subsidy data, declared once (STYLE §6). Whether an application is within
the user's reach at all is decided by subsidies.selectors (not visible → 404).

Write reach:
- handling an application (register, completeness, assign reviewers, rank, decide, pay,
  settle, objections): the Subsidiebehandelaar role *and* being one of the scheme's handlers
  (``Scheme.handlers``);
- deciding: a handler who did not review the application (four eyes);
- reviewing: the reviewer the review is assigned to, with the Beoordelaar role;
- schemes, criteria and tenders: the Beheerder, or a Subsidiebehandelaar who handles the
  scheme (any Subsidiebehandelaar may create a new scheme).

The Programmamanager reads; the Beheerder manages reference data but handles no application;
a second role never widens another's write reach. Tested with :func:`can`, never has_perm."""

import rules
from django.core.exceptions import PermissionDenied

from regioportal.roles import Role, has_role

from .models import Review, Scheme


def handled_scheme_ids(user):
    """The ids of the schemes the user handles as Subsidiebehandelaar, read once per request."""
    if not has_role(user, Role.subsidy_officer):
        return frozenset()
    ids = getattr(user, "_regioportal_handled_schemes", None)
    if ids is None:
        ids = frozenset(Scheme.objects.filter(handlers=user).values_list("pk", flat=True))
        user._regioportal_handled_schemes = ids
    return ids


def handles_scheme(user, scheme):
    if scheme is None:
        return False
    return (scheme.pk if hasattr(scheme, "pk") else scheme) in handled_scheme_ids(user)


@rules.predicate
def is_administrator(user):
    return has_role(user, Role.administrator)


@rules.predicate
def is_subsidy_officer(user):
    return has_role(user, Role.subsidy_officer)


@rules.predicate
def handles_the_scheme(user, scheme):
    """With a scheme: whether the user handles it. Without: whether to offer the page at all
    (the role, no query)."""
    if scheme is None:
        return has_role(user, Role.subsidy_officer)
    return handles_scheme(user, scheme)


@rules.predicate
def handles_the_application(user, application):
    return application is not None and handles_scheme(user, application.scheme_id)


@rules.predicate
def handles_the_tender(user, tender):
    return tender is not None and handles_scheme(user, tender.scheme_id)


@rules.predicate
def reviewed_the_application(user, application):
    return (
        application is not None
        and Review.objects.filter(application=application, reviewer=user).exists()
    )


@rules.predicate
def is_the_reviewer(user, review):
    return review is not None and review.reviewer_id == user.pk and has_role(user, Role.reviewer)


RULES = {
    # Reference data.
    "subsidies.add_scheme": is_administrator | is_subsidy_officer,
    "subsidies.edit_scheme": is_administrator | handles_the_scheme,
    "subsidies.edit_tender": is_administrator | handles_the_tender,
    # Who handles a scheme widens a Subsidiebehandelaar's reach: the Beheerder decides it.
    "subsidies.edit_scheme_handlers": is_administrator,
    # Applications.
    "subsidies.register_application": handles_the_scheme,
    "subsidies.handle_application": handles_the_application,
    "subsidies.assign_reviewers": handles_the_application,
    "subsidies.rank_tender": handles_the_tender,
    "subsidies.decide": handles_the_application & ~reviewed_the_application,
    # Reviews.
    "subsidies.write_review": is_the_reviewer,
}
for _name, _predicate in RULES.items():
    rules.add_rule(_name, _predicate)


def can(user, rule, obj=None):
    """Whether ``user`` passes the portal rule ``rule`` for ``obj``. ``None`` (the system: a
    demo loader, a command) passes every rule."""
    if user is None:
        return True
    return rules.test_rule(rule, user, obj)


def require(user, rule, obj=None):
    """Raise PermissionDenied unless :func:`can`."""
    if not can(user, rule, obj):
        raise PermissionDenied
