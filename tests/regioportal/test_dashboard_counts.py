"""The coordinator's dashboard counts are cached, and follow every change at once."""

import pytest

from participants.enums import EnrolmentStatus
from tests.factories import CoordinatorFactory, EnrolmentFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def counts(client):
    data = client.get("/").context["coordinator"]
    return data["active_participants"], data["enrolment_count"]


def test_dashboard_counts_follow_new_enrolments_and_status_changes(
    client, django_capture_on_commit_callbacks
):
    programme = ProgrammeFactory(name="Op Koers")
    coordinator = CoordinatorFactory(programmes=[programme])
    enrolment = EnrolmentFactory(programme=programme, status=EnrolmentStatus.active)
    client.force_login(coordinator)
    assert counts(client) == (1, 1)
    with django_capture_on_commit_callbacks(execute=True):  # the data version moves on commit
        EnrolmentFactory(programme=programme, status=EnrolmentStatus.active)
    assert counts(client) == (2, 2)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment.status = EnrolmentStatus.finished
        enrolment.end_date = enrolment.start_date
        enrolment.save()
    assert counts(client) == (1, 2)
