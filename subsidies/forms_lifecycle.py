"""The forms of the lifecycle steps (subsidies.views_lifecycle). They parse what was typed
(dates, amounts in the Dutch way, a choice); whether it fits the application (not before
receipt, not above the grant) is checked by subsidies.lifecycle, whose errors name these
fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .amounts import AmountField
from .dates import DateField, today_field
from .enums import ObjectionOutcome


class RequestCompletionForm(forms.Form):
    reason = forms.CharField(
        label=_("Wat ontbreekt er?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Dit staat in het verzoek om aanvulling aan de aanvrager."),
        error_messages={"required": _("Vul in wat er aan de aanvraag ontbreekt.")},
    )
    requested_on = today_field(_("Verzoek verstuurd op"))


class ReceiveCompletionForm(forms.Form):
    completed_on = today_field(_("Aanvulling ontvangen op"))


class AdviceForm(forms.Form):
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NotConsiderForm(forms.Form):
    decided_on = today_field(_("Datum besluit"))
    motivation = forms.CharField(
        label=_("Motivering"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van de intrekking"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Vul de reden van de intrekking in.")},
    )
    withdrawn_on = today_field(
        _("Verzoek om intrekking ontvangen op"),
        help_text=_("De aanvrager trekt de aanvraag in; leg vast wanneer dat verzoek binnenkwam."),
    )


class AdvanceForm(forms.Form):
    amount = AmountField(
        label=_("Bedrag voorschot (€)"),
        positive=True,
        error_messages={"positive": _("Vul een bedrag groter dan nul in.")},
    )
    paid_on = today_field(_("Betaald op"))
    note = forms.CharField(label=_("Omschrijving"), required=False, max_length=200)


class AccountabilityForm(forms.Form):
    received_on = today_field(_("Verantwoording ontvangen op"))


class SettleForm(forms.Form):
    amount = AmountField(
        label=_("Vastgesteld bedrag (€)"),
        help_text=_(
            "Ten hoogste het verleende bedrag. Is het lager dan wat al is betaald, dan wordt "
            "het verschil teruggevorderd."
        ),
    )
    settled_on = today_field(_("Datum vaststelling"))
    motivation = forms.CharField(
        label=_("Motivering"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SendDecisionForm(forms.Form):
    sent_on = today_field(
        _("Verzenddatum"),
        help_text=_("De bezwaartermijn van zes weken begint de dag na verzending."),
    )
    effective_on = DateField(
        label=_("Ingangsdatum"),
        required=False,
        help_text=_("Leeg laten: de datum van het besluit."),
    )


class ObjectionForm(forms.Form):
    received_on = today_field(_("Bezwaar ontvangen op"))
    grounds = forms.CharField(
        label=_("Gronden van het bezwaar"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class DecideObjectionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Beslissing op bezwaar"),
        choices=ObjectionOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies een beslissing op het bezwaar."),
            "invalid_choice": _("Kies een beslissing op het bezwaar."),
        },
    )
    decided_on = today_field(_("Beslist op"))
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
