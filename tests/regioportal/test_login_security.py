"""Login throttling (django-axes), the audit trail of logins, the idle session timeout and
the CSRF failure page."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client, RequestFactory
from django.utils import timezone

from accounts.network import client_address
from accounts.services import LAST_ACTIVITY_SESSION_KEY, LOGGED_IN_AT_SESSION_KEY
from regioportal.models import AuditAction, AuditEntry
from tests.factories import PASSWORD, CoordinatorFactory

pytestmark = pytest.mark.django_db

LOCKED_OUT = "Te veel mislukte inlogpogingen. Probeer het over 15 minuten opnieuw."


def log_in(client, username, password, address="192.0.2.10", **extra):
    return client.post(
        "/inloggen/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **extra,
    )


def is_logged_in(client):
    return SESSION_KEY in client.session


# Throttling ------------------------------------------------------------------------------


def test_twenty_wrong_passwords_then_the_right_one_is_refused_with_a_dutch_message(client):
    CoordinatorFactory(username="anne")

    for _ in range(20):
        log_in(client, "anne", "fout-wachtwoord")
    response = log_in(client, "anne", PASSWORD)

    assert response.status_code == 429
    assert LOCKED_OUT in response.content.decode()
    assert not is_logged_in(client)


def test_wrong_passwords_below_the_limit_show_the_ordinary_error(client):
    CoordinatorFactory(username="anne")

    for _ in range(8):
        log_in(client, "anne", "fout-wachtwoord")
    response = log_in(client, "anne", "fout-wachtwoord")

    assert response.status_code == 200
    assert "Gebruikersnaam of wachtwoord onjuist." in response.content.decode()
    assert LOCKED_OUT not in response.content.decode()


def test_lockout_page_says_the_same_for_an_unknown_username(client):
    CoordinatorFactory(username="anne")

    for _ in range(10):
        log_in(client, "anne", "fout", address="192.0.2.1")
        log_in(client, "bestaat-niet", "fout", address="192.0.2.2")
    existing = log_in(client, "anne", "fout", address="192.0.2.1")
    unknown = log_in(client, "bestaat-niet", "fout", address="192.0.2.2")

    assert (existing.status_code, unknown.status_code) == (429, 429)
    assert LOCKED_OUT in existing.content.decode()
    assert LOCKED_OUT in unknown.content.decode()


def test_after_the_cool_off_the_right_password_logs_in_again(client):
    CoordinatorFactory(username="anne")
    for _ in range(20):
        log_in(client, "anne", "fout-wachtwoord")
    # Sixteen minutes pass (the cool-off is fifteen).
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))

    response = log_in(client, "anne", PASSWORD)

    assert response.status_code == 302
    assert response.url == "/"
    assert is_logged_in(client)


def test_the_lockout_counts_keep_no_password(client):
    CoordinatorFactory(username="anne")

    log_in(client, "anne", "geheim-fout-wachtwoord")

    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.failures_since_start) == ("anne", 1)
    assert "geheim-fout-wachtwoord" not in attempt.post_data


def test_a_successful_login_resets_the_failure_count(client):
    CoordinatorFactory(username="anne")
    for _ in range(9):
        log_in(client, "anne", "fout-wachtwoord")

    log_in(client, "anne", PASSWORD)

    assert AccessAttempt.objects.count() == 0


def test_a_locked_address_cannot_log_in_with_another_username_either(client):
    """Failures count per address as well, so one address cannot try password after
    password across many usernames."""
    CoordinatorFactory(username="anne")
    CoordinatorFactory(username="bert")
    for _ in range(10):
        log_in(client, "anne", "fout-wachtwoord", address="192.0.2.66")

    response = log_in(client, "bert", PASSWORD, address="192.0.2.66")

    assert response.status_code == 429
    assert not is_logged_in(client)


def test_a_locked_username_cannot_log_in_from_another_address_until_the_cool_off(client):
    """Failures count per username too, so guessing from many addresses gains nothing;
    other users at other addresses are not affected."""
    CoordinatorFactory(username="anne")
    CoordinatorFactory(username="bert")
    for number in range(10):
        log_in(client, "anne", "fout-wachtwoord", address=f"192.0.2.{number}")

    anne = log_in(Client(), "anne", PASSWORD, address="198.51.100.7")
    bert_client = Client()
    bert = log_in(bert_client, "bert", PASSWORD, address="198.51.100.8")

    assert anne.status_code == 429
    assert bert.status_code == 302
    assert is_logged_in(bert_client)


def test_the_admin_login_is_the_portal_login_page(client):
    response = client.get("/beheer/login/", {"next": "/beheer/"})

    assert response.status_code == 302
    assert response.url == "/inloggen/?next=/beheer/"


def test_the_admin_sends_anonymous_visitors_to_the_portal_login_page(client):
    response = client.get("/beheer/", follow=True)

    assert response.redirect_chain[-1] == ("/inloggen/?next=/beheer/", 302)


def test_the_client_address_ignores_x_forwarded_for_without_a_configured_proxy(settings):
    settings.REVERSE_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert client_address(request) == "10.0.0.1"


def test_the_client_address_behind_one_proxy_is_the_last_forwarded_entry(settings):
    settings.REVERSE_PROXY_COUNT = 1
    # The client sent a made-up header; the proxy appended the real address.
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9"
    )

    assert client_address(request) == "203.0.113.9"


def test_behind_a_proxy_lockout_is_per_forwarded_address(client, settings):
    settings.REVERSE_PROXY_COUNT = 1
    CoordinatorFactory(username="anne")
    CoordinatorFactory(username="bert")
    for _ in range(10):
        log_in(client, "anne", "fout", address="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")

    same_address = log_in(
        Client(), "bert", PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    other_address = log_in(
        Client(), "bert", PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.10"
    )

    assert AccessAttempt.objects.get(username="anne").ip_address == "203.0.113.9"
    assert (same_address.status_code, other_address.status_code) == (429, 302)


# Audit -------------------------------------------------------------------------------------


def test_a_successful_login_is_audited_with_the_address(client):
    anne = CoordinatorFactory(username="anne")

    log_in(client, "anne", PASSWORD, address="192.0.2.10")

    entry = AuditEntry.objects.get(action=AuditAction.login)
    assert (entry.actor, entry.object_id, entry.changes) == (
        anne,
        str(anne.pk),
        {"adres": "192.0.2.10"},
    )


def test_a_failed_login_of_an_existing_user_is_audited_against_the_user(client):
    anne = CoordinatorFactory(username="anne")

    log_in(client, "anne", "geheim-fout-wachtwoord", address="192.0.2.10")

    entry = AuditEntry.objects.get(action=AuditAction.login_failed)
    assert (entry.actor, entry.object_id, entry.object_repr, entry.changes) == (
        None,
        str(anne.pk),
        str(anne),
        {"adres": "192.0.2.10", "stap": "wachtwoord"},
    )
    assert "geheim-fout-wachtwoord" not in str(entry.changes)


def test_a_failed_login_of_an_unknown_username_keeps_the_attempted_name_shortened(client):
    log_in(client, "x" * 300, "geheim-fout-wachtwoord", address="192.0.2.10")

    entry = AuditEntry.objects.get(action=AuditAction.login_failed)
    assert (entry.actor, entry.object_id, entry.content_type.model) == (None, "", "user")
    assert entry.changes == {
        "adres": "192.0.2.10",
        "stap": "wachtwoord",
        "gebruikersnaam": "x" * 150,
    }


def test_a_refused_login_during_a_lockout_is_audited_as_failed(client):
    anne = CoordinatorFactory(username="anne")
    for _ in range(10):
        log_in(client, "anne", "fout")

    log_in(client, "anne", PASSWORD)

    assert (
        AuditEntry.objects.filter(action=AuditAction.login_failed, object_id=str(anne.pk)).count()
        == 11
    )
    assert not AuditEntry.objects.filter(action=AuditAction.login).exists()


def test_logging_out_is_audited(client):
    anne = CoordinatorFactory(username="anne")
    log_in(client, "anne", PASSWORD)

    client.post("/uitloggen/", REMOTE_ADDR="192.0.2.10")

    entry = AuditEntry.objects.get(action=AuditAction.logout)
    assert (entry.actor, entry.object_id, entry.changes, entry.reason) == (
        anne,
        str(anne.pk),
        {"adres": "192.0.2.10"},
        "",
    )


# Idle timeout ------------------------------------------------------------------------------


def set_session_times(client, *, idle_minutes, logged_in_minutes_ago=None):
    """Move the session's clock back instead of waiting."""
    now = int(timezone.now().timestamp())
    session = client.session
    session[LAST_ACTIVITY_SESSION_KEY] = now - idle_minutes * 60
    if logged_in_minutes_ago is not None:
        session[LOGGED_IN_AT_SESSION_KEY] = now - logged_in_minutes_ago * 60
    session.save()


def test_after_thirty_idle_minutes_the_next_page_asks_to_log_in_again(client):
    anne = CoordinatorFactory(username="anne")
    client.force_login(anne)
    set_session_times(client, idle_minutes=31)

    response = client.get("/programmes/")
    login_page = client.get(response.url)

    assert response.status_code == 302
    assert response.url == "/inloggen/?next=/programmes/"
    assert not is_logged_in(client)
    assert (
        "Uw sessie is verlopen omdat u 30 minuten niets heeft gedaan. "
        "Log opnieuw in om verder te gaan." in login_page.content.decode()
    )
    entry = AuditEntry.objects.get(action=AuditAction.logout)
    assert (entry.actor, entry.reason) == (anne, "sessie verlopen")


def test_activity_within_the_idle_timeout_keeps_the_session_and_moves_it_on(client):
    client.force_login(CoordinatorFactory())
    set_session_times(client, idle_minutes=29)

    response = client.get("/")

    assert response.status_code == 200
    assert is_logged_in(client)
    assert client.session[LAST_ACTIVITY_SESSION_KEY] >= int(timezone.now().timestamp()) - 5


def test_the_idle_timeout_comes_from_the_settings(client, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 5
    client.force_login(CoordinatorFactory())
    set_session_times(client, idle_minutes=6)

    response = client.get("/")

    assert response.status_code == 302
    assert response.url == "/inloggen/?next=/"


def test_a_busy_session_still_ends_eight_hours_after_login(client):
    client.force_login(CoordinatorFactory())
    set_session_times(client, idle_minutes=1, logged_in_minutes_ago=8 * 60 + 1)

    response = client.get("/")
    login_page = client.get(response.url)

    assert response.url == "/inloggen/?next=/"
    assert not is_logged_in(client)
    assert "Uw sessie is verlopen. Log opnieuw in om verder te gaan." in login_page.content.decode()


def test_pages_within_a_minute_of_each_other_do_not_write_the_session(client):
    """The session lives in the database too: writing it on every page would cost a query."""
    client.force_login(CoordinatorFactory())
    half_a_minute_ago = int(timezone.now().timestamp()) - 30
    session = client.session
    session[LAST_ACTIVITY_SESSION_KEY] = half_a_minute_ago
    session.save()

    client.get("/")

    assert client.session[LAST_ACTIVITY_SESSION_KEY] == half_a_minute_ago


# CSRF failure page -------------------------------------------------------------------------


def test_a_form_posted_without_a_valid_csrf_token_gets_a_dutch_page_with_a_way_back():
    client = Client(enforce_csrf_checks=True)
    client.force_login(CoordinatorFactory())

    response = client.post("/uitloggen/", HTTP_REFERER="http://testserver/programmes/")

    content = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Het formulier kon niet worden verstuurd</h1>" in content
    assert "als de pagina lang open heeft gestaan" in content
    assert '<a class="button button--primary" href="http://testserver/programmes/">' in content
    assert is_logged_in(client)


def test_the_csrf_page_offers_no_link_back_to_another_site():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/inloggen/", HTTP_REFERER="https://elders.example/")

    assert response.status_code == 403
    assert "elders.example" not in response.content.decode()
    assert "Terug naar de pagina" not in response.content.decode()
