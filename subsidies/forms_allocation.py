"""Forms of the allocation pages: a grant, a rejection and a change of a tender's ceiling.
The ceiling itself is checked by subsidies.allocation under the tender's lock."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .amounts import AmountField
from .dates import today_field
from .enums import RejectionReason


def _decided_on_field():
    return today_field(_("Datum besluit"))


def _check_decision_date(value):
    today = timezone.localdate()
    if value > today:
        raise forms.ValidationError(_("De datum van het besluit ligt in de toekomst."))
    if value.year < today.year - 5:
        raise forms.ValidationError(_("De datum van het besluit ligt te ver terug."))
    return value


class GrantForm(forms.Form):
    amount = AmountField(label=_("Te verlenen bedrag (€)"), positive=True)
    decided_on = _decided_on_field()
    motivation = forms.CharField(
        label=_("Motivering"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_decided_on(self):
        return _check_decision_date(self.cleaned_data["decided_on"])


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reden van afwijzing"),
        choices=RejectionReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies een reden van afwijzing."),
            "invalid_choice": _("Kies een reden van afwijzing."),
        },
    )
    decided_on = _decided_on_field()
    motivation = forms.CharField(
        label=_("Motivering"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Motiveer de afwijzing.")},
    )

    def clean_decided_on(self):
        return _check_decision_date(self.cleaned_data["decided_on"])
