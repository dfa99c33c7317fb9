"""Date helpers shared by the demo modules."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def next_weekday(day):
    """The day itself on Monday to Friday; a Saturday or Sunday moves to the next Monday."""
    return day + timedelta(days=7 - day.weekday()) if day.weekday() >= 5 else day


def at(day, hour, minute=0):
    """An aware moment on ``day`` in Dutch time."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMSTERDAM)
