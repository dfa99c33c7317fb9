"""A Beheerder resets the second factor of a user who lost their phone, from the user list
in the admin (action "Tweestapsverificatie opnieuw instellen")."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services


@admin.action(description=_("Tweestapsverificatie opnieuw instellen"), permissions=["change"])
def reset_two_factor(modeladmin, request, queryset):
    for user in queryset:
        services.reset_two_factor(user=user, by=request.user)
    count = len(queryset)
    modeladmin.message_user(
        request,
        ngettext(
            "De tweestapsverificatie van %(count)d gebruiker is verwijderd; bij de volgende "
            "keer inloggen stelt die een nieuwe app in.",
            "De tweestapsverificatie van %(count)d gebruikers is verwijderd; bij de volgende "
            "keer inloggen stellen zij een nieuwe app in.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )


# The user admin belongs to django.contrib.auth (or whichever app replaces it); this app
# only adds its action. Admin modules load in INSTALLED_APPS order, and accounts comes last.
_user_admin = admin.site.get_model_admin(get_user_model())
_user_admin.actions = [*(_user_admin.actions or []), reset_two_factor]

# django-otp's own device admins show the app secrets and the recovery codes; nobody but the
# user should see those. The action above is the only thing a Beheerder needs.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
