"""/reports/: the factsheets the user may see, with the state of each one's latest PDF,
filtered, sorted, paginated and exported."""

import csv
import io
import re
from datetime import datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from openpyxl import load_workbook

from reports.models import Factsheet, RenderedFactsheet, RenderStatus
from tests.factories import (
    CoordinatorFactory,
    FactsheetFactory,
    ProgrammeFactory,
    ProgrammeManagerFactory,
    ReviewerFactory,
    UmbrellaProgrammeFactory,
)

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
URL = "/reports/"


@pytest.fixture
def sheets():
    leefbaarheid = UmbrellaProgrammeFactory(
        slug="leefbaarheidsprogramma-2020-2023", name="Leefbaarheidsprogramma 2020-2023"
    )
    other = UmbrellaProgrammeFactory(slug="werk-en-ontwikkel", name="Werk- & Ontwikkelprogramma")
    return {
        "waarde": FactsheetFactory(
            title="Van Waarde",
            programme=ProgrammeFactory(slug="van-waarde", name="Van Waarde", umbrella=leefbaarheid),
        ),
        "familiehuis": FactsheetFactory(
            title="Experiment Familiehuis",
            programme=ProgrammeFactory(
                slug="experiment-familiehuis", name="Familiehuis Delfzijl", umbrella=leefbaarheid
            ),
        ),
        "koers": FactsheetFactory(
            title="Op Koers",
            programme=ProgrammeFactory(slug="op-koers", name="Op Koers", umbrella=other),
        ),
        "terugblik": FactsheetFactory(
            overview=True, umbrella=leefbaarheid, title="Terugblik Leefbaarheid"
        ),
    }


def rendering(factsheet, status, requested_at, content=b"", finished_at=None):
    name = ""
    if content:
        name = default_storage.save(f"factsheets/{factsheet.pk}.pdf", ContentFile(content))
    rendered = RenderedFactsheet.objects.create(
        factsheet=factsheet,
        status=status,
        file=name,
        size=len(content) if content else None,
        finished_at=finished_at,
    )
    # requested_at is auto_now_add: set the moment the test needs afterwards.
    RenderedFactsheet.objects.filter(pk=rendered.pk).update(requested_at=requested_at)
    return rendered


def at(day, hour=12):
    return datetime(2026, 11, day, hour, 0, tzinfo=AMSTERDAM)


def titles(response):
    return [row.record.title for row in response.context["table"].page.object_list]


def cells(response):
    """The visible text of each body row's cells."""
    html = response.content.decode()
    body = re.search(r"<tbody[^>]*>(.*?)</tbody>", html, re.S).group(1)
    return [
        [
            " ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


# --- who sees what -------------------------------------------------------------------------------


def test_programme_manager_sees_every_factsheet_sorted_by_title(client, sheets):
    client.force_login(ProgrammeManagerFactory())

    assert titles(client.get(URL)) == [
        "Experiment Familiehuis",
        "Op Koers",
        "Terugblik Leefbaarheid",
        "Van Waarde",
    ]


def test_coordinator_sees_only_the_factsheets_of_their_programmes(client, sheets):
    client.force_login(CoordinatorFactory(programmes=[sheets["koers"].programme]))

    assert titles(client.get(URL)) == ["Op Koers"]


def test_rows_show_kind_subject_and_the_latest_pdf(client, sheets):
    waarde = sheets["waarde"]
    rendering(waarde, RenderStatus.failed, at(2))
    rendering(
        waarde, RenderStatus.ready, at(3), content=b"%PDF" + b"x" * 2044, finished_at=at(3, 13)
    )
    rendering(sheets["koers"], RenderStatus.ready, at(1), content=b"%PDF", finished_at=at(1))
    rendering(sheets["koers"], RenderStatus.queued, at(4))
    client.force_login(ProgrammeManagerFactory())

    rows = cells(client.get(URL, {"sort": "title"}))

    # title (and the subject when it differs), kind, latest PDF, actions
    assert [[row[0], row[1], row[3], row[4]] for row in rows] == [
        ["Experiment Familiehuis Familiehuis Delfzijl", "Uitgelicht", "Nog geen PDF",
         "Bekijken Experiment Familiehuis Bewerken Experiment Familiehuis "
         "Genereer PDF Experiment Familiehuis"],
        ["Op Koers", "Uitgelicht", "In de wachtrij 04-11-2026 12:00",
         "Bekijken Op Koers Bewerken Op Koers Genereer PDF Op Koers"],
        ["Terugblik Leefbaarheid Leefbaarheidsprogramma 2020-2023", "Overzicht",
         "Nog geen PDF", "Bekijken Terugblik Leefbaarheid Bewerken Terugblik Leefbaarheid "
         "Genereer PDF Terugblik Leefbaarheid"],
        ["Van Waarde", "Uitgelicht", "Klaar 03-11-2026 13:00 · 2,0 KB",
         "Bekijken Van Waarde Bewerken Van Waarde Genereer PDF Van Waarde"],
    ]  # fmt: skip


def test_reviewer_gets_no_edit_action(client, sheets):
    client.force_login(ReviewerFactory())

    rows = cells(client.get(URL, {"q": "waarde"}))

    assert rows[0][-1] == "Bekijken Van Waarde Genereer PDF Van Waarde"


def test_generate_action_posts_to_the_generate_url(client, sheets):
    client.force_login(ProgrammeManagerFactory())

    html = client.get(URL, {"q": "waarde"}).content.decode()

    generate = reverse("reports:generate", kwargs={"pk": sheets["waarde"].pk})
    assert f'<form method="post" action="{generate}" class="inline-form">' in html


# --- filters and sorting -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "overzicht"}, ["Terugblik Leefbaarheid"]),
        ({"kind": "uitgelicht"}, ["Experiment Familiehuis", "Op Koers", "Van Waarde"]),
        (
            {"umbrella": "leefbaarheidsprogramma-2020-2023"},
            ["Experiment Familiehuis", "Terugblik Leefbaarheid", "Van Waarde"],
        ),
        ({"q": "delfzijl"}, ["Experiment Familiehuis"]),  # the subject's name
        ({"q": "leefbaarheid terugblik"}, ["Terugblik Leefbaarheid"]),
        ({"pdf": "ready"}, ["Van Waarde"]),
        ({"pdf": "failed"}, ["Op Koers"]),
        ({"pdf": "geen"}, ["Experiment Familiehuis", "Terugblik Leefbaarheid"]),
        (
            {"sort": "-title"},
            ["Van Waarde", "Terugblik Leefbaarheid", "Op Koers", "Experiment Familiehuis"],
        ),  # fmt: skip
        (
            {"sort": "subject"},
            ["Experiment Familiehuis", "Terugblik Leefbaarheid", "Op Koers", "Van Waarde"],
        ),  # fmt: skip
        (
            {"sort": "latest"},
            ["Op Koers", "Van Waarde", "Experiment Familiehuis", "Terugblik Leefbaarheid"],
        ),  # fmt: skip
    ],
)
def test_filters_and_sorting(client, sheets, query, expected):
    rendering(sheets["waarde"], RenderStatus.ready, at(3), content=b"%PDF", finished_at=at(3))
    rendering(sheets["koers"], RenderStatus.ready, at(1), content=b"%PDF", finished_at=at(1))
    rendering(sheets["koers"], RenderStatus.failed, at(2), finished_at=at(2))
    client.force_login(ProgrammeManagerFactory())

    assert titles(client.get(URL, query)) == expected


@pytest.mark.parametrize(
    "query",
    [
        {"umbrella": "bestaat-niet", "kind": "x", "pdf": "<script>"},
        {"sort": "nonsense", "page": "abc"},
        {"page": "-1"},
        {"per_page": "-5"},
        {"q": "\x00"},
        {"export": "pdf"},
        {"sort": "actions"},
    ],
)
def test_junk_parameters_get_a_page_not_a_server_error(client, sheets, query):
    client.force_login(ProgrammeManagerFactory())

    assert client.get(URL, query).status_code in (200, 404)


def test_list_is_paginated_by_25(client, sheets):
    FactsheetFactory.create_batch(30)
    client.force_login(ProgrammeManagerFactory())

    response = client.get(URL, {"page": 2})

    assert len(titles(response)) == 34 - 25


# --- exports -------------------------------------------------------------------------------------


def test_csv_export_holds_exactly_the_filtered_rows(client, sheets):
    Factsheet.objects.update(updated_at=at(20, 9))
    rendering(sheets["waarde"], RenderStatus.ready, at(3), content=b"%PDF-1.7", finished_at=at(3))
    client.force_login(ProgrammeManagerFactory())

    response = client.get(URL, {"umbrella": "leefbaarheidsprogramma-2020-2023", "export": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["Feitenblad", "Soort", "Laatst gewijzigd", "Programma of overkoepelend programma",
         "Status laatste PDF", "PDF gemaakt", "Grootte (bytes)"],
        ["Experiment Familiehuis", "Uitgelicht (één programma)", "20-11-2026 09:00",
         "Familiehuis Delfzijl", "", "", ""],
        ["Terugblik Leefbaarheid", "Overzicht (overkoepelend programma)", "20-11-2026 09:00",
         "Leefbaarheidsprogramma 2020-2023", "", "", ""],
        ["Van Waarde", "Uitgelicht (één programma)", "20-11-2026 09:00", "Van Waarde", "Klaar",
         "03-11-2026 12:00", "8"],
    ]  # fmt: skip


def test_xlsx_export_holds_only_the_rows_the_coordinator_may_see(client, sheets):
    client.force_login(CoordinatorFactory(programmes=[sheets["waarde"].programme]))

    response = client.get(URL, {"export": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [row[:2] + row[3:5] for row in rows] == [
        ["Feitenblad", "Soort", "Programma of overkoepelend programma", "Status laatste PDF"],
        ["Van Waarde", "Uitgelicht (één programma)", "Van Waarde", None],
    ]


# --- queries -------------------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [0, 20])
def test_list_takes_a_fixed_number_of_queries(client, django_assert_num_queries, extra):
    for factsheet in [FactsheetFactory(), *FactsheetFactory.create_batch(extra)]:
        rendering(factsheet, RenderStatus.ready, at(3), content=b"%PDF", finished_at=at(3))
        rendering(factsheet, RenderStatus.queued, at(4))
    client.force_login(ProgrammeManagerFactory())
    client.get(URL)

    # user, count, page with the latest rendering's status, moment and file (the session,
    # roles and option lists come from caches)
    with django_assert_num_queries(3):
        assert client.get(URL).status_code == 200


@pytest.mark.parametrize("extra", [0, 20])
def test_coordinators_list_takes_a_fixed_number_of_queries(
    client, django_assert_num_queries, extra
):
    programmes = [ProgrammeFactory() for _ in range(1 + extra)]
    for programme in programmes:
        FactsheetFactory(programme=programme)
    client.force_login(CoordinatorFactory(programmes=programmes))
    client.get(URL)

    # user, count, page, the coordinator's programmes for the edit action
    with django_assert_num_queries(4):
        assert client.get(URL).status_code == 200
