"""Forms of the review pages: the reviewer's declaration and score form, and assigning
reviewers. Checks that need the database (role, status, lock) live in subsidies.review; the
views turn its ValidationErrors into errors on these forms."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .dates import DateField
from .enums import Recommendation
from .review import eligible_reviewers


def add_domain_errors(form, error):
    """Put a domain function's ValidationError on the form: on the field it names when the
    form has it, else at the top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class ConflictForm(forms.Form):
    """Step 1 for a reviewer: the declaration about a conflict of interest."""

    has_conflict = forms.TypedChoiceField(
        label=_("Heeft u belangenverstrengeling met deze aanvraag?"),
        choices=[
            ("nee", _("Nee, ik heb geen persoonlijk of zakelijk belang bij deze aanvraag")),
            ("ja", _("Ja, ik heb belangenverstrengeling")),
        ],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Geef aan of u belangenverstrengeling heeft."),
            "invalid_choice": _("Geef aan of u belangenverstrengeling heeft."),
        },
    )
    explanation = forms.CharField(
        label=_("Toelichting bij belangenverstrengeling"),
        help_text=_(
            "Bijvoorbeeld: bestuurslid, adviseur of familie van de aanvrager. Met "
            "belangenverstrengeling ziet u de aanvraag daarna niet meer."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("has_conflict")
            and "explanation" not in self.errors
            and not (cleaned.get("explanation") or "").strip()
        ):
            self.add_error(
                "explanation", _("Licht toe waarom er sprake is van belangenverstrengeling.")
            )
        return cleaned


class ReviewForm(forms.Form):
    """Step 2: points and a note per criterion, a recommendation and comments. Every field may
    stay empty in a draft; subsidies.review.save_review checks completeness on submitting."""

    recommendation = forms.ChoiceField(
        label=_("Advies"),
        choices=[("", _("Kies een advies")), *Recommendation.choices],
        required=False,
        error_messages={"invalid_choice": _("Kies een geldig advies.")},
    )
    comments = forms.CharField(
        label=_("Algemene toelichting"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"points_{criterion.pk}"] = forms.IntegerField(
                label=_("Punten (0 tot en met %(max)s)") % {"max": criterion.max_points},
                min_value=0,
                max_value=criterion.max_points,
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                error_messages={
                    "invalid": _("Vul een heel aantal punten in."),
                    "min_value": _("Geef ten minste 0 punten."),
                    "max_value": _("Geef ten hoogste %(max)s punten.")
                    % {"max": criterion.max_points},
                },
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("Motivering"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        # Criteria first, then the recommendation and the comments.
        self.order_fields(
            [name for c in self.criteria for name in (f"points_{c.pk}", f"note_{c.pk}")]
        )

    def criterion_fields(self):
        """(criterion, points field, note field) per criterion, for the template."""
        for criterion in self.criteria:
            yield criterion, self[f"points_{criterion.pk}"], self[f"note_{criterion.pk}"]

    def scores(self):
        return {
            criterion.pk: (
                self.cleaned_data.get(f"points_{criterion.pk}"),
                self.cleaned_data.get(f"note_{criterion.pk}", ""),
            )
            for criterion in self.criteria
        }


def person_name(user):
    return user.get_full_name() or user.get_username()


class ReviewerChoiceField(forms.ModelMultipleChoiceField):
    """Beoordelaars to choose, by name (the single and the worklist's bulk assignment)."""

    def label_from_instance(self, obj):
        return person_name(obj)


class AssignReviewersForm(forms.Form):
    reviewers = ReviewerChoiceField(
        label=_("Beoordelaars"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Kies ten minste één beoordelaar."),
            "invalid_choice": _("Kies beoordelaars uit de lijst."),
            "invalid_pk_value": _("Kies beoordelaars uit de lijst."),
        },
    )
    due_on = DateField(
        label=_("Gereed uiterlijk"),
        required=False,
        help_text=_("Leeg: over twee weken."),
    )

    def __init__(self, *args, exclude=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = eligible_reviewers().exclude(pk__in=list(exclude))

    def clean_due_on(self):
        due_on = self.cleaned_data.get("due_on")
        today = timezone.localdate()
        if due_on is not None and due_on < today:
            raise forms.ValidationError(_("De datum ligt in het verleden."))
        if due_on is not None and due_on > today + datetime.timedelta(days=366):
            raise forms.ValidationError(_("Kies een datum binnen een jaar."))
        return due_on
