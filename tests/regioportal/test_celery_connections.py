"""Database connections of Celery tasks: kept from task to task in a pool process, and closed
by Django's own rules (CONN_MAX_AGE, a broken connection) before a task, as before a request.

A worker calls Celery's Django fixup and our task_prerun handler around every task; these
tests call them the same way in this process."""

import time

import pytest
from celery.fixups.django import DjangoWorkerFixup
from django.db import connection

from regioportal.celery import _close_old_connections, app
from regioportal.tasks import ping
from reports.models import Factsheet


def around_a_task(fixup, task):
    fixup.on_task_prerun(sender=task)
    _close_old_connections(sender=task)
    fixup.on_task_postrun(sender=task)


@pytest.mark.django_db(transaction=True)
def test_a_pool_process_keeps_its_connection_from_task_to_task():
    fixup = DjangoWorkerFixup(app)
    connection.ensure_connection()
    opened = connection.connection

    for _ in range(3):
        around_a_task(fixup, ping)

    assert connection.connection is opened


@pytest.mark.django_db(transaction=True)
def test_a_connection_older_than_conn_max_age_is_closed_before_a_task():
    connection.ensure_connection()
    connection.close_at = time.monotonic() - 1

    _close_old_connections(sender=ping)

    assert connection.connection is None
    assert Factsheet.objects.count() == 0  # the next query opens a new one


@pytest.mark.django_db(transaction=True)
def test_a_connection_left_in_error_is_closed_before_a_task():
    connection.ensure_connection()
    connection.errors_occurred = True
    connection.connection.close()  # the server went away meanwhile

    _close_old_connections(sender=ping)

    assert connection.connection is None
    assert Factsheet.objects.count() == 0


@pytest.mark.django_db
def test_a_task_run_eagerly_leaves_the_callers_transaction_alone():
    assert connection.in_atomic_block

    assert ping.apply(kwargs={"value": 7}).get() == {"pong": 7}

    assert connection.in_atomic_block
    assert connection.connection is not None
    assert Factsheet.objects.count() == 0
