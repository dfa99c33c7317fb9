"""Who may generate, follow and download which factsheet PDF (reports.rules), and the 404s
for everything else: the factsheet, its status page, its file and the terugblik batch."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from reports.models import FactsheetBatch, RenderedFactsheet, RenderStatus
from reports.rules import can
from tests.factories import (
    AdministratorFactory,
    CoordinatorFactory,
    FactsheetFactory,
    ProgrammeFactory,
    ProgrammeManagerFactory,
    RenderedFactsheetFactory,
    ReviewerFactory,
    SubsidyOfficerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheets():
    overview = FactsheetFactory(overview=True, title="Terugblik")
    own = ProgrammeFactory(slug="op-koers", umbrella=overview.umbrella, has_participants=False)
    other = ProgrammeFactory(slug="klei-impuls", umbrella=overview.umbrella)
    return {
        "own": FactsheetFactory(programme=own),
        "other": FactsheetFactory(programme=other),
        "overview": overview,
    }


def _user(role, programme):
    if role == "coordinator":
        return CoordinatorFactory(programmes=[programme])
    if role == "coordinator of another programme":
        return CoordinatorFactory(programmes=[ProgrammeFactory()])
    if role == "beheerder (superuser)":
        return AdministratorFactory(is_superuser=True, is_staff=True)
    return {
        "programmamanager": ProgrammeManagerFactory,
        "subsidiebehandelaar": SubsidyOfficerFactory,
        "beoordelaar": ReviewerFactory,
        "no role": UserFactory,
    }[role]()


# role → (generate own, generate other, generate overview, edit own, edit other, edit overview)
MATRIX = {
    "programmamanager": (True, True, True, True, True, True),
    "coordinator": (True, False, False, True, False, False),
    "coordinator of another programme": (False, False, False, False, False, False),
    "beheerder (superuser)": (True, True, True, False, False, False),
    "subsidiebehandelaar": (True, True, True, False, False, False),
    "beoordelaar": (True, True, True, False, False, False),
    "no role": (False, False, False, False, False, False),
}


@pytest.mark.parametrize("role", MATRIX)
def test_rules_for_every_role(role, sheets):
    user = _user(role, sheets["own"].programme)
    keys = ("own", "other", "overview")

    answers = tuple(can(user, "reports.generate_factsheet", sheets[key]) for key in keys) + tuple(
        can(user, "reports.edit_factsheet", sheets[key]) for key in keys
    )

    assert answers == MATRIX[role]


def test_a_coordinator_who_is_not_a_coordinator_any_more_may_not_edit(sheets):
    user = UserFactory(programmes=[sheets["own"].programme])  # member without the role

    assert can(user, "reports.edit_factsheet", sheets["own"]) is False


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("programmamanager", True), ("coordinator", False), ("beheerder (superuser)", True)],
)
def test_batch_rule_follows_the_overview(role, allowed, sheets):
    user = _user(role, sheets["own"].programme)

    assert can(user, "reports.generate_batch", sheets["overview"].umbrella) is allowed


@pytest.fixture
def ready_rendering(sheets):
    return RenderedFactsheetFactory(
        factsheet=sheets["other"],
        status=RenderStatus.ready,
        file=ContentFile(b"%PDF-1.7 klei", name="klei.pdf"),
        size=13,
    )


def test_coordinator_gets_404_for_another_programmes_factsheet_pdf(client, sheets, ready_rendering):
    client.force_login(_user("coordinator", sheets["own"].programme))

    responses = [
        client.post(reverse("reports:generate", args=[sheets["other"].pk])),
        client.get(reverse("reports:rendering-status", args=[ready_rendering.pk])),
        client.get(reverse("reports:download", args=[ready_rendering.pk])),
    ]

    assert [response.status_code for response in responses] == [404, 404, 404]
    assert RenderedFactsheet.objects.count() == 1


def test_coordinator_may_generate_and_download_their_own_programmes_pdf(client, sheets):
    own = RenderedFactsheetFactory(
        factsheet=sheets["own"],
        status=RenderStatus.ready,
        file=ContentFile(b"%PDF-1.7 eigen", name="eigen.pdf"),
    )
    client.force_login(_user("coordinator", sheets["own"].programme))

    assert client.get(reverse("reports:rendering-status", args=[own.pk])).status_code == 200
    assert client.get(reverse("reports:download", args=[own.pk])).status_code == 200


def test_coordinator_gets_404_for_the_terugblik_batch(client, sheets):
    batch = FactsheetBatch.objects.create(umbrella=sheets["overview"].umbrella, task_id="x")
    client.force_login(_user("coordinator", sheets["own"].programme))

    responses = [
        client.post(reverse("reports:batch", args=[sheets["overview"].umbrella.slug])),
        client.get(reverse("reports:batch-status", args=[batch.pk])),
        client.get(reverse("reports:batch-download", args=[batch.pk])),
    ]

    assert [response.status_code for response in responses] == [404, 404, 404]
    assert FactsheetBatch.objects.count() == 1


def test_unknown_or_junk_ids_are_404(client, sheets):
    client.force_login(_user("programmamanager", None))

    responses = [
        client.post(reverse("reports:generate", args=[999_999])),
        client.get(reverse("reports:rendering-status", args=[999_999])),
        client.get("/reports/pdf/abc/download/"),
        client.post(reverse("reports:batch", args=["bestaat-niet"])),
    ]

    assert [response.status_code for response in responses] == [404, 404, 404, 404]


def test_anonymous_users_are_sent_to_the_login_page(client, ready_rendering):
    response = client.get(reverse("reports:download", args=[ready_rendering.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_generate_without_csrf_token_is_refused(sheets):
    client = Client(enforce_csrf_checks=True)
    client.force_login(_user("programmamanager", None))

    response = client.post(reverse("reports:generate", args=[sheets["own"].pk]))

    assert response.status_code == 403
    assert RenderedFactsheet.objects.count() == 0
