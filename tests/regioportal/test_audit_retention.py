"""The audit log's own retention period (AUDIT_RETENTION_DAYS)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from regioportal import audit
from regioportal.models import AuditAction, AuditEntry
from tests.factories import ApplicationFactory, CoordinatorFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TODAY = date(2026, 12, 1)


def recorded_days_ago(entry, days):
    at = datetime.combine(TODAY - timedelta(days=days), datetime.min.time(), AMSTERDAM)
    AuditEntry.objects.filter(pk=entry.pk).update(at=at + timedelta(hours=12))
    return entry.pk


def test_old_entries_about_participants_and_logins_go_applications_stay(settings):
    settings.AUDIT_RETENTION_DAYS = 100
    enrolment = EnrolmentFactory()
    user = CoordinatorFactory()
    application = ApplicationFactory()
    old_view = recorded_days_ago(
        audit.record(actor=user, obj=enrolment.participant, action=AuditAction.view), 101
    )
    old_entry = recorded_days_ago(
        audit.record(
            actor=user, obj=enrolment.participant, action=AuditAction.update, enrolment=enrolment
        ),
        101,
    )
    old_login = recorded_days_ago(audit.record(actor=user, obj=user, action=AuditAction.login), 101)
    old_application = recorded_days_ago(
        audit.record(actor=user, obj=application, action=AuditAction.status), 101
    )
    recent_view = recorded_days_ago(
        audit.record(actor=user, obj=enrolment.participant, action=AuditAction.view), 100
    )

    deleted = audit.purge_expired(today=TODAY)

    assert deleted == 3
    remaining = set(AuditEntry.objects.values_list("pk", flat=True))
    assert {old_view, old_entry, old_login} & remaining == set()
    assert {old_application, recent_view} <= remaining
    assert audit.purge_expired(today=TODAY) == 0
