"""A user's roles are cached between requests; a change of groups takes effect at once."""

import pytest
from django.contrib.auth.models import Group

from regioportal.roles import Role, roles_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_roles_are_read_once_and_then_come_from_the_cache(django_assert_num_queries):
    user = UserFactory(roles=[Role.coordinator])
    assert roles_of(fresh(user)) == {Role.coordinator}
    with django_assert_num_queries(0):
        assert roles_of(user) == {Role.coordinator}


def test_removing_a_group_from_the_user_ends_the_role_at_once():
    user = UserFactory(roles=[Role.coordinator, Role.reviewer])
    assert roles_of(fresh(user)) == {Role.coordinator, Role.reviewer}
    user.groups.remove(Group.objects.get(name=Role.reviewer))
    assert roles_of(fresh(user)) == {Role.coordinator}


def test_emptying_a_group_ends_the_role_of_its_members():
    user = UserFactory(roles=[Role.subsidy_officer])
    assert roles_of(fresh(user)) == {Role.subsidy_officer}
    Group.objects.get(name=Role.subsidy_officer).user_set.clear()
    assert roles_of(fresh(user)) == set()


def test_revoking_superuser_ends_the_administrator_role():
    user = UserFactory(is_superuser=True)
    assert roles_of(fresh(user)) == {Role.administrator}
    user.is_superuser = False
    user.save()
    assert roles_of(fresh(user)) == set()
