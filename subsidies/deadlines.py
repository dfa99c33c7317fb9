"""Awb deadlines in calendar days, as the law counts them.

- The beslistermijn runs from the day after receipt for the scheme's number of weeks (Awb
  4:13, default 8) and pauses while the application is incomplete: from the day after the
  request to complete it until the day the completion arrives (Awb 4:15).
- The bezwaartermijn is six weeks from the day after the decision was sent (Awb 6:7, 6:8).
- A term that ends on a Saturday, Sunday or generally recognised public holiday ends on the
  next day that is none of these (Algemene termijnenwet, art. 1 and 3).

Dates are plain ``datetime.date`` values in the portal's time zone (Europe/Amsterdam), so a
change to or from daylight saving time moves nothing: a week is seven calendar days.
"""

import datetime
import functools

import holidays

from .enums import ApplicationStatus

DEFAULT_DECISION_WEEKS = 8
OBJECTION_WEEKS = 6
DUE_SOON_DAYS = 7


class DeadlineState:
    """How urgent a deadline is on a given day, for the worklists."""

    overdue = "verstreken"
    due_soon = "binnenkort"
    running = "loopt"
    paused = "opgeschort"
    none = "geen"


@functools.cache
def _public_holidays(year):
    """The "algemeen erkende feestdagen" of the Algemene termijnenwet (art. 3) in ``year``:
    New Year's Day, Easter Monday, Ascension Day, Whit Monday, both Christmas days, King's
    Day, and 5 May every year. The country calendar of the ``holidays`` package also lists
    Good Friday and the Sundays of Easter and Whitsun; Good Friday is not a holiday for the
    Atw and the Sundays count as Sundays."""
    days = {
        day
        for day, name in holidays.country_holidays("NL", years=year, language="en_US").items()
        if name != "Good Friday"
    }
    days.add(datetime.date(year, 5, 5))
    return frozenset(days)


def is_working_day(day):
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def next_working_day(day):
    """``day`` itself when it is a working day, otherwise the first working day after it."""
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def term_end(start, *, weeks=0, days=0):
    """The last day of a term of ``weeks`` and ``days`` that starts counting the day after
    ``start`` (the day of receipt or dispatch), extended to a working day (Atw)."""
    return next_working_day(start + datetime.timedelta(weeks=weeks, days=days))


def paused_days(requested_on, completed_on):
    """The days the beslistermijn is suspended: from the day after the completion request
    (``requested_on``) up to and including the day the completion arrived."""
    return max((completed_on - requested_on).days, 0)


def decision_deadline(received_on, *, weeks=DEFAULT_DECISION_WEEKS, paused=0):
    """The beslistermijn: ``weeks`` after receipt plus ``paused`` days of suspension, on a
    working day."""
    return term_end(received_on, weeks=weeks, days=paused)


def completion_deadline(requested_on, *, weeks):
    """The hersteltermijn the applicant is given to complete the application."""
    return term_end(requested_on, weeks=weeks)


def objection_deadline(sent_on):
    """The last day a bezwaar can be lodged against a decision sent on ``sent_on`` (the
    ZGW "uiterlijke reactiedatum")."""
    return term_end(sent_on, weeks=OBJECTION_WEEKS)


def deadline_state(application, today):
    """A :class:`DeadlineState` for the application's beslistermijn on ``today``. An
    incomplete application's term is suspended; a decided one has none."""
    if application.status == ApplicationStatus.incomplete:
        return DeadlineState.paused
    if application.status not in ApplicationStatus.open():
        return DeadlineState.none
    if application.decision_deadline < today:
        return DeadlineState.overdue
    if application.decision_deadline <= today + datetime.timedelta(days=DUE_SOON_DAYS):
        return DeadlineState.due_soon
    return DeadlineState.running


def decision_dates(decided_on):
    """The ZGW dates of a decision taken on ``decided_on``: its letter is made at once and
    sent the same day (verzenddatum), it takes effect that day (ingangsdatum), and the
    bezwaartermijn ends six weeks later (uiterlijke reactiedatum)."""
    return {
        "effective_on": decided_on,
        "sent_on": decided_on,
        "objection_deadline": objection_deadline(decided_on),
    }
