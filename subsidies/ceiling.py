"""The subsidieplafond of a tender: what was granted against it.

``Tender.granted_total`` is the sum of ``granted_amount`` over the tender's granted
applications. subsidies.allocation keeps it under a row lock on the tender when it grants;
a check constraint (``tender_granted_within_ceiling``) refuses any total above the ceiling in
the database itself."""

from django.db.models import Sum

from .enums import ApplicationStatus
from .models import Application, Tender


def granted_sum(tender):
    """The granted amounts of the tender's applications, summed from the rows."""
    total = Application.objects.filter(
        tender=tender, status__in=ApplicationStatus.granted_group()
    ).aggregate(total=Sum("granted_amount"))["total"]
    return total or 0


def recount_granted_total(tender):
    """Set ``tender.granted_total`` from the rows (demo data, repairs)."""
    tender.granted_total = granted_sum(tender)
    Tender.objects.filter(pk=tender.pk).update(granted_total=tender.granted_total)
    return tender.granted_total
