"""Bulk intake from CSV: template, upload, row checks, all-or-nothing, the Celery task."""

import os
import time
from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from participants import imports
from participants.enums import EnrolmentStatus
from participants.models import (
    Consent,
    Enrolment,
    ImportStatus,
    LadderStep,
    Participant,
    ParticipantImport,
)
from participants.services import Intake, register_intake
from participants.tasks import run_participant_import
from regioportal.models import AuditAction, AuditEntry
from regioportal.roles import roles_of
from tests.factories import (
    CoordinatorFactory,
    EnrolmentFactory,
    MunicipalityFactory,
    ParticipantFactory,
    ProgrammeFactory,
    ProgrammeManagerFactory,
    ReviewerFactory,
    TrackFactory,
)

pytestmark = pytest.mark.django_db

HEADER = (
    "voornaam;tussenvoegsel;achternaam;geboortedatum;geboortejaar;gemeente;email;telefoon;"
    "traject;coach;persoonlijk_doel;startdatum;startniveau_ladder;toestemming_datum;"
    "toestemming_doel;uitstroom;uitstroom_datum;einddatum"
)


# --- arrange ------------------------------------------------------------------------------


@pytest.fixture
def groningen():
    return MunicipalityFactory(name="Groningen", cbs_code="GM0014")


@pytest.fixture
def programme():
    programme = ProgrammeFactory(slug="klei-impuls", name="Klei Impuls")
    TrackFactory(programme=programme, name="Talentontwikkeling", order=1)
    TrackFactory(programme=programme, name="Goed werknemer", order=2)
    return programme


@pytest.fixture
def other_programme():
    return ProgrammeFactory(slug="op-koers", name="Op Koers")


@pytest.fixture
def coordinator(programme):
    return CoordinatorFactory(username="coach.anna", programmes=[programme])


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def row(**values):
    """A valid row; pass the columns a test is about."""
    return {
        "voornaam": "Sanne",
        "achternaam": "de Boer",
        "geboortedatum": "14-03-2001",
        "geboortejaar": "",
        "gemeente": "Groningen",
        "email": "sanne@example.nl",
        "telefoon": "06-12345678",
        "traject": "Talentontwikkeling",
        "coach": "coach.anna",
        "persoonlijk_doel": "Een opleiding in de zorg kiezen",
        "startdatum": "02-09-2024",
        "startniveau_ladder": "3",
        "toestemming_datum": "26-08-2024",
        "toestemming_doel": "Deelname Klei Impuls",
        **values,
    }


def csv_bytes(rows, *, columns=None, delimiter=";", encoding="utf-8-sig"):
    columns = columns or imports.COLUMNS
    lines = [delimiter.join(columns)]
    lines += [delimiter.join(r.get(column, "") for column in columns) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def upload(data, name="deelnemers.csv", content_type="text/csv"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def numbered_rows(count):
    return [
        row(voornaam=f"Deelnemer{n}", achternaam="Jansen", email=f"d{n}@example.nl")
        for n in range(count)
    ]


def post_import(client, programme, data, **kwargs):
    return client.post(
        reverse("participants:import"),
        {"programme": programme.slug, "file": upload(data, **kwargs)},
    )


# --- the template -------------------------------------------------------------------------


def test_template_has_the_dutch_header_and_one_fictional_example_row(coordinator_client):
    response = coordinator_client.get(reverse("participants:import-template"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="deelnemers-sjabloon.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == HEADER
    assert lines[1] == (
        "Voorbeeld;;Deelnemer;01-01-2000;;Groningen;voorbeeld@example.org;06-12345678;;;"
        "Werkervaring opdoen in de zorg;01-09-2025;3;25-08-2025;"
        "Deelname aan het programma en rapportage zonder naam;;;"
    )
    assert len(lines) == 2
    assert "bsn" not in lines[0].lower()


def test_template_uploaded_unchanged_is_rejected_for_its_example_row(
    coordinator_client, programme, groningen
):
    response = post_import(coordinator_client, programme, imports.template_csv())

    participant_import = ParticipantImport.objects.get()
    assert response.status_code == 302
    assert participant_import.errors == [
        {
            "row": 2,
            "column": None,
            "message": "Rij 2: dit is de voorbeeldrij uit het sjabloon; verwijder deze rij.",
        }
    ]


# --- a valid file -------------------------------------------------------------------------


def test_valid_three_row_file_creates_participants_enrolments_consents_and_audit_entries(
    coordinator_client, coordinator, programme, groningen
):
    rows = [
        row(),
        row(
            voornaam="Mohammed",
            achternaam="El Amrani",
            geboortedatum="",
            geboortejaar="1999",
            gemeente="GM0014",
            traject="goed werknemer",
            coach="",
            startniveau_ladder="",
            startdatum="2024-10-01",
        ),
        row(voornaam="Lotte", achternaam="Bakker", geboortedatum="1-2-2003", email=""),
    ]

    response = post_import(coordinator_client, programme, csv_bytes(rows))

    participant_import = ParticipantImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "participants:import-status", args=[participant_import.pk]
    )
    assert participant_import.status == ImportStatus.done
    assert participant_import.errors == []
    assert (participant_import.total_rows, participant_import.processed_rows) == (3, 3)
    assert participant_import.created_count == 3
    assert participant_import.uploaded_by == coordinator
    assert participant_import.original_name == "deelnemers.csv"

    participants = {p.first_name: p for p in Participant.objects.all()}
    assert sorted(participants) == ["Lotte", "Mohammed", "Sanne"]
    sanne = participants["Sanne"]
    # "de Boer" in the achternaam column, without a tussenvoegsel column value, is split.
    assert (sanne.surname_prefix, sanne.last_name, sanne.birth_date, sanne.birth_year) == (
        "de",
        "Boer",
        date(2001, 3, 14),
        None,
    )
    assert (sanne.municipality, sanne.email, sanne.phone) == (
        groningen,
        "sanne@example.nl",
        "06-12345678",
    )
    assert sanne.created_by == coordinator
    assert sanne.reference.startswith("D-")
    mohammed = participants["Mohammed"]
    assert (mohammed.birth_date, mohammed.birth_year, mohammed.municipality) == (
        None,
        1999,
        groningen,
    )
    assert participants["Lotte"].birth_date == date(2003, 2, 1)

    enrolments = {e.participant.first_name: e for e in Enrolment.objects.select_related()}
    assert {e.programme for e in enrolments.values()} == {programme}
    assert {e.status for e in enrolments.values()} == {EnrolmentStatus.intake}
    assert enrolments["Sanne"].track.name == "Talentontwikkeling"
    assert enrolments["Sanne"].coach == coordinator
    assert enrolments["Sanne"].personal_goal == "Een opleiding in de zorg kiezen"
    assert enrolments["Sanne"].start_date == date(2024, 9, 2)
    assert (
        enrolments["Sanne"].starting_ladder_level,
        enrolments["Sanne"].current_ladder_level,
    ) == (
        3,
        3,
    )
    assert enrolments["Mohammed"].track.name == "Goed werknemer"
    assert enrolments["Mohammed"].coach is None
    assert enrolments["Mohammed"].start_date == date(2024, 10, 1)
    assert enrolments["Mohammed"].starting_ladder_level is None

    assert sorted(
        Consent.objects.values_list("participant__first_name", "given_on", "purpose")
    ) == [
        ("Lotte", date(2024, 8, 26), "Deelname Klei Impuls"),
        ("Mohammed", date(2024, 8, 26), "Deelname Klei Impuls"),
        ("Sanne", date(2024, 8, 26), "Deelname Klei Impuls"),
    ]
    assert sorted(
        LadderStep.objects.values_list("enrolment__participant__first_name", "level", "recorded_on")
    ) == [("Lotte", 3, date(2024, 9, 2)), ("Sanne", 3, date(2024, 9, 2))]

    entries = AuditEntry.objects.filter(action=AuditAction.create)
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(
        str(p.pk) for p in participants.values()
    )
    sanne_entry = entries.get(object_id=str(sanne.pk))
    assert sanne_entry.actor == coordinator
    assert sanne_entry.object_repr == str(sanne)
    assert sanne_entry.changes == {
        "programme": [None, "Klei Impuls"],
        "track": [None, "Talentontwikkeling"],
    }
    assert sanne_entry.reason == "Deelnemersimport deelnemers.csv"


def test_status_page_of_a_done_import_says_how_many_were_imported(
    coordinator_client, programme, groningen
):
    post_import(coordinator_client, programme, csv_bytes(numbered_rows(3)))
    participant_import = ParticipantImport.objects.get()

    response = coordinator_client.get(
        reverse("participants:import-status", args=[participant_import.pk])
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "3 deelnemers geïmporteerd in Klei Impuls." in content
    assert reverse("participants:list") in content
    assert 'http-equiv="refresh"' not in content
    assert content.count("<h1") == 1


def test_comma_separated_windows_1252_file_without_bom_is_read(
    coordinator_client, programme, groningen
):
    data = csv_bytes(
        [row(voornaam="Jördis", achternaam="Eßer", persoonlijk_doel="Rijbewijs; daarna werk")],
        delimiter=",",
        encoding="cp1252",
    )

    post_import(coordinator_client, programme, data, content_type="application/vnd.ms-excel")

    participant = Participant.objects.get()
    assert (participant.first_name, participant.last_name) == ("Jördis", "Eßer")
    assert participant.enrolments.get().personal_goal == "Rijbewijs; daarna werk"


def test_optional_columns_may_be_left_out_and_empty_rows_are_skipped(coordinator_client, programme):
    columns = ["voornaam", "achternaam", "startdatum", "toestemming_datum", "toestemming_doel"]
    data = csv_bytes([row(), {}, row(voornaam="Lotte")], columns=columns)

    post_import(coordinator_client, programme, data)

    participant_import = ParticipantImport.objects.get()
    assert participant_import.status == ImportStatus.done
    assert participant_import.total_rows == 2
    assert sorted(Participant.objects.values_list("first_name", flat=True)) == ["Lotte", "Sanne"]


def test_the_stored_file_is_deleted_once_the_import_has_finished(
    coordinator_client, programme, groningen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_import(coordinator_client, programme, csv_bytes([row()]))

    participant_import = ParticipantImport.objects.get()
    assert participant_import.status == ImportStatus.done
    assert participant_import.file.name == ""


# --- row errors ---------------------------------------------------------------------------


def test_file_with_errors_in_rows_3_and_5_creates_nothing_and_lists_exactly_those_errors(
    coordinator_client, programme, groningen
):
    rows = numbered_rows(4)
    rows[1]["geboortedatum"] = "31-02-1990"  # row 3
    rows[3]["traject"] = "Ondernemerschap"  # row 5
    rows[3]["startniveau_ladder"] = "7"

    response = post_import(coordinator_client, programme, csv_bytes(rows))

    participant_import = ParticipantImport.objects.get()
    assert participant_import.status == ImportStatus.failed
    assert [error["message"] for error in participant_import.errors] == [
        "Rij 3, kolom geboortedatum: 31-02-1990 is geen geldige datum (gebruik dd-mm-jjjj).",
        "Rij 5, kolom traject: Ondernemerschap is geen traject van Klei Impuls "
        "(kies uit: Goed werknemer, Talentontwikkeling).",
        "Rij 5, kolom startniveau_ladder: 7 is geen geldig niveau (1 t/m 6).",
    ]
    assert participant_import.created_count == 0
    assert Participant.objects.count() == 0
    assert Enrolment.objects.count() == 0
    assert Consent.objects.count() == 0
    assert AuditEntry.objects.filter(action=AuditAction.create).count() == 0

    page = coordinator_client.get(response["Location"]).content.decode()
    assert "Er is niets geïmporteerd" in page
    assert "Het bestand bevat 3 fouten." in page
    assert "Rij 3, kolom geboortedatum: 31-02-1990 is geen geldige datum" in page


def test_every_column_is_checked_with_a_dutch_message_per_row_and_column(
    coordinator_client, programme, groningen
):
    CoordinatorFactory(username="coach.piet", programmes=[ProgrammeFactory()])
    rows = [
        row(voornaam="", achternaam="", startdatum="", toestemming_datum="", toestemming_doel=""),
        row(geboortedatum="01-01-2000", geboortejaar="2000"),
        row(geboortedatum="", geboortejaar="1850"),
        row(geboortedatum="01-01-2999"),
        row(gemeente="Groningn", email="sanne@", telefoon="12"),
        row(coach="coach.piet"),
        row(startdatum="01-01-2999", toestemming_datum="01-01-2999"),
        row(geboortedatum="01-01-2010", startdatum="01-01-2009"),
    ]

    post_import(coordinator_client, programme, csv_bytes(rows))

    participant_import = ParticipantImport.objects.get()
    this_year = timezone.localdate().year
    latest = timezone.localdate() + timedelta(days=365)
    assert [error["message"] for error in participant_import.errors] == [
        "Rij 2, kolom voornaam: dit veld is verplicht.",
        "Rij 2, kolom achternaam: dit veld is verplicht.",
        "Rij 2, kolom startdatum: dit veld is verplicht.",
        "Rij 2, kolom toestemming_datum: dit veld is verplicht.",
        "Rij 2, kolom toestemming_doel: dit veld is verplicht.",
        "Rij 3, kolom geboortejaar: vul een geboortedatum óf een geboortejaar in, niet beide.",
        f"Rij 4, kolom geboortejaar: 1850 is geen geldig geboortejaar (1900 t/m {this_year}).",
        "Rij 5, kolom geboortedatum: 01-01-2999 ligt in de toekomst.",
        "Rij 6, kolom gemeente: Groningn is geen bekende gemeente (gebruik de naam of de "
        "CBS-code, bijvoorbeeld GM0014).",
        "Rij 6, kolom email: sanne@ is geen geldig e-mailadres.",
        "Rij 6, kolom telefoon: 12 is geen geldig telefoonnummer (bijvoorbeeld 06-12345678 "
        "of +31 50 123 4567).",
        "Rij 7, kolom coach: coach.piet is geen coördinator van Klei Impuls (gebruik de "
        "gebruikersnaam).",
        f"Rij 8, kolom startdatum: 01-01-2999 ligt te ver in de toekomst (uiterlijk "
        f"{latest:%d-%m-%Y}).",
        "Rij 8, kolom toestemming_datum: 01-01-2999 ligt in de toekomst; leg toestemming vast "
        "als die gegeven is.",
        "Rij 9, kolom startdatum: de startdatum ligt vóór de geboortedatum.",
    ]
    assert Participant.objects.count() == 0


def test_the_same_person_twice_in_the_file_is_an_error(coordinator_client, programme, groningen):
    rows = [row(), row(voornaam="Lotte"), row(voornaam="SANNE", geboortedatum="2001-03-14")]

    post_import(coordinator_client, programme, csv_bytes(rows))

    participant_import = ParticipantImport.objects.get()
    assert [error["message"] for error in participant_import.errors] == [
        "Rij 4: dezelfde deelnemer (naam en geboortedatum) staat ook in rij 2.",
    ]
    assert Participant.objects.count() == 0


def test_a_participant_already_in_the_programme_is_an_error(
    coordinator_client, programme, other_programme, groningen
):
    existing = ParticipantFactory(
        reference="D-00000042",
        first_name="Sanne",
        surname_prefix="de",
        last_name="Boer",
        birth_year=2001,
    )
    EnrolmentFactory(participant=existing, programme=programme)
    elsewhere = ParticipantFactory(
        first_name="Lotte", surname_prefix="de", last_name="Boer", birth_year=2001
    )
    EnrolmentFactory(participant=elsewhere, programme=other_programme)

    post_import(coordinator_client, programme, csv_bytes([row(voornaam="Lotte"), row()]))

    participant_import = ParticipantImport.objects.get()
    assert [error["message"] for error in participant_import.errors] == [
        "Rij 3: Sanne de Boer is al ingeschreven in Klei Impuls (deelnemer D-00000042).",
    ]
    assert Participant.objects.count() == 2


def test_status_page_shows_at_most_200_errors_and_counts_the_rest(
    coordinator_client, programme, groningen
):
    post_import(coordinator_client, programme, csv_bytes([row(email="fout") for _ in range(250)]))
    participant_import = ParticipantImport.objects.get()

    response = coordinator_client.get(
        reverse("participants:import-status", args=[participant_import.pk])
    )

    content = response.content.decode()
    assert len(participant_import.errors) == 250
    assert content.count("is geen geldig e-mailadres.") == 200
    assert "… en nog 50 fouten." in content


# --- the file as a whole ------------------------------------------------------------------


@pytest.mark.parametrize("column", ["bsn", "BSN", "burgerservicenummer", "BSN-nummer"])
def test_a_bsn_column_rejects_the_whole_file(coordinator_client, programme, column):
    data = csv_bytes([row()], columns=[*imports.COLUMNS, column])

    response = post_import(coordinator_client, programme, data)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": [
            f"Het bestand heeft een kolom {column}. Een BSN mag niet worden opgeslagen: "
            "verwijder de kolom met het burgerservicenummer en upload het bestand opnieuw. "
            "Er is niets ingelezen."
        ]
    }
    assert ParticipantImport.objects.count() == 0
    assert Participant.objects.count() == 0


def test_unknown_and_missing_columns_are_listed(coordinator_client, programme):
    columns = ["voornaam", "achternaam", "geslacht", "Opmerking", "startdatum", "toestemming_doel"]

    response = post_import(coordinator_client, programme, csv_bytes([row()], columns=columns))

    assert response.context["form"].errors == {
        "file": [
            "Onbekende kolommen: geslacht, opmerking. Gebruik de kolommen uit het sjabloon: "
            + ", ".join(imports.COLUMNS)
            + ".",
            "Verplichte kolommen ontbreken: toestemming_datum.",
        ]
    }
    assert ParticipantImport.objects.count() == 0


NOT_USABLE = [
    (
        "deelnemers.xlsx",
        b"x",
        "text/csv",
        "Kies een bestand dat eindigt op .csv (nu: deelnemers.xlsx).",
    ),
    (
        "deelnemers.csv",
        b"%PDF-1.7",
        "application/pdf",
        "Dit is geen CSV-bestand (het bestandstype is application/pdf).",
    ),
    ("deelnemers.csv", b"\n\n", "text/csv", "Het bestand is leeg."),
    (
        "deelnemers.csv",
        HEADER.encode() + b"\r\n",
        "text/csv",
        "Het bestand bevat geen deelnemers: onder de kopregel staan geen rijen.",
    ),
    (
        "deelnemers.csv",
        b"PK\x03\x04rest",
        "text/csv",
        "Dit is een Excel-werkmap, geen CSV-bestand. Kies in Excel 'Opslaan als' en dan "
        "'CSV (gescheiden door lijstscheidingsteken)'.",
    ),
]


@pytest.mark.parametrize(("name", "data", "content_type", "message"), NOT_USABLE)
def test_a_file_that_is_not_a_usable_csv_is_refused_with_a_dutch_message(
    coordinator_client, programme, name, data, content_type, message
):
    response = post_import(
        coordinator_client, programme, data, name=name, content_type=content_type
    )

    assert response.context["form"].errors == {"file": [message]}


def test_a_file_over_5_mb_is_refused(coordinator_client, programme):
    data = csv_bytes([row()]) + b" " * (6 * 1024 * 1024)

    response = post_import(coordinator_client, programme, data)

    assert response.context["form"].errors == {
        "file": ["Het bestand is 6,0\xa0MB; het mag maximaal 5 MB zijn."]
    }


def test_upload_form_without_programme_and_file_explains_both(coordinator_client):
    response = coordinator_client.post(reverse("participants:import"), {})

    assert response.context["form"].errors == {
        "programme": ["Kies het programma waarin u de deelnemers inschrijft."],
        "file": ["Kies het CSV-bestand met de deelnemers."],
    }
    content = response.content.decode()
    assert 'aria-describedby="id_file_helptext id_file_error"' in content
    assert 'id="id_file_error"' in content
    assert content.count("<h1") == 1


# --- who may import -----------------------------------------------------------------------


def test_coordinator_sees_only_own_programmes_as_choices(
    coordinator_client, programme, other_programme
):
    response = coordinator_client.get(reverse("participants:import"))

    assert response.status_code == 200
    assert list(response.context["form"].fields["programme"].queryset) == [programme]


def test_coordinator_of_another_programme_gets_404_for_this_programme(
    client, programme, other_programme, groningen
):
    outsider = CoordinatorFactory(programmes=[other_programme])
    client.force_login(outsider)

    assert (
        client.get(reverse("participants:import"), {"programme": "klei-impuls"}).status_code == 404
    )
    assert post_import(client, programme, csv_bytes([row(coach="")])).status_code == 404
    assert ParticipantImport.objects.count() == 0


def test_status_page_is_404_for_a_coordinator_of_another_programme_and_a_reviewer(
    client, coordinator_client, programme, other_programme, groningen
):
    post_import(coordinator_client, programme, csv_bytes([row()]))
    url = reverse("participants:import-status", args=[ParticipantImport.objects.get().pk])

    client.force_login(CoordinatorFactory(programmes=[other_programme]))
    assert client.get(url).status_code == 404
    client.force_login(ReviewerFactory())
    assert client.get(url).status_code == 404
    client.force_login(CoordinatorFactory(programmes=[programme]))
    assert client.get(url).status_code == 200
    client.force_login(ProgrammeManagerFactory())
    assert client.get(url).status_code == 200


def test_uploader_still_sees_the_status_after_leaving_the_programme(
    coordinator_client, coordinator, programme, groningen
):
    post_import(coordinator_client, programme, csv_bytes([row()]))
    programme.members.remove(coordinator)

    response = coordinator_client.get(
        reverse("participants:import-status", args=[ParticipantImport.objects.get().pk])
    )

    assert response.status_code == 200


@pytest.mark.parametrize("factory", [ProgrammeManagerFactory, ReviewerFactory])
def test_who_is_no_coordinator_cannot_import(client, programme, factory):
    client.force_login(factory())

    assert client.get(reverse("participants:import")).status_code == 403
    assert client.get(reverse("participants:import-template")).status_code == 403
    assert post_import(client, programme, csv_bytes([row()])).status_code == 403


def test_anonymous_user_is_sent_to_the_login_page(client):
    response = client.get(reverse("participants:import"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- large files: the Celery task ---------------------------------------------------------


def test_a_file_over_500_rows_is_queued_and_imported_by_the_task(
    coordinator_client, programme, groningen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = post_import(coordinator_client, programme, csv_bytes(numbered_rows(501)))

    participant_import = ParticipantImport.objects.get()
    assert response.status_code == 302
    assert participant_import.status == ImportStatus.queued
    assert participant_import.total_rows == 501
    assert len(callbacks) == 1
    assert Participant.objects.count() == 0

    page = coordinator_client.get(response["Location"]).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert 'aria-live="polite"' in page
    assert '<progress class="meter" id="import-progress" max="501" value="0">' in page
    assert "In de wachtrij; het importeren begint zo." in page
    assert "js/import-progress.js" in page

    status = run_participant_import.run(import_id=participant_import.pk)

    participant_import.refresh_from_db()
    assert status == ImportStatus.done
    assert participant_import.status == ImportStatus.done
    assert (participant_import.processed_rows, participant_import.created_count) == (501, 501)
    assert participant_import.finished_at is not None
    assert Participant.objects.count() == 501
    assert Enrolment.objects.filter(programme=programme).count() == 501
    assert Consent.objects.count() == 501
    assert LadderStep.objects.count() == 501
    assert AuditEntry.objects.filter(action=AuditAction.create).count() == 501
    assert Participant.objects.values("reference").distinct().count() == 501


def test_the_task_is_idempotent(coordinator, programme, groningen):
    participant_import = imports.start_import(
        programme=programme, upload=upload(csv_bytes(numbered_rows(501))), by=coordinator
    )

    run_participant_import.run(import_id=participant_import.pk)
    finished_at = ParticipantImport.objects.get().finished_at
    run_participant_import.apply(kwargs={"import_id": participant_import.pk})

    participant_import.refresh_from_db()
    assert participant_import.status == ImportStatus.done
    assert participant_import.finished_at == finished_at
    assert Participant.objects.count() == 501
    assert AuditEntry.objects.filter(action=AuditAction.create).count() == 501


def test_the_task_starts_over_after_a_worker_died_mid_import(coordinator, programme, groningen):
    participant_import = imports.start_import(
        programme=programme, upload=upload(csv_bytes(numbered_rows(501))), by=coordinator
    )
    ParticipantImport.objects.filter(pk=participant_import.pk).update(
        status=ImportStatus.running, processed_rows=500
    )

    run_participant_import.run(import_id=participant_import.pk)

    assert ParticipantImport.objects.get().status == ImportStatus.done
    assert Participant.objects.count() == 501


def test_the_task_for_a_deleted_import_does_nothing():
    assert run_participant_import.run(import_id=987654) is None


def test_status_json_reports_progress(coordinator_client, coordinator, programme, groningen):
    participant_import = imports.start_import(
        programme=programme, upload=upload(csv_bytes(numbered_rows(1200))), by=coordinator
    )
    ParticipantImport.objects.filter(pk=participant_import.pk).update(
        status=ImportStatus.running, processed_rows=1000
    )
    url = reverse("participants:import-status", args=[participant_import.pk])

    response = coordinator_client.get(url, headers={"accept": "application/json"})

    assert response.json() == {
        "status": "running",
        "status_display": "Bezig",
        "finished": False,
        "total_rows": 1200,
        "processed_rows": 1000,
        "created_count": 0,
        "error_count": 0,
        "progress_text": "1.000 van 1.200 rijen gecontroleerd.",
    }
    assert coordinator_client.get(url, {"format": "json"}).json()["processed_rows"] == 1000
    assert "no-cache" in response["Cache-Control"]
    assert (
        'http-equiv="refresh"'
        not in coordinator_client.get(url, {"verversen": "uit"}).content.decode()
    )


# --- the bulk path writes what register_intake writes --------------------------------------


def test_bulk_creation_writes_the_same_rows_as_register_intake(coordinator, programme, groningen):
    track = programme.tracks.get(name="Talentontwikkeling")

    def intake(first_name):
        return Intake(
            first_name=first_name,
            surname_prefix="de",
            last_name="Boer",
            programme=programme,
            start_date=date(2024, 9, 2),
            consent_date=date(2024, 8, 26),
            consent_purpose="Deelname",
            birth_date=date(2001, 3, 14),
            municipality=groningen,
            email="s@example.nl",
            phone="06-12345678",
            track=track,
            coach=coordinator,
            personal_goal="Doel",
            starting_ladder_level=2,
        )

    one, _ = register_intake(intake=intake("Een"), by=coordinator)
    (bulk,) = imports.create_participants(intakes=[intake("Bulk")], by=coordinator)

    def written(participant):
        ignore = {"id", "reference", "first_name", "created_at", "participant", "updated_at"}
        ignore |= {"sort_name"}  # follows the first name
        ignore |= {"enrolment", "object_id", "object_repr", "at"}

        def fields(obj):
            return {
                f.attname: getattr(obj, f.attname)
                for f in obj._meta.concrete_fields
                if f.name not in ignore and f.attname.removesuffix("_id") not in ignore
            }

        enrolment = participant.enrolments.get()
        return {
            "participant": fields(participant),
            "consents": [fields(c) for c in participant.consents.all()],
            "enrolment": fields(enrolment),
            "ladder_steps": [fields(s) for s in enrolment.ladder_steps.all()],
            "audit": [fields(e) for e in AuditEntry.objects.filter(object_id=str(participant.pk))],
        }

    assert written(bulk) == written(one)


def test_in_request_import_runs_a_fixed_number_of_queries(coordinator, programme, groningen):
    def queries_for(rows):
        participant_import = ParticipantImport.objects.create(
            programme=programme,
            file=upload(csv_bytes(rows)),
            original_name="deelnemers.csv",
            total_rows=len(rows),
            # A fresh user object, as the task has: it reads the roles and own programmes.
            uploaded_by=type(coordinator).objects.get(pk=coordinator.pk),
        )
        with CaptureQueriesContext(connection) as queries:
            finished = imports.run_import(participant_import=participant_import)
        assert finished.status == ImportStatus.done
        return len(queries)

    ContentType.objects.get_for_model(Participant)  # cached per process, whichever test ran first
    roles_of(type(coordinator).objects.get(pk=coordinator.pk))  # the roles live in the cache
    few = queries_for([row(voornaam="Eén")])
    many = queries_for([row(voornaam=f"Veel{n}") for n in range(100)])

    # 18: the import rule reads the uploader's own programmes once
    assert few == many == 18


# --- benchmark (prints, does not assert a time) -------------------------------------------


@pytest.mark.skipif(
    not os.environ.get("REGIOPORTAL_BENCH"), reason="benchmark: set REGIOPORTAL_BENCH=1"
)
def test_benchmark_10000_row_import(coordinator, programme, groningen, capsys):
    rows = [
        row(voornaam=f"Deelnemer{n}", achternaam=f"Achternaam{n % 997}", email=f"d{n}@example.nl")
        for n in range(10_000)
    ]
    EnrolmentFactory.create_batch(2000, programme=programme)  # the duplicate check reads these
    participant_import = imports.start_import(
        programme=programme, upload=upload(csv_bytes(rows)), by=coordinator
    )

    started = time.perf_counter()
    run_participant_import.run(import_id=participant_import.pk)
    seconds = time.perf_counter() - started

    participant_import.refresh_from_db()
    assert participant_import.created_count == 10_000
    with capsys.disabled():
        print(f"\n10.000-row participant import: {seconds:.2f} s")


# --- a real worker ------------------------------------------------------------------------


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_large_upload_is_imported_by_a_real_celery_worker(
    live_celery_worker, coordinator_client, programme, groningen
):
    response = post_import(coordinator_client, programme, csv_bytes(numbered_rows(800)))
    participant_import = ParticipantImport.objects.get()
    assert response.status_code == 302

    deadline = time.monotonic() + 120
    while participant_import.status in (ImportStatus.queued, ImportStatus.running):
        assert time.monotonic() < deadline, "the worker did not finish the import in 120 s"
        time.sleep(0.2)
        participant_import.refresh_from_db()

    assert participant_import.status == ImportStatus.done
    assert participant_import.created_count == 800
    assert Enrolment.objects.filter(programme=programme).count() == 800
    assert participant_import.file.name == ""


# --- tussenvoegsel and historical outcomes (issue 6, section 8) ---------------------------


def test_the_tussenvoegsel_column_is_stored_apart(coordinator_client, programme, groningen):
    post_import(
        coordinator_client,
        programme,
        csv_bytes([row(voornaam="Anna", tussenvoegsel="Van der", achternaam="Veen")]),
    )
    anna = Participant.objects.get()
    assert (anna.surname_prefix, anna.last_name, anna.full_name, anna.sort_name) == (
        "van der",
        "Veen",
        "Anna van der Veen",
        "veen anna van der",
    )


def test_outcome_columns_import_historical_enrolments(coordinator_client, programme, groningen):
    rows = [
        row(voornaam="Afgerond", uitstroom="Betaald werk", uitstroom_datum="01-03-2025"),
        row(
            voornaam="Eerder",
            uitstroom="scholing",
            uitstroom_datum="01-03-2025",
            einddatum="15-02-2025",
        ),
        row(voornaam="Bezig", uitstroom="nog_bezig", uitstroom_datum="01-03-2025"),
        row(voornaam="Nieuw"),
    ]

    post_import(coordinator_client, programme, csv_bytes(rows))

    assert ParticipantImport.objects.get().errors == []
    enrolments = {
        e.participant.first_name: (e.status, e.outcome, e.outcome_date, e.end_date)
        for e in Enrolment.objects.select_related("participant")
    }
    assert enrolments == {
        "Afgerond": ("afgerond", "betaald_werk", date(2025, 3, 1), date(2025, 3, 1)),
        "Eerder": ("afgerond", "scholing", date(2025, 3, 1), date(2025, 2, 15)),
        "Bezig": ("intake", "nog_bezig", date(2025, 3, 1), None),
        "Nieuw": ("intake", "", None, None),
    }


def test_outcome_columns_are_checked_with_dutch_messages_per_row(
    coordinator_client, programme, groningen
):
    rows = [
        row(voornaam="A", uitstroom="werk", uitstroom_datum="01-03-2025"),
        row(voornaam="B", uitstroom="scholing"),
        row(voornaam="C", uitstroom_datum="01-03-2025"),
        row(voornaam="D", einddatum="01-03-2025"),
        row(
            voornaam="E",
            uitstroom="nog bezig",
            uitstroom_datum="01-03-2025",
            einddatum="01-03-2025",
        ),
        row(voornaam="F", uitstroom="scholing", uitstroom_datum="01-01-2024"),
        row(voornaam="G", uitstroom="scholing", uitstroom_datum="01-01-2999"),
    ]

    post_import(coordinator_client, programme, csv_bytes(rows))

    assert [error["message"] for error in ParticipantImport.objects.get().errors] == [
        "Rij 2, kolom uitstroom: werk is geen uitstroom (kies uit: Betaald werk, "
        "Werkervaringsplaats, Scholing, Participatie, Sociale activering, Nog bezig, "
        "Geen vervolgstap).",
        "Rij 3, kolom uitstroom_datum: vul de datum van de uitstroom in.",
        "Rij 4, kolom uitstroom: vul de uitstroom in bij een uitstroomdatum.",
        "Rij 5, kolom einddatum: een einddatum hoort bij een uitstroom; vul die ook in.",
        "Rij 6, kolom einddatum: bij 'nog bezig' loopt de inschrijving door; laat leeg.",
        "Rij 7, kolom uitstroom_datum: deze datum ligt vóór de startdatum.",
        "Rij 8, kolom uitstroom_datum: 01-01-2999 ligt in de toekomst.",
    ]
    assert Enrolment.objects.count() == 0


# --- one phone rule, one list of coaches (issue 6, section 9) -----------------------------


@pytest.mark.parametrize(
    ("phone", "valid"),
    [
        ("06-12345678", True),
        ("+31 50 123 4567", True),
        ("(050) 1234567", True),
        ("123456", False),  # the intake form accepted this, the import did not
        ("06-1234", False),
        ("0612345678901234", False),
        ("06 1234 5678 x", False),
    ],
)
def test_intake_edit_and_import_apply_the_same_phone_rule(
    client, coordinator, programme, groningen, phone, valid
):
    from participants.forms import IntakeForm, ParticipantForm

    intake = IntakeForm(
        {"programme": programme.pk, "phone": phone}, programmes=type(programme).objects.all()
    )
    intake.is_valid()
    edit = ParticipantForm({"first_name": "A", "last_name": "B", "phone": phone})
    edit.is_valid()
    client.force_login(coordinator)
    post_import(client, programme, csv_bytes([row(telefoon=phone)]))
    imported = ParticipantImport.objects.get()

    assert ("phone" not in intake.errors, "phone" not in edit.errors) == (valid, valid)
    assert (imported.errors == []) == valid


def test_import_accepts_as_coach_exactly_whom_the_intake_form_offers(
    coordinator_client, coordinator, programme, groningen
):
    from participants.forms import IntakeForm
    from participants.selectors import coaches_of

    inactive = CoordinatorFactory(username="coach.oud", programmes=[programme], is_active=False)
    not_a_coordinator = ProgrammeManagerFactory(username="pm")
    programme.members.add(not_a_coordinator)
    form = IntakeForm(programmes=type(programme).objects.filter(pk=programme.pk))

    assert list(coaches_of(programme)) == [coordinator]
    assert list(form.fields["coach"].queryset) == [coordinator]
    post_import(
        coordinator_client,
        programme,
        csv_bytes([row(coach="coach.oud"), row(voornaam="Piet", coach="pm")]),
    )
    assert [e["column"] for e in ParticipantImport.objects.get().errors] == ["coach", "coach"]
    assert inactive.is_active is False
