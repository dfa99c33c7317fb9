"""The programme page: figures computed from enrolments, targets against actuals, access."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from participants.enums import EnrolmentStatus, Outcome
from participants.models import Enrolment
from participants.services import record_outcome
from programmes.enums import TargetMetric
from programmes.figures import programme_figures
from programmes.models import Target
from tests.factories import (
    CoordinatorFactory,
    EnrolmentFactory,
    MunicipalityFactory,
    ParticipantFactory,
    ProgrammeFactory,
    ReviewerFactory,
    TrackFactory,
)

pytestmark = pytest.mark.django_db

OP_KOERS_OUTCOMES = (
    [Outcome.paid_work] * 53
    + [Outcome.work_experience] * 30
    + [Outcome.education] * 25
    + [Outcome.participation] * 20
    + [Outcome.social_activation] * 18
    + [Outcome.ongoing] * 63
    + [Outcome.no_next_step] * 23
)


@pytest.fixture
def op_koers():
    programme = ProgrammeFactory(slug="op-koers", name="Op Koers")
    track = TrackFactory(programme=programme, name="Werk")
    groningen = MunicipalityFactory(name="Groningen", cbs_code="GM0014")
    participants = ParticipantFactory.create_batch(232, municipality=groningen)
    Enrolment.objects.bulk_create(
        Enrolment(
            participant=participant,
            programme=programme,
            track=track,
            start_date=datetime.date(2022, 3, 1),
            status=EnrolmentStatus.active
            if outcome == Outcome.ongoing
            else EnrolmentStatus.finished,
            end_date=None if outcome == Outcome.ongoing else datetime.date(2022, 9, 1),
            outcome=outcome,
            outcome_date=datetime.date(2022, 9, 1),
            starting_ladder_level=2,
            current_ladder_level=3 if index % 2 else 2,
        )
        for index, (participant, outcome) in enumerate(
            zip(participants, OP_KOERS_OUTCOMES, strict=True)
        )
    )
    return programme


def test_op_koers_figures_come_from_its_232_enrolments(op_koers):
    figures = programme_figures(op_koers, today=datetime.date(2023, 3, 1))
    assert (figures.started, figures.active) == (232, 63)
    assert (figures.paid_work_percent, figures.step_percent, figures.ongoing_percent) == (
        23,
        40,
        27,
    )
    assert figures.no_next_step_percent == 10
    assert figures.rose_on_ladder_percent == 50
    assert [(row.label, row.started, row.paid_work) for row in figures.per_track] == [
        ("Werk", 232, 53)
    ]
    assert [(row.label, row.started) for row in figures.per_municipality] == [("Groningen", 232)]
    # 169 closed enrolments of 184 days, 63 running for 365 days on 1 March 2023
    assert figures.average_duration_days == round((169 * 184 + 63 * 365) / 232)


def test_targets_show_computed_and_recorded_values(op_koers):
    Target.objects.create(
        programme=op_koers, name="Gestart", metric=TargetMetric.enrolments_started, target_value=200
    )
    Target.objects.create(
        programme=op_koers,
        name="Bezoekers",
        metric=TargetMetric.recorded,
        recorded_value=750,
        is_minimum=True,
    )
    rows = programme_figures(op_koers).targets
    assert [(t.name, t.actual_value, t.reached, t.computed) for t in rows] == [
        ("Gestart", Decimal(232), True, True),
        ("Bezoekers", Decimal(750), None, False),
    ]


def test_programme_page_shows_the_figures_in_numbers_and_percentages(client, op_koers):
    coordinator = CoordinatorFactory(programmes=[op_koers])
    client.force_login(coordinator)
    html = client.get(reverse("programmes:detail", args=["op-koers"])).content.decode()
    assert '<span class="key-figure__value" data-figure="started">232</span>' in html
    assert '<span class="key-figure__value" data-figure="paid-work">23%</span>' in html
    assert '<span class="key-figure__value" data-figure="step">40%</span>' in html
    assert '<span class="key-figure__value" data-figure="ongoing">27%</span>' in html
    assert (
        '<tr data-outcome="betaald_werk"><th scope="row">Betaald werk</th><td class="num">53</td>'
        in html
    )


def test_figures_follow_a_recorded_outcome(client, op_koers, django_capture_on_commit_callbacks):
    coordinator = CoordinatorFactory(programmes=[op_koers])
    assert programme_figures(op_koers).paid_work == 53
    ongoing = Enrolment.objects.filter(programme=op_koers, outcome=Outcome.ongoing).first()
    with django_capture_on_commit_callbacks(execute=True):  # the data version moves on commit
        record_outcome(
            enrolment=ongoing,
            by=coordinator,
            outcome=Outcome.paid_work,
            outcome_date=datetime.date(2023, 1, 9),
        )
    figures = programme_figures(op_koers)
    assert (figures.paid_work, figures.ongoing) == (54, 62)


@pytest.mark.parametrize("extra", [0, 20])
def test_programme_page_takes_a_fixed_number_of_queries(client, django_assert_num_queries, extra):
    programme = ProgrammeFactory(slug="klei-impuls")
    EnrolmentFactory.create_batch(1 + extra, programme=programme)
    coordinator = CoordinatorFactory(programmes=[programme])
    client.force_login(coordinator)
    url = reverse("programmes:detail", args=["klei-impuls"])
    client.get(url)
    # user, programme, its partners, municipalities, tracks, targets, lines, membership check,
    # the user's own programmes (may record a group activity), targets and grants for the
    # figures (the enrolment figures come from the cache), the factsheet and whether the user
    # may have its PDF made (reports.generate_factsheet)
    with django_assert_num_queries(12):
        assert client.get(url).status_code == 200


def test_programme_page_of_another_coordinator_is_not_found(client, op_koers):
    other = CoordinatorFactory(programmes=[ProgrammeFactory()])
    client.force_login(other)
    assert client.get(reverse("programmes:detail", args=["op-koers"])).status_code == 404


def test_reviewer_sees_the_figures_but_no_link_to_participants(client, op_koers):
    client.force_login(ReviewerFactory())
    response = client.get(reverse("programmes:detail", args=["op-koers"]))
    assert response.status_code == 200
    assert response.context["can_see_participants"] is False
    assert "/participants/?programme=op-koers" not in response.content.decode()
