"""The de-minimis aid an organisation received from the province over three rolling years, and
the warning before a grant would pass the EU ceiling."""

import datetime
from decimal import Decimal

import pytest

from subsidies.de_minimis import de_minimis_check, granted_de_minimis, period_start
from subsidies.enums import AllocationMethod, ApplicationStatus
from tests.factories import ApplicationFactory, OrganisationFactory, SchemeFactory

pytestmark = pytest.mark.django_db

ON = datetime.date(2024, 6, 14)


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Makerswierde B.V.")


@pytest.fixture
def de_minimis_scheme():
    return SchemeFactory(
        code="PEV", is_de_minimis=True, allocation_method=AllocationMethod.first_come
    )


def grant(scheme, organisation, amount, decided_on, status=ApplicationStatus.granted):
    return ApplicationFactory(
        tender=None,
        scheme=scheme,
        applicant=organisation,
        requested_amount=Decimal(amount),
        granted_amount=Decimal(amount),
        status=status,
        received_on=decided_on - datetime.timedelta(days=60),
        decided_on=decided_on,
    )


def pending(scheme, organisation, amount):
    return ApplicationFactory(
        tender=None,
        scheme=scheme,
        applicant=organisation,
        requested_amount=Decimal(amount),
        received_on=ON - datetime.timedelta(days=10),
    )


def test_the_period_is_the_three_years_up_to_and_including_the_day():
    assert period_start(datetime.date(2024, 6, 14)) == datetime.date(2021, 6, 15)
    assert period_start(datetime.date(2024, 2, 29)) == datetime.date(2021, 3, 1)


def test_only_de_minimis_grants_within_three_years_count(organisation, de_minimis_scheme):
    other_scheme = SchemeFactory(is_de_minimis=False)
    grant(de_minimis_scheme, organisation, "100000", datetime.date(2021, 6, 15))  # first day
    grant(
        de_minimis_scheme,
        organisation,
        "50000",
        datetime.date(2023, 1, 10),
        ApplicationStatus.settled,
    )
    grant(de_minimis_scheme, organisation, "70000", datetime.date(2021, 6, 14))  # a day too early
    grant(other_scheme, organisation, "90000", datetime.date(2023, 3, 1))  # not de-minimis
    grant(de_minimis_scheme, OrganisationFactory(), "80000", datetime.date(2023, 3, 1))  # another
    ApplicationFactory(
        tender=None,
        scheme=de_minimis_scheme,
        applicant=organisation,
        status=ApplicationStatus.rejected,
        received_on=datetime.date(2023, 1, 2),
        decided_on=datetime.date(2023, 3, 1),
    )

    assert granted_de_minimis(organisation, on=ON) == Decimal("150000.00")


def test_a_grant_that_would_pass_the_ceiling_gives_a_dutch_warning(organisation, de_minimis_scheme):
    grant(de_minimis_scheme, organisation, "250000", datetime.date(2022, 9, 1))
    application = pending(de_minimis_scheme, organisation, "60000")

    check = de_minimis_check(application, application.requested_amount, on=ON)

    assert (check.received, check.total, check.remaining, check.exceeds) == (
        Decimal("250000.00"),
        Decimal("310000.00"),
        Decimal("50000.00"),
        True,
    )
    assert check.warning == (
        "Let op, de-minimisplafond: Makerswierde B.V. ontving in de drie jaar tot en met "
        "14 juni 2024 al €\xa0250.000 aan de-minimissteun van de provincie. Met €\xa060.000 "
        "erbij wordt dat €\xa0310.000, meer dan het plafond van €\xa0300.000; binnen het "
        "plafond kan nog €\xa050.000 worden verleend."
    )


def test_a_grant_up_to_the_ceiling_gives_no_warning(organisation, de_minimis_scheme):
    grant(de_minimis_scheme, organisation, "250000", datetime.date(2022, 9, 1))
    application = pending(de_minimis_scheme, organisation, "50000")

    check = de_minimis_check(application, Decimal("50000"), on=ON)

    assert (check.exceeds, check.warning) == (False, None)


def test_the_application_itself_does_not_count_twice(organisation, de_minimis_scheme):
    application = grant(de_minimis_scheme, organisation, "200000", datetime.date(2024, 6, 1))

    check = de_minimis_check(application, Decimal("200000"), on=ON)

    assert (check.received, check.exceeds) == (Decimal(0), False)


def test_a_scheme_that_is_not_de_minimis_is_not_checked(organisation, django_assert_num_queries):
    scheme = SchemeFactory(is_de_minimis=False)
    grant(SchemeFactory(is_de_minimis=True), organisation, "299000", datetime.date(2024, 1, 1))
    application = pending(scheme, organisation, "60000")

    with django_assert_num_queries(0):
        check = de_minimis_check(application, Decimal("60000"), on=ON)

    assert (check.applies, check.exceeds, check.warning) == (False, False, None)


def test_the_ceiling_is_a_setting(settings, organisation, de_minimis_scheme):
    settings.DE_MINIMIS_CEILING = Decimal("200000")
    grant(de_minimis_scheme, organisation, "150000", datetime.date(2023, 9, 1))
    application = pending(de_minimis_scheme, organisation, "60000")

    assert de_minimis_check(application, Decimal("60000"), on=ON).exceeds is True
