"""Two-factor authentication: an authenticator app (TOTP) plus recovery codes, through
django-otp. Codes are computed in the test from the device's secret, as the app would."""

import datetime
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import qr, services
from regioportal.models import AuditAction, AuditEntry
from tests.factories import PASSWORD, AdministratorFactory, CoordinatorFactory
from tests.test_settings import run

pytestmark = pytest.mark.django_db


@pytest.fixture
def require_2fa(settings):
    settings.REQUIRE_2FA = True


def app_code(device, drift=0):
    return f"{totp(device.bin_key, drift=drift):06d}"


def with_app(user):
    """The user has set up an authenticator app and has recovery codes."""
    device = TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=True)
    codes = services._replace_recovery_codes(user)
    return device, codes


def log_in(client, user, next_url=None):
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/inloggen/", data, follow=True)


def is_logged_in(client):
    return SESSION_KEY in client.session


# Setting up ----------------------------------------------------------------------------


def test_with_2fa_required_a_user_without_an_app_must_set_it_up_first(client, require_2fa):
    user = CoordinatorFactory()

    response = log_in(client, user)

    assert response.redirect_chain == [
        ("/", 302),
        ("/account/tweestapsverificatie/?next=%2F", 302),
    ]
    content = response.content.decode()
    assert "<h1>Tweestapsverificatie instellen</h1>" in content
    assert 'src="data:image/svg+xml' in content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', content).group(1)
    assert secret.replace(" ", "") == qr.grouped_secret(device.bin_key).replace(" ", "")


@pytest.mark.parametrize("path", ["/programmes/", "/participants/", "/beheer/", "/account/"])
def test_with_2fa_required_no_page_opens_before_the_app_is_set_up(client, require_2fa, path):
    client.force_login(AdministratorFactory())

    response = client.get(path)

    assert response.status_code == 302
    assert response.url.startswith("/account/tweestapsverificatie/?next=")


def test_the_setup_page_keeps_the_same_secret_on_a_second_visit(client, require_2fa):
    client.force_login(CoordinatorFactory())

    client.get("/account/tweestapsverificatie/")
    client.get("/account/tweestapsverificatie/")

    assert TOTPDevice.objects.count() == 1


def test_confirming_the_app_with_a_code_shows_ten_recovery_codes_once(client, require_2fa):
    user = CoordinatorFactory()
    client.force_login(user)
    client.get("/account/tweestapsverificatie/")
    device = TOTPDevice.objects.get(user=user)

    response = client.post("/account/tweestapsverificatie/?next=/", {"code": app_code(device)})

    content = response.content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", content)
    assert response.status_code == 200
    assert "<h1>Uw herstelcodes</h1>" in content
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    )
    assert len(codes) == 10
    assert TOTPDevice.objects.get(pk=device.pk).confirmed is True
    assert client.get("/").status_code == 200
    entry = AuditEntry.objects.get(action=AuditAction.update, object_id=str(user.pk))
    assert entry.changes == {"tweestapsverificatie": ["uit", "aan"], "adres": "127.0.0.1"}


def test_a_wrong_code_does_not_confirm_the_app(client, require_2fa):
    user = CoordinatorFactory()
    client.force_login(user)
    client.get("/account/tweestapsverificatie/")

    response = client.post("/account/tweestapsverificatie/", {"code": "000000"})

    assert response.status_code == 200
    assert "Deze code klopt niet." in response.content.decode()
    assert TOTPDevice.objects.get(user=user).confirmed is False


def test_confirming_the_app_is_throttled_after_a_wrong_code(client, require_2fa):
    user = CoordinatorFactory()
    client.force_login(user)
    client.get("/account/tweestapsverificatie/")
    client.post("/account/tweestapsverificatie/", {"code": "000000"})
    device = TOTPDevice.objects.get(user=user)

    response = client.post("/account/tweestapsverificatie/", {"code": app_code(device)})

    assert "Te veel onjuiste codes. Wacht 1 seconde en probeer het opnieuw." in (
        response.content.decode()
    )
    assert TOTPDevice.objects.get(user=user).confirmed is False
    assert client.get("/").status_code == 302


def test_without_2fa_required_a_user_without_an_app_logs_in_with_the_password(client):
    user = CoordinatorFactory()

    response = log_in(client, user)

    assert response.redirect_chain == [("/", 302)]
    assert response.status_code == 200


# Logging in with the app -----------------------------------------------------------------


def test_a_user_with_an_app_is_asked_for_the_code_after_the_password(client):
    user = CoordinatorFactory()
    device, _ = with_app(user)

    asked = log_in(client, user, next_url="/programmes/")
    blocked = client.get("/programmes/")
    done = client.post("/inloggen/code/", {"code": app_code(device), "next": "/programmes/"})

    assert asked.redirect_chain == [
        ("/programmes/", 302),
        ("/inloggen/code/?next=%2Fprogrammes%2F", 302),
    ]
    assert "<h1>Code invoeren</h1>" in asked.content.decode()
    assert blocked.status_code == 302
    assert (done.status_code, done.url) == (302, "/programmes/")
    assert client.get("/programmes/").status_code == 200


def test_a_wrong_code_is_refused_and_audited(client):
    user = CoordinatorFactory()
    with_app(user)
    log_in(client, user)

    response = client.post("/inloggen/code/", {"code": "123456"})

    assert response.status_code == 200
    assert "Deze code klopt niet. Probeer het opnieuw." in response.content.decode()
    assert client.get("/").status_code == 302
    entry = AuditEntry.objects.get(action=AuditAction.login_failed)
    assert (entry.object_id, entry.changes) == (
        str(user.pk),
        {"adres": "127.0.0.1", "stap": "code"},
    )


def test_codes_are_throttled_after_a_wrong_one(client):
    user = CoordinatorFactory()
    device, _ = with_app(user)
    log_in(client, user)
    client.post("/inloggen/code/", {"code": "123456"})

    refused = client.post("/inloggen/code/", {"code": app_code(device)})
    # The wait (one second after the first wrong code, doubling after each next) has passed.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(seconds=2)
    )
    accepted = client.post("/inloggen/code/", {"code": app_code(device)})

    assert refused.status_code == 200
    assert "Te veel onjuiste codes. Wacht" in refused.content.decode()
    assert (accepted.status_code, accepted.url) == (302, "/")


def test_the_wait_doubles_with_every_wrong_code(client):
    user = CoordinatorFactory()
    device, _ = with_app(user)
    log_in(client, user)
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=5, throttling_failure_timestamp=timezone.now()
    )

    response = client.post("/inloggen/code/", {"code": app_code(device)})

    assert "Te veel onjuiste codes. Wacht 16 seconden en probeer het opnieuw." in (
        response.content.decode()
    )


def test_a_recovery_code_logs_in_once_and_is_audited(client):
    user = CoordinatorFactory()
    _, codes = with_app(user)
    log_in(client, user)

    accepted = client.post("/inloggen/code/", {"code": codes[0].upper()})
    client.post("/uitloggen/")
    log_in(client, user)
    reused = client.post("/inloggen/code/", {"code": codes[0]})

    assert (accepted.status_code, accepted.url) == (302, "/")
    assert reused.status_code == 200
    assert "Deze code klopt niet." in reused.content.decode()
    entry = AuditEntry.objects.get(action=AuditAction.login, changes__herstelcode_gebruikt=True)
    assert entry.changes == {
        "herstelcode_gebruikt": True,
        "herstelcodes_over": 9,
        "adres": "127.0.0.1",
    }


def test_the_admin_also_asks_for_the_code(client):
    user = AdministratorFactory()
    with_app(user)
    client.force_login(user)

    response = client.get("/beheer/")

    assert response.status_code == 302
    assert response.url == "/inloggen/code/?next=%2Fbeheer%2F"


def test_a_user_waiting_for_the_code_can_log_out(client):
    user = CoordinatorFactory()
    with_app(user)
    log_in(client, user)

    response = client.post("/uitloggen/")

    assert (response.status_code, response.url) == (302, "/inloggen/")
    assert not is_logged_in(client)


def test_a_too_long_code_is_answered_with_a_form_error(client):
    user = CoordinatorFactory()
    with_app(user)
    log_in(client, user)

    response = client.post("/inloggen/code/", {"code": "9" * 500})

    assert response.status_code == 200
    assert (
        "Zorg dat deze waarde niet meer dan 20 tekens bevat (het zijn er nu 500)."
        in response.content.decode()
    )


def test_the_code_page_sends_an_anonymous_visitor_to_the_login_page(client):
    response = client.get("/inloggen/code/")

    assert response.url == "/inloggen/?next=/inloggen/code/"


def test_the_code_page_does_not_redirect_to_another_site(client):
    user = CoordinatorFactory()
    device, _ = with_app(user)
    log_in(client, user)

    response = client.post(
        "/inloggen/code/", {"code": app_code(device), "next": "https://elders.example/"}
    )

    assert response.url == "/"


# Account page, recovery codes and reset --------------------------------------------------


def test_the_account_page_shows_the_status_and_remaining_recovery_codes(client):
    user = CoordinatorFactory()
    device, _ = with_app(user)
    log_in(client, user)
    client.post("/inloggen/code/", {"code": app_code(device)})

    content = client.get("/account/").content.decode()

    assert "Tweestapsverificatie staat aan" in content
    assert "U heeft nog 10 ongebruikte herstelcodes." in content


def test_the_account_page_offers_setup_when_2fa_is_off(client):
    client.force_login(CoordinatorFactory())

    content = client.get("/account/").content.decode()

    assert "Tweestapsverificatie staat uit voor uw account." in content
    assert 'href="/account/tweestapsverificatie/"' in content


def test_new_recovery_codes_replace_the_old_ones_and_are_audited(client):
    user = CoordinatorFactory()
    device, old_codes = with_app(user)
    log_in(client, user)
    client.post("/inloggen/code/", {"code": app_code(device)})

    response = client.post("/account/herstelcodes/")

    new_codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(new_codes) == 10
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new_codes)
    assert not set(old_codes) & set(new_codes)
    entry = AuditEntry.objects.get(action=AuditAction.update, object_id=str(user.pk))
    assert entry.changes == {"herstelcodes": "opnieuw aangemaakt", "adres": "127.0.0.1"}


def test_a_beheerder_resets_a_users_two_factor_in_the_admin(client):
    beheerder = AdministratorFactory(is_staff=True, is_superuser=True)
    user = CoordinatorFactory()
    with_app(user)
    client.force_login(beheerder)

    response = client.post(
        "/beheer/auth/user/",
        {"action": "reset_two_factor", "_selected_action": [user.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=user).count() == 0
    assert StaticDevice.objects.filter(user=user).count() == 0
    entry = AuditEntry.objects.get(action=AuditAction.update, object_id=str(user.pk))
    assert (entry.actor, entry.changes) == (beheerder, {"tweestapsverificatie": ["aan", "uit"]})


def test_after_a_reset_a_waiting_session_is_let_through_when_2fa_is_not_required(client):
    user = CoordinatorFactory()
    with_app(user)
    log_in(client, user)
    services.reset_two_factor(user=user, by=None)

    response = client.get("/", follow=True)

    assert response.redirect_chain == [("/inloggen/code/?next=%2F", 302), ("/", 302)]
    assert response.status_code == 200


def test_the_device_admin_pages_of_django_otp_are_not_offered(client):
    client.force_login(AdministratorFactory(is_staff=True, is_superuser=True))

    assert client.get("/beheer/otp_totp/totpdevice/").status_code == 404
    assert client.get("/beheer/otp_static/staticdevice/").status_code == 404


# The setting -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"DEBUG": "false"}, "True"),
        ({"DEBUG": "false", "REQUIRE_2FA": "false"}, "False"),
        ({"DEBUG": "true"}, "False"),
        ({"DEBUG": "true", "REQUIRE_2FA": "true"}, "True"),
    ],
)
def test_require_2fa_defaults_to_on_without_debug(tmp_path, variables, expected):
    result = run(
        ["-c", "from regioportal import settings; print(settings.REQUIRE_2FA)"],
        tmp_path,
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="regioportal.example.nl",
        **variables,
    )

    assert result.stdout.strip() == expected, result.stderr
