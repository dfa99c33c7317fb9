"""Granting beyond a tender's ceiling is impossible, also when two officers grant at the same
moment: proved on real PostgreSQL with two threads, each on a connection of its own.

The first grant is held inside its transaction (by a receiver of ``decision_made``, which is
sent inside it) until the second grant is seen waiting for the tender's row lock in
``pg_locks``; only then does the first commit. The second must then see the new total and be
refused. A last test takes the lock away and shows that the database's check constraint
refuses the second total on its own."""

import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import F

from subsidies.allocation import CeilingExceeded, grant
from subsidies.models import Decision, Tender
from subsidies.signals import decision_made
from tests.factories import SubsidyOfficerFactory
from tests.subsidies.scoring import scheme_with_criteria, scored_application, tender_for

pytestmark = pytest.mark.django_db(transaction=True)
TIMEOUT = 20  # seconds: a hang is a failure, not a stuck run


def waiting_for_a_lock(pid):
    """Whether the backend with ``pid`` waits for a lock (asked from this connection)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE pid = %s AND NOT granted", [pid])
        return cursor.fetchone()[0] > 0


def wait_until(predicate):
    event = threading.Event()
    for _attempt in range(TIMEOUT * 20):
        if predicate():
            return True
        event.wait(0.05)
    return False


class Runner(threading.Thread):
    """Runs ``work`` on a connection of its own; keeps its result or exception and the
    backend's pid."""

    def __init__(self, name, work):
        super().__init__(name=name, daemon=True)
        self.work = work
        self.result = self.error = self.pid = None
        self.started_work = threading.Event()

    def run(self):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
            self.started_work.set()
            self.result = self.work()
        except Exception as error:  # noqa: BLE001 - the test inspects it
            self.error = error
        finally:
            connections.close_all()


@pytest.fixture
def officers():
    first, second = SubsidyOfficerFactory(), SubsidyOfficerFactory()
    return first, second


@pytest.fixture
def tender(officers):
    scheme = scheme_with_criteria((1, 10, 0), handlers=list(officers))
    return tender_for(scheme, name="Ronde 1", ceiling="100000")


@pytest.fixture
def hold_first():
    """While set up, the grant made in the thread named "first" waits inside its transaction
    until ``release`` is set."""
    release = threading.Event()
    holding = threading.Event()

    def receiver(sender, decision, by, **kwargs):
        if threading.current_thread().name == "first":
            holding.set()
            release.wait(TIMEOUT)

    decision_made.connect(receiver, weak=False)
    yield holding, release
    release.set()
    decision_made.disconnect(receiver)


def test_two_officers_granting_at_once_cannot_pass_the_ceiling(tender, officers, hold_first):
    holding, release = hold_first
    one = scored_application(tender, [8], reference="ZV-1", requested="60000")
    two = scored_application(tender, [8], reference="ZV-2", requested="60000")
    first_officer, second_officer = officers

    first = Runner("first", lambda: grant(one, amount="60000", by=first_officer))
    first.start()
    assert holding.wait(TIMEOUT), first.error
    second = Runner("second", lambda: grant(two, amount="60000", by=second_officer))
    second.start()
    assert second.started_work.wait(TIMEOUT)
    # The second grant is really at the same moment: it waits for the tender's row.
    assert wait_until(lambda: waiting_for_a_lock(second.pid))
    release.set()
    first.join(TIMEOUT)
    second.join(TIMEOUT)

    assert first.error is None
    assert isinstance(second.error, CeilingExceeded)
    assert second.error.message.replace("\xa0", " ") == (
        "Het subsidieplafond van Ronde 1 is bereikt: nog € 40.000 beschikbaar, € 60.000 gevraagd."
    )
    assert Tender.objects.get(pk=tender.pk).granted_total == Decimal("60000.00")
    assert list(Decision.objects.values_list("application__reference", flat=True)) == ["ZV-1"]


def test_two_officers_granting_the_same_application_grant_it_once(tender, officers, hold_first):
    holding, release = hold_first
    application = scored_application(tender, [8], reference="ZV-1", requested="30000")
    first_officer, second_officer = officers

    first = Runner("first", lambda: grant(application, amount="30000", by=first_officer))
    first.start()
    assert holding.wait(TIMEOUT), first.error
    second = Runner("second", lambda: grant(application, amount="30000", by=second_officer))
    second.start()
    assert second.started_work.wait(TIMEOUT)
    assert wait_until(lambda: waiting_for_a_lock(second.pid))
    release.set()
    first.join(TIMEOUT)
    second.join(TIMEOUT)

    assert (first.error, second.error) == (None, None)
    assert first.result == second.result
    assert Decision.objects.count() == 1
    assert Tender.objects.get(pk=tender.pk).granted_total == Decimal("30000.00")


def test_without_the_lock_the_check_constraint_refuses_the_second_total(tender):
    """Two transactions add to the granted total at once, with no select_for_update: the
    second waits for the first's row and is then refused by tender_granted_within_ceiling."""
    added = threading.Event()
    release = threading.Event()

    def add(hold):
        with transaction.atomic():
            Tender.objects.filter(pk=tender.pk).update(
                granted_total=F("granted_total") + Decimal("60000")
            )
            if hold:
                added.set()
                release.wait(TIMEOUT)

    first = Runner("first-raw", lambda: add(hold=True))
    first.start()
    assert added.wait(TIMEOUT), first.error
    second = Runner("second-raw", lambda: add(hold=False))
    second.start()
    assert second.started_work.wait(TIMEOUT)
    assert wait_until(lambda: waiting_for_a_lock(second.pid))
    release.set()
    first.join(TIMEOUT)
    second.join(TIMEOUT)

    assert first.error is None
    assert isinstance(second.error, IntegrityError)
    assert "tender_granted_within_ceiling" in str(second.error)
    assert Tender.objects.get(pk=tender.pk).granted_total == Decimal("60000.00")
