"""The coordinator's participant workspace: list, intake, participant page, quick add,
outcome, group activity, history — and who may see and change what."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from participants.enums import EnrolmentStatus, Outcome
from participants.models import Enrolment, Participant, ProgressEntry
from regioportal.models import AuditAction, AuditEntry
from tests.factories import (
    CoordinatorFactory,
    EnrolmentFactory,
    MunicipalityFactory,
    ParticipantFactory,
    ProgrammeFactory,
    ProgrammeManagerFactory,
    ProgressEntryFactory,
    ReviewerFactory,
    SubsidyOfficerFactory,
    TrackFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def op_koers():
    return ProgrammeFactory(slug="op-koers", name="Op Koers")


@pytest.fixture
def klei_impuls():
    return ProgrammeFactory(slug="klei-impuls", name="Klei Impuls")


@pytest.fixture
def coordinator(op_koers):
    user = CoordinatorFactory(username="coordinator", first_name="Carla", last_name="Coördinator")
    op_koers.members.add(user)
    return user


@pytest.fixture
def other_coordinator(klei_impuls):
    user = CoordinatorFactory(username="coordinator.klei")
    klei_impuls.members.add(user)
    return user


@pytest.fixture
def anna(op_koers, coordinator):
    enrolment = EnrolmentFactory(
        programme=op_koers,
        participant=ParticipantFactory(
            first_name="Anna", last_name="Bakker", reference="D-00000001"
        ),
        coach=coordinator,
        starting_ladder_level=2,
        current_ladder_level=2,
    )
    return enrolment.participant


@pytest.fixture
def kees(klei_impuls):
    enrolment = EnrolmentFactory(
        programme=klei_impuls,
        participant=ParticipantFactory(
            first_name="Kees", last_name="Visser", reference="D-00000002"
        ),
    )
    return enrolment.participant


def login(client, user):
    client.force_login(user)
    return client


# --- the list ---------------------------------------------------------------------------------


def test_coordinator_lands_on_my_active_participants(client, coordinator):
    response = login(client, coordinator).get(reverse("participants:list"))
    assert response.status_code == 302
    assert response["Location"] == f"/participants/?status=lopend&coach={coordinator.pk}"


def test_list_shows_only_participants_of_own_programmes(client, coordinator, anna, kees):
    response = login(client, coordinator).get(reverse("participants:list"), {"status": ""})
    rows = [
        row.record["participant__reference"] for row in response.context["table"].page.object_list
    ]
    assert rows == ["D-00000001"]
    assert "Visser" not in response.content.decode()


def test_list_filters_on_free_text_and_programme(client, coordinator, op_koers, anna):
    EnrolmentFactory(programme=op_koers, participant=ParticipantFactory(last_name="Smit"))
    client = login(client, coordinator)
    response = client.get(reverse("participants:list"), {"q": "bakk", "programme": "op-koers"})
    assert [e.participant.last_name for e in response.context["filter"].qs] == ["Bakker"]
    response = client.get(reverse("participants:list"), {"q": "D-00000001"})
    assert [e.participant.last_name for e in response.context["filter"].qs] == ["Bakker"]


def test_filter_on_a_programme_out_of_reach_shows_nothing(client, coordinator, anna, kees):
    response = login(client, coordinator).get(
        reverse("participants:list"), {"programme": "klei-impuls"}
    )
    assert list(response.context["table"].page.object_list) == []
    assert "programme" in response.context["filter"].form.errors


def test_list_filters_on_age_band_and_outcome(client, coordinator, op_koers):
    this_year = datetime.date.today().year
    young = EnrolmentFactory(
        programme=op_koers, participant=ParticipantFactory(birth_year=this_year - 20)
    )
    EnrolmentFactory(programme=op_koers, participant=ParticipantFactory(birth_year=this_year - 50))
    EnrolmentFactory(
        programme=op_koers,
        participant=ParticipantFactory(birth_year=this_year - 21),
        outcome=Outcome.paid_work,
        outcome_date=datetime.date(2024, 6, 1),
        status=EnrolmentStatus.finished,
    )
    client = login(client, coordinator)
    response = client.get(reverse("participants:list"), {"age": "18-22", "outcome": "geen"})
    assert [e.pk for e in response.context["filter"].qs] == [young.pk]


def test_list_is_sorted_by_name_and_paginated_by_50(client, coordinator, op_koers):
    for name in ["Zwart", "Appel", "Mulder"] * 20:
        EnrolmentFactory(programme=op_koers, participant=ParticipantFactory(last_name=name))
    response = login(client, coordinator).get(reverse("participants:list"), {"status": ""})
    table = response.context["table"]
    names = [row.record["participant__last_name"] for row in table.page.object_list]
    assert len(names) == 50
    assert names[:20] == ["Appel"] * 20 and names[-1] == "Zwart"
    assert table.paginator.count == 60


@pytest.mark.parametrize("rows", [1, 30])
def test_list_takes_a_fixed_number_of_queries(
    client, coordinator, op_koers, django_assert_num_queries, django_assert_max_num_queries, rows
):
    track = TrackFactory(programme=op_koers)
    municipality = MunicipalityFactory()
    for _ in range(rows):
        EnrolmentFactory(
            programme=op_koers,
            track=track,
            coach=coordinator,
            participant=ParticipantFactory(municipality=municipality),
        )
    client = login(client, coordinator)
    url = reverse("participants:list")
    with django_assert_max_num_queries(10):  # cold caches: every query runs
        client.get(url, {"status": "", "programme": "op-koers"})
    # user and page; the session, the user's roles, the user's programmes, the count and the
    # filter form's option lists come from caches (participants.counting, FastSelect)
    with django_assert_num_queries(2):
        response = client.get(reverse("participants:list"), {"status": "", "programme": "op-koers"})
    assert response.status_code == 200


def test_filter_options_are_never_shared_between_users(
    client, coordinator, other_coordinator, anna, kees
):
    login(client, coordinator).get(reverse("participants:list"), {"status": ""})
    response = login(client, other_coordinator).get(reverse("participants:list"), {"status": ""})
    options = response.context["filter"].form["programme"].as_widget()
    assert "Klei Impuls" in options
    assert "Op Koers" not in options


def test_a_programme_left_takes_its_tracks_and_coaches_from_the_options_at_the_next_request(
    client, coordinator, op_koers, klei_impuls, kees, django_capture_on_commit_callbacks
):
    TrackFactory(programme=klei_impuls, name="Werkplaats Klei")
    coach = CoordinatorFactory(first_name="Kees", last_name="Klei-coach")
    klei_impuls.members.add(coordinator, coach)
    login(client, coordinator)
    form = client.get(reverse("participants:list"), {"status": ""}).context["filter"].form
    assert "Werkplaats Klei" in form["track"].as_widget()
    assert "Kees Klei-coach" in form["coach"].as_widget()

    with django_capture_on_commit_callbacks(execute=True):
        klei_impuls.members.remove(coordinator)

    form = client.get(reverse("participants:list"), {"status": ""}).context["filter"].form
    assert "Werkplaats Klei" not in form["track"].as_widget()
    assert "Kees Klei-coach" not in form["coach"].as_widget()


def test_csv_export_holds_exactly_the_filtered_rows_the_user_may_see(
    client, coordinator, op_koers, anna, kees
):
    EnrolmentFactory(
        programme=op_koers, participant=ParticipantFactory(last_name="Smit", first_name="=cmd")
    )
    response = login(client, coordinator).get(
        reverse("participants:export", args=["csv"]), {"q": "smit"}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["Deelnemersnummer", "Voornaam", "Tussenvoegsel", "Achternaam"]
    assert len(rows) == 2
    assert rows[1][1:4] == ["'=cmd", "", "Smit"]  # a formula is neutralised


def test_xlsx_export_of_all_rows_excludes_other_programmes(client, coordinator, anna, kees):
    response = login(client, coordinator).get(
        reverse("participants:export", args=["xlsx"]), {"status": ""}
    )
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    values = list(workbook.active.iter_rows(values_only=True))
    assert [row[0] for row in values[1:]] == ["D-00000001"]


# --- permission matrix ------------------------------------------------------------------------


@pytest.fixture
def users(coordinator, other_coordinator):
    return {
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "programme_manager": ProgrammeManagerFactory(),
        "reviewer": ReviewerFactory(),
        "subsidy_officer": SubsidyOfficerFactory(),
    }


MATRIX = [
    # (role, page, expected status)
    ("coordinator", "detail", 200),
    ("coordinator", "history", 200),
    ("coordinator", "edit", 200),
    ("coordinator", "export-csv", 200),
    ("other_coordinator", "detail", 404),
    ("other_coordinator", "history", 404),
    ("other_coordinator", "edit", 404),
    ("programme_manager", "detail", 200),
    ("programme_manager", "history", 200),
    ("programme_manager", "edit", 403),
    ("programme_manager", "intake", 403),
    ("programme_manager", "export-csv", 200),
    ("reviewer", "list", 404),
    ("reviewer", "detail", 404),
    ("reviewer", "export-csv", 404),
    ("subsidy_officer", "list", 404),
    ("subsidy_officer", "detail", 404),
    ("subsidy_officer", "intake", 403),
]


def _page_url(page, participant):
    return {
        "list": reverse("participants:list") + "?status=",
        "detail": reverse("participants:detail", args=[participant.pk]),
        "history": reverse("participants:history", args=[participant.pk]),
        "edit": reverse("participants:edit", args=[participant.pk]),
        "intake": reverse("participants:intake"),
        "export-csv": reverse("participants:export", args=["csv"]) + "?status=",
    }[page]


@pytest.mark.parametrize(("role", "page", "status"), MATRIX)
def test_permission_matrix(client, users, anna, role, page, status):
    response = login(client, users[role]).get(_page_url(page, anna))
    assert response.status_code == status


def test_other_coordinator_export_does_not_contain_anna(client, other_coordinator, anna, kees):
    response = login(client, other_coordinator).get(
        reverse("participants:export", args=["csv"]), {"status": ""}
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Bakker" not in text and "Visser" in text


def test_anonymous_user_is_sent_to_login(client, anna):
    response = client.get(reverse("participants:detail", args=[anna.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")


def test_coordinator_cannot_post_an_entry_for_another_programmes_participant(
    client, other_coordinator, anna
):
    enrolment = anna.enrolments.get()
    response = login(client, other_coordinator).post(
        reverse("participants:add-entry", args=[anna.pk]),
        {"enrolment": enrolment.pk, "kind": "coachinggesprek", "date": "2024-03-01"},
    )
    assert response.status_code == 404
    assert ProgressEntry.objects.count() == 0


# --- intake -----------------------------------------------------------------------------------


def intake_data(programme, **overrides):
    data = {
        "programme": programme.pk,
        "first_name": "Fenna",
        "last_name": "de Jong",
        "birth_date": "2001-05-04",
        "start_date": "2024-09-02",
        "consent_date": "2024-09-02",
        "consent_purpose": "Begeleiding",
        "starting_ladder_level": "3",
        "personal_goal": "Een baan in de zorg",
    }
    data.update(overrides)
    return data


def test_intake_creates_participant_consent_enrolment_and_ladder_step(
    client, coordinator, op_koers
):
    response = login(client, coordinator).post(
        reverse("participants:intake"), intake_data(op_koers)
    )
    # "de Jong" typed in the achternaam field is stored the Dutch way.
    participant = Participant.objects.get(surname_prefix="de", last_name="Jong")
    assert response.status_code == 302
    assert response["Location"] == participant.get_absolute_url()
    enrolment = participant.enrolments.get()
    assert (enrolment.programme, enrolment.status, enrolment.starting_ladder_level) == (
        op_koers,
        EnrolmentStatus.intake,
        3,
    )
    assert enrolment.ladder_steps.get().level == 3
    assert participant.consents.get().purpose == "Begeleiding"
    assert AuditEntry.objects.get(object_id=str(participant.pk)).action == AuditAction.create


def test_intake_explains_every_error_in_dutch_and_keeps_the_input(client, coordinator, op_koers):
    data = intake_data(
        op_koers, first_name="", birth_date="31-02-2001", email="geen-mail", consent_date=""
    )
    response = login(client, coordinator).post(reverse("participants:intake"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["first_name"] == ["Vul de voornaam in."]
    assert errors["birth_date"] == ["Vul een geldige datum in, bijvoorbeeld 31-12-2024."]
    assert errors["email"] == ["Vul een geldig e-mailadres in, bijvoorbeeld naam@example.nl."]
    assert errors["consent_date"] == ["Leg vast wanneer de deelnemer toestemming gaf."]
    assert 'value="de Jong"' in response.content.decode()
    assert Participant.objects.count() == 0


def test_intake_points_out_a_likely_duplicate_before_saving(client, coordinator, op_koers):
    client = login(client, coordinator)
    client.post(reverse("participants:intake"), intake_data(op_koers))
    response = client.post(reverse("participants:intake"), intake_data(op_koers))
    assert response.status_code == 200
    assert [p.list_name for p in response.context["duplicates"]] == ["Jong, Fenna de"]
    assert Participant.objects.count() == 1
    response = client.post(
        reverse("participants:intake"), intake_data(op_koers, confirm_duplicate="on")
    )
    assert response.status_code == 302
    assert Participant.objects.count() == 2


def test_intake_offers_only_own_programmes(client, coordinator, op_koers, klei_impuls):
    response = login(client, coordinator).post(
        reverse("participants:intake"), intake_data(klei_impuls)
    )
    assert response.context["form"].errors["programme"] == [
        "Selecteer een geldige keuze. Deze keuze is niet beschikbaar."
    ]


# --- the participant page --------------------------------------------------------------------


def test_participant_page_shows_status_coach_goal_and_timeline_newest_first(
    client, coordinator, anna
):
    enrolment = anna.enrolments.get()
    ProgressEntryFactory(enrolment=enrolment, date=datetime.date(2024, 3, 1), note="eerste")
    ProgressEntryFactory(enrolment=enrolment, date=datetime.date(2024, 4, 1), note="tweede")
    response = login(client, coordinator).get(anna.get_absolute_url())
    assert [e.note for e in response.context["entries"]] == ["tweede", "eerste"]
    html = response.content.decode()
    assert "Carla Coördinator" in html
    assert "Trede 2 van 6" in html


def test_viewing_a_participant_page_is_logged(client, coordinator, anna):
    login(client, coordinator).get(anna.get_absolute_url())
    entry = AuditEntry.objects.get(object_id=str(anna.pk))
    assert (entry.action, entry.actor) == (AuditAction.view, coordinator)


@pytest.mark.parametrize("entries", [1, 50])
def test_participant_page_takes_a_fixed_number_of_queries(
    client, coordinator, anna, django_assert_num_queries, entries
):
    enrolment = anna.enrolments.get()
    ProgressEntryFactory.create_batch(entries, enrolment=enrolment, author=coordinator)
    client = login(client, coordinator)
    client.get(anna.get_absolute_url())
    # user, participant, enrolments, ladder steps, entry count, entries, consents, the
    # user's own programmes (write rules), audit insert; the session and the user's roles
    # come from the cache
    with django_assert_num_queries(9):
        client.get(anna.get_absolute_url())


def test_quick_add_saves_an_entry_and_returns_to_the_timeline(client, coordinator, anna):
    enrolment = anna.enrolments.get()
    response = login(client, coordinator).post(
        reverse("participants:add-entry", args=[anna.pk]),
        {
            "enrolment": enrolment.pk,
            "kind": "coachinggesprek",
            "date": "2024-03-05",
            "duration_minutes": "45",
            "note": "Sollicitatiebrief besproken",
            "ladder_level": "3",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{anna.get_absolute_url()}?inschrijving={enrolment.pk}#tijdlijn"
    entry = enrolment.progress_entries.get()
    assert (entry.kind, entry.duration_minutes, entry.note, entry.author) == (
        "coachinggesprek",
        45,
        "Sollicitatiebrief besproken",
        coordinator,
    )
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.current_ladder_level) == (EnrolmentStatus.active, 3)


def test_quick_add_with_errors_keeps_what_was_typed(client, coordinator, anna):
    enrolment = anna.enrolments.get()
    response = login(client, coordinator).post(
        reverse("participants:add-entry", args=[anna.pk]),
        {"enrolment": enrolment.pk, "kind": "mijlpaal", "date": "2024-03-05", "note": "Bewaar mij"},
    )
    assert response.status_code == 400
    assert response.context["entry_form"].errors == {
        "milestone": ["Beschrijf welke mijlpaal is bereikt."]
    }
    assert "Bewaar mij" in response.content.decode()
    assert ProgressEntry.objects.count() == 0


def test_only_the_author_may_edit_or_delete_an_entry(client, coordinator, op_koers, anna):
    colleague = CoordinatorFactory()
    op_koers.members.add(colleague)
    enrolment = anna.enrolments.get()
    own = ProgressEntryFactory(enrolment=enrolment, author=coordinator)
    theirs = ProgressEntryFactory(enrolment=enrolment, author=colleague)
    client = login(client, coordinator)
    assert client.get(reverse("participants:entry-edit", args=[theirs.pk])).status_code == 403
    assert client.post(reverse("participants:entry-delete", args=[theirs.pk])).status_code == 403
    response = client.post(
        reverse("participants:entry-edit", args=[own.pk]),
        {"kind": "workshop", "date": "2024-03-01", "duration_minutes": "90", "note": "Gewijzigd"},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.kind, own.note) == ("workshop", "Gewijzigd")
    assert client.post(reverse("participants:entry-delete", args=[own.pk])).status_code == 302
    assert list(ProgressEntry.objects.all()) == [theirs]
    actions = list(
        AuditEntry.objects.filter(object_id=str(anna.pk)).values_list("action", flat=True)
    )
    assert actions == [AuditAction.delete, AuditAction.update]


def test_recording_an_outcome_closes_the_enrolment(client, coordinator, anna):
    enrolment = anna.enrolments.get()
    response = login(client, coordinator).post(
        reverse("participants:outcome", args=[anna.pk, enrolment.pk]),
        {"outcome": "betaald_werk", "outcome_date": "2024-06-03"},
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.outcome, enrolment.end_date) == (
        EnrolmentStatus.finished,
        Outcome.paid_work,
        datetime.date(2024, 6, 3),
    )


def test_outcome_before_the_start_is_refused_in_dutch(client, coordinator, anna):
    enrolment = anna.enrolments.get()
    response = login(client, coordinator).post(
        reverse("participants:outcome", args=[anna.pk, enrolment.pk]),
        {"outcome": "scholing", "outcome_date": "2023-01-01"},
    )
    assert response.status_code == 400
    assert response.context["outcome_form"].errors["outcome_date"] == [
        "Deze datum ligt vóór de start van de inschrijving (01-02-2024)."
    ]
    enrolment.refresh_from_db()
    assert enrolment.outcome == ""


def test_editing_personal_data_is_audited_with_old_and_new_values(client, coordinator, anna):
    enrolment = anna.enrolments.get()
    response = login(client, coordinator).post(
        reverse("participants:edit", args=[anna.pk]) + f"?inschrijving={enrolment.pk}",
        {
            "p-first_name": "Anna",
            "p-last_name": "Bakker-de Vries",
            "p-birth_year": "2001",
            "e-status": "actief",
            "e-coach": coordinator.pk,
            "e-start_date": "2024-02-01",
            "e-personal_goal": "Werk",
        },
    )
    assert response.status_code == 302
    changes = [
        e.changes
        for e in AuditEntry.objects.filter(action=AuditAction.update, participant=anna).order_by(
            "id"
        )
    ]
    assert changes == [
        {"last_name": ["Bakker", "Bakker-de Vries"]},
        {"personal_goal": ["", "Werk"]},
    ]


def test_history_tab_lists_who_did_what(client, coordinator, anna):
    client = login(client, coordinator)
    client.get(anna.get_absolute_url())
    response = client.get(reverse("participants:history", args=[anna.pk]))
    assert [(e.action, e.actor) for e in response.context["audit_entries"]] == [
        (AuditAction.view, coordinator)
    ]


# --- group activity ---------------------------------------------------------------------------


def test_group_activity_gives_each_attendee_an_entry_in_one_go(client, coordinator, op_koers):
    enrolments = EnrolmentFactory.create_batch(3, programme=op_koers)
    absent = EnrolmentFactory(programme=op_koers)
    response = login(client, coordinator).post(
        reverse("participants:group-activity") + "?programma=op-koers",
        {
            "programma": "op-koers",
            "kind": "workshop",
            "title": "Solliciteren met LinkedIn",
            "date": "2024-05-14",
            "duration_minutes": "120",
            "attendees": [e.pk for e in enrolments],
        },
    )
    assert response.status_code == 302
    assert sorted(ProgressEntry.objects.values_list("enrolment_id", flat=True)) == sorted(
        e.pk for e in enrolments
    )
    assert absent.progress_entries.count() == 0
    assert (
        ProgressEntry.objects.filter(group_activity__title="Solliciteren met LinkedIn").count() == 3
    )


def test_group_activity_needs_attendees_and_offers_only_own_programmes(
    client, coordinator, klei_impuls
):
    client = login(client, coordinator)
    response = client.get(reverse("participants:group-activity") + "?programma=klei-impuls")
    assert response.status_code == 404
    response = client.post(
        reverse("participants:group-activity"),
        {"programma": "op-koers", "kind": "workshop", "title": "X", "date": "2024-05-14"},
    )
    assert response.context["form"].errors["attendees"] == [
        "Vink ten minste één aanwezige deelnemer aan."
    ]


def test_group_activity_says_when_no_participant_can_attend(client, coordinator, op_koers):
    # Found in the browser on Klei Impuls (every demo enrolment there has ended): the
    # attendees' list was empty without a word, and "Vastleggen" could only fail.
    EnrolmentFactory(programme=op_koers, status=EnrolmentStatus.finished)
    client = login(client, coordinator)

    response = client.get(reverse("participants:group-activity") + "?programma=op-koers")

    assert response.context["total"] == 0
    assert (
        '<p class="notice notice--warning" role="status" id="no-attendees">Geen deelnemers '
        "passen bij deze keuze. Een groepsactiviteit wordt vastgelegd voor deelnemers met een "
        "lopend traject (intake of actief) die hun toestemming niet hebben ingetrokken.</p>"
    ) in response.content.decode()


def test_group_activity_rejects_an_enrolment_of_another_programme(
    client, coordinator, op_koers, kees
):
    response = login(client, coordinator).post(
        reverse("participants:group-activity"),
        {
            "programma": "op-koers",
            "kind": "workshop",
            "title": "X",
            "date": "2024-05-14",
            "attendees": [kees.enrolments.get().pk],
        },
    )
    assert response.status_code == 200
    assert ProgressEntry.objects.count() == 0
    assert Enrolment.objects.get(participant=kees).progress_entries.count() == 0


# --- cached counts -----------------------------------------------------------------------------


def _count(client, **params):
    return client.get(reverse("participants:list"), params).context["table"].paginator.count


def test_list_count_follows_new_and_deleted_enrolments(
    client, coordinator, op_koers, anna, django_capture_on_commit_callbacks
):
    client = login(client, coordinator)
    assert _count(client, status="") == 1
    with django_capture_on_commit_callbacks(execute=True):  # the version moves on commit
        extra = EnrolmentFactory(programme=op_koers)
    assert _count(client, status="") == 2
    with django_capture_on_commit_callbacks(execute=True):
        extra.delete()
    assert _count(client, status="") == 1


def test_list_count_follows_a_group_activity_and_an_import(
    client, coordinator, op_koers, django_capture_on_commit_callbacks
):
    in_intake = EnrolmentFactory.create_batch(2, programme=op_koers, status=EnrolmentStatus.intake)
    client = login(client, coordinator)
    assert _count(client, status="intake") == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("participants:group-activity"),
            {
                "programma": "op-koers",
                "kind": "workshop",
                "title": "CV",
                "date": "2024-05-14",
                "attendees": [in_intake[0].pk],
            },
        )
    assert _count(client, status="intake") == 1


def test_list_count_follows_a_new_programme_membership(
    client, coordinator, klei_impuls, anna, kees, django_capture_on_commit_callbacks
):
    client = login(client, coordinator)
    assert _count(client, status="") == 1
    with django_capture_on_commit_callbacks(execute=True):
        klei_impuls.members.add(coordinator)
    assert _count(client, status="") == 2


def test_group_activity_offers_my_participants_first_and_all_on_request(
    client, coordinator, op_koers
):
    mine = EnrolmentFactory(programme=op_koers, coach=coordinator)
    theirs = EnrolmentFactory(programme=op_koers)
    client = login(client, coordinator)
    url = reverse("participants:group-activity")
    response = client.get(url, {"programma": "op-koers"})
    assert list(response.context["form"].fields["attendees"].queryset) == [mine]
    response = client.get(url, {"programma": "op-koers", "wie": "alle"})
    assert set(response.context["form"].fields["attendees"].queryset) == {mine, theirs}


def test_quick_add_from_the_page_script_answers_with_the_page_and_logs_no_extra_view(
    client, coordinator, anna
):
    enrolment = anna.enrolments.get()
    response = login(client, coordinator).post(
        reverse("participants:add-entry", args=[anna.pk]),
        {
            "enrolment": enrolment.pk,
            "kind": "coachinggesprek",
            "date": "2024-03-05",
            "note": "Via fetch",
        },
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 200
    assert [e.note for e in response.context["entries"]] == ["Via fetch"]
    assert "Voortgang opgeslagen." in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditAction.view).exists()


def test_a_list_export_is_logged_with_its_format_and_filters(client, coordinator, anna):
    response = login(client, coordinator).get(
        reverse("participants:export", args=["csv"]), {"status": "lopend", "q": "bak"}
    )
    b"".join(response.streaming_content)
    entry = AuditEntry.objects.get(action=AuditAction.export, object_id=str(coordinator.pk))
    assert (entry.actor, entry.reason) == (coordinator, "Export van de deelnemerslijst")
    assert entry.changes == {"format": "csv", "filters": {"status": "lopend", "q": "bak"}}
