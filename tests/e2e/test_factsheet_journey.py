"""A factsheet in the browser, on the demo data: the programme manager finds Van Waarde's
factsheet in /reports/, edits what was learnt, saves, reads the new text on the preview, has
the PDF made by a real Celery worker, follows it on the status page and downloads it."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from reports.models import Factsheet, RenderedFactsheet, RenderStatus
from tests.pdfs import pdf_text

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_LESSON = "Vraag jongeren eerst wat zij willen, en plan pas daarna."


@pytest.mark.celery
def test_programme_manager_edits_the_lessons_of_van_waarde_and_downloads_the_pdf(
    page, live_celery_worker, tmp_path
):
    call_command("load_demo", force=True, verbosity=0)
    factsheet = Factsheet.objects.get(programme__slug="van-waarde")
    lessons_before = factsheet.lessons.splitlines()

    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("programmamanager")
    page.get_by_label("Wachtwoord").fill("regioportal")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Feitenbladen"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Feitenbladen")
    page.get_by_label("Zoek op titel of onderwerp").fill("Van Waarde")
    page.get_by_role("button", name="Toon feitenbladen").click()
    # A document left before its load event is never checked by axe (see conftest).
    page.wait_for_load_state("load")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    rows.first.get_by_role("link", name=f"Bewerken {factsheet.title}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Feitenblad bewerken")

    lessons = page.get_by_label("Wat hebben we geleerd?")
    expect(lessons).to_have_value("\n".join(lessons_before))
    lessons.fill("\n".join([*lessons_before, NEW_LESSON]))
    page.get_by_role("button", name="Opslaan").click()

    page.wait_for_load_state("load")
    expect(page.get_by_role("status")).to_contain_text("Het feitenblad is opgeslagen.")
    expect(page.get_by_text(NEW_LESSON)).to_be_visible()
    assert page.url.endswith(factsheet.get_absolute_url())
    factsheet.refresh_from_db()
    assert factsheet.lessons.splitlines() == [*lessons_before, NEW_LESSON]
    assert factsheet.updated_by.username == "programmamanager"

    # The PDF: asked for on the preview, made by the worker (the live server and the worker
    # share the test database), followed on the status page, which reloads itself until ready.
    page.get_by_role("button", name="Genereer PDF").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"PDF van {factsheet.title}")
    download_link = page.get_by_role("link", name="Download de PDF")
    expect(download_link).to_be_visible(timeout=90_000)
    expect(page.locator("[data-job-status]")).to_have_text("Klaar")
    page.wait_for_load_state("load")
    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    job = RenderedFactsheet.objects.get(factsheet=factsheet)
    assert (job.status, job.requested_by.username) == (RenderStatus.ready, "programmamanager")
    made = timezone.localdate(job.finished_at).isoformat()
    assert download.suggested_filename == f"feitenblad-van-waarde-{made}.pdf"
    text = pdf_text(path)
    assert "Van Waarde" in text
    assert "WAT HEBBEN WE GELEERD?" in text  # the stylesheet capitalises headings
    assert NEW_LESSON in text

    page.get_by_role("link", name="Terug naar het feitenblad").click()
    expect(page.get_by_text(NEW_LESSON)).to_be_visible()


def test_factsheet_pages_pass_axe(page):
    """Visiting is the test (the page fixture runs axe on every document): the list with
    filters, the edit form with errors, making a factsheet, and the programme page's block."""
    call_command("load_demo", force=True, verbosity=0)
    factsheet = Factsheet.objects.get(programme__slug="experiment-familiehuis")
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("programmamanager")
    page.get_by_label("Wachtwoord").fill("regioportal")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")

    for path in [
        "/reports/?kind=uitgelicht&pdf=geen&sort=-latest",
        "/reports/?umbrella=bestaat-niet",
        "/reports/nieuw/klei-impuls/",
        "/programmes/experiment-familiehuis/",
        "/programmes/klei-impuls/",
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto(f"/reports/{factsheet.pk}/bewerken/")
    page.get_by_label("Links").fill("www.dehoven.nl")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Regel 1 („www.dehoven.nl”) is geen geldig webadres"
    )
