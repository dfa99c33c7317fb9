"""Exports of the applications worklist: exactly the filtered rows the user may see, in the
list's order, audited once per export. The data are test_worklist's fixtures."""

# ruff: noqa: F811 - pytest fixtures imported from test_worklist are parameters here

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from regioportal.models import AuditAction, AuditEntry
from subsidies.enums import ApplicationStatus
from tests.factories import (
    CoordinatorFactory,
    OrganisationFactory,
    ProgrammeManagerFactory,
    ReviewerFactory,
)
from tests.subsidies.test_worklist import (  # noqa: F401 - fixtures
    _fresh_options,
    _today,
    application,
    assen,
    groningen,
    officer,
    other_officer,
    other_scheme,
    rows,
    scheme,
    tender,
)

pytestmark = pytest.mark.django_db


def export(client, file_format, **params):
    return client.get(reverse("subsidies:application-export", args=[file_format]), params)


def csv_rows(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_csv_export_holds_exactly_the_filtered_rows_in_the_lists_order(client, officer, rows):
    client.force_login(officer)

    response = export(client, "csv", status="open", sort="-requested_amount")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="aanvragen-2024-05-15.csv"'
    lines = csv_rows(response)
    assert lines[0][:4] == ["Zaaknummer", "Projecttitel", "Aanvrager", "Gemeente aanvrager"]
    assert [line[0] for line in lines[1:]] == [
        "ZV-2024-002",
        "ZV-2024-001",
        "ZV-2024-004",
        "ZV-2024-003",
    ]
    first = dict(zip(lines[0], lines[1], strict=True))
    assert first["Aanvrager"] == "Sportclub Assen"
    assert first["Gemeente aanvrager"] == "Assen"
    assert first["Status"] == "Ontvangen"
    assert first["Beslistermijn tot"] == "20-05-2024"
    assert first["Stand beslistermijn"] == "Verloopt binnen 7 dagen"
    assert first["Aangevraagd bedrag (€)"] == "90000.00"


def test_export_of_a_deadline_state_matches_the_list(client, officer, rows):
    client.force_login(officer)

    lines = csv_rows(export(client, "csv", status="", deadline="verstreken"))

    assert [line[0] for line in lines[1:]] == ["ZV-2024-001"]
    assert lines[1][lines[0].index("Stand beslistermijn")] == "Verstreken"


def test_export_never_holds_applications_of_schemes_the_officer_does_not_handle(
    client, officer, rows
):
    client.force_login(officer)

    lines = csv_rows(export(client, "csv", status="", q="dorpshuis"))

    assert [line[0] for line in lines[1:]] == ["ZV-2024-001", "ZV-2024-003"]  # no TF-…


def test_xlsx_export(client, rows):
    client.force_login(ProgrammeManagerFactory())

    response = export(client, "xlsx", status="", sort="reference")

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Zaaknummer"
    assert [row[0] for row in values[1:]] == [
        "TF-2024-001",
        "ZV-2024-001",
        "ZV-2024-002",
        "ZV-2024-003",
        "ZV-2024-004",
        "ZV-2024-005",
    ]
    assert sheet.title == "Aanvragen"


def test_formulas_in_free_text_are_neutralised(client, officer, tender):
    application(
        tender,
        "ZV-2024-001",
        status=ApplicationStatus.received,
        deadline=datetime.date(2024, 6, 1),
        title="=HYPERLINK(1)",
        applicant=OrganisationFactory(name="@evil"),
    )
    client.force_login(officer)

    lines = csv_rows(export(client, "csv", status=""))

    assert lines[1][1:3] == ["'=HYPERLINK(1)", "'@evil"]


def test_each_export_is_audited_once_with_its_format_filters_and_rows(client, officer, rows):
    client.force_login(officer)

    export(client, "xlsx", status="open", deadline="verstreken", page="2")

    entry = AuditEntry.objects.get(action=AuditAction.export)
    assert entry.actor == officer
    assert entry.changes == {
        "format": "xlsx",
        "filters": {"status": "open", "deadline": "verstreken"},
        "rows": 1,
    }
    assert entry.reason == "Export van de aanvragenlijst"


@pytest.mark.parametrize(
    "params", [{"deadline": "gisteren"}, {"scheme": "x"}, {"reviewer": "99999999999999999999"}]
)
def test_an_export_with_junk_filters_is_not_found_and_not_audited(client, officer, rows, params):
    client.force_login(officer)

    assert export(client, "csv", **params).status_code == 404
    assert not AuditEntry.objects.filter(action=AuditAction.export).exists()


def test_an_unknown_format_is_not_found(client, officer, rows):
    client.force_login(officer)

    assert export(client, "json").status_code == 404


@pytest.mark.parametrize("factory", [CoordinatorFactory, ReviewerFactory])
def test_other_roles_may_not_export(client, rows, factory):
    client.force_login(factory())

    assert export(client, "csv").status_code == 404
    assert not AuditEntry.objects.filter(action=AuditAction.export).exists()


def test_junk_sort_falls_back_to_the_lists_default(client, officer, rows):
    client.force_login(officer)

    lines = csv_rows(export(client, "csv", status="open", sort="password"))

    assert [line[0] for line in lines[1:]] == [
        "ZV-2024-004",
        "ZV-2024-001",
        "ZV-2024-002",
        "ZV-2024-003",
    ]


def test_the_audit_entry_records_valid_filters_and_sort_only(client, officer, rows, scheme):
    client.force_login(officer)

    export(client, "csv", scheme=scheme.pk, sort="-requested_amount", junk="x")
    export(client, "csv", sort="\x00")

    first, second = AuditEntry.objects.filter(action=AuditAction.export).order_by("pk")
    assert first.changes["filters"] == {"scheme": str(scheme.pk), "sort": "-requested_amount"}
    assert second.changes["filters"] == {}
