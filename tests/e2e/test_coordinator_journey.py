"""The coordinator's day in the browser, on the demo data: find a participant, add a coaching
session, record a workshop for three participants, record an outcome, see the figures move."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from participants.enums import EnrolmentStatus
from participants.models import Enrolment, ProgressEntry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def outcome_count(page, label):
    row = page.locator("#outcome-table-caption").locator("xpath=..").locator("tr", has_text=label)
    return int(row.locator("td").first.inner_text())


def test_coordinator_records_progress_and_sees_the_programme_figures_change(page):
    call_command("load_demo", force=True, verbosity=0)
    active = list(
        Enrolment.objects.filter(programme__slug="op-koers", status=EnrolmentStatus.active)
        .select_related("participant")
        .order_by("participant__last_name", "participant__first_name")[:4]
    )
    person = active[0].participant

    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("coordinator")
    page.get_by_label("Wachtwoord").fill("regioportal")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")

    page.goto("/programmes/op-koers/")
    paid_work_before = outcome_count(page, "Betaald werk")

    # Find the participant by name.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Deelnemers").click()
    page.wait_for_load_state("load")
    page.get_by_label("Zoek op naam of deelnemersnummer").fill(
        f"{person.first_name} {person.last_name}"
    )
    page.get_by_role("button", name="Toon deelnemers").click()
    # A document left before its load event is never checked by axe (see conftest).
    page.wait_for_load_state("load")
    page.get_by_role("link", name=f"{person.last_name}, {person.first_name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(person.full_name)

    # Add a coaching session with the quick-add form; its script saves without a page load.
    participant_url = page.url
    quick_add = page.get_by_role("region", name="Voortgang toevoegen")
    quick_add.get_by_label("Soort").select_option(label="Coachinggesprek")
    quick_add.get_by_label("Duur (minuten)").fill("45")
    quick_add.get_by_label("Notitie").fill("Vacature bij de bakkerij besproken.")
    quick_add.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Voortgang opgeslagen.")
    expect(page.locator(".timeline__item").first).to_contain_text(
        "Vacature bij de bakkerij besproken."
    )
    assert page.url == participant_url  # saved in place: no page load, no redirect

    # Record a workshop for three participants.
    page.goto("/participants/group-activity/")
    page.get_by_label("Programma").select_option(label="Op Koers")
    page.get_by_role("button", name="Verder").click()
    page.get_by_label("Soort").select_option(label="Workshop")
    page.get_by_label("Titel").fill("Solliciteren met LinkedIn")
    page.get_by_label("Duur (minuten)").fill("120")
    for enrolment in active[1:4]:
        page.get_by_label(
            f"{enrolment.participant.full_name} ({enrolment.participant.reference})"
        ).check()
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Solliciteren met LinkedIn vastgelegd voor 3 deelnemers."
    )
    assert (
        ProgressEntry.objects.filter(group_activity__title="Solliciteren met LinkedIn").count() == 3
    )

    # Record the outcome of the first participant: paid work.
    page.goto(person.get_absolute_url())
    outcome = page.get_by_role("region", name="Uitstroom vastleggen")
    outcome.get_by_label("Uitstroom", exact=True).select_option(label="Betaald werk")
    outcome.get_by_role("button", name="Uitstroom opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Uitstroom vastgelegd.")

    # The programme page's figures follow.
    page.goto("/programmes/op-koers/")
    assert outcome_count(page, "Betaald werk") == paid_work_before + 1
