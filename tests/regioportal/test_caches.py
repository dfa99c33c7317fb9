"""Caches follow the data: counts are never cached stale, roles end when their group changes,
the cache cannot drop queued tasks, and the database options the portal ships are safe."""

import threading

import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import ProgrammingError, connection, connections, transaction
from django.db.models import Count, Min, Value
from django.db.models.functions import Greatest, Least

from participants.counting import cached_count
from participants.models import Enrolment
from regioportal.celery import app as celery_app
from regioportal.roles import Role, roles_of
from tests.factories import EnrolmentFactory, ProgrammeFactory, UserFactory


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def count_in_another_connection(queryset):
    """cached_count(queryset) as a concurrent request would run it: in a thread, with a
    database connection of its own that sees only committed rows."""
    result = []

    def run():
        try:
            result.append(cached_count(queryset))
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result[0]


@pytest.mark.django_db(transaction=True)
def test_a_count_read_while_a_write_is_uncommitted_is_not_kept_after_the_commit():
    programme = ProgrammeFactory()
    EnrolmentFactory(programme=programme)
    enrolments = Enrolment.objects.filter(programme=programme)
    assert cached_count(enrolments) == 1

    with transaction.atomic():
        EnrolmentFactory(programme=programme)
        # A request in this window sees the committed row only, and caches that count.
        assert count_in_another_connection(enrolments) == 1

    assert cached_count(enrolments) == 2


@pytest.mark.django_db(transaction=True)
def test_a_write_that_is_rolled_back_keeps_the_cached_count():
    programme = ProgrammeFactory()
    EnrolmentFactory(programme=programme)
    enrolments = Enrolment.objects.filter(programme=programme)
    assert cached_count(enrolments) == 1
    version = cache.get("participants:data-version")

    with pytest.raises(RuntimeError), transaction.atomic():
        EnrolmentFactory(programme=programme)
        raise RuntimeError

    assert (cache.get("participants:data-version"), cached_count(enrolments)) == (version, 1)


@pytest.mark.django_db
def test_deleting_a_role_group_ends_the_role_at_once(django_capture_on_commit_callbacks):
    user = UserFactory(roles=[Role.coordinator, Role.reviewer])
    assert roles_of(fresh(user)) == {Role.coordinator, Role.reviewer}

    with django_capture_on_commit_callbacks(execute=True):
        Group.objects.get(name=Role.reviewer).delete()

    assert roles_of(fresh(user)) == {Role.coordinator}


@pytest.mark.django_db
def test_renaming_a_role_group_ends_the_role_at_once(django_capture_on_commit_callbacks):
    user = UserFactory(roles=[Role.programme_manager])
    assert roles_of(fresh(user)) == {Role.programme_manager}
    group = Group.objects.get(name=Role.programme_manager)

    with django_capture_on_commit_callbacks(execute=True):
        group.name = "Programmamanager (oud)"
        group.save()

    assert roles_of(fresh(user)) == {"Programmamanager (oud)"}


def test_the_cache_and_the_broker_use_different_redis_databases():
    assert settings.CACHES["default"]["LOCATION"] == settings.CACHE_URL
    assert settings.CACHE_URL != settings.CELERY_BROKER_URL


def test_clearing_the_cache_leaves_a_queued_task_in_the_broker():
    # A queue of its own, which no test worker consumes.
    queue = "test-cache-clear"
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete(queue)
    try:
        celery_app.send_task("regioportal.tasks.heartbeat", queue=queue)
        assert broker.llen(queue) == 1

        cache.set("something", 1)
        cache.clear()

        assert (cache.get("something"), broker.llen(queue)) == (None, 1)
    finally:
        broker.delete(queue)


def _settings_subprocess(tmp_path, **variables):
    from tests.test_settings import run

    code = "from django.conf import settings as s; print(s.CELERY_BROKER_URL, s.CACHE_URL)"
    return run(["-c", f"import django; django.setup(); {code}"], tmp_path, **variables)


def test_the_cache_takes_the_redis_database_after_the_brokers(tmp_path):
    result = _settings_subprocess(tmp_path, DEBUG="true", REDIS_URL="redis://redis:6379/0")

    assert result.stdout == "redis://redis:6379/0 redis://redis:6379/1\n"


def test_cache_url_overrides_the_cache_database(tmp_path):
    result = _settings_subprocess(
        tmp_path,
        DEBUG="true",
        REDIS_URL="redis://redis:6379/15",
        CACHE_URL="redis://cache:6379/0",
    )

    assert result.stdout == "redis://redis:6379/15 redis://cache:6379/0\n"


def test_the_last_redis_database_leaves_no_room_for_the_cache(tmp_path):
    result = _settings_subprocess(tmp_path, DEBUG="true", REDIS_URL="redis://redis:6379/15")

    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: REDIS_URL must name a Redis database from "
        "0 to 14 (the cache uses the next one), not 'redis://redis:6379/15'; or set CACHE_URL."
    )


def _parameters_in_select_and_group_by():
    """A query with the same parameter in SELECT and GROUP BY, the shape of Django ticket
    #34255 (and of figures grouped by a computed band)."""
    return (
        Enrolment.objects.annotate(level=Greatest("current_ladder_level", Value(3)))
        .values("level")
        .annotate(count=Count("id"), lowest=Least(Min("starting_ladder_level"), "level"))
        .values_list("level", "count", "lowest")
    )


@pytest.mark.django_db
def test_a_parameter_in_select_and_group_by_works_with_the_default_database_options():
    programme = ProgrammeFactory()
    EnrolmentFactory(programme=programme, starting_ladder_level=2, current_ladder_level=5)
    EnrolmentFactory(programme=programme, starting_ladder_level=1, current_ladder_level=2)

    assert sorted(_parameters_in_select_and_group_by()) == [(3, 1, 1), (5, 1, 2)]


@pytest.mark.django_db
def test_a_parameter_in_select_and_group_by_fails_with_prepared_statements():
    """Why DB_PREPARED_STATEMENTS is off by default: with server-side binding PostgreSQL
    receives the parameter twice ($1, $2) and cannot tell that the SELECT expression is the
    grouped one."""
    default = connections["default"]
    settings_dict = {
        **default.settings_dict,
        "OPTIONS": {
            **default.settings_dict["OPTIONS"],
            "server_side_binding": True,
            "prepare_threshold": 2,
        },
    }
    prepared = type(default)(settings_dict, alias="prepared")
    try:
        sql, params = (
            _parameters_in_select_and_group_by().query.get_compiler(connection=prepared).as_sql()
        )
        with pytest.raises(ProgrammingError) as error, prepared.cursor() as cursor:
            cursor.execute(sql, params)
    finally:
        prepared.close()

    assert "must appear in the GROUP BY clause" in str(error.value)
