"""Every page of the workspace passes axe-core (WCAG 2.1 A/AA) and the CSP: the page fixture
checks each document the browser loads, so visiting is the test."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from participants.models import Enrolment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, username):
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill("regioportal")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")


def test_coordinator_pages_pass_axe(page):
    call_command("load_demo", force=True, verbosity=0)
    participant = (
        Enrolment.objects.filter(programme__slug="op-koers").order_by("pk").first().participant
    )
    log_in(page, "coordinator")
    for path in [
        "/programmes/",
        "/programmes/klei-impuls/",
        "/participants/?status=&programme=op-koers&sort=-start_date",
        "/participants/new/",
        "/participants/import/",
        f"/participants/{participant.pk}/history/",
        f"/participants/{participant.pk}/edit/",
        f"/participants/{participant.pk}/anonymise/",
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    # A form with errors: the error summary and the field errors must pass too.
    page.goto("/participants/new/")
    page.get_by_role("button", name="Inschrijven").click()
    expect(page.get_by_role("alert")).to_contain_text("Er ging iets mis")


def test_programme_manager_pages_pass_axe(page):
    call_command("load_demo", force=True, verbosity=0)
    log_in(page, "programmamanager")
    for path in [
        "/programmes/?status=lopend",
        "/programmes/talentperron/",
        "/participants/?status=",
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
