import pytest

from reports.models import Factsheet
from tests.factories import (
    CoordinatorFactory,
    FactsheetFactory,
    ProgrammeManagerFactory,
    ReviewerFactory,
)

pytestmark = pytest.mark.django_db


def test_preview_shows_the_same_sheet_in_the_portal_page(client):
    factsheet = FactsheetFactory(title="Van Waarde", lessons="Samen met jongeren beslissen.")
    client.force_login(ProgrammeManagerFactory())

    response = client.get(factsheet.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert response.templates[0].name == "reports/factsheet_detail.html"
    assert "reports/factsheet_sheet.html" in [t.name for t in response.templates]
    assert '<link rel="stylesheet" href="/static/css/factsheet.css">' in html
    assert html.count("<h1") == 1
    assert "Samen met jongeren beslissen." in html


def test_preview_of_a_factsheet_the_user_may_not_see_is_404(client):
    factsheet = FactsheetFactory()
    client.force_login(CoordinatorFactory())

    assert client.get(factsheet.get_absolute_url()).status_code == 404
    assert client.get("/reports/999999/").status_code == 404


def test_preview_needs_login(client):
    factsheet = FactsheetFactory()

    response = client.get(factsheet.get_absolute_url())

    assert response.status_code == 302
    assert Factsheet.objects.count() == 1


def test_preview_offers_edit_and_generate_to_the_programme_manager(client):
    factsheet = FactsheetFactory()
    client.force_login(ProgrammeManagerFactory())

    html = client.get(factsheet.get_absolute_url()).content.decode()

    assert f'href="/reports/{factsheet.pk}/bewerken/">Feitenblad bewerken</a>' in html
    assert f'<form method="post" action="/reports/{factsheet.pk}/pdf/"' in html
    assert ">Genereer PDF</button>" in html
    assert "alle feitenbladen van de terugblik" not in html  # a programme's factsheet


def test_preview_offers_the_coordinator_of_the_programme_edit_and_generate(client):
    factsheet = FactsheetFactory()
    client.force_login(CoordinatorFactory(programmes=[factsheet.programme]))

    html = client.get(factsheet.get_absolute_url()).content.decode()

    assert f'href="/reports/{factsheet.pk}/bewerken/">Feitenblad bewerken</a>' in html
    assert ">Genereer PDF</button>" in html


def test_preview_of_the_overview_offers_the_whole_terugblik_as_one_pdf(client):
    overview = FactsheetFactory(overview=True)
    client.force_login(ProgrammeManagerFactory())

    html = client.get(overview.get_absolute_url()).content.decode()

    assert f'<form method="post" action="/reports/terugblik/{overview.umbrella.slug}/pdf/"' in html
    assert "Genereer één PDF met alle feitenbladen van de terugblik</button>" in html


def test_preview_of_a_reader_without_edit_rights_offers_only_the_pdf(client):
    factsheet = FactsheetFactory()
    client.force_login(ReviewerFactory())

    html = client.get(factsheet.get_absolute_url()).content.decode()

    assert "/bewerken/" not in html
    assert ">Genereer PDF</button>" in html
