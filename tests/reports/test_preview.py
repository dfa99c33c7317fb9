import pytest

from reports.models import Factsheet
from tests.factories import CoordinatorFactory, FactsheetFactory, ProgrammeManagerFactory

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
