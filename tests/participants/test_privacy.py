"""AVG: a participant's data export (inzageverzoek) and erasure (anonimiseren)."""

import json
from dataclasses import asdict
from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from participants import services
from participants.enums import EnrolmentStatus, Outcome
from participants.models import Consent, Enrolment, LadderStep, Participant, ProgressEntry
from participants.privacy import participant_export
from programmes.enums import ActivityKind
from programmes.figures import programme_figures
from programmes.models import Track
from regioportal.models import AuditAction, AuditEntry
from regioportal.roles import Role
from tests.factories import (
    AdministratorFactory,
    CoordinatorFactory,
    MunicipalityFactory,
    ProgrammeFactory,
    ProgrammeManagerFactory,
    ReviewerFactory,
    SubsidyOfficerFactory,
    UserFactory,
)
from tests.pdfs import pdf_fonts, pdf_info, pdf_text

pytestmark = pytest.mark.django_db


# --- arrange ------------------------------------------------------------------------------


@pytest.fixture
def op_koers():
    return ProgrammeFactory(slug="op-koers", name="Op Koers")


@pytest.fixture
def klei_impuls():
    return ProgrammeFactory(slug="klei-impuls", name="Klei Impuls")


@pytest.fixture
def coordinator(op_koers):
    return CoordinatorFactory(programmes=[op_koers], first_name="Carla", last_name="Coach")


@pytest.fixture
def participant(op_koers, coordinator):
    """Eva Ëlzinga in Op Koers: intake, a coaching session with a milestone, a step up the
    ladder, a changed e-mail address, and an outcome."""
    track = Track.objects.create(programme=op_koers, name="Werkfit", order=1)
    municipality = MunicipalityFactory(name="Het Hogeland", cbs_code="GM1966")
    participant, enrolment = services.register_intake(
        intake=services.Intake(
            first_name="Eva",
            last_name="Ëlzinga",
            programme=op_koers,
            start_date=date(2023, 1, 9),
            consent_date=date(2023, 1, 9),
            consent_purpose="Begeleiding naar werk binnen Op Koers",
            birth_date=date(2001, 4, 17),
            municipality=municipality,
            email="eva@example.nl",
            phone="06 12345678",
            track=track,
            coach=coordinator,
            personal_goal="Een baan in de zorg vinden",
            starting_ladder_level=2,
        ),
        by=coordinator,
    )
    services.add_progress_entry(
        enrolment=enrolment,
        by=coordinator,
        kind=ActivityKind.coaching,
        date=date(2023, 2, 1),
        duration_minutes=60,
        note="Gesprek over sollicitatiebrief",
        milestone="Cv af",
        ladder_level=4,
    )
    services.update_participant(participant=participant, by=coordinator, email="eva@elzinga.nl")
    services.record_outcome(
        enrolment=enrolment,
        by=coordinator,
        outcome=Outcome.paid_work,
        outcome_date=date(2023, 11, 30),
    )
    participant.refresh_from_db()
    return participant


OUTCOME_CHANGES = {
    "outcome": ["", "betaald_werk"],
    "outcome_date": [None, "2023-11-30"],
    "end_date": [None, "2023-11-30"],
    "status": ["actief", "afgerond"],
}


def export_json(client, user, participant):
    client.force_login(user)
    return client.get(
        reverse("participants:data-export", kwargs={"pk": participant.pk, "file_format": "json"})
    )


def keys_anywhere(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from keys_anywhere(item)
    elif isinstance(value, list):
        for item in value:
            yield from keys_anywhere(item)


# --- export -------------------------------------------------------------------------------


def test_json_export_holds_the_participants_data(client, coordinator, participant):
    response = export_json(client, coordinator, participant)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="deelnemer-{participant.reference}.json"'
    )
    assert response["Cache-Control"] == "no-store"
    assert "Ëlzinga".encode() in response.content  # UTF-8, not \u escapes
    data = json.loads(response.content.decode("utf-8"))
    assert list(data) == ["export", "participant", "consents", "enrolments", "audit_trail"]
    assert data["export"]["title"] == (
        f"Inzageverzoek — gegevens van deelnemer {participant.reference}"
    )
    assert data["export"]["created_by"] == "Carla Coach"
    # The coordinator sees the only enrolment and every audit entry: the export is complete.
    assert data["export"]["complete"] is True
    created_at = data["participant"].pop("created_at")
    assert created_at.startswith(participant.created_at.astimezone().date().isoformat()[:4])
    assert data["participant"] == {
        "reference": participant.reference,
        "first_name": "Eva",
        "surname_prefix": "",
        "last_name": "Ëlzinga",
        "birth_date": "2001-04-17",
        "birth_year": None,
        "municipality": "Het Hogeland",
        "email": "eva@elzinga.nl",
        "phone": "06 12345678",
        "created_by": "Carla Coach",
        "anonymised_at": None,
    }
    assert data["consents"] == [
        {
            "given_on": "2023-01-09",
            "purpose": "Begeleiding naar werk binnen Op Koers",
            "recorded_by": "Carla Coach",
            "withdrawn_on": None,
        }
    ]
    [enrolment] = data["enrolments"]
    [entry] = enrolment.pop("progress_entries")
    entry.pop("created_at")
    assert enrolment == {
        "programme": {"slug": "op-koers", "name": "Op Koers"},
        "track": "Werkfit",
        "coach": "Carla Coach",
        "status": {"code": "afgerond", "label": "Afgerond"},
        "personal_goal": "Een baan in de zorg vinden",
        "start_date": "2023-01-09",
        "end_date": "2023-11-30",
        "starting_ladder_level": {"code": 2, "label": "2 – Sociale contacten buiten de deur"},
        "current_ladder_level": {"code": 4, "label": "4 – Onbetaald werk"},
        "outcome": {"code": "betaald_werk", "label": "Betaald werk"},
        "outcome_date": "2023-11-30",
        "ladder_history": [
            {
                "level": {"code": 2, "label": "2 – Sociale contacten buiten de deur"},
                "recorded_on": "2023-01-09",
                "recorded_by": "Carla Coach",
            },
            {
                "level": {"code": 4, "label": "4 – Onbetaald werk"},
                "recorded_on": "2023-02-01",
                "recorded_by": "Carla Coach",
            },
        ],
    }
    assert entry == {
        "date": "2023-02-01",
        "kind": {"code": "coachinggesprek", "label": "Coachinggesprek"},
        "duration_minutes": 60,
        "note": "Gesprek over sollicitatiebrief",
        "milestone": "Cv af",
        "group_activity": None,
        "author": "Carla Coach",
    }
    trail = [
        (row["actor"], row["action"]["code"], row["action"]["label"], row["changes"])
        for row in data["audit_trail"]
    ]
    assert trail == [
        (
            "Carla Coach",
            "create",
            "aangemaakt",
            {"programme": [None, "Op Koers"], "track": [None, "Werkfit"]},
        ),
        (
            "Carla Coach",
            "create",
            "aangemaakt",
            {"progress_entry": [None, "Coachinggesprek 01-02-2023"]},
        ),
        ("Carla Coach", "update", "gewijzigd", {"current_ladder_level": [2, 4]}),
        ("Carla Coach", "update", "gewijzigd", {"email": ["eva@example.nl", "eva@elzinga.nl"]}),
        ("Carla Coach", "update", "gewijzigd", OUTCOME_CHANGES),
        ("Carla Coach", "export", "geëxporteerd", {"format": "json"}),
    ]
    assert not any("bsn" in key.lower() for key in keys_anywhere(data))


def test_json_export_dates_are_iso_and_times_carry_the_dutch_offset(
    client, coordinator, participant
):
    data = export_json(client, coordinator, participant).json()

    moment = data["audit_trail"][-1]["at"]
    # 2025-06-01T14:03:12.123+02:00 – local time in Europe/Amsterdam with its offset
    assert moment[10] == "T"
    assert moment[-6:] in {"+01:00", "+02:00"}


def test_export_is_audited(client, coordinator, participant):
    export_json(client, coordinator, participant)

    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.actor, entry.object_id, entry.changes) == (
        AuditAction.export,
        coordinator,
        str(participant.pk),
        {"format": "json"},
    )


def test_pdf_export_is_a_pdf_with_the_participants_name(client, coordinator, participant, tmp_path):
    client.force_login(coordinator)

    response = client.get(
        reverse("participants:data-export", kwargs={"pk": participant.pk, "file_format": "pdf"})
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="deelnemer-{participant.reference}.pdf"'
    )
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF-1.7")
    pdf = tmp_path / "export.pdf"
    pdf.write_bytes(response.content)
    text = pdf_text(pdf)
    assert "Inzageverzoek — gegevens van deelnemer Eva Ëlzinga" in text
    assert "Gesprek over sollicitatiebrief" in text
    assert "eva@elzinga.nl" in text
    # The audit trail in Dutch words, not codes
    assert "E-mailadres: eva@example.nl → eva@elzinga.nl" in text
    assert "Status: Actief → Afgerond" in text
    assert "Uitstroom: – → Betaald werk" in text
    assert "Bestandsformaat: PDF" in text
    assert "BSN" not in text.replace("burgerservicenummer (BSN)", "")
    info = pdf_info(pdf)
    assert info["Title"] == f"Inzageverzoek — gegevens van deelnemer {participant.reference}"
    assert (info["Tagged"], info["Page size"], info["PDF version"]) == (
        "yes",
        "595.276 x 841.89 pts (A4)",
        "1.7",
    )
    # Only the shipped typeface, embedded: the layout does not depend on the machine's fonts.
    assert pdf_fonts(pdf) == {
        ("Regioportal-Sans", "yes"),
        ("Regioportal-Sans-Bold", "yes"),
        ("Regioportal-Symbols", "yes"),
    }
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.actor, entry.changes) == (
        AuditAction.export,
        coordinator,
        {"format": "pdf"},
    )


def test_export_in_an_unknown_format_is_not_found(client, coordinator, participant):
    client.force_login(coordinator)

    response = client.get(
        reverse("participants:data-export", kwargs={"pk": participant.pk, "file_format": "xml"})
    )

    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action=AuditAction.export).exists()


def test_coordinator_export_holds_only_enrolments_in_their_programmes(
    client, coordinator, participant, klei_impuls
):
    Enrolment.objects.create(
        participant=participant, programme=klei_impuls, start_date=date(2024, 3, 1)
    )
    manager = ProgrammeManagerFactory()

    mine = export_json(client, coordinator, participant).json()
    everything = export_json(client, manager, participant).json()

    assert [e["programme"]["slug"] for e in mine["enrolments"]] == ["op-koers"]
    assert mine["export"]["complete"] is False
    assert [e["programme"]["slug"] for e in everything["enrolments"]] == [
        "op-koers",
        "klei-impuls",
    ]
    assert everything["export"]["complete"] is True


def test_export_data_takes_a_fixed_number_of_queries(
    coordinator, participant, django_assert_num_queries
):
    enrolment = participant.enrolments.get()
    ProgressEntry.objects.bulk_create(
        ProgressEntry(enrolment=enrolment, kind=ActivityKind.note, date=date(2023, 3, day))
        for day in range(2, 12)
    )
    participant_export(participant, user=coordinator)  # warm the role and content type caches

    # participant, consents, enrolments, ladder steps, progress entries, audit trail, and
    # two counts for "complete"
    with django_assert_num_queries(8):
        data = participant_export(participant, user=coordinator)

    assert len(data["enrolments"][0]["progress_entries"]) == 11


# --- erasure ------------------------------------------------------------------------------


def anonymise_url(participant):
    return reverse("participants:anonymise", kwargs={"pk": participant.pk})


def test_anonymise_page_says_what_is_removed_and_what_stays(client, coordinator, participant):
    client.force_login(coordinator)

    response = client.get(anonymise_url(participant))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1>") == 1
    assert "Eva Ëlzinga anonimiseren</h1>" in html
    assert "<li>1 inschrijving, met traject, status, start- en einddatum en uitstroom</li>" in html
    assert "<li>2 treden op de participatieladder</li>" in html
    assert "<li>1 voortgangsregel (soort, datum en duur)</li>" in html
    assert response.context["counts"] == {"enrolments": 1, "progress_entries": 1, "ladder_steps": 2}


def test_anonymise_requires_a_reason(client, coordinator, participant):
    client.force_login(coordinator)

    response = client.post(anonymise_url(participant), {"reason": "   "})

    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["Geef een reden voor het anonimiseren."]}
    html = response.content.decode()
    assert 'aria-describedby="id_reason_helptext id_reason_error"' in html
    assert 'aria-invalid="true"' in html
    assert '<ul class="field__errors" id="id_reason_error">' in html
    participant.refresh_from_db()
    assert (participant.first_name, participant.anonymised_at) == ("Eva", None)
    assert not AuditEntry.objects.filter(action=AuditAction.anonymise).exists()


def test_anonymise_erases_the_person_and_keeps_the_statistics(client, coordinator, participant):
    client.force_login(coordinator)

    response = client.post(anonymise_url(participant), {"reason": "Verzoek van de deelnemer"})

    assert response.status_code == 302
    assert response["Location"] == reverse("participants:detail", kwargs={"pk": participant.pk})
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Deelnemer is geanonimiseerd."]
    participant.refresh_from_db()
    assert (
        participant.first_name,
        participant.last_name,
        participant.email,
        participant.phone,
        participant.birth_date,
        participant.birth_year,
        participant.municipality.name,
    ) == ("Geanonimiseerd", "", "", "", None, 2001, "Het Hogeland")
    assert participant.anonymised_at is not None
    enrolment = Enrolment.objects.get(participant=participant)
    assert (
        enrolment.personal_goal,
        enrolment.status,
        enrolment.outcome,
        enrolment.outcome_date,
        enrolment.starting_ladder_level,
        enrolment.current_ladder_level,
    ) == ("", EnrolmentStatus.finished, Outcome.paid_work, date(2023, 11, 30), 2, 4)
    assert list(
        LadderStep.objects.filter(enrolment=enrolment)
        .order_by("recorded_on")
        .values_list("level", "recorded_on")
    ) == [(2, date(2023, 1, 9)), (4, date(2023, 2, 1))]
    assert list(
        ProgressEntry.objects.filter(enrolment=enrolment).values_list(
            "kind", "date", "duration_minutes", "note", "milestone"
        )
    ) == [(ActivityKind.coaching, date(2023, 2, 1), 60, "", "")]
    assert list(
        Consent.objects.filter(participant=participant).values_list("purpose", flat=True)
    ) == ["(geanonimiseerd)"]
    erasure = AuditEntry.objects.get(action=AuditAction.anonymise)
    assert (erasure.actor, erasure.object_id, erasure.reason, erasure.object_repr) == (
        coordinator,
        str(participant.pk),
        "Verzoek van de deelnemer",
        f"Geanonimiseerd ({participant.reference})",
    )


def test_anonymise_scrubs_personal_values_from_earlier_audit_entries(
    client, coordinator, participant
):
    client.force_login(coordinator)

    client.post(anonymise_url(participant), {"reason": "Verzoek van de deelnemer"})

    trail = AuditEntry.objects.filter(object_id=str(participant.pk)).order_by("id")
    assert [(e.action, e.changes) for e in trail] == [
        (AuditAction.create, {"programme": [None, "Op Koers"], "track": [None, "Werkfit"]}),
        (AuditAction.create, {"progress_entry": ["—", "—"]}),
        (AuditAction.update, {"current_ladder_level": [2, 4]}),
        (AuditAction.update, {"email": ["—", "—"]}),
        (AuditAction.update, OUTCOME_CHANGES),
        (AuditAction.anonymise, {}),
    ]
    assert {e.object_repr for e in trail} == {f"Geanonimiseerd ({participant.reference})"}
    everything = json.dumps([e.changes for e in trail], ensure_ascii=False) + "".join(
        e.object_repr for e in trail
    )
    for personal in ("Eva", "Ëlzinga", "eva@", "Gesprek over", "Cv af"):
        assert personal not in everything


def test_anonymising_keeps_the_programme_figures(client, coordinator, participant, op_koers):
    other, enrolment = services.register_intake(
        intake=services.Intake(
            first_name="Piet",
            last_name="Bakker",
            programme=op_koers,
            start_date=date(2023, 5, 1),
            consent_date=date(2023, 5, 1),
            consent_purpose="Begeleiding",
            birth_year=1999,
            starting_ladder_level=1,
        ),
        by=coordinator,
    )
    services.record_outcome(
        enrolment=enrolment,
        by=coordinator,
        outcome=Outcome.education,
        outcome_date=date(2024, 1, 15),
    )
    before = asdict(programme_figures(op_koers, today=date(2025, 1, 1)))
    client.force_login(coordinator)

    client.post(anonymise_url(participant), {"reason": "Verzoek van de deelnemer"})
    client.post(anonymise_url(other), {"reason": "Verzoek van de deelnemer"})

    after = asdict(programme_figures(op_koers, today=date(2025, 1, 1)))
    assert Participant.objects.filter(anonymised_at__isnull=False).count() == 2
    assert after == before
    counts = ("started", "paid_work", "step", "with_ladder", "rose_on_ladder")
    assert [after[name] for name in counts] == [2, 1, 1, 2, 1]


def test_anonymising_twice_shows_it_is_done_and_audits_once(client, coordinator, participant):
    client.force_login(coordinator)
    client.post(anonymise_url(participant), {"reason": "Verzoek van de deelnemer"})

    response = client.post(anonymise_url(participant), {"reason": "Nogmaals"})

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == (
        "Deze deelnemer is al geanonimiseerd."
    )
    assert AuditEntry.objects.filter(action=AuditAction.anonymise).count() == 1


def test_export_of_an_anonymised_participant_holds_no_personal_data(
    client, coordinator, participant
):
    services.anonymise_participant(participant=participant, by=coordinator, reason="Verzoek")

    data = export_json(client, coordinator, participant).json()

    assert (data["participant"]["first_name"], data["participant"]["last_name"]) == (
        "Geanonimiseerd",
        "",
    )
    text = json.dumps(data, ensure_ascii=False)
    for personal in ("Eva", "Ëlzinga", "eva@", "06 12345678", "2001-04-17", "Gesprek over"):
        assert personal not in text


# --- who may --------------------------------------------------------------------------------


@pytest.fixture
def users(op_koers, klei_impuls, coordinator):
    return {
        "coordinator_in_reach": coordinator,
        "coordinator_out_of_reach": CoordinatorFactory(programmes=[klei_impuls]),
        "programme_manager": ProgrammeManagerFactory(),
        # Reads every programme as a manager, but coordinates only Klei Impuls.
        "coordinator_and_manager": UserFactory(
            roles=[Role.coordinator, Role.programme_manager], programmes=[klei_impuls]
        ),
        "administrator": AdministratorFactory(),
        "reviewer": ReviewerFactory(),
        "subsidy_officer": SubsidyOfficerFactory(),
        "anonymous": None,
    }


@pytest.mark.parametrize(
    ("who", "export_status", "anonymise_status"),
    [
        ("coordinator_in_reach", 200, 200),
        ("coordinator_out_of_reach", 404, 404),
        ("programme_manager", 200, 403),
        ("coordinator_and_manager", 200, 403),
        ("administrator", 200, 200),
        ("reviewer", 404, 404),
        ("subsidy_officer", 404, 404),
        ("anonymous", 302, 302),
    ],
)
def test_who_may_export_and_anonymise(
    client, users, participant, who, export_status, anonymise_status
):
    user = users[who]
    if user:
        client.force_login(user)
    export_url = reverse(
        "participants:data-export", kwargs={"pk": participant.pk, "file_format": "json"}
    )

    export = client.get(export_url)
    anonymise_page = client.get(anonymise_url(participant))
    anonymise_post = client.post(anonymise_url(participant), {"reason": "Verzoek"})

    assert export.status_code == export_status
    assert anonymise_page.status_code == anonymise_status
    if user is None:
        login = reverse("login")
        assert export["Location"] == f"{login}?next={export_url}"
        assert anonymise_page["Location"] == f"{login}?next={anonymise_url(participant)}"
        assert anonymise_post["Location"] == f"{login}?next={anonymise_url(participant)}"
    elif anonymise_status == 200:
        assert anonymise_post.status_code == 302
    else:
        assert anonymise_post.status_code == anonymise_status
    participant.refresh_from_db()
    assert (participant.anonymised_at is not None) == (anonymise_status == 200)
    assert AuditEntry.objects.filter(action=AuditAction.export).count() == (
        1 if export_status == 200 else 0
    )
