"""Logins, logouts and two-factor devices: the domain functions behind the login pages.

Every function here writes the audit log. Passwords and codes never reach it.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from regioportal.audit import record
from regioportal.models import AuditAction, AuditEntry

from .network import client_address

# Written at login (so the first pages after it need no session write), read by the
# middleware in regioportal/middleware.py.
LOGGED_IN_AT_SESSION_KEY = "logged_in_at"
LAST_ACTIVITY_SESSION_KEY = "last_activity"
# Whether the user had an authenticator app at login, so pages need not ask the database.
TWO_FACTOR_ENROLLED_SESSION_KEY = "two_factor_enrolled"

RECOVERY_CODE_COUNT = 10
# Long enough for any username the form accepts, short enough that a flood of junk
# "usernames" does not fill the audit log.
ATTEMPTED_USERNAME_LENGTH = 150  # as long as User.username


def record_login(*, request, user):
    record(actor=user, obj=user, action=AuditAction.login, changes={"adres": _address(request)})


def record_logout(*, request, user, reason=""):
    record(
        actor=user,
        obj=user,
        action=AuditAction.logout,
        changes={"adres": _address(request)},
        reason=reason,
    )


def record_failed_login(*, request, username, step="wachtwoord"):
    """A failed password (or code) for ``username``. Against the account when it exists;
    otherwise the attempted name is kept, so repeated guesses can still be traced."""
    changes = {"adres": _address(request), "stap": step}
    User = get_user_model()
    user = User.objects.filter(**{User.USERNAME_FIELD: username}).first() if username else None
    if user is not None:
        return record(actor=None, obj=user, action=AuditAction.login_failed, changes=changes)
    # No account to hang the entry on: record() needs an object, so write the entry with
    # the user model's content type and no object id.
    changes["gebruikersnaam"] = (username or "")[:ATTEMPTED_USERNAME_LENGTH]
    return AuditEntry.objects.create(
        actor=None,
        content_type=ContentType.objects.get_for_model(User),
        object_id="",
        object_repr="",
        action=AuditAction.login_failed,
        changes=changes,
    )


def _address(request):
    return client_address(request) if request is not None else ""


# Two-factor devices ----------------------------------------------------------------------


def has_two_factor(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_totp_device(user):
    """The authenticator-app device being set up: the same one (and so the same secret) on
    every visit of the setup page until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=False)
    return device


@transaction.atomic
def confirm_totp_device(*, device, token, request):
    """Confirm ``device`` with a code from the app. Returns ``(codes, None)`` with the new
    recovery codes (shown to the user once), ``(None, locked_until)`` while wrong codes
    have throttled the device, or ``(None, None)`` when the code is wrong. Removes any
    earlier devices of the user, so one app and one set of recovery codes are valid at a
    time. Audited."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if device.confirmed:
        return None, None
    allowed, details = device.verify_is_allowed()
    if not allowed:
        return None, (details or {}).get("locked_until")
    if not device.verify_token(token):
        return None, None
    user = device.user
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _replace_recovery_codes(user)
    record(
        actor=user,
        obj=user,
        action=AuditAction.update,
        changes={"tweestapsverificatie": ["uit", "aan"], "adres": _address(request)},
    )
    return codes, None


@transaction.atomic
def regenerate_recovery_codes(*, user, request):
    """Replace the user's recovery codes by ten new ones and return them. Audited."""
    if not has_two_factor(user):
        raise ValueError("Recovery codes belong to a confirmed authenticator app.")
    codes = _replace_recovery_codes(user)
    record(
        actor=user,
        obj=user,
        action=AuditAction.update,
        changes={"herstelcodes": "opnieuw aangemaakt", "adres": _address(request)},
    )
    return codes


def _replace_recovery_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Herstelcodes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def reset_two_factor(*, user, by):
    """Remove the user's app and recovery codes (lost phone). With REQUIRE_2FA on, their next
    login leads to the setup page. Audited against the user."""
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record(
        actor=by,
        obj=user,
        action=AuditAction.update,
        changes={"tweestapsverificatie": ["aan" if removed else "uit", "uit"]},
    )


def verify_code(*, user, token, request):
    """Check a six-digit app code or a recovery code at login.

    Returns ``(device, None)`` when accepted, ``(None, locked_until)`` while the device is
    throttled after wrong codes (django-otp doubles the wait after every failure), and
    ``(None, None)`` for a wrong code. Wrong codes and used recovery codes are audited."""
    token = "".join(token.split()).lower()
    is_app_code = token.isdigit() and len(token) == 6
    model = TOTPDevice if is_app_code else StaticDevice
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            record_failed_login(request=request, username=user.get_username(), step="code")
            return None, None
        allowed, details = device.verify_is_allowed()
        if not allowed:
            return None, (details or {}).get("locked_until")
        if not device.verify_token(token):
            record_failed_login(request=request, username=user.get_username(), step="code")
            return None, None
    if not is_app_code:
        record(
            actor=user,
            obj=user,
            action=AuditAction.login,
            changes={
                "herstelcode_gebruikt": True,
                "herstelcodes_over": recovery_codes_left(user),
                "adres": _address(request),
            },
        )
    return device, None
