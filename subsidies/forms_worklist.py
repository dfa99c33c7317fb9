from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regioportal.roles import Role

from .models import Application


def reviewer_candidates():
    """Active users with the Beoordelaar role, by name."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.reviewer.value)
        .order_by("first_name", "last_name", "username")
        .distinct()
    )


class ReviewerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class AssignReviewersForm(forms.Form):
    """ "Beoordelaars toewijzen" for the applications ticked on the worklist."""

    MAX_ROWS = 200

    applications = forms.ModelMultipleChoiceField(
        label=_("Aanvragen"),
        queryset=Application.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={
            "required": _("Vink in de lijst ten minste één aanvraag aan."),
            "invalid_choice": _(
                "U kunt niet aan alle gekozen aanvragen beoordelaars toewijzen: alleen aan "
                "aanvragen van uw regelingen waarover nog niet is besloten."
            ),
            "invalid_pk_value": _("Vink in de lijst ten minste één aanvraag aan."),
        },
    )
    reviewers = ReviewerChoiceField(
        label=_("Beoordelaars"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Kies ten minste één beoordelaar."),
            "invalid_choice": _("Kies de beoordelaars uit de lijst."),
            "invalid_pk_value": _("Kies de beoordelaars uit de lijst."),
        },
    )
    due_on = forms.DateField(
        label=_("Gereed uiterlijk"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
        error_messages={"invalid": _("Vul een geldige datum in, bijvoorbeeld 31-12-2024.")},
    )

    def __init__(self, *args, applications, reviewers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = applications
        self.fields["reviewers"].queryset = (
            reviewers if reviewers is not None else reviewer_candidates()
        )

    def clean_applications(self):
        chosen = self.cleaned_data["applications"]
        if len(chosen) > self.MAX_ROWS:
            raise forms.ValidationError(
                _("Kies hoogstens %(count)s aanvragen tegelijk.") % {"count": self.MAX_ROWS}
            )
        return chosen

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on is not None and due_on < timezone.localdate():
            raise forms.ValidationError(_("De datum ligt in het verleden."))
        return due_on
