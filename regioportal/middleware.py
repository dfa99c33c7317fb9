from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.services import (
    LAST_ACTIVITY_SESSION_KEY,
    LOGGED_IN_AT_SESSION_KEY,
    TWO_FACTOR_ENROLLED_SESSION_KEY,
    has_two_factor,
)


class ContentSecurityPolicyMiddleware:
    """Send our Content-Security-Policy on every response (Django 5.2 has no built-in one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class DutchUnlessChosenMiddleware:
    """Regioportal is a Dutch portal: show Dutch unless the user picked English with the
    language switch (a cookie). A browser's Accept-Language alone would give English number
    and date formats around Dutch texts, so it is ignored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class SessionTimeoutMiddleware:
    """Log out after SESSION_IDLE_TIMEOUT_MINUTES without a request, and in any case
    SESSION_COOKIE_AGE after login, and send the user to the login page with a message.

    The last activity is written at most once a minute: the session is stored in the
    database too, and a write on every request would cost every page a query. Because
    saving the session also moves its expiry forward, the absolute limit is checked here
    against the login time rather than left to the session's expiry date."""

    WRITE_INTERVAL = 60  # seconds

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(timezone.now().timestamp())
            session = request.session
            last_activity = session.get(LAST_ACTIVITY_SESSION_KEY, now)
            logged_in_at = session.get(LOGGED_IN_AT_SESSION_KEY, now)
            idle = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
            if now - last_activity > idle or now - logged_in_at > settings.SESSION_COOKIE_AGE:
                return self._expire(request, idle_too_long=now - last_activity > idle)
            if (
                LAST_ACTIVITY_SESSION_KEY not in session
                or now - last_activity >= self.WRITE_INTERVAL
            ):
                session[LAST_ACTIVITY_SESSION_KEY] = now
            if LOGGED_IN_AT_SESSION_KEY not in session:
                session[LOGGED_IN_AT_SESSION_KEY] = now
        return self.get_response(request)

    def _expire(self, request, *, idle_too_long):
        request.logout_reason = "sessie verlopen" if idle_too_long else "maximale sessieduur"
        logout(request)
        if idle_too_long:
            message = ngettext(
                "Uw sessie is verlopen omdat u %(minutes)d minuut niets heeft gedaan. "
                "Log opnieuw in om verder te gaan.",
                "Uw sessie is verlopen omdat u %(minutes)d minuten niets heeft gedaan. "
                "Log opnieuw in om verder te gaan.",
                settings.SESSION_IDLE_TIMEOUT_MINUTES,
            ) % {"minutes": settings.SESSION_IDLE_TIMEOUT_MINUTES}
        else:
            message = _("Uw sessie is verlopen. Log opnieuw in om verder te gaan.")
        messages.warning(request, message)
        # Only a GET can be repeated after logging in; a POST's data is gone either way.
        next_url = request.get_full_path() if request.method == "GET" else ""
        return redirect_to_login(next_url) if next_url else redirect(settings.LOGIN_URL)


class TwoFactorMiddleware:
    """A logged-in user who has an authenticator app must enter its code before any page;
    with REQUIRE_2FA on, a user without one must set it up first. Only the pages of those
    two steps, logging out and the language switch stay open.

    Whether the user has an app is read from the session (written at login), so that pages
    cost no extra query; the code page corrects it when a Beheerder has since reset it."""

    OPEN_URL_NAMES = {"two_factor_verify", "two_factor_setup", "logout", "set_language"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.resolver_match.url_name in self.OPEN_URL_NAMES:
            return None
        if request.path_info.startswith(settings.STATIC_URL):
            return None
        next_url = request.get_full_path() if request.method == "GET" else ""
        enrolled = request.session.get(TWO_FACTOR_ENROLLED_SESSION_KEY)
        if enrolled is None:  # a session from before this check existed
            enrolled = request.session[TWO_FACTOR_ENROLLED_SESSION_KEY] = has_two_factor(user)
        if enrolled:
            target = reverse("two_factor_verify")
        elif settings.REQUIRE_2FA:
            target = reverse("two_factor_setup")
        else:
            return None
        if next_url:
            target = f"{target}?{urlencode({'next': next_url})}"
        return redirect(target)
