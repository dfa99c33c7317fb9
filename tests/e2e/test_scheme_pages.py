"""The scheme, tender and umbrella pages and their forms pass axe-core (WCAG 2.1 A/AA) and the
CSP, also with form errors; and the officer raises a tender's ceiling in the browser."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from subsidies.models import Tender

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, username):
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill("regioportal")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")


def test_officer_scheme_and_tender_pages_pass_axe_and_the_ceiling_is_raised(page):
    call_command("load_demo", force=True, verbosity=0)
    tender = Tender.objects.filter(scheme__code="ZV").order_by("-opens_at").first()
    log_in(page, "behandelaar")
    for path in [
        "/subsidies/regelingen/",
        "/subsidies/regelingen/?allocation_method=volgorde",
        "/subsidies/regelingen/ZV/",
        "/subsidies/regelingen/TPW/",
        "/subsidies/regelingen/PEV/",
        "/subsidies/regelingen/ZV/bewerken/",
        "/subsidies/regelingen/nieuw/",
        "/subsidies/regelingen/ZV/tenders/nieuw/",
        f"/subsidies/tenders/{tender.pk}/",
        f"/subsidies/tenders/{tender.pk}/bewerken/",
        "/programmes/kader/leefbaarheidsprogramma-2020-2023/",
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()

    # Forms with errors: the error summaries and field errors must pass too.
    page.goto("/subsidies/regelingen/nieuw/")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert").first).to_contain_text("Er ging iets mis")
    page.goto("/subsidies/regelingen/ZV/tenders/nieuw/")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Er ging iets mis")

    page.goto(f"/subsidies/tenders/{tender.pk}/")
    page.get_by_role("link", name="Plafond wijzigen").click()
    page.get_by_label("Nieuw subsidieplafond (€)").fill("1.000.000")
    page.get_by_label("Reden").fill("Besluit GS: extra middelen voor de laatste ronde.")
    page.get_by_role("button", name="Plafond wijzigen").click()
    expect(page.get_by_role("status")).to_contain_text("Het subsidieplafond is gewijzigd")
    expect(page.locator('[data-figure="ceiling"]')).to_have_text("€\xa01.000.000")
    expect(page.get_by_text("Besluit GS: extra middelen voor de laatste ronde.")).to_be_visible()
