from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, redirect_to_login
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from . import qr, services
from .forms import CodeForm, ConfirmDeviceForm


class PortalLoginView(LoginView):
    """Django's login view; an already logged-in user who still owes a second factor is sent
    on by TwoFactorMiddleware after the redirect."""

    redirect_authenticated_user = False


def locked_out(request, original_response=None, credentials=None):
    """django-axes calls this instead of the login view's answer once the username or the
    address is locked out. The same text whether the username exists or not."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = AuthenticationForm(request)
    form.fields["username"].initial = (credentials or {}).get("username", "")
    context = {
        "form": form,
        "next": _safe_next(request),
        "locked_out_message": ngettext(
            "Te veel mislukte inlogpogingen. Probeer het over %(minutes)d minuut opnieuw.",
            "Te veel mislukte inlogpogingen. Probeer het over %(minutes)d minuten opnieuw.",
            minutes,
        )
        % {"minutes": minutes},
    }
    return render(request, "registration/login.html", context, status=429)


def admin_login(request):
    """The admin's login goes through the portal's login page, so the admin gets the same
    throttling, second factor and audit trail."""
    next_url = request.GET.get("next") or reverse("admin:index")
    return redirect_to_login(next_url)


def verify(request):
    """Second step of the login: the app code or a recovery code."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("two_factor_verify"))
    if request.user.is_verified():
        return HttpResponseRedirect(_safe_next(request))
    if not services.has_two_factor(request.user):
        # Reset by a Beheerder since this session began: nothing to verify against.
        request.session[services.TWO_FACTOR_ENROLLED_SESSION_KEY] = False
        return HttpResponseRedirect(_safe_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, locked_until = services.verify_code(
            user=request.user, token=form.cleaned_data["code"], request=request
        )
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(_safe_next(request))
        if locked_until is not None:
            form.add_error("code", _wait_message(locked_until))
        else:
            form.add_error("code", _("Deze code klopt niet. Probeer het opnieuw."))
    return render(request, "accounts/verify.html", {"form": form, "next": _safe_next(request)})


def setup(request):
    """Set up the authenticator app: QR code and secret, confirm with a code, then the
    recovery codes are shown once."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("two_factor_setup"))
    if services.has_two_factor(request.user):
        # One app at a time: a new phone goes through a reset by the Beheerder, so that a
        # stolen password alone cannot add an app to an account that has one.
        return redirect("account")
    device = services.pending_totp_device(request.user)
    form = ConfirmDeviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes, locked_until = services.confirm_totp_device(
            device=device, token=form.cleaned_data["code"], request=request
        )
        if codes is not None:
            device.refresh_from_db()
            otp_login(request, device)
            request.session[services.TWO_FACTOR_ENROLLED_SESSION_KEY] = True
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _safe_next(request), "first_time": True},
            )
        elif locked_until is not None:
            form.add_error("code", _wait_message(locked_until))
        else:
            form.add_error(
                "code", _("Deze code klopt niet. Controleer of de tijd op uw telefoon klopt.")
            )
    context = {
        "form": form,
        "qr_data_uri": qr.svg_data_uri(device.config_url),
        "secret": qr.grouped_secret(device.bin_key),
        "next": _safe_next(request),
    }
    return render(request, "accounts/setup.html", context)


@login_required
def account(request):
    context = {
        "has_two_factor": services.has_two_factor(request.user),
        "recovery_codes_left": services.recovery_codes_left(request.user),
    }
    return render(request, "accounts/account.html", context)


@login_required
@require_POST
def regenerate_recovery_codes(request):
    if not services.has_two_factor(request.user):
        return redirect("account")
    codes = services.regenerate_recovery_codes(user=request.user, request=request)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": reverse("account"), "first_time": False},
    )


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: what happened in words a user understands, instead of Django's
    English technical page."""
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    return render(request, "403_csrf.html", {"back_url": back}, status=403)


def _wait_message(locked_until):
    seconds = max(1, int((locked_until - timezone.now()).total_seconds()) + 1)
    return ngettext(
        "Te veel onjuiste codes. Wacht %(seconds)d seconde en probeer het opnieuw.",
        "Te veel onjuiste codes. Wacht %(seconds)d seconden en probeer het opnieuw.",
        seconds,
    ) % {"seconds": seconds}


def _safe_next(request):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return resolve_url(settings.LOGIN_REDIRECT_URL)
