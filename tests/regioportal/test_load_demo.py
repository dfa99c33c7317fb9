"""load_demo: every system of the seed documents with the figures they publish."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F, Sum
from django.db.models.functions import ExtractYear

from participants.enums import EnrolmentStatus, Outcome
from participants.models import Consent, Enrolment, LadderStep, Participant, ProgressEntry
from programmes.figures import programme_figures
from programmes.models import (
    Municipality,
    Organisation,
    Programme,
    ProgrammeLine,
    ProgrammePartner,
    Target,
    UmbrellaProgramme,
)
from regioportal.roles import Role
from reports.models import Factsheet, FactsheetKind
from subsidies.deadlines import objection_deadline
from subsidies.enums import ApplicationStatus, DecisionOutcome, PaymentKind
from subsidies.models import Application, Decision, Payment, Review, Scheme, Score, Tender

pytestmark = pytest.mark.django_db

GRANTED = ApplicationStatus.granted_group()


def load_demo(**options):
    out = StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def demo():
    load_demo(force=True)


def op_koers_enrolments():
    return Enrolment.objects.filter(programme__slug="op-koers")


def test_load_demo_creates_232_op_koers_enrolments_with_the_published_outcomes(demo):
    outcomes = dict(op_koers_enrolments().values_list("outcome").annotate(n=Count("id")))

    assert op_koers_enrolments().count() == 232
    assert outcomes[Outcome.paid_work] == 53
    assert sum(outcomes[outcome] for outcome in Outcome.step()) == 93
    assert outcomes[Outcome.ongoing] == 63
    assert outcomes[Outcome.no_next_step] == 23


def test_op_koers_figures_computed_from_rows_are_23_40_and_27_percent(demo):
    figures = programme_figures(Programme.objects.get(slug="op-koers"), today=date(2023, 4, 4))

    assert figures.started == 232
    assert figures.paid_work_percent == 23
    assert figures.step_percent == 40
    assert figures.ongoing_percent == 27


def test_op_koers_closed_enrolments_are_finished_and_busy_ones_active_since_their_last_entry(
    demo,
):
    closed = op_koers_enrolments().exclude(outcome=Outcome.ongoing)
    busy = op_koers_enrolments().filter(outcome=Outcome.ongoing)

    assert set(closed.values_list("status", flat=True)) == {EnrolmentStatus.finished}
    assert closed.filter(end_date__isnull=True).count() == 0
    assert closed.exclude(outcome_date=F("end_date")).count() == 0
    assert set(busy.values_list("status", flat=True)) == {EnrolmentStatus.active}
    assert busy.filter(end_date__isnull=False).count() == 0
    for enrolment in busy:
        newest = enrolment.progress_entries.order_by("-date").first()
        assert enrolment.outcome_date == newest.date


def test_every_op_koers_enrolment_has_coach_track_goal_consent_ladder_and_2_to_8_entries(demo):
    coordinator = get_user_model().objects.get(username="coordinator")
    enrolments = op_koers_enrolments().annotate(entries=Count("progress_entries"))

    assert {e.coach for e in enrolments} == {coordinator}
    assert {e.track.name for e in enrolments} == {"Werk", "Scholing", "Participatie"}
    assert {e.participant.municipality.name for e in enrolments} == {"Groningen"}
    assert all(e.personal_goal for e in enrolments)
    assert all(2 <= e.entries <= 8 for e in enrolments)
    assert (
        Consent.objects.filter(participant__enrolments__programme__slug="op-koers").count() == 232
    )
    for enrolment in enrolments:
        levels = list(
            enrolment.ladder_steps.order_by("recorded_on", "id").values_list("level", flat=True)
        )
        assert levels[0] == enrolment.starting_ladder_level
        assert levels[-1] == enrolment.current_ladder_level
        assert enrolment.current_ladder_level >= enrolment.starting_ladder_level


def test_demo_participants_are_fictional_without_bsn_and_with_example_addresses(demo):
    participants = Participant.objects.all()
    field_names = {field.name for field in Participant._meta.get_fields()}

    assert "bsn" not in field_names
    assert participants.count() == 232 + 10 + 25 + 6
    assert participants.exclude(reference__regex=r"^D-[0-9]{6}$").count() == 0
    assert participants.exclude(email="").exclude(email__endswith="@example.org").count() == 0


def test_klei_impuls_pilot_has_10_young_participants_from_het_hogeland_in_3_tracks(demo):
    enrolments = Enrolment.objects.filter(programme__slug="klei-impuls")
    per_track = dict(enrolments.values_list("track__name").annotate(n=Count("id")))
    programme = Programme.objects.get(slug="klei-impuls")

    assert enrolments.count() == 10
    assert per_track == {"Talentontwikkeling": 4, "Goed werknemer": 3, "Ondernemerschap": 3}
    assert {e.participant.municipality.name for e in enrolments} == {"Het Hogeland"}
    assert all(2020 - e.participant.birth_year <= 30 for e in enrolments)
    assert all(date(2020, 7, 1) <= e.start_date <= date(2020, 12, 31) for e in enrolments)
    assert programme.status == "pilot"
    assert programme.duration_months == 18
    assert programme.age_max == 30
    assert programme.activity_kinds == [
        "coachinggesprek",
        "thema-avond",
        "workshop",
        "assessment",
        "inspiratiesessie",
        "netwerkbezoek",
    ]
    target = programme.targets.get()
    assert (target.metric, target.target_value) == ("enrolments_started", Decimal(10))


def test_van_waarde_and_kansen4kinderen_have_participants_in_their_age_range(demo):
    van_waarde = Enrolment.objects.filter(programme__slug="van-waarde")
    kansen = Enrolment.objects.filter(programme__slug="kansen4kinderen")
    drenthe = get_user_model().objects.get(username="coordinator.drenthe")

    assert van_waarde.count() == 25
    assert all(16 <= e.start_date.year - e.participant.birth_year <= 27 for e in van_waarde)
    assert kansen.count() == 6
    assert {e.coach for e in kansen} == {drenthe}


def test_zorg_en_voorzieningen_has_10_tenders_42_applications_31_granted(demo):
    scheme = Scheme.objects.get(name="Subsidieregeling Zorg & Voorzieningen")
    applications = Application.objects.filter(scheme=scheme)
    not_granted = dict(
        applications.exclude(status__in=GRANTED).values_list("status").annotate(n=Count("id"))
    )

    assert scheme.allocation_method == "tender"
    assert scheme.line.name == "Zorg & Voorzieningen"
    assert Tender.objects.filter(scheme=scheme).count() == 10
    assert applications.count() == 42
    assert applications.filter(status__in=GRANTED).count() == 31
    assert not_granted == {
        ApplicationStatus.rejected: 8,
        ApplicationStatus.not_considered: 3,
    }
    assert scheme.criteria.count() == 5


def test_zorg_en_voorzieningen_tenders_grant_within_their_ceiling_with_awb_dates(demo):
    reviewer = get_user_model().objects.get(username="beoordelaar")

    for tender in Tender.objects.filter(scheme__code="ZV"):
        granted = tender.applications.filter(status__in=GRANTED)
        assert granted.aggregate(total=Sum("granted_amount"))["total"] <= tender.ceiling
        assert 2020 <= tender.opens_at.year <= 2023
    for application in Application.objects.filter(scheme__code="ZV"):
        assert application.decision_deadline == application.received_on + timedelta(
            weeks=8, days=application.paused_days
        )
        assert application.objection_deadline == objection_deadline(application.decided_on)
        assert application.decided_on <= application.decision_deadline
    reviews = Review.objects.filter(application__scheme__code="ZV")
    assert reviews.count() == 42 - 3
    assert {review.reviewer for review in reviews} == {reviewer}
    assert Score.objects.filter(review__in=reviews).count() == 39 * 5
    assert (
        Decision.objects.filter(
            application__scheme__code="ZV", outcome=DecisionOutcome.granted
        ).count()
        == 31
    )


def test_transitiefonds_grants_its_2_7_million_in_8_applications_2_1_5_by_year(demo):
    scheme = Scheme.objects.get(name="Transitiefonds Particuliere Woningvoorraad")
    granted = Application.objects.filter(scheme=scheme, status__in=GRANTED)
    per_year = dict(
        granted.annotate(year=ExtractYear("decided_on")).values_list("year").annotate(n=Count("id"))
    )
    rwlp = granted.filter(programme__slug="rwlp-kwetsbare-panden").order_by("decided_on")

    assert scheme.budget == Decimal("2700000")
    assert granted.count() == 8
    assert granted.aggregate(total=Sum("granted_amount"))["total"] == Decimal("2700000")
    assert per_year == {2021: 2, 2022: 1, 2023: 5}
    assert [(a.decided_on.year, a.granted_amount) for a in rwlp] == [
        (2021, Decimal("700000")),
        (2023, Decimal("100000")),
    ]
    assert {a.applicant.name for a in rwlp} == {"RWLP programmabureau"}


def test_pilot_economische_vitaliteit_grants_the_three_published_amounts(demo):
    granted = Application.objects.filter(
        scheme__name="Pilot Economische Vitaliteit", status__in=GRANTED
    ).order_by("decided_on")

    assert [(a.applicant.name, a.granted_amount, a.decided_on.year) for a in granted] == [
        ("Tocamaheerd", Decimal("750000"), 2022),
        ("Makerswierde", Decimal("747000"), 2023),
        ("Makeport Mercurius", Decimal("729000"), 2023),
    ]


def test_sociale_agenda_grants_ruim_160000_a_year_to_the_four_organisations(demo):
    four = [
        "Stichting Leergeld",
        "Jeugdfonds Sport en Cultuur",
        "Voedselbanken Groningen",
        "Kledingbank Maxima",
    ]
    granted = Application.objects.filter(scheme__code="SA", status__in=GRANTED)
    per_year = dict(
        granted.filter(applicant__name__in=four)
        .annotate(year=ExtractYear("decided_on"))
        .values_list("year")
        .annotate(total=Sum("granted_amount"))
    )
    extra = granted.get(applicant__name="Regionaal Distributiecentrum Groningen")

    assert per_year == {year: Decimal("162500") for year in (2020, 2021, 2022, 2023)}
    assert extra.decided_on.year == 2023
    assert extra.title == "Koelvrachtwagen voor de voedselbanken"


def test_settled_applications_have_an_advance_and_a_settlement_payment(demo):
    settled = Application.objects.filter(status=ApplicationStatus.settled)

    assert settled.count() > 0
    for application in settled:
        payments = application.payments.order_by("paid_on")
        assert [p.kind for p in payments] == [PaymentKind.advance, PaymentKind.settlement]
        assert sum(p.amount for p in payments) == application.settled_amount
    assert Payment.objects.filter(application__status=ApplicationStatus.granted).count() == 0


def test_experiment_familiehuis_is_a_zorg_en_voorzieningen_grant_to_de_hoven(demo):
    application = Application.objects.get(programme__slug="experiment-familiehuis")

    assert application.scheme.code == "ZV"
    assert application.applicant.name == "Stichting De Hoven"
    assert application.status in GRANTED


def test_open_applications_give_the_reviewer_and_the_officer_work(demo):
    reviewer = get_user_model().objects.get(username="beoordelaar")
    open_applications = Application.objects.filter(status__in=ApplicationStatus.open())

    assert open_applications.count() == 4
    assert (
        Review.objects.filter(reviewer=reviewer, application__in=open_applications)
        .exclude(status="ingediend")
        .count()
        == 2
    )


def test_demo_users_have_their_role_group_and_the_demo_password(demo):
    users = get_user_model().objects.order_by("username")

    assert {user.username: [g.name for g in user.groups.all()] for user in users} == {
        "beheerder": [Role.administrator],
        "behandelaar": [Role.subsidy_officer],
        "beoordelaar": [Role.reviewer],
        "beoordelaar2": [Role.reviewer],
        "coordinator": [Role.coordinator],
        "coordinator.drenthe": [Role.coordinator],
        "programmamanager": [Role.programme_manager],
    }
    assert all(user.check_password("regioportal") for user in users)
    assert all(user.first_name and user.last_name for user in users)
    assert [u.username for u in users if u.is_superuser or u.is_staff] == ["beheerder"]


def test_coordinators_are_members_of_their_own_programmes_only(demo):
    members = {
        username: sorted(
            Programme.objects.filter(members__username=username).values_list("slug", flat=True)
        )
        for username in ("coordinator", "coordinator.drenthe")
    }

    assert members == {
        "coordinator": ["klei-impuls", "op-koers"],
        "coordinator.drenthe": ["kansen4kinderen"],
    }


def test_stable_slugs_exist(demo):
    slugs = set(Programme.objects.values_list("slug", flat=True))

    assert {
        "klei-impuls",
        "op-koers",
        "van-waarde",
        "kansen4kinderen",
        "talentperron",
        "experiment-familiehuis",
        "rwlp-kwetsbare-panden",
        "gebiedsgericht-werken",
        "vitale-dorpen",
        "digitalisering-vrijetijdseconomie",
        "new-jobportunities-2",
        "kansrijk-opleiden",
        "gezond-groningen",
        "zorgkaart-groningen",
    } <= slugs
    assert set(UmbrellaProgramme.objects.values_list("slug", flat=True)) == {
        "leefbaarheidsprogramma-2020-2023",
        "regio-deal-zuid-en-oost-drenthe",
        "werk-en-ontwikkelprogramma",
        "nationaal-programma-groningen",
    }


def test_the_six_regionale_arrangementen_belong_to_their_line(demo):
    arrangements = Programme.objects.filter(lines__slug="regionale-arrangementen")

    assert arrangements.count() == 6
    assert "van-waarde" in set(arrangements.values_list("slug", flat=True))


def test_leefbaarheidsprogramma_lines_carry_the_published_budgets(demo):
    lines = ProgrammeLine.objects.filter(umbrella__slug="leefbaarheidsprogramma-2020-2023")
    broad = lines.get(slug="provinciebrede-aanpak")

    assert broad.budget == Decimal("7000000")
    assert lines.get(slug="regionale-arrangementen").budget == Decimal("4000000")
    assert [child.name for child in broad.children.order_by("order")] == [
        "Zorg & Voorzieningen",
        "Sociale Agenda",
        "Wonen",
        "Economische Vitaliteit",
    ]
    assert list(
        ProgrammeLine.objects.filter(umbrella__slug="regio-deal-zuid-en-oost-drenthe")
        .order_by("order")
        .values_list("name", flat=True)
    ) == ["Werken", "Wonen", "Welzijn"]


def test_recorded_targets_carry_the_published_figures(demo):
    def recorded(slug):
        return [
            (t.name, t.target_value, t.recorded_value, t.is_minimum)
            for t in Target.objects.filter(programme__slug=slug).order_by("order")
        ]

    assert recorded("talentperron") == [
        ("Unieke bezoekers sinds 2022", None, Decimal(750), True),
        ("Evenementen georganiseerd", None, Decimal(50), True),
    ]
    assert recorded("kansrijk-opleiden") == [
        ("Duurzame plaatsingen", Decimal(1000), Decimal(1000), False),
        ("Inwoners die een opleiding volgden", None, Decimal(1200), True),
        ("Opleidingsmogelijkheden gecreëerd", None, Decimal(90), True),
    ]
    assert recorded("kansen4kinderen") == [("Scholen in het netwerk", None, Decimal(90), True)]
    assert recorded("werk-en-ontwikkelprogramma-programmabreed")[:2] == [
        (
            "Extra mensen geholpen richting werk, opleiding of participatie (sinds 2022)",
            None,
            Decimal(480),
            False,
        ),
        ("Extra mensen helpen in 2023", Decimal(600), None, False),
    ]
    assert Programme.objects.get(slug="kansrijk-opleiden").budget == Decimal("6400000")
    assert list(
        Target.objects.filter(programme__slug="op-koers")
        .order_by("order")
        .values_list("metric", flat=True)
    ) == ["enrolments_started", "paid_work_share", "step_share", "ongoing_share"]


def test_municipalities_carry_their_cbs_codes(demo):
    codes = dict(Municipality.objects.values_list("name", "cbs_code"))

    assert len(codes) == 17
    assert codes["Het Hogeland"] == "GM1966"
    assert codes["Groningen"] == "GM0014"
    assert codes["Emmen"] == "GM0114"
    assert codes["Hardenberg"] == "GM0160"
    assert Organisation.objects.filter(kind="gemeente").count() == 17


def test_factsheets_for_the_three_highlighted_programmes_and_the_overview(demo):
    highlighted = dict(
        Factsheet.objects.filter(kind=FactsheetKind.highlight).values_list(
            "programme__slug", "title"
        )
    )
    overview = Factsheet.objects.get(kind=FactsheetKind.overview)
    van_waarde = Factsheet.objects.get(programme__slug="van-waarde")

    assert highlighted == {
        "experiment-familiehuis": "Experiment Familiehuis",
        "rwlp-kwetsbare-panden": "Regionaal Woon- en Leefbaarheidsplan – aanpak kwetsbare panden",
        "van-waarde": "Regionaal arrangement ‘Van Waarde’",
    }
    assert overview.umbrella.slug == "leefbaarheidsprogramma-2020-2023"
    assert van_waarde.subtitle == "Provinciale impuls in Het Hogeland"
    assert van_waarde.start == "1 december 2021"
    assert len(van_waarde.quotes.split("\n\n")) == 4
    assert len(van_waarde.lessons.splitlines()) == 2
    assert Factsheet.objects.get(programme__slug="rwlp-kwetsbare-panden").part_of == (
        "Onderdeel van de Krimpagenda 2020-2030"
    )
    assert all(
        sheet.intro.startswith(
            "Dit feitenblad is onderdeel van de terugblik op het Leefbaarheidsprogramma 2020-2023."
        )
        for sheet in Factsheet.objects.filter(kind=FactsheetKind.highlight)
    )


def test_factsheet_texts_are_free_of_the_ocr_errors_of_the_seed(demo):
    text = " ".join(
        getattr(sheet, field.name)
        for sheet in Factsheet.objects.all()
        for field in Factsheet._meta.get_fields()
        if field.get_internal_type() in ("TextField", "CharField")
    )

    for ocr_error in ("Erzijn", "invioed", "Qost", "hegft", "bhieden", "FIUNE", "Eris ", "»"):
        assert ocr_error not in text


def test_load_demo_twice_gives_the_same_rows(demo):
    models = [
        Municipality,
        Organisation,
        Programme,
        ProgrammePartner,
        Target,
        Participant,
        Enrolment,
        ProgressEntry,
        LadderStep,
        Consent,
        Application,
        Review,
        Score,
        Decision,
        Payment,
        Factsheet,
        get_user_model(),
    ]
    before = {model.__name__: model.objects.count() for model in models}
    enrolment_ids = sorted(Enrolment.objects.values_list("pk", flat=True))

    load_demo(force=True)

    assert {model.__name__: model.objects.count() for model in models} == before
    assert sorted(Enrolment.objects.values_list("pk", flat=True)) == enrolment_ids


def test_load_demo_refuses_when_debug_is_off_without_force(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG is off.*--force"):
        load_demo()
    assert Programme.objects.count() == 0


def test_load_demo_runs_when_debug_is_on(settings):
    settings.DEBUG = True

    output = load_demo()

    assert "Demo data loaded" in output
    assert Enrolment.objects.count() == 273
