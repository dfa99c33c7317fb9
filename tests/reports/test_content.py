import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache

from programmes.figures import programme_figures
from programmes.models import Programme
from reports.content import content_hash, factsheet_context, quotes
from reports.models import Factsheet, FactsheetKind
from subsidies.enums import ApplicationStatus
from tests.factories import (
    ApplicationFactory,
    EnrolmentFactory,
    FactsheetFactory,
    ProgrammeFactory,
    SchemeFactory,
)

pytestmark = pytest.mark.django_db


def test_quotes_are_paragraphs_with_an_optional_speaker():
    text = "Eerste citaat\nover twee regels.\n\n“Tweede citaat.”\n— Ageeth Oskam, projectleider"

    assert quotes(text) == [
        {"text": "Eerste citaat over twee regels.", "speaker": ""},
        {"text": "Tweede citaat.", "speaker": "Ageeth Oskam, projectleider"},
    ]


def test_op_koers_figures_come_from_its_enrolments(demo):
    sheet = factsheet_context(
        Factsheet(kind=FactsheetKind.highlight, programme=Programme.objects.get(slug="op-koers"))
    )["sheet"]

    assert sheet["title"] == "Op Koers"
    assert [figure["value"] for figure in sheet["key_figures"]] == ["232", "23%", "40%", "27%"]
    assert [(row["label"], row["count"], row["display"]) for row in sheet["chart"]["rows"]] == [
        ("Betaald werk", "53", "23%"),
        ("Een stap verder", "93", "40%"),
        ("Nog bezig", "63", "27%"),
        ("Geen vervolgstap", "23", "10%"),
    ]


def test_rwlp_grants_come_from_its_applications(demo):
    sheet = factsheet_context(Factsheet.objects.get(programme__slug="rwlp-kwetsbare-panden"))[
        "sheet"
    ]

    assert sheet["key_figures"] == [
        {"value": "€\xa0800.000", "label": "subsidie verleend"},
        {"value": "2", "label": "subsidies"},
    ]
    assert [(row["label"], row["display"]) for row in sheet["chart"]["rows"]] == [
        ("2021", "€\xa0700.000"),
        ("2023", "€\xa0100.000"),
    ]


def test_overview_lines_and_results_come_from_the_rows(overview):
    sheet = factsheet_context(overview)["sheet"]

    assert [(line["name"], line["budget"]) for line in sheet["lines"]] == [
        ("Provinciebrede aanpak", "€\xa07\xa0miljoen"),
        ("Regionale arrangementen", "€\xa04\xa0miljoen"),
    ]
    assert [group["line"] for group in sheet["line_results"]] == [
        "Zorg & Voorzieningen",
        "Sociale Agenda",
        "Wonen",
        "Economische Vitaliteit",
    ]
    assert len(sheet["arrangements"]) == 6


def test_factsheet_context_runs_a_fixed_number_of_queries(overview, django_assert_num_queries):
    programme_sheet = Factsheet.objects.get(programme__slug="van-waarde")
    factsheet_context(programme_sheet)  # the enrolment figures are cached per data version

    with django_assert_num_queries(6):
        factsheet_context(overview)
    with django_assert_num_queries(6):
        factsheet_context(programme_sheet)


def test_content_hash_changes_with_a_narrative_field_and_not_with_a_plain_save():
    factsheet = FactsheetFactory(lessons="Eerste les.")
    before = content_hash(factsheet)

    factsheet.save()
    unchanged = content_hash(Factsheet.objects.get(pk=factsheet.pk))
    factsheet.lessons = "Eerste les.\nTweede les."
    factsheet.save()
    changed = content_hash(Factsheet.objects.get(pk=factsheet.pk))

    assert unchanged == before
    assert changed != before


def test_content_hash_changes_when_the_data_changes():
    programme = ProgrammeFactory(has_participants=True)
    factsheet = FactsheetFactory(programme=programme)
    for _ in range(6):
        EnrolmentFactory(programme=programme)
    cache.clear()
    before = content_hash(factsheet)

    EnrolmentFactory(programme=programme)
    cache.clear()  # in the portal the data version moves on; here the cache is simply empty
    after_enrolment = content_hash(factsheet)
    ApplicationFactory(
        programme=programme,
        tender=None,
        scheme=SchemeFactory(),
        status=ApplicationStatus.granted,
        granted_amount=Decimal("25000"),
        decided_on=datetime.date(2024, 6, 1),
    )
    after_grant = content_hash(factsheet)

    assert len({before, after_enrolment, after_grant}) == 3
    assert programme_figures(programme).started == 7
