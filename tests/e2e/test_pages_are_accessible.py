"""Every page of the workspace passes axe-core (WCAG 2.1 A/AA) and the CSP: the page fixture
checks each document the browser loads, so visiting is the test."""

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from participants.models import Enrolment
from reports.models import Factsheet
from tests.factories import PASSWORD, CoordinatorFactory

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
        *(f"/reports/{factsheet.pk}/" for factsheet in Factsheet.objects.order_by("pk")),
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_login_two_factor_and_error_pages_pass_axe(page, settings):
    settings.REQUIRE_2FA = True
    user = CoordinatorFactory(username="anne", first_name="Anne")

    log_in_with_password(page, "anne")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie instellen")
    page.get_by_label("Code uit de app").fill("000000")
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_text("Deze code klopt niet.")).to_be_visible()
    device = TOTPDevice.objects.get(user=user)
    # The wrong code made the next one wait a second; let that second pass.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    page.get_by_label("Code uit de app").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw herstelcodes")
    recovery_code = page.locator(".recovery-codes code").first.inner_text()
    page.get_by_role("link", name="Ik heb de codes bewaard, ga verder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Anne")
    page.get_by_role("link", name="Mijn account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account")
    page.get_by_role("button", name="Uitloggen").first.click()

    log_in_with_password(page, "anne")
    expect(page.get_by_role("heading", level=1)).to_have_text("Code invoeren")
    page.get_by_label("Code").fill(recovery_code)
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Anne")
    page.get_by_role("button", name="Uitloggen").first.click()

    # The CSRF failure page: the form's token no longer matches a cookie.
    page.goto("/inloggen/")
    page.context.clear_cookies()
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Het formulier kon niet worden verstuurd"
    )

    # The lockout message, last: it locks this address for the rest of the test.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto("/inloggen/")
        page.get_by_label("Gebruikersnaam").fill("anne")
        page.get_by_label("Wachtwoord").fill("fout")
        page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_contain_text("Te veel mislukte inlogpogingen.")


def log_in_with_password(page, username):
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
