"""Every login, failed login and logout goes to the audit log, whichever page it came from
(the portal's login page, the admin, a test client)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from . import services


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(timezone.now().timestamp())
        request.session[services.LOGGED_IN_AT_SESSION_KEY] = now
        request.session[services.LAST_ACTIVITY_SESSION_KEY] = now
        request.session[services.TWO_FACTOR_ENROLLED_SESSION_KEY] = services.has_two_factor(user)
    services.record_login(request=request, user=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        reason = getattr(request, "logout_reason", "")
        services.record_logout(request=request, user=user, reason=reason)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # Django has already replaced the password in `credentials`; only the username is read.
    services.record_failed_login(request=request, username=credentials.get("username"))
