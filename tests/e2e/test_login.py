import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, CoordinatorFactory, ProgrammeFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_coordinator_logs_in_and_sees_their_programmes_on_the_dashboard(page):
    klei_impuls = ProgrammeFactory(name="Klei Impuls", slug="klei-impuls")
    op_koers = ProgrammeFactory(name="Op Koers", slug="op-koers")
    ProgrammeFactory(name="Van Waarde", slug="van-waarde")
    CoordinatorFactory(
        username="coordinator", first_name="Anne", programmes=[klei_impuls, op_koers]
    )

    page.goto("/")
    expect(page).to_have_url("/inloggen/?next=/")
    page.get_by_label("Gebruikersnaam").fill("coordinator")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Anne")
    programmes = page.get_by_role("region", name="Mijn programma's met aantallen deelnemers")
    expect(programmes.locator("tbody tr td:first-child")).to_have_text(["Klei Impuls", "Op Koers"])
    expect(page.get_by_text("Van Waarde")).to_have_count(0)
