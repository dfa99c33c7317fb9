"""factory_boy factories, one per model the tests build. Defaults are plain and predictable
(numbered names, fixed dates); a test passes what it asserts on.

A user's roles are Django groups named after :class:`regioportal.roles.Role`:
``UserFactory(roles=[Role.coordinator])``, or one of the per-role factories below. A
coordinator's programmes are given with ``CoordinatorFactory(programmes=[programme])``.
"""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from participants.enums import EnrolmentStatus
from participants.models import Enrolment, Participant, ProgressEntry
from programmes.enums import ActivityKind, OrganisationKind, ProgrammeStatus, Province
from programmes.models import (
    Municipality,
    Organisation,
    Programme,
    ProgrammeLine,
    Track,
    UmbrellaProgramme,
)
from regioportal.roles import Role
from reports.models import Factsheet, FactsheetKind, RenderedFactsheet
from subsidies.enums import ApplicationStatus, ReviewStatus
from subsidies.models import Application, Criterion, Review, Scheme, Tender

PASSWORD = "regioportal"


def _roles(default=()):
    """A post-generation declaration: ``roles=[Role.coordinator, …]`` adds the user to those
    groups; without it, to the groups in ``default``."""

    def add_groups(user, create, extracted, **kwargs):
        if not create:
            return
        roles = default if extracted is None else extracted
        # get_or_create: transactional tests empty every table, the data migration's groups
        # included.
        user.groups.add(*(Group.objects.get_or_create(name=Role(role))[0] for role in roles))

    return factory.PostGeneration(add_groups)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = factory.Sequence(lambda n: f"Voornaam{n}")
    last_name = factory.Sequence(lambda n: f"Achternaam{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.nl")
    password = factory.django.Password(PASSWORD)
    roles = _roles()

    @factory.post_generation
    def programmes(self, create, extracted, **kwargs):
        """``programmes=[programme, …]``: make the user a member (coordinator) of them."""
        if create and extracted:
            self.programmes.add(*extracted)


class CoordinatorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"coordinator{n}")
    roles = _roles(default=[Role.coordinator])


class ReviewerFactory(UserFactory):
    username = factory.Sequence(lambda n: f"beoordelaar{n}")
    roles = _roles(default=[Role.reviewer])


class SubsidyOfficerFactory(UserFactory):
    username = factory.Sequence(lambda n: f"behandelaar{n}")
    roles = _roles(default=[Role.subsidy_officer])


class ProgrammeManagerFactory(UserFactory):
    username = factory.Sequence(lambda n: f"programmamanager{n}")
    roles = _roles(default=[Role.programme_manager])


class AdministratorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"beheerder{n}")
    roles = _roles(default=[Role.administrator])


# --- programmes ---------------------------------------------------------------------------------


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Gemeente {n}")
    cbs_code = factory.Sequence(lambda n: f"GM{n % 10000:04d}")
    province = Province.groningen


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Stichting {n}")
    kind = OrganisationKind.foundation


class UmbrellaProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UmbrellaProgramme

    slug = factory.Sequence(lambda n: f"kader-{n}")
    name = factory.Sequence(lambda n: f"Kader {n}")
    owner = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.province)
    start_date = datetime.date(2020, 1, 1)
    end_date = datetime.date(2023, 12, 31)


class ProgrammeLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeLine

    umbrella = factory.SubFactory(UmbrellaProgrammeFactory)
    slug = factory.Sequence(lambda n: f"lijn-{n}")
    name = factory.Sequence(lambda n: f"Programmalijn {n}")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"programma-{n}")
    name = factory.Sequence(lambda n: f"Programma {n}")
    lead_organisation = factory.SubFactory(OrganisationFactory)
    status = ProgrammeStatus.running
    start_date = datetime.date(2023, 1, 1)
    activity_kinds = factory.LazyFunction(lambda: [ActivityKind.coaching.value])

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        """``members=[user, …]``: the programme's coordinators."""
        if create and extracted:
            self.members.add(*extracted)


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Traject {n}")


# --- participants -------------------------------------------------------------------------------


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    reference = factory.Sequence(lambda n: f"D{n:06d}")
    first_name = factory.Sequence(lambda n: f"Deelnemer{n}")
    last_name = "Jansen"
    birth_year = 2001


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    participant = factory.SubFactory(ParticipantFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    status = EnrolmentStatus.active
    start_date = datetime.date(2024, 2, 1)
    # A closed enrolment has an end date (database constraint enrolment_closed_has_end_date).
    end_date = factory.LazyAttribute(
        lambda o: o.start_date if o.status in EnrolmentStatus.closed() else None
    )


class ProgressEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressEntry

    enrolment = factory.SubFactory(EnrolmentFactory)
    kind = ActivityKind.coaching
    date = datetime.date(2024, 3, 1)
    duration_minutes = 60
    note = "Coachinggesprek"


# --- subsidies ----------------------------------------------------------------------------------


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"REG-{n}")
    name = factory.Sequence(lambda n: f"Subsidieregeling {n}")

    @factory.post_generation
    def handlers(self, create, extracted, **kwargs):
        """``SchemeFactory(handlers=[officer])``: the subsidy officers who handle it."""
        if create and extracted:
            self.handlers.add(*extracted)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    scheme = factory.SubFactory(SchemeFactory)
    name = factory.Sequence(lambda n: f"Criterium {n}")
    weight = Decimal("1.00")
    max_points = 10
    min_points = 0


class TenderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tender

    scheme = factory.SubFactory(SchemeFactory)
    name = factory.Sequence(lambda n: f"Tenderronde {n}")
    opens_at = factory.LazyFunction(
        lambda: timezone.make_aware(datetime.datetime(2024, 3, 1, 9, 0))
    )
    closes_at = factory.LazyFunction(
        lambda: timezone.make_aware(datetime.datetime(2024, 4, 30, 17, 0))
    )
    ceiling = Decimal("500000.00")


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application received in a tender round; pass ``tender=None, scheme=…`` for a scheme
    without tenders."""

    class Meta:
        model = Application

    reference = factory.Sequence(lambda n: f"SUB-2024-{n:05d}")
    tender = factory.SubFactory(TenderFactory)
    scheme = factory.SelfAttribute("tender.scheme")
    applicant = factory.SubFactory(OrganisationFactory)
    contact_name = "A. de Vries"
    contact_email = "a.devries@example.nl"
    title = factory.Sequence(lambda n: f"Project {n}")
    requested_amount = Decimal("50000.00")
    status = ApplicationStatus.received
    received_on = datetime.date(2024, 4, 2)
    decision_deadline = factory.LazyAttribute(
        lambda application: application.received_on + datetime.timedelta(weeks=8)
    )


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    application = factory.SubFactory(ApplicationFactory)
    reviewer = factory.SubFactory(ReviewerFactory)
    status = ReviewStatus.draft

    class Params:
        submitted = factory.Trait(
            status=ReviewStatus.submitted,
            submitted_at=factory.LazyFunction(timezone.now),
            conflict_of_interest=False,
        )
        conflicted = factory.Trait(
            conflict_of_interest=True,
            conflict_explanation="Bestuurslid van de aanvrager.",
        )


# --- reports ------------------------------------------------------------------------------------


class FactsheetFactory(factory.django.DjangoModelFactory):
    """A highlighted programme's factsheet; ``FactsheetFactory(overview=True)`` gives the
    overview sheet of an umbrella programme."""

    class Meta:
        model = Factsheet

    kind = FactsheetKind.highlight
    programme = factory.SubFactory(ProgrammeFactory)
    umbrella = None
    title = factory.LazyAttribute(lambda sheet: (sheet.programme or sheet.umbrella).name)
    subtitle = "Provinciale impuls in Het Hogeland"

    class Params:
        overview = factory.Trait(
            kind=FactsheetKind.overview,
            programme=None,
            umbrella=factory.SubFactory(UmbrellaProgrammeFactory),
        )


class RenderedFactsheetFactory(factory.django.DjangoModelFactory):
    """A queued rendering job with a task id of its own; pass ``status`` and the rest to
    arrange a job in another state."""

    class Meta:
        model = RenderedFactsheet

    factsheet = factory.SubFactory(FactsheetFactory)
    task_id = factory.Faker("uuid4")
