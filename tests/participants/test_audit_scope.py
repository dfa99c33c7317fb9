"""The audit trail of participant data: each entry names its participant and scope, one
selector decides who reads which entries (history tab, JSON and PDF access export), list
exports and page views are recorded per participant, labels are Dutch."""

import csv
import importlib
import io
import json
from datetime import date

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from participants import services
from participants.enums import Outcome
from participants.models import Participant
from participants.selectors import audit_entries_visible_to
from programmes.enums import ActivityKind
from programmes.models import Track
from regioportal.models import AuditAction, AuditEntry, AuditScope
from tests.factories import (
    AdministratorFactory,
    CoordinatorFactory,
    EnrolmentFactory,
    ProgrammeManagerFactory,
    UserFactory,
)
from tests.pdfs import pdf_text

pytestmark = pytest.mark.django_db

B_SECRETS = ["Geheim doel B", "Geheime notitie B", "Kleiwerk", "coach.b", "Betaald werk"]
A_SECRETS = ["Doel van A", "Notitie van A"]


@pytest.fixture
def shared(programme_a, programme_b, coordinator_a, coordinator_b):
    """Eva, enrolled in A by coordinator A and in B, where coordinator B records a goal, a
    coach, a track, a note, a ladder step and an outcome."""
    participant, enrolment_a = services.register_intake(
        intake=services.Intake(
            first_name="Eva",
            last_name="Gedeeld",
            programme=programme_a,
            start_date=date(2024, 1, 8),
            consent_date=date(2024, 1, 8),
            consent_purpose="Begeleiding",
            birth_year=2001,
        ),
        by=coordinator_a,
    )
    services.update_enrolment(enrolment=enrolment_a, by=coordinator_a, personal_goal="Doel van A")
    services.add_progress_entry(
        enrolment=enrolment_a,
        by=coordinator_a,
        kind=ActivityKind.coaching,
        date=date(2024, 2, 1),
        note="Notitie van A",
    )
    enrolment_b = EnrolmentFactory(
        participant=participant, programme=programme_b, start_date=date(2024, 1, 15)
    )
    track = Track.objects.create(programme=programme_b, name="Kleiwerk", order=1)
    services.update_enrolment(
        enrolment=enrolment_b,
        by=coordinator_b,
        personal_goal="Geheim doel B",
        coach=coordinator_b,
        track=track,
    )
    services.add_progress_entry(
        enrolment=enrolment_b,
        by=coordinator_b,
        kind=ActivityKind.coaching,
        date=date(2024, 2, 2),
        note="Geheime notitie B",
        ladder_level=5,
    )
    services.record_outcome(
        enrolment=enrolment_b,
        by=coordinator_b,
        outcome=Outcome.paid_work,
        outcome_date=date(2024, 6, 1),
    )
    services.update_participant(participant=participant, by=coordinator_b, phone="0612345678")
    participant.refresh_from_db()
    return {"participant": participant, "a": enrolment_a, "b": enrolment_b}


def described(entries):
    """(actor, action, changed field names, programme slug or None) per entry, oldest first."""
    return [
        (
            entry.actor.username if entry.actor else None,
            entry.action,
            sorted(entry.changes),
            entry.programme.slug if entry.programme else None,
        )
        for entry in sorted(entries, key=lambda e: e.pk)
    ]


A_ENTRIES = [
    ("coach.a", "create", ["programme", "track"], "op-koers"),
    ("coach.a", "update", ["personal_goal"], "op-koers"),
    ("coach.a", "create", ["progress_entry"], "op-koers"),
]
B_ENTRIES = [
    ("coach.b", "update", ["coach", "personal_goal", "track"], "klei-impuls"),
    ("coach.b", "create", ["progress_entry"], "klei-impuls"),
    ("coach.b", "update", ["current_ladder_level"], "klei-impuls"),
    ("coach.b", "update", ["end_date", "outcome", "outcome_date", "status"], "klei-impuls"),
]
PERSON_ENTRIES = [("coach.b", "update", ["phone"], None)]


def test_every_entry_names_its_participant_and_enrolment(shared):
    entries = AuditEntry.objects.filter(participant=shared["participant"]).order_by("pk")

    assert [(e.scope, e.enrolment_id) for e in entries] == [
        *[(AuditScope.enrolment, shared["a"].pk)] * 3,
        *[(AuditScope.enrolment, shared["b"].pk)] * 4,
        (AuditScope.participant, None),
    ]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("coordinator_a", A_ENTRIES + PERSON_ENTRIES),
        ("coordinator_b", B_ENTRIES + PERSON_ENTRIES),
        ("programme_manager", A_ENTRIES + B_ENTRIES + PERSON_ENTRIES),
        ("administrator", A_ENTRIES + B_ENTRIES + PERSON_ENTRIES),
    ],
)
def test_audit_entries_visible_to_follows_the_programmes_in_reach(
    shared, coordinator_a, coordinator_b, who, expected
):
    users = {
        "coordinator_a": coordinator_a,
        "coordinator_b": coordinator_b,
        "programme_manager": ProgrammeManagerFactory(),
        "administrator": AdministratorFactory(),
    }

    entries = audit_entries_visible_to(users[who], shared["participant"])

    assert described(entries) == sorted(
        expected, key=(A_ENTRIES + B_ENTRIES + PERSON_ENTRIES).index
    )


def test_an_entry_of_unknown_programme_is_read_only_by_roles_that_see_every_programme(
    shared, coordinator_a
):
    participant = shared["participant"]
    unknown = AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Participant),
        object_id=str(participant.pk),
        object_repr="oud",
        action=AuditAction.update,
        changes={"personal_goal": ["x", "y"]},
        scope=AuditScope.enrolment,
        participant=participant,
    )

    assert unknown not in audit_entries_visible_to(coordinator_a, participant)
    assert unknown in audit_entries_visible_to(ProgrammeManagerFactory(), participant)


def test_history_tab_of_coordinator_a_shows_nothing_of_programme_b(client, shared, coordinator_a):
    client.force_login(coordinator_a)

    response = client.get(reverse("participants:history", args=[shared["participant"].pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert [secret for secret in B_SECRETS if secret in html] == []
    assert "Persoonlijk doel: – → Doel van A" in html
    assert "Telefoonnummer: – → 0612345678" in html


def test_history_tab_of_coordinator_b_shows_nothing_of_programme_a(client, shared, coordinator_b):
    client.force_login(coordinator_b)

    response = client.get(reverse("participants:history", args=[shared["participant"].pk]))

    html = response.content.decode()
    assert [secret for secret in A_SECRETS if secret in html] == []
    # Dutch labels, not codes
    assert "Uitstroom: – → Betaald werk" in html
    assert "Huidig niveau participatieladder: – → 5 – Betaald werk met ondersteuning" in html
    assert "betaald_werk" not in html
    assert "current_ladder_level" not in html


def test_history_names_the_programme_of_each_enrolment_entry(client, shared):
    manager = ProgrammeManagerFactory()
    client.force_login(manager)

    response = client.get(reverse("participants:history", args=[shared["participant"].pk]))

    rows = {
        (entry.programme.name if entry.programme else None, entry.get_action_display())
        for entry in response.context["audit_entries"]
    }
    html = response.content.decode()
    assert ("Op Koers", "gewijzigd") in rows
    assert ("Klei Impuls", "gewijzigd") in rows
    assert "<td>Klei Impuls</td>" in html
    assert "<td>Op Koers</td>" in html


def export(client, user, participant, file_format):
    client.force_login(user)
    return client.get(
        reverse(
            "participants:data-export",
            kwargs={"pk": participant.pk, "file_format": file_format},
        )
    )


def test_json_export_of_coordinator_a_holds_nothing_of_programme_b(client, shared, coordinator_a):
    response = export(client, coordinator_a, shared["participant"], "json")

    text = response.content.decode()
    data = json.loads(text)
    assert [secret for secret in B_SECRETS if secret in text] == []
    assert [e["programme"]["slug"] for e in data["enrolments"]] == ["op-koers"]
    assert data["export"]["complete"] is False
    assert [e["changes"] for e in data["audit_trail"]][-2:] == [
        {"phone": ["", "0612345678"]},
        {"format": "json"},
    ]


def test_json_export_of_the_administrator_is_complete(client, shared):
    response = export(client, AdministratorFactory(), shared["participant"], "json")

    data = json.loads(response.content)
    assert data["export"]["complete"] is True
    assert len(data["audit_trail"]) == 9  # 3 in A, 4 in B, the phone number, this export


def test_pdf_export_of_coordinator_a_holds_nothing_of_programme_b(
    client, shared, coordinator_a, tmp_path
):
    response = export(client, coordinator_a, shared["participant"], "pdf")

    pdf = tmp_path / "export.pdf"
    pdf.write_bytes(response.content)
    text = pdf_text(pdf)
    assert [secret for secret in B_SECRETS if secret in text] == []
    assert "Doel van A" in text
    assert "Bestandsformaat: PDF" in text


def test_a_list_export_is_recorded_on_every_exported_participant(
    client, shared, coordinator_a, coordinator_b
):
    client.force_login(coordinator_a)

    response = client.get(reverse("participants:export", args=["csv"]), {"status": ""})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 2  # the header and Eva's enrolment in A
    entry = AuditEntry.objects.get(action=AuditAction.export, participant=shared["participant"])
    assert (entry.actor, entry.changes, entry.scope, entry.enrolment_id, entry.programme_id) == (
        coordinator_a,
        {"format": "csv"},
        AuditScope.enrolment,
        shared["a"].pk,
        shared["a"].programme_id,
    )
    # Coordinator A's history says so; coordinator B's does not (A's programme, not theirs).
    assert entry in audit_entries_visible_to(coordinator_a, shared["participant"])
    assert entry not in audit_entries_visible_to(coordinator_b, shared["participant"])


def test_history_says_the_data_was_exported_in_dutch(client, shared, coordinator_a):
    client.force_login(coordinator_a)
    client.get(reverse("participants:export", args=["xlsx"]), {"status": ""})

    html = client.get(reverse("participants:history", args=[shared["participant"].pk])).content

    assert "Bestandsformaat: XLSX" in html.decode()


@pytest.mark.parametrize("extra", [0, 20])
def test_list_export_audit_takes_a_fixed_number_of_queries(
    shared, coordinator_a, programme_a, django_assert_num_queries, extra
):
    for _n in range(extra):
        EnrolmentFactory(programme=programme_a)
    enrolments = programme_a.enrolments.all()

    # one INSERT … SELECT, however many rows
    with django_assert_num_queries(1):
        count = services.record_list_export(
            enrolments=enrolments, by=coordinator_a, file_format="csv"
        )

    assert count == 1 + extra
    exported = AuditEntry.objects.filter(action=AuditAction.export)
    assert exported.count() == 1 + extra
    entry = exported.get(participant=shared["participant"])
    assert (
        entry.actor,
        entry.object_id,
        entry.object_repr,
        entry.changes,
        entry.scope,
        entry.programme_id,
        entry.enrolment_id,
    ) == (
        coordinator_a,
        str(shared["participant"].pk),
        shared["participant"].reference,
        {"format": "csv"},
        "enrolment",
        programme_a.pk,
        shared["a"].pk,
    )


@pytest.mark.parametrize(
    ("page", "args"),
    [
        ("participants:history", lambda s: [s["participant"].pk]),
        ("participants:edit", lambda s: [s["participant"].pk]),
        ("participants:anonymise", lambda s: [s["participant"].pk]),
        ("participants:entry-edit", lambda s: [s["a"].progress_entries.get().pk]),
    ],
)
def test_pages_that_show_personal_data_are_audited_as_views(
    client, shared, coordinator_a, page, args
):
    client.force_login(coordinator_a)

    response = client.get(reverse(page, args=args(shared)))

    assert response.status_code == 200
    entry = AuditEntry.objects.order_by("-pk").first()
    assert (entry.action, entry.actor, entry.participant) == (
        AuditAction.view,
        coordinator_a,
        shared["participant"],
    )


def test_import_status_page_with_rejected_rows_is_audited_as_a_view(
    client, coordinator_a, programme_a
):
    from participants.models import ImportStatus, ParticipantImport

    participant_import = ParticipantImport.objects.create(
        programme=programme_a,
        original_name="deelnemers.csv",
        uploaded_by=coordinator_a,
        status=ImportStatus.failed,
        errors=[{"row": 2, "column": "voornaam", "value": "Eva", "message": "Te lang."}],
    )
    running = ParticipantImport.objects.create(
        programme=programme_a, original_name="meer.csv", uploaded_by=coordinator_a
    )
    client.force_login(coordinator_a)

    client.get(reverse("participants:import-status", args=[participant_import.pk]))
    client.get(reverse("participants:import-status", args=[running.pk]))

    assert (
        AuditEntry.objects.filter(object_id=str(running.pk), action=AuditAction.view).count() == 0
    )
    entry = AuditEntry.objects.filter(action=AuditAction.view).order_by("-pk").first()
    assert (entry.action, entry.actor, entry.object_id, entry.content_type.model) == (
        AuditAction.view,
        coordinator_a,
        str(participant_import.pk),
        "participantimport",
    )


# --- programme membership -----------------------------------------------------------------


def test_membership_changes_are_audited_on_the_programme(programme_a):
    user = UserFactory(username="nieuw")

    programme_a.members.add(user)
    user.programmes.remove(programme_a)

    entries = AuditEntry.objects.filter(object_id=str(programme_a.pk), changes__has_key="members")
    assert [e.changes for e in entries.order_by("pk")] == [
        {"members": [None, "nieuw"]},
        {"members": ["nieuw", None]},
    ]


def test_membership_change_in_the_admin_names_the_administrator(client, programme_a):
    from django.contrib.auth import get_user_model

    admin_user = get_user_model().objects.create_superuser("eva", "eva@example.org", "x" * 12)
    newcomer = CoordinatorFactory(username="nieuwe.coach")
    client.force_login(admin_user)
    page = client.get(reverse("admin:programmes_programme_change", args=[programme_a.pk]))
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }

    # Post the page back with one more member: every inline's management form as it was.
    post = {**_admin_post_data(page), **data, "members": [str(newcomer.pk)]}
    response = client.post(
        reverse("admin:programmes_programme_change", args=[programme_a.pk]), post
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    entry = AuditEntry.objects.get(changes__has_key="members", object_id=str(programme_a.pk))
    assert (entry.actor, entry.changes) == (admin_user, {"members": [None, "nieuwe.coach"]})


def _admin_post_data(page):
    """The values of every form in an admin change page, as the browser would post them."""
    data = {}
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name, field in management.fields.items():
            data[f"{management.prefix}-{name}"] = management.initial.get(name, field.initial)
    form = page.context["adminform"].form
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if hasattr(value, "pk"):
            value = value.pk
        if isinstance(value, list | tuple):
            value = [getattr(v, "pk", v) for v in value]
        data[name] = value
    return data


# --- the data migration -------------------------------------------------------------------


def test_data_migration_fills_the_scope_of_earlier_entries(shared):
    migration = importlib.import_module("regioportal.migrations.0006_fill_audit_scope")
    participant = shared["participant"]
    AuditEntry.objects.update(scope="", participant=None, programme=None, enrolment=None)
    only_in_a = EnrolmentFactory(programme=shared["a"].programme).participant
    single = AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Participant),
        object_id=str(only_in_a.pk),
        object_repr="x",
        action=AuditAction.update,
        changes={"personal_goal": ["", "doel"]},
    )
    viewed = AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Participant),
        object_id=str(only_in_a.pk),
        object_repr="x",
        action=AuditAction.view,
    )

    migration.fill(apps, None)

    entries = AuditEntry.objects.filter(participant=participant).order_by("pk")
    assert [(e.scope, e.programme_id) for e in entries] == [
        # the intake names its programme
        (AuditScope.enrolment, shared["a"].programme_id),
        # two enrolments: not attributable, read only by the roles that see everything
        *[(AuditScope.enrolment, None)] * 6,
        (AuditScope.participant, None),
    ]
    single.refresh_from_db()
    viewed.refresh_from_db()
    assert (single.scope, single.enrolment_id) == (
        AuditScope.enrolment,
        only_in_a.enrolments.get().pk,
    )
    assert (viewed.scope, viewed.participant_id) == (AuditScope.participant, only_in_a.pk)


def test_enrolment_data_recorded_without_its_enrolment_fails_closed(shared, coordinator_a):
    from regioportal import audit

    entry = audit.record(
        actor=coordinator_a,
        obj=shared["participant"],
        action=AuditAction.update,
        changes={"personal_goal": ["", "vergeten"]},
    )

    assert (entry.scope, entry.programme_id) == (AuditScope.enrolment, None)
    assert entry not in audit_entries_visible_to(coordinator_a, shared["participant"])
