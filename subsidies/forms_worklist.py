from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from regioportal.widgets import kept

from .dates import DateField
from .forms_review import ReviewerChoiceField, person_name
from .models import Application
from .review import eligible_reviewers


def reviewer_candidates():
    """Who may be assigned as reviewer (subsidies.review.eligible_reviewers)."""
    return eligible_reviewers()


# The option lists of the worklist's filters and bulk form are kept per process
# (regioportal.widgets.kept) under the subsidy data version (subsidies.counting), which every
# commit that changes an application, scheme, tender, municipality, a scheme's handlers or
# anyone's roles moves on: the next request after such a change reads the list anew, so no
# option outlives a change of reach or role. The rows are always the visibility selector's,
# and a posted reviewer is checked against the database.


def reviewer_choices(version):
    """(id as text, name) of reviewer_candidates(), kept under the data ``version``."""
    return kept(
        ("subsidies-reviewers", version, get_language()),
        lambda: [(str(user.pk), person_name(user)) for user in reviewer_candidates()],
    )


class FastCheckboxes(forms.CheckboxSelectMultiple):
    """The reviewer checkboxes of the list's bulk form, rendered in Python with Django's
    markup (instead of one template per option) from reviewer_choices() of the data
    ``version``."""

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        base_id = final_attrs.get("id", f"id_{name}")
        checked = {str(v) for v in (value or [])}
        options = format_html_join(
            "",
            '<div><label for="{}_{}"><input type="checkbox" name="{}" value="{}" id="{}_{}"{}>'
            " {}</label></div>",
            (
                (
                    base_id,
                    index,
                    name,
                    raw,
                    base_id,
                    index,
                    CHECKED if raw in checked else "",
                    label,
                )
                for index, (raw, label) in enumerate(reviewer_choices(self.version))
            ),
        )
        return format_html('<div id="{}">{}</div>', base_id, options)


CHECKED = mark_safe(" checked")  # a constant, no user input


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
        widget=forms.CheckboxSelectMultiple,  # FastCheckboxes on the list (choices_version)
        error_messages={
            "required": _("Kies ten minste één beoordelaar."),
            "invalid_choice": _("Kies de beoordelaars uit de lijst."),
            "invalid_pk_value": _("Kies de beoordelaars uit de lijst."),
        },
    )
    due_on = DateField(label=_("Gereed uiterlijk"), required=False)

    def __init__(self, *args, applications, choices_version=None, **kwargs):
        """``choices_version``: the list page's form, whose reviewer options are kept per
        process under this data version (FastCheckboxes); the form that is posted always
        reads them fresh."""
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = applications
        if choices_version is not None:
            self.fields["reviewers"].widget = FastCheckboxes(version=choices_version)
        # Setting the queryset gives the widget its choices.
        self.fields["reviewers"].queryset = reviewer_candidates()

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
