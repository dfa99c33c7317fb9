"""De-minimissteun: small state aid an undertaking may receive without notification to the
European Commission, up to a ceiling over three rolling years (Regulation (EU) 2023/2831:
€ 300.000 since 2024, ``settings.DE_MINIMIS_CEILING``).

The portal knows the de-minimis aid the province itself granted: the granted amounts of
applications in schemes marked ``Scheme.is_de_minimis`` (granted, and possibly paid or settled
since). Aid from other bodies is in the applicant's de-minimis declaration, which the officer
reads; the portal warns, it does not decide.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from regioportal.templatetags.portal import euro

from .enums import ApplicationStatus
from .models import Application

PERIOD_YEARS = 3


def period_start(on):
    """The first day of the three-year period that ends on ``on`` (the same date three years
    earlier, plus one day; 29 February counts from 1 March)."""
    try:
        earlier = on.replace(year=on.year - PERIOD_YEARS)
    except ValueError:  # 29 February in a year without one
        earlier = on.replace(year=on.year - PERIOD_YEARS, day=28)
    return earlier + datetime.timedelta(days=1)


def granted_de_minimis(organisation, *, on, exclude=None):
    """The de-minimis aid granted to ``organisation`` by decisions dated in the three years up
    to and including ``on``; ``exclude`` leaves out one application (the one being decided)."""
    applications = Application.objects.filter(
        applicant=organisation,
        scheme__is_de_minimis=True,
        status__in=ApplicationStatus.granted_group(),
        decided_on__gte=period_start(on),
        decided_on__lte=on,
    )
    if exclude is not None:
        applications = applications.exclude(pk=exclude.pk)
    return applications.aggregate(total=Sum("granted_amount"))["total"] or Decimal(0)


@dataclass(frozen=True)
class DeMinimisCheck:
    """What a grant of ``amount`` would do to the applicant's de-minimis total."""

    applies: bool
    organisation: object
    on: datetime.date
    received: Decimal
    amount: Decimal
    ceiling: Decimal

    @property
    def total(self):
        return self.received + self.amount

    @property
    def remaining(self):
        """What can still be granted within the ceiling."""
        return max(self.ceiling - self.received, Decimal(0))

    @property
    def exceeds(self):
        return self.applies and self.total > self.ceiling

    @property
    def warning(self):
        """A Dutch warning when the grant would pass the ceiling, else None."""
        if not self.exceeds:
            return None
        return _(
            "Let op, de-minimisplafond: %(organisation)s ontving in de drie jaar tot en met "
            "%(on)s al %(received)s aan de-minimissteun van de provincie. Met %(amount)s erbij "
            "wordt dat %(total)s, meer dan het plafond van %(ceiling)s; binnen het plafond kan "
            "nog %(remaining)s worden verleend."
        ) % {
            "organisation": self.organisation,
            "on": date_format(self.on, "j F Y"),
            "received": euro(self.received),
            "amount": euro(self.amount),
            "total": euro(self.total),
            "ceiling": euro(self.ceiling),
            "remaining": euro(self.remaining),
        }


def de_minimis_check(application, amount, *, on=None):
    """Whether granting ``amount`` to ``application`` on ``on`` (default today) would take its
    applicant past the de-minimis ceiling. One query, none for a scheme that is not
    de-minimis. ``application.scheme`` and ``application.applicant`` are read."""
    on = on or timezone.localdate()
    amount = Decimal(amount or 0)
    applies = application.scheme.is_de_minimis
    received = (
        granted_de_minimis(application.applicant_id, on=on, exclude=application)
        if applies
        else Decimal(0)
    )
    return DeMinimisCheck(
        applies=applies,
        organisation=application.applicant,
        on=on,
        received=received,
        amount=amount,
        ceiling=settings.DE_MINIMIS_CEILING,
    )
