"""Today is the portal's day (Europe/Amsterdam), also when the process's clock runs in another
zone: at 23:30 UTC on 31 December it is already 1 January in Amsterdam."""

import datetime
import os
import time

import pytest
import time_machine
from django.test import RequestFactory

from participants.enums import EnrolmentStatus
from participants.filters import EnrolmentFilter
from participants.models import Enrolment
from programmes.figures import programme_figures
from tests.factories import (
    EnrolmentFactory,
    ParticipantFactory,
    ProgrammeFactory,
    ProgrammeManagerFactory,
)

pytestmark = pytest.mark.django_db

NEW_YEARS_NIGHT = datetime.datetime(2024, 12, 31, 23, 30, tzinfo=datetime.UTC)


@pytest.fixture
def process_clock_in_utc():
    """A process whose own zone is UTC (a container's default), while the portal's TIME_ZONE
    stays Europe/Amsterdam: date.today() then answers the UTC day."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@time_machine.travel(NEW_YEARS_NIGHT, tick=False)
def test_programme_figures_count_running_enrolments_to_the_local_day(process_clock_in_utc):
    programme = ProgrammeFactory(has_participants=True)
    EnrolmentFactory(
        programme=programme, status=EnrolmentStatus.active, start_date=datetime.date(2024, 12, 1)
    )

    assert datetime.date.today() == datetime.date(2024, 12, 31)
    assert programme_figures(programme).average_duration_days == 31  # 1 Dec to 1 Jan


@time_machine.travel(NEW_YEARS_NIGHT, tick=False)
def test_age_bands_use_the_local_year(process_clock_in_utc):
    # Born in 2007: 18 in 2025, 17 in 2024.
    enrolment = EnrolmentFactory(participant=ParticipantFactory(birth_year=2007))

    request = RequestFactory().get("/participants/", {"age": "18-22"})
    request.user = ProgrammeManagerFactory()

    adults = EnrolmentFilter(request.GET, queryset=Enrolment.objects.all(), request=request).qs

    assert list(adults) == [enrolment]
