"""The subsidy worklists in Chromium: axe-core (WCAG 2.1 A/AA) and the CSP on the
Subsidiebehandelaar's worklist (with its bulk assignment opened and refused) and on the
Beoordelaar's "Mijn beoordelingen"."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, username):
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill("regioportal")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")


def test_officer_worklist_passes_axe_and_refuses_an_empty_selection(page):
    call_command("load_demo", force=True, verbosity=0)
    log_in(page, "behandelaar")

    page.get_by_role("link", name="Subsidieaanvragen").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanvragen")
    page.goto("/subsidies/aanvragen/?status=&deadline=verstreken&sort=-requested_amount")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanvragen")
    page.get_by_text("Beoordelaars toewijzen aan de aangevinkte aanvragen").click()
    page.get_by_role("button", name="Beoordelaars toewijzen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Beoordelaars toewijzen")
    expect(page.get_by_text("Vink in de lijst ten minste één aanvraag aan.").first).to_be_visible()


def test_reviewer_list_passes_axe(page):
    call_command("load_demo", force=True, verbosity=0)
    log_in(page, "beoordelaar")

    page.get_by_role("link", name="Mijn beoordelingen").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn beoordelingen")
    page.goto("/subsidies/beoordelingen/?stage=concept&sort=-due_on")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn beoordelingen")
