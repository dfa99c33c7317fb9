"""Who sees what: every visibility function against every role, with objects inside and outside
each role's reach. Each test asserts the exact rows, duplicates included."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from participants.selectors import (
    audit_entries_visible_to,
    enrolments_visible_to,
    participants_visible_to,
    progress_entries_visible_to,
)
from programmes.selectors import (
    programmes_editable_by,
    programmes_visible_to,
    programmes_with_participants_visible_to,
)
from regioportal import audit
from regioportal.models import AuditAction, AuditEntry, AuditScope
from regioportal.roles import Role
from reports.selectors import factsheets_visible_to
from subsidies.selectors import applications_visible_to, reviews_visible_to
from tests.factories import (
    AdministratorFactory,
    ApplicationFactory,
    CoordinatorFactory,
    EnrolmentFactory,
    FactsheetFactory,
    ParticipantFactory,
    ProgrammeFactory,
    ProgrammeManagerFactory,
    ProgressEntryFactory,
    ReviewerFactory,
    ReviewFactory,
    SubsidyOfficerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Two programmes (the coordinator's own and another one) with participants, one
    application per reviewer situation, and factsheets; every object named by its key."""
    objects = {}

    objects["coordinator"] = CoordinatorFactory()
    objects["reviewer"] = ReviewerFactory()
    objects["other_reviewer"] = ReviewerFactory()
    objects["subsidy_officer"] = SubsidyOfficerFactory()
    objects["programme_manager"] = ProgrammeManagerFactory()
    objects["administrator"] = AdministratorFactory()
    objects["superuser"] = UserFactory(is_superuser=True, is_staff=True)
    objects["coordinator_and_reviewer"] = UserFactory(roles=[Role.coordinator, Role.reviewer])
    objects["coordinator_and_manager"] = UserFactory(
        roles=[Role.coordinator, Role.programme_manager]
    )
    objects["without_role"] = UserFactory()
    objects["anonymous"] = AnonymousUser()

    own = objects["own_programme"] = ProgrammeFactory(
        members=[
            objects["coordinator"],
            objects["coordinator_and_reviewer"],
            objects["coordinator_and_manager"],
        ]
    )
    other = objects["other_programme"] = ProgrammeFactory()
    objects["programme_without_members"] = ProgrammeFactory(has_participants=False)

    objects["own_participant"] = ParticipantFactory()
    objects["other_participant"] = ParticipantFactory()
    objects["participant_in_both"] = ParticipantFactory()
    objects["participant_without_enrolment"] = ParticipantFactory()
    for key, participant, programme in [
        ("own_enrolment", "own_participant", own),
        ("own_re_enrolment", "own_participant", own),
        ("other_enrolment", "other_participant", other),
        ("both_own_enrolment", "participant_in_both", own),
        ("both_other_enrolment", "participant_in_both", other),
    ]:
        objects[key] = EnrolmentFactory(
            participant=objects[participant],
            programme=programme,
            # own_participant enrols twice in the same programme: still one participant row.
            start_date=datetime.date(2024, 2, 1 + len(objects)),
        )
    objects["own_entry"] = ProgressEntryFactory(enrolment=objects["own_enrolment"])
    # The shared participant's audit trail: about the person, about each enrolment, and one
    # entry that could not be attributed to a programme.
    both = objects["participant_in_both"]
    objects["audit_person"] = audit.record(
        actor=None, obj=both, action=AuditAction.update, changes={"phone": ["", "06"]}
    )
    for key, enrolment in [
        ("audit_own_enrolment", "both_own_enrolment"),
        ("audit_other_enrolment", "both_other_enrolment"),
    ]:
        objects[key] = audit.record(
            actor=None,
            obj=both,
            action=AuditAction.update,
            changes={"personal_goal": ["", "doel"]},
            enrolment=objects[enrolment],
        )
    objects["audit_unattributed"] = AuditEntry.objects.create(
        content_type=objects["audit_person"].content_type,
        object_id=str(both.pk),
        action=AuditAction.update,
        scope=AuditScope.enrolment,
        participant=both,
    )
    objects["other_entry"] = ProgressEntryFactory(enrolment=objects["other_enrolment"])

    objects["assigned_application"] = ApplicationFactory(programme=own)
    objects["conflicted_application"] = ApplicationFactory()
    objects["other_reviewers_application"] = ApplicationFactory()
    objects["unassigned_application"] = ApplicationFactory()
    for key in [
        "assigned_application",
        "conflicted_application",
        "other_reviewers_application",
        "unassigned_application",
    ]:
        objects[key].scheme.handlers.add(objects["subsidy_officer"])
    # A scheme the subsidy officer does not handle.
    objects["unhandled_application"] = ApplicationFactory()
    objects["own_review"] = ReviewFactory(
        application=objects["assigned_application"], reviewer=objects["reviewer"]
    )
    objects["own_conflicted_review"] = ReviewFactory(
        application=objects["conflicted_application"], reviewer=objects["reviewer"], conflicted=True
    )
    objects["other_submitted_review"] = ReviewFactory(
        application=objects["other_reviewers_application"],
        reviewer=objects["other_reviewer"],
        submitted=True,
    )
    objects["dual_role_review"] = ReviewFactory(
        application=objects["other_reviewers_application"],
        reviewer=objects["coordinator_and_reviewer"],
    )

    objects["own_factsheet"] = FactsheetFactory(programme=own)
    objects["other_factsheet"] = FactsheetFactory(programme=other)
    objects["umbrella_factsheet"] = FactsheetFactory(overview=True)
    return objects


def visible(selector, world, user):
    """The keys of the objects ``selector`` shows ``user``, sorted, one per row returned."""
    key_of = {(type(obj), obj.pk): key for key, obj in world.items() if hasattr(obj, "pk")}
    return sorted(key_of[type(obj), obj.pk] for obj in selector(world[user]))


PROGRAMMES = ["other_programme", "own_programme", "programme_without_members"]
ALL_PARTICIPANTS = [
    "other_participant",
    "own_participant",
    "participant_in_both",
    "participant_without_enrolment",
]
ALL_ENROLMENTS = [
    "both_other_enrolment",
    "both_own_enrolment",
    "other_enrolment",
    "own_enrolment",
    "own_re_enrolment",
]
ALL_APPLICATIONS = [
    "assigned_application",
    "conflicted_application",
    "other_reviewers_application",
    "unassigned_application",
    "unhandled_application",
]
ALL_REVIEWS = ["dual_role_review", "other_submitted_review", "own_conflicted_review", "own_review"]
ALL_FACTSHEETS = ["other_factsheet", "own_factsheet", "umbrella_factsheet"]
NOBODY_ELSE = ["without_role", "anonymous"]


def cases(expected_by_user):
    return pytest.mark.parametrize(
        ("user", "expected"), list(expected_by_user.items()), ids=list(expected_by_user)
    )


@cases(
    {
        "coordinator": ["own_participant", "participant_in_both"],
        "coordinator_and_reviewer": ["own_participant", "participant_in_both"],
        "programme_manager": ALL_PARTICIPANTS,
        "administrator": ALL_PARTICIPANTS,
        "superuser": ALL_PARTICIPANTS,
        "reviewer": [],
        "subsidy_officer": [],
        **{user: [] for user in NOBODY_ELSE},
    }
)
def test_participants_visible_to(world, user, expected):
    assert visible(participants_visible_to, world, user) == expected


@cases(
    {
        "coordinator": ["both_own_enrolment", "own_enrolment", "own_re_enrolment"],
        "coordinator_and_reviewer": ["both_own_enrolment", "own_enrolment", "own_re_enrolment"],
        "programme_manager": ALL_ENROLMENTS,
        "administrator": ALL_ENROLMENTS,
        "superuser": ALL_ENROLMENTS,
        "reviewer": [],
        "subsidy_officer": [],
        **{user: [] for user in NOBODY_ELSE},
    }
)
def test_enrolments_visible_to(world, user, expected):
    assert visible(enrolments_visible_to, world, user) == expected


@cases(
    {
        "coordinator": ["own_entry"],
        "programme_manager": ["other_entry", "own_entry"],
        "administrator": ["other_entry", "own_entry"],
        "reviewer": [],
        "subsidy_officer": [],
        **{user: [] for user in NOBODY_ELSE},
    }
)
def test_progress_entries_visible_to(world, user, expected):
    assert visible(progress_entries_visible_to, world, user) == expected


@cases(
    {
        "coordinator": ["own_programme"],
        "coordinator_and_reviewer": ["own_programme"],
        "programme_manager": PROGRAMMES,
        "administrator": PROGRAMMES,
        "superuser": PROGRAMMES,
        "reviewer": [],
        "subsidy_officer": [],
        **{user: [] for user in NOBODY_ELSE},
    }
)
def test_programmes_with_participants_visible_to(world, user, expected):
    assert visible(programmes_with_participants_visible_to, world, user) == expected


@cases(
    {
        "coordinator": ["own_programme"],
        "coordinator_and_reviewer": PROGRAMMES,
        "programme_manager": PROGRAMMES,
        "administrator": PROGRAMMES,
        "superuser": PROGRAMMES,
        "reviewer": PROGRAMMES,
        "subsidy_officer": PROGRAMMES,
        **{user: [] for user in NOBODY_ELSE},
    }
)
def test_programmes_visible_to(world, user, expected):
    assert visible(programmes_visible_to, world, user) == expected


@cases(
    {
        "reviewer": ["assigned_application"],
        "other_reviewer": ["other_reviewers_application"],
        "coordinator_and_reviewer": ["other_reviewers_application"],
        "subsidy_officer": [a for a in ALL_APPLICATIONS if a != "unhandled_application"],
        "programme_manager": ALL_APPLICATIONS,
        "administrator": ALL_APPLICATIONS,
        "superuser": ALL_APPLICATIONS,
        "coordinator": [],
        **{user: [] for user in NOBODY_ELSE},
    }
)
def test_applications_visible_to(world, user, expected):
    assert visible(applications_visible_to, world, user) == expected


@cases(
    {
        "reviewer": ["own_conflicted_review", "own_review"],
        "other_reviewer": ["other_submitted_review"],
        "coordinator_and_reviewer": ["dual_role_review"],
        "subsidy_officer": ALL_REVIEWS,
        "administrator": ALL_REVIEWS,
        "superuser": ALL_REVIEWS,
        "programme_manager": ["other_submitted_review"],
        "coordinator": [],
        **{user: [] for user in NOBODY_ELSE},
    }
)
def test_reviews_visible_to(world, user, expected):
    assert visible(reviews_visible_to, world, user) == expected


@cases(
    {
        "coordinator": ["own_factsheet"],
        "coordinator_and_reviewer": ALL_FACTSHEETS,
        "programme_manager": ALL_FACTSHEETS,
        "administrator": ALL_FACTSHEETS,
        "superuser": ALL_FACTSHEETS,
        "reviewer": ALL_FACTSHEETS,
        "subsidy_officer": ALL_FACTSHEETS,
        **{user: [] for user in NOBODY_ELSE},
    }
)
def test_factsheets_visible_to(world, user, expected):
    assert visible(factsheets_visible_to, world, user) == expected


@cases(
    {
        "coordinator": ["own_programme"],
        "coordinator_and_reviewer": ["own_programme"],
        # reads every programme, writes only in its own
        "coordinator_and_manager": ["own_programme"],
        "programme_manager": [],
        "administrator": [],
        "superuser": [],
        "reviewer": [],
        "subsidy_officer": [],
        **{user: [] for user in NOBODY_ELSE},
    }
)
def test_programmes_editable_by(world, user, expected):
    assert visible(programmes_editable_by, world, user) == expected


ALL_AUDIT = ["audit_other_enrolment", "audit_own_enrolment", "audit_person", "audit_unattributed"]


@cases(
    {
        "coordinator": ["audit_own_enrolment", "audit_person"],
        "coordinator_and_reviewer": ["audit_own_enrolment", "audit_person"],
        "coordinator_and_manager": ALL_AUDIT,
        "programme_manager": ALL_AUDIT,
        "administrator": ALL_AUDIT,
        "superuser": ALL_AUDIT,
    }
)
def test_audit_entries_visible_to_for_the_shared_participant(world, user, expected):
    def shared_trail(user):
        return audit_entries_visible_to(user, world["participant_in_both"])

    assert visible(shared_trail, world, user) == expected
