"""Two programmes and their coordinators, for the tests of who sees and changes what."""

import pytest

from tests.factories import CoordinatorFactory, ProgrammeFactory


@pytest.fixture
def programme_a():
    return ProgrammeFactory(slug="op-koers", name="Op Koers")


@pytest.fixture
def programme_b():
    return ProgrammeFactory(slug="klei-impuls", name="Klei Impuls")


@pytest.fixture
def coordinator_a(programme_a):
    return CoordinatorFactory(username="coach.a", programmes=[programme_a])


@pytest.fixture
def coordinator_b(programme_b):
    return CoordinatorFactory(username="coach.b", programmes=[programme_b])
