from django import forms
from django.utils.translation import gettext_lazy as _


class AnonymiseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Bijvoorbeeld: verzoek van de deelnemer om gegevens te wissen (AVG artikel 17). "
            "De reden komt in het auditlog."
        ),
        error_messages={
            "required": _("Geef een reden voor het anonimiseren."),
            "max_length": _("Houd de reden korter dan %(limit_value)d tekens."),
        },
    )
