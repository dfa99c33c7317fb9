"""Awb deadlines (subsidies.deadlines): the beslistermijn with its suspension, the
hersteltermijn and the bezwaartermijn, each moved off weekends and the public holidays of the
Algemene termijnenwet, and unaffected by changes to and from daylight saving time."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from subsidies import deadlines
from subsidies.deadlines import DeadlineState
from subsidies.enums import ApplicationStatus
from subsidies.models import Application

D = datetime.date
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DEADLINE = D(2024, 6, 10)


# --- working days -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2024, 1, 1), "Nieuwjaarsdag"),
        (D(2024, 4, 1), "Tweede Paasdag"),
        (D(2023, 4, 27), "Koningsdag (donderdag)"),
        (D(2026, 4, 27), "Koningsdag (maandag)"),
        (D(2013, 4, 30), "Koninginnedag"),
        (D(2023, 5, 5), "5 mei (vrijdag, geen lustrumjaar)"),
        (D(2025, 5, 5), "5 mei (maandag, lustrumjaar)"),
        (D(2026, 5, 5), "5 mei (dinsdag)"),
        (D(2024, 5, 9), "Hemelvaartsdag"),
        (D(2024, 5, 20), "Tweede Pinksterdag"),
        (D(2024, 12, 25), "Eerste Kerstdag"),
        (D(2024, 12, 26), "Tweede Kerstdag"),
    ],
)
def test_the_atw_public_holidays_are_no_working_days(day, name):
    assert (day.weekday() < 5, deadlines.is_working_day(day)) == (True, False)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2024, 3, 29), "Goede Vrijdag: geen feestdag in de zin van de Atw"),
        (D(2025, 4, 28), "maandag na een Koningsdag die op zaterdag 26 april viel"),
        (D(2024, 4, 26), "vrijdag vóór Koningsdag op zaterdag: niet verschoven"),
        (D(2024, 5, 10), "vrijdag na Hemelvaart"),
        (D(2024, 12, 24), "Kerstavond"),
        (D(2024, 12, 31), "Oudejaarsdag"),
    ],
)
def test_other_weekdays_are_working_days(day, name):
    assert deadlines.is_working_day(day) is True


def test_saturday_and_sunday_are_no_working_days():
    assert (
        deadlines.is_working_day(D(2024, 6, 1)),
        deadlines.is_working_day(D(2024, 6, 2)),
    ) == (False, False)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2024, 6, 3), D(2024, 6, 3)),  # a Monday stays
        (D(2024, 6, 1), D(2024, 6, 3)),  # Saturday → Monday
        (D(2024, 3, 30), D(2024, 4, 2)),  # Saturday before Easter → Tuesday
        (D(2024, 5, 18), D(2024, 5, 21)),  # Saturday of Whitsun → Tuesday
        (D(2026, 12, 25), D(2026, 12, 28)),  # Christmas on Friday → Monday
        (D(2021, 12, 25), D(2021, 12, 27)),  # Christmas on Saturday → Monday
        (D(2022, 12, 31), D(2023, 1, 2)),  # New Year's Eve on Saturday → over the year
    ],
)
def test_next_working_day(day, expected):
    assert deadlines.next_working_day(day) == expected


# --- the beslistermijn --------------------------------------------------------------------


def test_the_beslistermijn_is_eight_weeks_after_receipt_by_default():
    # Received Tuesday 2 April 2024: counting starts on the 3rd and ends on Tuesday 28 May.
    assert deadlines.decision_deadline(D(2024, 4, 2)) == D(2024, 5, 28)


def test_the_beslistermijn_follows_the_weeks_of_the_scheme():
    assert deadlines.decision_deadline(D(2024, 4, 2), weeks=13) == D(2024, 7, 2)


def test_a_suspension_extends_the_beslistermijn_by_its_days():
    assert deadlines.decision_deadline(D(2024, 4, 2), paused=10) == D(2024, 6, 7)


def test_a_suspension_is_added_before_the_end_moves_to_a_working_day():
    # 8 weeks from Friday 22 March 2024 end Friday 17 May; 1 day of suspension gives
    # Saturday 18 May, Whit Monday 20 May follows: the term ends Tuesday 21 May, not Monday.
    assert deadlines.decision_deadline(D(2024, 3, 22), paused=1) == D(2024, 5, 21)


@pytest.mark.parametrize(
    ("received_on", "expected", "why"),
    [
        (D(2024, 4, 6), D(2024, 6, 3), "ends on Saturday 1 June"),
        (D(2024, 3, 14), D(2024, 5, 10), "ends on Ascension Day, Thursday 9 May"),
        (D(2024, 3, 25), D(2024, 5, 21), "ends on Whit Monday, 20 May"),
        (D(2023, 3, 2), D(2023, 4, 28), "ends on King's Day, Thursday 27 April 2023"),
        (D(2026, 3, 10), D(2026, 5, 6), "ends on 5 May 2026, a Tuesday"),
        (D(2024, 10, 30), D(2024, 12, 27), "ends on Christmas Day; Boxing Day follows"),
        (D(2023, 11, 6), D(2024, 1, 2), "ends on New Year's Day 2024"),
    ],
)
def test_a_beslistermijn_ending_on_a_weekend_or_holiday_ends_the_next_working_day(
    received_on, expected, why
):
    assert deadlines.decision_deadline(received_on) == expected


@pytest.mark.parametrize(
    ("received_on", "expected", "days"),
    [
        # The clocks go forward on 31 March 2024 and back on 27 October 2024: a week is still
        # seven days, so eight weeks are 56 days.
        (D(2024, 3, 5), D(2024, 4, 30), 56),
        (D(2024, 10, 1), D(2024, 11, 26), 56),
        # Received on the Sunday of the change itself: eight weeks end on a Sunday too, and
        # the term on the Monday after.
        (D(2024, 3, 31), D(2024, 5, 27), 57),
        (D(2024, 10, 27), D(2024, 12, 23), 57),
    ],
)
def test_the_beslistermijn_across_a_change_of_daylight_saving_time(received_on, expected, days):
    deadline = deadlines.decision_deadline(received_on)

    assert (deadline, (deadline - received_on).days) == (expected, days)


# --- the suspension -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("requested_on", "completed_on", "days"),
    [
        (D(2024, 4, 10), D(2024, 4, 10), 0),  # completed the same day
        (D(2024, 4, 10), D(2024, 4, 11), 1),  # from the day after, up to and including
        (D(2024, 4, 10), D(2024, 4, 20), 10),
        (D(2024, 3, 28), D(2024, 4, 3), 6),  # across Easter and the change to summer time
        (D(2024, 12, 20), D(2025, 1, 6), 17),  # across the turn of the year
        (D(2024, 4, 10), D(2024, 4, 9), 0),  # never negative
    ],
)
def test_paused_days(requested_on, completed_on, days):
    assert deadlines.paused_days(requested_on, completed_on) == days


# --- the hersteltermijn and the bezwaartermijn --------------------------------------------


def test_the_hersteltermijn_is_counted_in_weeks_from_the_request():
    assert deadlines.completion_deadline(D(2024, 4, 10), weeks=2) == D(2024, 4, 24)


def test_a_hersteltermijn_ending_on_kings_day_ends_the_next_working_day():
    # Requested Thursday 13 April 2023: two weeks end on Koningsdag, Thursday 27 April.
    assert deadlines.completion_deadline(D(2023, 4, 13), weeks=2) == D(2023, 4, 28)


def test_the_bezwaartermijn_is_six_weeks_after_sending():
    # Sent Thursday 16 May 2024: six weeks end on Thursday 27 June.
    assert deadlines.objection_deadline(D(2024, 5, 16)) == D(2024, 6, 27)


@pytest.mark.parametrize(
    ("sent_on", "expected"),
    [
        (D(2024, 11, 13), D(2024, 12, 27)),  # Christmas Day, then Boxing Day
        (D(2024, 3, 28), D(2024, 5, 10)),  # Ascension Day
        (D(2025, 3, 24), D(2025, 5, 6)),  # 5 May 2025, a Monday
        (D(2024, 9, 21), D(2024, 11, 4)),  # a Saturday, across the end of summer time
    ],
)
def test_a_bezwaartermijn_ending_on_a_holiday_or_weekend_moves_on(sent_on, expected):
    assert deadlines.objection_deadline(sent_on) == expected


# --- the state of a deadline on a day -----------------------------------------------------


def application(status=ApplicationStatus.received, deadline=DEADLINE):
    # Not saved: deadline_state reads the status and the deadline only.
    return Application(status=status, received_on=D(2024, 4, 2), decision_deadline=deadline)


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (D(2024, 6, 1), DeadlineState.running),  # 9 days left
        (D(2024, 6, 2), DeadlineState.running),  # 8 days left
        (D(2024, 6, 3), DeadlineState.due_soon),  # 7 days left
        (D(2024, 6, 10), DeadlineState.due_soon),  # the last day
        (D(2024, 6, 11), DeadlineState.overdue),
    ],
)
def test_the_state_of_a_running_beslistermijn(today, state):
    assert deadlines.deadline_state(application(), today) == state


def test_an_incomplete_applications_beslistermijn_is_paused():
    incomplete = application(status=ApplicationStatus.incomplete, deadline=D(2024, 5, 1))

    assert deadlines.deadline_state(incomplete, D(2024, 6, 3)) == DeadlineState.paused


@pytest.mark.parametrize(
    "status",
    [
        ApplicationStatus.granted,
        ApplicationStatus.rejected,
        ApplicationStatus.withdrawn,
        ApplicationStatus.not_considered,
        ApplicationStatus.settled,
    ],
)
def test_a_decided_or_withdrawn_application_has_no_running_deadline(status):
    decided = application(status=status, deadline=D(2024, 5, 1))

    assert deadlines.deadline_state(decided, D(2024, 6, 3)) == DeadlineState.none


@pytest.mark.parametrize(
    ("moment", "state"),
    [
        # The deadline is Monday 28 October 2024, the day after the clocks went back.
        # 23:30 on the 28th in the Netherlands is 22:30 UTC: the last day, still due.
        (datetime.datetime(2024, 10, 28, 23, 30, tzinfo=AMSTERDAM), DeadlineState.due_soon),
        # 00:30 on the 29th is 23:30 UTC on the 28th: overdue in the Netherlands.
        (datetime.datetime(2024, 10, 29, 0, 30, tzinfo=AMSTERDAM), DeadlineState.overdue),
    ],
)
def test_today_is_the_dutch_day_after_the_end_of_summer_time(moment, state):
    with time_machine.travel(moment, tick=False):
        today = timezone.localdate()

    assert deadlines.deadline_state(application(deadline=D(2024, 10, 28)), today) == state


@pytest.mark.parametrize(
    ("moment", "state"),
    [
        # Deadline Tuesday 2 April 2024, after the clocks went forward (UTC+2).
        (datetime.datetime(2024, 4, 2, 23, 59, tzinfo=AMSTERDAM), DeadlineState.due_soon),
        # 00:30 on the 3rd is 22:30 UTC on the 2nd.
        (datetime.datetime(2024, 4, 3, 0, 30, tzinfo=AMSTERDAM), DeadlineState.overdue),
    ],
)
def test_today_is_the_dutch_day_after_the_start_of_summer_time(moment, state):
    with time_machine.travel(moment, tick=False):
        today = timezone.localdate()

    assert deadlines.deadline_state(application(deadline=D(2024, 4, 2)), today) == state
