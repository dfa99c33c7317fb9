"""The settings refuse to start in production without the values that keep it safe. Each test
imports the settings in a fresh Python process with a controlled environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SETTINGS_VARIABLES = {
    "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "DATABASE_URL", "REDIS_URL",
    "DB_CONN_MAX_AGE", "PRIVATE_MEDIA_ROOT", "STATIC_ROOT", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "DJANGO_SETTINGS_MODULE", "CACHE_URL", "DB_PREPARED_STATEMENTS",
}  # fmt: skip


def run(args, tmp_path, **variables):
    """Run ``python <args>`` in the project with only ``variables`` of the settings' own."""
    env = {name: value for name, value in os.environ.items() if name not in SETTINGS_VARIABLES}
    env.update(REGIOPORTAL_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="regioportal.settings")
    env.update(variables)
    return subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def import_settings(tmp_path, **variables):
    return run(["-c", "import regioportal.settings"], tmp_path, **variables)


def last_line(text):
    return text.strip().splitlines()[-1]


def test_settings_without_debug_refuse_to_start_without_a_secret_key(tmp_path):
    result = import_settings(tmp_path, ALLOWED_HOSTS="regioportal.example.nl")

    assert result.returncode == 1
    assert last_line(result.stderr) == (
        "django.core.exceptions.ImproperlyConfigured: SECRET_KEY is not set. Set it to a long "
        "random string in production (or set DEBUG=true for development)."
    )


def test_settings_with_debug_off_refuse_to_start_without_allowed_hosts(tmp_path):
    result = import_settings(tmp_path, DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50))

    assert result.returncode == 1
    assert last_line(result.stderr) == (
        "django.core.exceptions.ImproperlyConfigured: ALLOWED_HOSTS is not set. Give the host "
        "names the portal is served on, comma separated, e.g. "
        "ALLOWED_HOSTS=regioportal.provinciegroningen.nl."
    )


def test_settings_refuse_a_debug_value_that_is_not_a_boolean(tmp_path):
    result = import_settings(tmp_path, DEBUG="perhaps")

    assert result.returncode == 1
    assert last_line(result.stderr) == (
        "django.core.exceptions.ImproperlyConfigured: DEBUG must be true or false, not 'perhaps'."
    )


def test_settings_start_in_debug_without_any_configuration(tmp_path):
    result = import_settings(tmp_path, DEBUG="true")

    assert (result.returncode, result.stderr) == (0, "")


def test_deploy_check_reports_no_issues_with_production_settings(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy"],
        tmp_path,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="regioportal.example.nl",
    )

    assert result.stdout == "System check identified no issues (0 silenced).\n"
    assert result.returncode == 0
