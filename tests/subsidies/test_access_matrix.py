"""The permission matrix of the application pages: every role against every page, always on
an application that is not theirs to handle (STYLE §14).

200: the page; 403: the user sees the application but may not do this; 404: the application
(or its documents, or its history) does not exist for the user; "login": to the login page.
"""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from subsidies import registration
from tests.factories import (
    AdministratorFactory,
    ApplicationFactory,
    CoordinatorFactory,
    ProgrammeFactory,
    ProgrammeManagerFactory,
    ReviewFactory,
    SubsidyOfficerFactory,
    UserFactory,
)
from tests.subsidies.application_data import pdf_bytes, tender_for, tender_scheme, upload

pytestmark = pytest.mark.django_db

LOGIN = "login"
PAGES = ["detail", "edit", "history", "attachment", "attachments-add", "add", "add-for-scheme"]

# role: expected answer per page, in the order of PAGES.
MATRIX = {
    "anonymous": [LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN],
    "coordinator": [404, 404, 404, 404, 404, 403, 403],
    "reviewer assigned": [200, 403, 404, 200, 403, 403, 403],
    "reviewer undeclared": [200, 403, 404, 404, 403, 403, 403],
    "reviewer conflicted": [404, 404, 404, 404, 404, 403, 403],
    "other reviewer": [404, 404, 404, 404, 404, 403, 403],
    "officer handling": [200, 200, 200, 200, 200, 200, 200],
    "officer not handling": [404, 404, 404, 404, 404, 200, 404],
    "programme manager": [200, 403, 200, 200, 403, 403, 403],
    "Beheerder": [200, 403, 200, 200, 403, 403, 403],
    "superuser": [200, 403, 200, 200, 403, 403, 403],
}


@pytest.fixture
def world():
    """An application in scheme ZV, handled by one officer, with an attachment and three
    reviewers (no conflict declared, a conflict, nothing declared yet); another scheme with
    its own officer and an application reviewed by someone else."""
    officer = SubsidyOfficerFactory()
    scheme = tender_scheme(handlers=[officer])
    application = ApplicationFactory(reference="ZV-2024-001", tender=tender_for(scheme))
    attachment = registration.add_attachment(
        application, upload("plan.pdf", pdf_bytes()), "projectplan", by=officer
    )
    other_officer = SubsidyOfficerFactory()
    other_scheme = tender_scheme(handlers=[other_officer], code="SA", name="Sociale Agenda")
    other_application = ApplicationFactory(tender=tender_for(other_scheme))
    users = {
        "anonymous": None,
        "coordinator": CoordinatorFactory(programmes=[ProgrammeFactory()]),
        "reviewer assigned": ReviewFactory(
            application=application, conflict_of_interest=False
        ).reviewer,
        "reviewer undeclared": ReviewFactory(application=application).reviewer,
        "reviewer conflicted": ReviewFactory(application=application, conflicted=True).reviewer,
        "other reviewer": ReviewFactory(
            application=other_application, conflict_of_interest=False
        ).reviewer,
        "officer handling": officer,
        "officer not handling": other_officer,
        "programme manager": ProgrammeManagerFactory(),
        "Beheerder": AdministratorFactory(is_staff=True),
        "superuser": UserFactory(is_superuser=True, is_staff=True, roles=[]),
    }
    reference = application.reference
    urls = {
        "detail": reverse("subsidies:application-detail", args=[reference]),
        "edit": reverse("subsidies:application-edit", args=[reference]),
        "history": reverse("subsidies:application-history", args=[reference]),
        "attachment": reverse("subsidies:attachment-download", args=[reference, attachment.pk]),
        "attachments-add": reverse("subsidies:application-attachments", args=[reference]),
        "add": reverse("subsidies:application-add"),
        "add-for-scheme": reverse("subsidies:application-add") + "?scheme=ZV",
    }
    return {"users": users, "urls": urls, "application": application}


def answer(response):
    login = resolve_url(settings.LOGIN_URL)
    if response.status_code == 302 and response["Location"].startswith(f"{login}?next="):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize(
    ("role", "page", "expected"),
    [
        (role, page, expected)
        for role, row in MATRIX.items()
        for page, expected in zip(PAGES, row, strict=True)
    ],
)
def test_every_role_gets_the_designed_answer_on_every_page(client, world, role, page, expected):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)

    response = client.get(world["urls"][page])

    assert answer(response) == expected


@pytest.mark.parametrize("role", [role for role, row in MATRIX.items() if row[1] != 200])
def test_nobody_but_the_handling_officer_changes_the_registered_data(client, world, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    application = world["application"]

    edit = client.post(world["urls"]["edit"], {"title": "Overgenomen"})
    attach = client.post(
        world["urls"]["attachments-add"],
        {"kind": "overig", "files": [upload("x.pdf", pdf_bytes())]},
    )

    application.refresh_from_db()
    assert (answer(edit), answer(attach)) == (MATRIX[role][1], MATRIX[role][4])
    assert application.title != "Overgenomen"
    assert application.attachments.count() == 1


def test_a_superuser_is_not_a_handler(world):
    """Django's superuser passes has_perm; the portal's rules do not ask it."""
    from subsidies.rules import can

    superuser = world["users"]["superuser"]

    assert can(superuser, "subsidies.handle_application", world["application"]) is False
