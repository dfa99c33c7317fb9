"""The quick-add form when the server does not answer with the participant page: nothing is
saved, the form keeps what was typed, the button works again and a Dutch message says why."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from participants.models import ProgressEntry
from tests.factories import (
    PASSWORD,
    CoordinatorFactory,
    EnrolmentFactory,
    ParticipantFactory,
    ProgrammeFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NOTE = "Vacature bij de bakkerij besproken."


@pytest.fixture
def quick_add(page):
    """The quick-add form of Anna's page, filled in by her coordinator and not yet sent."""
    programme = ProgrammeFactory(name="Op Koers", slug="op-koers")
    CoordinatorFactory(username="coordinator", programmes=[programme])
    anna = ParticipantFactory(first_name="Anna", last_name="Bakker")
    EnrolmentFactory(participant=anna, programme=programme)

    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("coordinator")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")
    page.goto(anna.get_absolute_url())

    form = page.get_by_role("region", name="Voortgang toevoegen")
    form.get_by_label("Soort").select_option(label="Coachinggesprek")
    form.get_by_label("Duur (minuten)").fill("45")
    form.get_by_label("Notitie").fill(NOTE)
    return form


def assert_nothing_saved_and_the_form_kept(form):
    expect(form.get_by_label("Notitie")).to_have_value(NOTE)
    expect(form.get_by_label("Duur (minuten)")).to_have_value("45")
    expect(form.get_by_role("button", name="Opslaan")).to_be_enabled()
    assert ProgressEntry.objects.count() == 0


def test_expired_session_keeps_the_text_and_says_to_log_in_again(page, quick_add):
    page.context.clear_cookies(name="sessionid")

    quick_add.get_by_role("button", name="Opslaan").click()

    alert = quick_add.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text(
        "Uw sessie is verlopen, dus er is niets opgeslagen. Wat u typte staat nog in het formulier."
    )
    expect(alert.get_by_role("link")).to_have_text("Log opnieuw in (opent in een nieuw tabblad)")
    assert_nothing_saved_and_the_form_kept(quick_add)


def test_failed_security_check_keeps_the_text_and_says_so(page, quick_add):
    page.context.clear_cookies(name="csrftoken")

    quick_add.get_by_role("button", name="Opslaan").click()

    alert = quick_add.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("De beveiligingscontrole van het formulier is mislukt")
    assert_nothing_saved_and_the_form_kept(quick_add)


def test_server_error_keeps_the_text_and_shows_the_code(page, quick_add):
    # The server's side of a crash, at the browser's edge: the request never reaches Django.
    page.route(
        "**/entries/",
        lambda route: route.fulfill(status=500, content_type="text/html", body="<h1>Fout</h1>"),
    )

    quick_add.get_by_role("button", name="Opslaan").click()

    alert = quick_add.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Er ging iets mis op de server, dus er is niets opgeslagen.")
    expect(alert).to_contain_text("Foutcode: 500")
    assert_nothing_saved_and_the_form_kept(quick_add)


def test_after_a_failure_the_next_try_saves(page, quick_add):
    page.context.clear_cookies(name="csrftoken")
    quick_add.get_by_role("button", name="Opslaan").click()
    expect(quick_add.get_by_role("alert")).to_be_visible()
    # Any well-formed secret, for the whole site (as Django sets it, path /: the Dutch CSRF
    # page may already have set a fresh one there); the script sends the cookie's token.
    page.context.add_cookies(
        [
            {
                "name": "csrftoken",
                "value": "x" * 32,
                "domain": urlsplit(page.url).hostname,
                "path": "/",
            }
        ]
    )

    quick_add.get_by_role("button", name="Opslaan").click()

    expect(page.get_by_role("status")).to_contain_text("Voortgang opgeslagen.")
    expect(page.locator(".timeline__item").first).to_contain_text(NOTE)
    assert ProgressEntry.objects.get().note == NOTE


def test_a_form_error_still_shows_the_servers_error_summary(page, quick_add):
    quick_add.get_by_label("Soort").select_option(label="Kies…")

    quick_add.get_by_role("button", name="Opslaan").click()

    summary = page.locator("#quick-add .error-summary:not([hidden])")
    expect(summary).to_contain_text("Kies de soort activiteit.")
    expect(page.locator("[data-quick-add-failure]")).to_be_hidden()
    expect(
        page.get_by_role("region", name="Voortgang toevoegen").get_by_label("Notitie")
    ).to_have_value(NOTE)
    assert ProgressEntry.objects.count() == 0
