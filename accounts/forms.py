from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("De zescijferige code uit uw authenticator-app, of een van uw herstelcodes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class ConfirmDeviceForm(forms.Form):
    code = forms.CharField(
        label=_("Code uit de app"),
        max_length=10,
        help_text=_("De zescijferige code die de app nu toont."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
