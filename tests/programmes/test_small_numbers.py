"""Small numbers on the programme page: roles that may not see the participants get counts
under 5 as "< 5" and what those would give away as "×"; roles that may see them get exact
figures."""

import datetime

import pytest
from django.urls import reverse

from participants.enums import EnrolmentStatus, Outcome
from programmes.figures import (
    WITHHELD,
    BreakdownRow,
    OutcomeRow,
    ProgrammeFigures,
    programme_figures,
    suppressed,
)
from tests.factories import (
    CoordinatorFactory,
    EnrolmentFactory,
    MunicipalityFactory,
    ParticipantFactory,
    ProgrammeFactory,
    ProgrammeManagerFactory,
    ReviewerFactory,
    SubsidyOfficerFactory,
    TrackFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def klei_impuls():
    """14 enrolments: one in Talentontwikkeling (paid work), six in Goed werknemer (2 paid
    work, 4 education), seven running in Ondernemerschap; two of those live in Groningen."""
    programme = ProgrammeFactory(slug="klei-impuls", name="Klei Impuls")
    talent = TrackFactory(programme=programme, name="Talentontwikkeling", order=1)
    employee = TrackFactory(programme=programme, name="Goed werknemer", order=2)
    enterprise = TrackFactory(programme=programme, name="Ondernemerschap", order=3)
    hogeland = MunicipalityFactory(name="Het Hogeland", cbs_code="GM1966")
    groningen = MunicipalityFactory(name="Groningen", cbs_code="GM0014")

    def enrol(track, municipality, outcome):
        closed = outcome != Outcome.ongoing
        EnrolmentFactory(
            programme=programme,
            track=track,
            participant=ParticipantFactory(municipality=municipality),
            status=EnrolmentStatus.finished if closed else EnrolmentStatus.active,
            start_date=datetime.date(2024, 2, 1),
            end_date=datetime.date(2024, 8, 1) if closed else None,
            outcome=outcome,
            outcome_date=datetime.date(2024, 8, 1),
        )

    enrol(talent, hogeland, Outcome.paid_work)
    for outcome in [Outcome.paid_work] * 2 + [Outcome.education] * 4:
        enrol(employee, hogeland, outcome)
    for municipality in [hogeland] * 5 + [groningen] * 2:
        enrol(enterprise, municipality, Outcome.ongoing)
    return programme


def page(client, user):
    client.force_login(user)
    response = client.get(reverse("programmes:detail", args=["klei-impuls"]))
    assert response.status_code == 200
    return response.content.decode()


def breakdown_rows(figures):
    return [
        [(r.label, r.started, r.active, r.paid_work, r.step) for r in rows]
        for _title, rows in figures.breakdowns
    ]


def test_programme_manager_sees_the_exact_figures(client, klei_impuls):
    html = page(client, ProgrammeManagerFactory())
    assert (
        '<tr><th scope="row">Talentontwikkeling</th><td class="num">1</td><td class="num">0</td>'
        '<td class="num">1 (100%)</td><td class="num">0 (0%)</td></tr>'
    ) in html
    assert (
        '<tr><th scope="row">Groningen</th><td class="num">2</td><td class="num">2</td>'
        '<td class="num">0 (0%)</td><td class="num">0 (0%)</td></tr>'
    ) in html
    assert '<span class="key-figure__value" data-figure="paid-work">21%</span>' in html


def test_coordinator_of_the_programme_sees_the_exact_figures(client, klei_impuls):
    html = page(client, CoordinatorFactory(programmes=[klei_impuls]))
    assert (
        '<tr data-outcome="betaald_werk"><th scope="row">Betaald werk</th><td class="num">3</td>'
        '<td class="num">21%</td></tr>'
    ) in html
    assert "&lt; 5" not in html


@pytest.mark.parametrize("role_factory", [ReviewerFactory, SubsidyOfficerFactory])
def test_roles_without_access_to_participants_see_small_counts_suppressed(
    client, klei_impuls, role_factory
):
    html = page(client, role_factory())
    small = '<td class="num">&lt; 5</td>'
    withheld = '<td class="num">×</td>'
    # Talentontwikkeling: 1 started, 0 active, 1 paid work; Goed werknemer's 6 started is
    # hidden too, or 14 - 7 - 6 would give Talentontwikkeling's 1 away.
    assert f'<tr><th scope="row">Talentontwikkeling</th>{small * 4}</tr>' in html
    assert f'<tr><th scope="row">Goed werknemer</th>{withheld}{small * 3}</tr>' in html
    assert (
        '<tr><th scope="row">Ondernemerschap</th><td class="num">7</td><td class="num">7</td>'
        f"{small * 2}</tr>"
    ) in html
    # Groningen's 2 started and active follow from the total unless Het Hogeland's are hidden.
    assert f'<tr><th scope="row">Het Hogeland</th>{withheld * 2}{small * 2}</tr>' in html
    assert f'<tr><th scope="row">Groningen</th>{small * 4}</tr>' in html
    # The outcome table: 3 paid work and 4 education are hidden, with their percentages.
    assert (
        '<tr data-outcome="betaald_werk"><th scope="row">Betaald werk</th>'
        f'{small}<td class="num"></td></tr>'
    ) in html
    assert (
        '<tr data-outcome="nog_bezig"><th scope="row">Nog bezig</th><td class="num">7</td>'
        '<td class="num">50%</td></tr>'
    ) in html
    assert '<span class="key-figure__value" data-figure="started">14</span>' in html
    assert '<span class="key-figure__value" data-figure="paid-work">&lt; 5</span>' in html
    assert '<span class="key-figure__value" data-figure="step">&lt; 5</span>' in html
    assert '<span class="key-figure__value" data-figure="ongoing">50%</span>' in html
    assert "1 (100%)" not in html
    assert (
        '<p class="figures__note" id="figures-note">&lt; 5: minder dan 5 deelnemers. ×: niet '
        "getoond, omdat anders een aantal van minder dan 5 uit de andere cijfers af te leiden "
        "is.</p>"
    ) in html


def test_suppressed_figures_of_the_fixture(klei_impuls):
    exact = programme_figures(klei_impuls)
    figures = programme_figures(klei_impuls, exact=False)
    assert breakdown_rows(exact) == [
        [
            ("Talentontwikkeling", 1, 0, 1, 0),
            ("Goed werknemer", 6, 0, 2, 4),
            ("Ondernemerschap", 7, 7, 0, 0),
        ],
        [("Het Hogeland", 12, 5, 3, 4), ("Groningen", 2, 2, 0, 0)],
    ]
    assert breakdown_rows(figures) == [
        [
            ("Talentontwikkeling", None, None, None, None),
            ("Goed werknemer", WITHHELD, None, None, None),
            ("Ondernemerschap", 7, 7, None, None),
        ],
        [("Het Hogeland", WITHHELD, WITHHELD, None, None), ("Groningen", None, None, None, None)],
    ]
    assert (figures.started, figures.active, figures.paid_work, figures.step) == (14, 7, None, None)
    assert [(row.outcome, row.count, row.percent) for row in figures.outcomes] == [
        ("betaald_werk", None, None),
        ("werkervaringsplaats", None, None),
        ("scholing", None, None),
        ("participatie", None, None),
        ("sociale_activering", None, None),
        ("nog_bezig", 7, 50),
        ("geen_vervolgstap", None, None),
    ]
    assert (figures.without_outcome, figures.has_enrolments) == (None, True)
    assert [bar["width"] for bar in figures.chart["bars"]] == [0, 0, 0, 0, 0, 190, 0]


def test_one_small_cell_in_a_column_hides_the_smallest_other_cell_too():
    rows = [
        BreakdownRow(label="A", started=10, active=10, paid_work=5, step=6),
        BreakdownRow(label="B", started=3, active=3, paid_work=0, step=0),
        BreakdownRow(label="C", started=8, active=6, paid_work=7, step=5),
    ]
    figures = suppressed(ProgrammeFigures(started=21, active=19, per_track=rows))
    assert [(r.started, r.active, r.paid_work, r.step) for r in figures.per_track] == [
        (10, 10, WITHHELD, 6),
        (None, None, None, None),
        (WITHHELD, WITHHELD, 7, WITHHELD),
    ]
    # A percentage needs both its count and the started count.
    assert [(r.paid_work_percent, r.step_percent) for r in figures.per_track] == [
        (None, 60),
        (None, None),
        (None, None),
    ]


def test_a_count_hidden_for_another_is_not_shown_as_under_5(client):
    # Found in the browser on Op Koers as Beoordelaar: 18 "sociale activering" was hidden
    # for the 0 "nog geen uitstroom", and so the step total: "< 5 zette een stap" where 93 did.
    programme = ProgrammeFactory(slug="klei-impuls")
    outcomes = {
        Outcome.paid_work: 10,
        Outcome.work_experience: 8,
        Outcome.education: 7,
        Outcome.participation: 7,
        Outcome.social_activation: 6,
        Outcome.ongoing: 10,
        Outcome.no_next_step: 9,
    }
    for outcome, number in outcomes.items():
        EnrolmentFactory.create_batch(
            number,
            programme=programme,
            status=EnrolmentStatus.finished,
            start_date=datetime.date(2024, 2, 1),
            end_date=datetime.date(2024, 8, 1),
            outcome=outcome,
            outcome_date=datetime.date(2024, 8, 1),
        )

    html = page(client, ReviewerFactory())

    assert (
        '<tr data-outcome="sociale_activering"><th scope="row">Sociale activering</th>'
        '<td class="num">×</td><td class="num"></td></tr>'
    ) in html
    assert '<span class="key-figure__value" data-figure="step">×</span>' in html
    assert '<span class="key-figure__value" data-figure="paid-work">18%</span>' in html
    figures = programme_figures(programme, exact=False)
    assert (figures.step, figures.without_outcome) == (WITHHELD, None)


def test_a_withheld_total_cannot_be_added_up_from_a_breakdown():
    # Found in the browser on Op Koers: the step total was withheld ("×"), but the per-track
    # step cells and the one municipality's step cell added up to it and gave it away.
    def row(label, step):
        return BreakdownRow(label=label, started=40, active=10, paid_work=6, step=step)

    counts = {
        Outcome.paid_work: 20,
        Outcome.work_experience: 30,
        Outcome.education: 25,
        Outcome.participation: 20,
        Outcome.social_activation: 6,  # the smallest: withheld for the 0 without outcome
        Outcome.ongoing: 10,
        Outcome.no_next_step: 9,
    }
    exact = ProgrammeFigures(
        started=120,
        active=30,
        finished=90,
        paid_work=20,
        step=81,
        ongoing=10,
        no_next_step=9,
        outcomes=[
            OutcomeRow(outcome=o, label=o.label, count=n, percent=None) for o, n in counts.items()
        ],
        per_track=[row("Werk", 19), row("Participatie", 25), row("Scholing", 37)],
        per_municipality=[row("Groningen", 81)],
        has_enrolments=True,
        without_outcome=0,
    )

    shown = suppressed(exact)

    assert shown.step == WITHHELD
    steps = [[r.step for r in rows] for _title, rows in shown.breakdowns]
    assert steps == [[WITHHELD, 25, 37], [WITHHELD]]
    # columns whose totals are published stay as they are
    assert [r.paid_work for r in shown.per_track] == [6, 6, 6]


def test_fewer_than_5_enrolments_show_nothing_but_that_there_are_some(client):
    programme = ProgrammeFactory(slug="klei-impuls")
    EnrolmentFactory.create_batch(3, programme=programme)
    html = page(client, ReviewerFactory())
    assert '<span class="key-figure__value" data-figure="started">&lt; 5</span>' in html
    assert "Uitstroom van minder dan 5 gestarte deelnemers" in html
    assert "Nog geen deelnemers ingeschreven." not in html


@pytest.mark.parametrize("extra", [0, 20])
def test_suppressed_programme_page_takes_a_fixed_number_of_queries(
    client, django_assert_num_queries, extra
):
    programme = ProgrammeFactory(slug="klei-impuls")
    EnrolmentFactory.create_batch(1 + extra, programme=programme)
    client.force_login(ReviewerFactory())
    url = reverse("programmes:detail", args=["klei-impuls"])
    client.get(url)
    # user, programme, its partners, municipalities, tracks, targets, lines, targets and
    # grants for the figures (the enrolment figures come from the cache; a reviewer's
    # participants check is an empty queryset and runs no query)
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200
