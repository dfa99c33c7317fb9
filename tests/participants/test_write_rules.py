"""Who may change participant data: the Coördinator role *and* membership of the programme,
checked in the views and in the domain functions alike, whatever other role or flag the user
has; erasure within one's own programmes; erasure is final."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from participants import imports, services
from participants.enums import Outcome
from participants.models import Enrolment, Participant, ProgressEntry
from participants.rules import can
from programmes.enums import ActivityKind
from programmes.selectors import programmes_editable_by
from regioportal.demo import users as demo_users
from regioportal.models import AuditAction, AuditEntry, AuditScope
from regioportal.roles import Role
from tests.factories import (
    AdministratorFactory,
    CoordinatorFactory,
    EnrolmentFactory,
    ParticipantFactory,
    ProgressEntryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dual_role(programme_a):
    """Coördinator of A and Programmamanager: reads every programme, writes only in A."""
    return UserFactory(
        username="dubbel",
        roles=[Role.coordinator, Role.programme_manager],
        programmes=[programme_a],
    )


@pytest.fixture
def in_b(programme_b, coordinator_b):
    """A participant only in B, with an entry written by coordinator B."""
    enrolment = EnrolmentFactory(
        programme=programme_b,
        participant=ParticipantFactory(first_name="Bram", last_name="Bos"),
        personal_goal="Doel B",
    )
    ProgressEntryFactory(enrolment=enrolment, author=coordinator_b, note="Notitie B")
    return enrolment


@pytest.fixture
def demo_administrator():
    Group.objects.get_or_create(name=Role.administrator)
    return demo_users.load()["beheerder"]


def intake(programme, **fields):
    return services.Intake(
        first_name="Nieuw",
        last_name="Persoon",
        programme=programme,
        start_date=date(2024, 3, 1),
        consent_date=date(2024, 3, 1),
        consent_purpose="Begeleiding",
        birth_year=2000,
        **fields,
    )


# --- one definition of write reach ---------------------------------------------------------


def test_programmes_editable_by_is_membership_with_the_coordinator_role(
    programme_a, programme_b, coordinator_a, dual_role
):
    manager_member = UserFactory(roles=[Role.programme_manager], programmes=[programme_b])
    superuser = UserFactory(is_superuser=True, is_staff=True, programmes=[programme_b])

    assert list(programmes_editable_by(coordinator_a)) == [programme_a]
    assert list(programmes_editable_by(dual_role)) == [programme_a]
    assert list(programmes_editable_by(manager_member)) == []
    assert list(programmes_editable_by(superuser)) == []
    assert list(programmes_editable_by(AdministratorFactory())) == []


# --- dual role: Coördinator + Programmamanager writes only in their own programme ---------


def test_dual_role_cannot_record_intake_in_another_programme(client, dual_role, programme_b):
    with pytest.raises(PermissionDenied):
        services.register_intake(intake=intake(programme_b), by=dual_role)
    client.force_login(dual_role)

    page = client.get(reverse("participants:intake"))
    response = client.post(
        reverse("participants:intake"),
        {
            "programme": programme_b.pk,
            "first_name": "Nieuw",
            "last_name": "Persoon",
            "birth_year": "2000",
            "start_date": "01-03-2024",
            "consent_date": "01-03-2024",
            "consent_purpose": "Begeleiding",
        },
    )

    assert [p.slug for p in page.context["form"].fields["programme"].queryset] == ["op-koers"]
    assert response.status_code == 200
    assert "programme" in response.context["form"].errors
    assert not Participant.objects.filter(last_name="Persoon").exists()


def test_dual_role_cannot_edit_an_enrolment_in_another_programme(client, dual_role, in_b):
    with pytest.raises(PermissionDenied):
        services.update_enrolment(enrolment=in_b, by=dual_role, personal_goal="Anders")
    client.force_login(dual_role)

    page = client.get(reverse("participants:detail", args=[in_b.participant_id]))
    edit = client.get(reverse("participants:edit", args=[in_b.participant_id]))
    outcome = client.post(
        reverse("participants:outcome", args=[in_b.participant_id, in_b.pk]),
        {"outcome": Outcome.paid_work, "outcome_date": "01-06-2024"},
    )

    assert page.status_code == 200  # reading: yes
    assert (page.context["can_edit"], page.context["can_anonymise"]) == (False, False)
    assert (edit.status_code, outcome.status_code) == (403, 403)
    in_b.refresh_from_db()
    assert (in_b.personal_goal, in_b.outcome) == ("Doel B", "")


def test_dual_role_cannot_add_an_entry_in_another_programme(client, dual_role, in_b):
    with pytest.raises(PermissionDenied):
        services.add_progress_entry(
            enrolment=in_b, by=dual_role, kind=ActivityKind.coaching, date=date(2024, 3, 2)
        )
    client.force_login(dual_role)

    response = client.post(
        reverse("participants:add-entry", args=[in_b.participant_id]),
        {"enrolment": in_b.pk, "kind": ActivityKind.coaching, "date": "02-03-2024"},
    )

    assert response.status_code == 403
    assert in_b.progress_entries.count() == 1


def test_dual_role_cannot_import_into_another_programme(client, dual_role, programme_b):
    upload = SimpleUploadedFile("d.csv", b"voornaam;achternaam\n", content_type="text/csv")
    with pytest.raises(PermissionDenied):
        imports.start_import(programme=programme_b, upload=upload, by=dual_role)
    with pytest.raises(PermissionDenied):
        imports.create_participants(intakes=[intake(programme_b)], by=dual_role)
    client.force_login(dual_role)

    response = client.get(reverse("participants:import"), {"programme": "klei-impuls"})

    assert response.status_code == 404
    assert not Participant.objects.filter(last_name="Persoon").exists()


def test_dual_role_cannot_record_a_group_activity_in_another_programme(
    client, dual_role, programme_b, in_b
):
    with pytest.raises(PermissionDenied):
        services.record_group_activity(
            programme=programme_b,
            by=dual_role,
            kind=ActivityKind.workshop,
            title="Workshop",
            date=date(2024, 3, 2),
            enrolments=[in_b],
        )
    client.force_login(dual_role)

    response = client.get(reverse("participants:group-activity"), {"programma": "klei-impuls"})

    assert response.status_code == 404


def test_dual_role_cannot_anonymise_in_another_programme(client, dual_role, in_b):
    with pytest.raises(PermissionDenied):
        services.anonymise_participant(participant=in_b.participant, by=dual_role, reason="x")
    with pytest.raises(PermissionDenied):
        services.erase_enrolments(participant=in_b.participant, by=dual_role, reason="x")
    client.force_login(dual_role)

    response = client.post(
        reverse("participants:anonymise", args=[in_b.participant_id]), {"reason": "Verzoek"}
    )

    assert response.status_code == 403
    in_b.participant.refresh_from_db()
    assert in_b.participant.anonymised_at is None


def test_programme_membership_without_the_coordinator_role_writes_nothing(programme_b, in_b):
    manager = UserFactory(roles=[Role.programme_manager], programmes=[programme_b])

    with pytest.raises(PermissionDenied):
        services.update_enrolment(enrolment=in_b, by=manager, personal_goal="Anders")


# --- the Beheerder and a superuser --------------------------------------------------------


def test_demo_administrator_is_staff_with_model_permissions_not_a_superuser(demo_administrator):
    assert (demo_administrator.is_staff, demo_administrator.is_superuser) == (True, False)
    assert demo_administrator.has_perm("participants.change_participant")
    assert demo_administrator.has_perm("auth.change_user")


@pytest.mark.parametrize("who", ["demo_administrator", "superuser"])
def test_administrator_and_superuser_cannot_change_a_coordinators_entries_or_record_intake(
    client, request, in_b, programme_b, who
):
    if who == "superuser":
        user = get_user_model().objects.create_superuser("root", "root@example.org", "x" * 12)
        programme_b.members.add(user)  # even as a member: not a coordinator
    else:
        user = request.getfixturevalue("demo_administrator")
    entry = in_b.progress_entries.get()

    with pytest.raises(PermissionDenied):
        services.update_progress_entry(entry=entry, by=user, note="Overschreven")
    with pytest.raises(PermissionDenied):
        services.delete_progress_entry(entry=entry, by=user)
    with pytest.raises(PermissionDenied):
        services.register_intake(intake=intake(programme_b), by=user)
    client.force_login(user)
    responses = [
        client.get(reverse("participants:entry-edit", args=[entry.pk])).status_code,
        client.post(reverse("participants:entry-delete", args=[entry.pk])).status_code,
        client.get(reverse("participants:intake")).status_code,
    ]

    assert responses == [403, 403, 403]
    entry.refresh_from_db()
    assert entry.note == "Notitie B"


def test_another_coordinator_of_the_same_programme_cannot_change_an_entry(in_b, programme_b):
    colleague = CoordinatorFactory(programmes=[programme_b])

    with pytest.raises(PermissionDenied):
        services.update_progress_entry(entry=in_b.progress_entries.get(), by=colleague, note="x")


def test_the_author_loses_their_entries_when_they_leave_the_programme(
    in_b, programme_b, coordinator_b
):
    entry = in_b.progress_entries.get()
    programme_b.members.remove(coordinator_b)
    author = get_user_model().objects.get(pk=coordinator_b.pk)

    assert can(author, "participants.change_entry", entry) is False


# --- a coordinator made staff gets nothing from the portal's rules in /beheer/ ------------


def test_coordinator_made_staff_sees_only_what_admin_permissions_give(client, coordinator_a, in_b):
    coordinator_a.is_staff = True
    coordinator_a.save()
    client.force_login(coordinator_a)

    index = client.get(reverse("admin:index"))
    changelist = client.get(reverse("admin:participants_participant_changelist"))
    change = client.get(
        reverse("admin:participants_participant_change", args=[in_b.participant_id])
    )

    assert index.status_code == 200
    assert index.context["app_list"] == []
    assert (changelist.status_code, change.status_code) == (403, 403)
    assert coordinator_a.has_perm("participants.change_participant") is False


def test_portal_rules_are_not_django_model_permissions(coordinator_a, programme_a):
    enrolment = EnrolmentFactory(programme=programme_a)

    assert can(coordinator_a, "participants.edit_enrolment", enrolment) is True
    assert coordinator_a.has_perm("participants.edit_enrolment", enrolment) is False
    assert coordinator_a.has_perm("participants.add_participant") is False


# --- anonymising a person who is also enrolled elsewhere ----------------------------------


@pytest.fixture
def shared(programme_a, programme_b, coordinator_a, coordinator_b):
    participant = ParticipantFactory(first_name="Eva", last_name="Gedeeld", email="eva@x.nl")
    a = EnrolmentFactory(participant=participant, programme=programme_a, personal_goal="Doel A")
    b = EnrolmentFactory(participant=participant, programme=programme_b, personal_goal="Doel B")
    ProgressEntryFactory(enrolment=a, author=coordinator_a, note="Notitie A", milestone="M A")
    ProgressEntryFactory(enrolment=b, author=coordinator_b, note="Notitie B", milestone="M B")
    services.update_enrolment(enrolment=a, by=coordinator_a, personal_goal="Nieuw doel A")
    services.update_enrolment(enrolment=b, by=coordinator_b, personal_goal="Nieuw doel B")
    return {"participant": participant, "a": a, "b": b}


def test_anonymise_page_says_the_person_is_also_enrolled_elsewhere(client, shared, coordinator_a):
    client.force_login(coordinator_a)

    response = client.get(reverse("participants:anonymise", args=[shared["participant"].pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Deze deelnemer is ook ingeschreven bij een ander programma" in html
    assert "Vraag de beheerder om de deelnemer volledig te anonimiseren." in html
    assert "Klei Impuls" not in html  # the other programme is not named
    assert response.context["full_erasure"] is False


def test_coordinator_erases_only_their_own_programmes_part(client, shared, coordinator_a):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("participants:anonymise", args=[shared["participant"].pk]), {"reason": "Verzoek"}
    )

    assert response.status_code == 302
    participant = Participant.objects.get(pk=shared["participant"].pk)
    assert (participant.first_name, participant.email, participant.anonymised_at) == (
        "Eva",
        "eva@x.nl",
        None,
    )
    goals = dict(
        Enrolment.objects.filter(participant=participant).values_list("pk", "personal_goal")
    )
    assert goals == {shared["a"].pk: "", shared["b"].pk: "Nieuw doel B"}
    notes = sorted(ProgressEntry.objects.values_list("note", "milestone"))
    assert notes == [("", ""), ("Notitie B", "M B")]
    scoped = AuditEntry.objects.filter(participant=participant, changes__has_key="personal_goal")
    assert sorted((e.enrolment_id, e.changes["personal_goal"][1]) for e in scoped) == sorted(
        [(shared["a"].pk, "—"), (shared["b"].pk, "Nieuw doel B")]
    )
    erased = AuditEntry.objects.get(action=AuditAction.anonymise)
    assert (erased.actor, erased.reason, erased.enrolment_id) == (
        coordinator_a,
        "Verzoek",
        shared["a"].pk,
    )


def test_an_erased_enrolment_takes_no_new_personal_data(client, shared, coordinator_a):
    client.force_login(coordinator_a)
    client.post(
        reverse("participants:anonymise", args=[shared["participant"].pk]), {"reason": "Verzoek"}
    )
    erased = Enrolment.objects.get(pk=shared["a"].pk)
    entry = ProgressEntry.objects.get(enrolment=erased)
    writes = [
        lambda: services.update_enrolment(
            enrolment=erased, by=coordinator_a, personal_goal="Eva wil bij de bakker werken"
        ),
        lambda: services.add_progress_entry(
            enrolment=erased, by=coordinator_a, kind=entry.kind, date=entry.date, note="Eva ..."
        ),
        lambda: services.update_progress_entry(entry=entry, by=coordinator_a, note="Eva ..."),
        lambda: services.delete_progress_entry(entry=entry, by=coordinator_a),
    ]

    for write in writes:
        with pytest.raises(ValidationError):
            write()
    page = client.get(shared["participant"].get_absolute_url(), {"inschrijving": erased.pk})

    assert erased.erased_at is not None
    assert (erased.personal_goal, ProgressEntry.objects.get(pk=entry.pk).note) == ("", "")
    assert page.context["can_add_entry"] is False


def test_coordinator_cannot_erase_the_person_enrolled_elsewhere(shared, coordinator_a):
    with pytest.raises(PermissionDenied):
        services.anonymise_participant(
            participant=shared["participant"], by=coordinator_a, reason="Verzoek"
        )


def test_administrator_erases_the_person_in_the_portal_with_a_reason(client, shared):
    administrator = AdministratorFactory()
    client.force_login(administrator)

    page = client.get(reverse("participants:anonymise", args=[shared["participant"].pk]))
    response = client.post(
        reverse("participants:anonymise", args=[shared["participant"].pk]),
        {"reason": "Verzoek tot wissen"},
    )

    assert page.context["full_erasure"] is True
    assert response.status_code == 302
    participant = Participant.objects.get(pk=shared["participant"].pk)
    assert (participant.first_name, participant.email) == ("Geanonimiseerd", "")
    assert list(Enrolment.objects.values_list("personal_goal", flat=True)) == ["", ""]
    erased = AuditEntry.objects.get(action=AuditAction.anonymise)
    assert (erased.actor, erased.reason, erased.scope) == (
        administrator,
        "Verzoek tot wissen",
        AuditScope.participant,
    )


def test_coordinator_of_every_programme_erases_the_person(shared, coordinator_a, programme_b):
    programme_b.members.add(coordinator_a)
    coordinator = get_user_model().objects.get(pk=coordinator_a.pk)

    services.anonymise_participant(
        participant=shared["participant"], by=coordinator, reason="Verzoek"
    )

    assert Participant.objects.get(pk=shared["participant"].pk).anonymised_at is not None


# --- erasure is final ----------------------------------------------------------------------


@pytest.fixture
def anonymised(programme_a, coordinator_a):
    enrolment = EnrolmentFactory(programme=programme_a, participant=ParticipantFactory())
    entry = ProgressEntryFactory(enrolment=enrolment, author=coordinator_a, note="Privé")
    services.anonymise_participant(
        participant=enrolment.participant, by=coordinator_a, reason="Verzoek"
    )
    enrolment.refresh_from_db()
    entry.refresh_from_db()
    return {"enrolment": enrolment, "entry": entry}


ANONYMISED = ["Deze deelnemer is geanonimiseerd en kan niet meer worden gewijzigd."]


@pytest.mark.parametrize(
    "write",
    [
        lambda a, by: services.update_progress_entry(entry=a["entry"], by=by, note="Jan Jansen"),
        lambda a, by: services.delete_progress_entry(entry=a["entry"], by=by),
        lambda a, by: services.update_enrolment(enrolment=a["enrolment"], by=by, personal_goal="x"),
        lambda a, by: services.record_outcome(
            enrolment=a["enrolment"],
            by=by,
            outcome=Outcome.paid_work,
            outcome_date=date(2024, 6, 1),
        ),
        lambda a, by: services.change_ladder_level(
            enrolment=a["enrolment"], level=3, on=date(2024, 6, 1), by=by
        ),
        lambda a, by: services.add_progress_entry(
            enrolment=a["enrolment"], by=by, kind=ActivityKind.coaching, date=date(2024, 6, 1)
        ),
    ],
    ids=[
        "update_progress_entry",
        "delete_progress_entry",
        "update_enrolment",
        "record_outcome",
        "change_ladder_level",
        "add_progress_entry",
    ],
)
def test_no_write_reaches_an_anonymised_participant(anonymised, coordinator_a, write):
    with pytest.raises(ValidationError) as error:
        write(anonymised, coordinator_a)

    assert error.value.messages == ANONYMISED
    anonymised["entry"].refresh_from_db()
    assert anonymised["entry"].note == ""


def test_entry_pages_of_an_anonymised_participant_are_closed_to_the_author(
    client, anonymised, coordinator_a
):
    client.force_login(coordinator_a)
    entry = anonymised["entry"]

    edit = client.post(
        reverse("participants:entry-edit", args=[entry.pk]),
        {"kind": ActivityKind.coaching, "date": "01-03-2024", "note": "Jan Jansen"},
    )
    delete = client.post(reverse("participants:entry-delete", args=[entry.pk]))

    assert (edit.status_code, delete.status_code) == (403, 403)
    entry.refresh_from_db()
    assert entry.note == ""


def test_group_activity_refuses_and_does_not_offer_anonymised_attendees(
    client, anonymised, coordinator_a, programme_a
):
    present = EnrolmentFactory(programme=programme_a)
    with pytest.raises(ValidationError):
        services.record_group_activity(
            programme=programme_a,
            by=coordinator_a,
            kind=ActivityKind.workshop,
            title="Workshop",
            date=date(2024, 3, 2),
            enrolments=[present, anonymised["enrolment"]],
        )
    client.force_login(coordinator_a)

    page = client.get(
        reverse("participants:group-activity"), {"programma": "op-koers", "wie": "alle"}
    )

    offered = [pk for pk, _label in page.context["form"].fields["attendees"].choices]
    assert [getattr(pk, "value", pk) for pk in offered] == [present.pk]
    assert anonymised["enrolment"].progress_entries.count() == 1


def test_retention_task_anonymises_as_the_system(in_b):
    Enrolment.objects.filter(pk=in_b.pk).update(
        start_date=date(1999, 1, 1), end_date=date(2000, 1, 1)
    )

    assert services.anonymise_past_retention() == 1

    entry = AuditEntry.objects.get(action=AuditAction.anonymise)
    assert entry.actor is None


# --- the admin: no hard delete, audit with values, scrubbed by participant ----------------


@pytest.fixture
def administrator_client(client, demo_administrator):
    client.force_login(demo_administrator)
    return client


def test_admin_cannot_delete_a_participant_and_offers_anonymisation(administrator_client, in_b):
    participant = in_b.participant
    delete = administrator_client.post(
        reverse("admin:participants_participant_delete", args=[participant.pk]), {"post": "yes"}
    )
    action = administrator_client.post(
        reverse("admin:participants_participant_changelist"),
        {"action": "delete_selected", "_selected_action": [participant.pk], "post": "yes"},
    )
    anonymise = administrator_client.post(
        reverse("admin:participants_participant_changelist"),
        {"action": "anonymise_in_portal", "_selected_action": [participant.pk]},
    )

    assert delete.status_code == 403
    # delete_selected is not offered: the admin answers "no action selected"
    assert action.status_code == 302
    assert (
        "delete_selected"
        not in administrator_client.get(
            reverse("admin:participants_participant_changelist")
        ).content.decode()
    )
    assert Participant.objects.filter(pk=participant.pk).exists()
    assert anonymise["Location"] == reverse("participants:anonymise", args=[participant.pk])


def test_admin_changes_are_audited_with_old_and_new_values_and_scrubbed_at_erasure(
    administrator_client, in_b
):
    participant = in_b.participant
    participant.email = "bram@oud.nl"
    participant.save()
    url = reverse("admin:participants_enrolment_change", args=[in_b.pk])
    page = administrator_client.get(url)
    form = page.context["adminform"].form
    post = {
        name: getattr(form.initial.get(name), "pk", form.initial.get(name)) or ""
        for name in form.fields
    }
    post.update(
        {
            "personal_goal": "Doel uit het beheer",
            "start_date": "2024-02-01",
            "ladder_steps-TOTAL_FORMS": "0",
            "ladder_steps-INITIAL_FORMS": "0",
        }
    )

    response = administrator_client.post(url, post)

    assert response.status_code == 302, response.context and response.context["errors"]
    entry = AuditEntry.objects.get(action=AuditAction.update, content_type__model="enrolment")
    assert entry.changes == {"personal_goal": ["Doel B", "Doel uit het beheer"]}
    assert (entry.scope, entry.participant, entry.enrolment) == (
        AuditScope.enrolment,
        participant,
        in_b,
    )
    assert "Bram Bos" in entry.object_repr
    services.update_participant(participant=participant, by=None, email="bram@nieuw.nl")

    services.anonymise_participant(participant=participant, by=None, reason="Verzoek")

    texts = [
        (e.object_repr, e.changes)
        for e in AuditEntry.objects.filter(participant=participant).exclude(
            action=AuditAction.anonymise
        )
    ]
    assert [t for t in texts if "Bram" in str(t) or "bram@" in str(t) or "Doel" in str(t)] == []


def test_admin_cannot_type_personal_data_into_an_anonymised_participant(
    administrator_client, anonymised
):
    participant = anonymised["enrolment"].participant

    pages = {
        "participant": administrator_client.get(
            reverse("admin:participants_participant_change", args=[participant.pk])
        ),
        "enrolment": administrator_client.get(
            reverse("admin:participants_enrolment_change", args=[anonymised["enrolment"].pk])
        ),
        "entry": administrator_client.get(
            reverse("admin:participants_progressentry_change", args=[anonymised["entry"].pk])
        ),
    }

    editable = {name: set(page.context["adminform"].form.fields) for name, page in pages.items()}
    assert editable["participant"] & {"first_name", "last_name", "email", "phone"} == set()
    assert "personal_goal" not in editable["enrolment"]
    assert editable["entry"] & {"note", "milestone"} == set()
