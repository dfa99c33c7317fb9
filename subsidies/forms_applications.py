"""Forms of the application pages: registering, correcting, adding attachments."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programmes.enums import OrganisationKind
from programmes.models import Municipality, Organisation, Programme
from regioportal.widgets import FastSelect

from . import files
from .amounts import AmountField
from .enums import AttachmentKind, Channel
from .models import Tender

MAX_BUDGET_LINES = 30


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        clean_one = super().clean
        if isinstance(data, list | tuple):
            if not data:
                return [] if clean_one(None, initial) is None else []  # raises when required
            return [clean_one(upload, initial) for upload in data]
        upload = clean_one(data, initial)
        return [upload] if upload else []


class CheckedFileMixin:
    """Refuse a file whose content is not an allowed type (subsidies.files) at the field."""

    def clean(self, data, initial=None):
        cleaned = super().clean(data, initial)
        uploads = cleaned if isinstance(cleaned, list) else [cleaned] if cleaned else []
        for upload in uploads:
            files.check_upload(upload)
        return cleaned


class AttachmentField(CheckedFileMixin, forms.FileField):
    pass


class AttachmentsField(CheckedFileMixin, MultipleFileField):
    pass


def attachment_help():
    return _("PDF, Word (DOCX), Excel (XLSX), PNG of JPEG; hoogstens %(limit)s per bestand.") % {
        "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)
    }


class TenderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(scheme)s – %(tender)s (%(opens)s t/m %(closes)s)") % {
            "scheme": obj.scheme.code,
            "tender": obj.name,
            "opens": date_format(timezone.localtime(obj.opens_at), "d-m-Y"),
            "closes": date_format(timezone.localtime(obj.closes_at), "d-m-Y"),
        }


class RegisteredDataForm(forms.Form):
    """The fields an officer registers and may correct while the application is open."""

    applicant = forms.ModelChoiceField(
        label=_("Aanvrager"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        widget=FastSelect,
        help_text=_("Staat de organisatie er niet bij, vul haar dan hieronder in."),
    )
    contact_name = forms.CharField(label=_("Contactpersoon"), max_length=150)
    contact_email = forms.EmailField(label=_("E-mailadres contactpersoon"))
    contact_phone = forms.CharField(
        label=_("Telefoon contactpersoon"), max_length=20, required=False
    )
    title = forms.CharField(label=_("Projecttitel"), max_length=250)
    summary = forms.CharField(
        label=_("Samenvatting"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    programme = forms.ModelChoiceField(
        label=_("Programma of project"),
        queryset=Programme.objects.order_by("name"),
        required=False,
        widget=FastSelect,
        help_text=_("Het programma waarvoor de subsidie is, als het in het portaal staat."),
    )
    requested_amount = AmountField(label=_("Aangevraagd bedrag (€)"))
    co_financing = AmountField(
        label=_("Cofinanciering (€)"),
        required=False,
        help_text=_("Bijdragen van anderen aan de begroting."),
    )
    de_minimis_declared = forms.BooleanField(
        label=_("De-minimisverklaring ontvangen"), required=False
    )
    channel = forms.ChoiceField(label=_("Ontvangen via"), choices=Channel.choices)
    received_on = forms.DateField(label=_("Ontvangen op"), widget=DateInput)

    def clean_co_financing(self):
        return self.cleaned_data.get("co_financing") or Decimal(0)


class RegistrationForm(RegisteredDataForm):
    """Registering a new application: scheme and tender, a new applicant if need be, the
    moment of receipt and the attachments."""

    scheme = forms.ModelChoiceField(label=_("Regeling"), queryset=None, widget=FastSelect)
    tender = TenderChoiceField(
        label=_("Tenderronde"),
        queryset=None,
        required=False,
        widget=FastSelect,
        help_text=_("Verplicht bij een regeling met tenders."),
    )
    received_time = forms.TimeField(
        label=_("Tijdstip van ontvangst"),
        required=False,
        widget=TimeInput,
        help_text=_(
            "Telt bij verdeling op volgorde van binnenkomst. Leeg: nu bij een aanvraag van "
            "vandaag, anders het begin van de dag."
        ),
    )
    new_applicant_name = forms.CharField(
        label=_("Of een nieuwe aanvrager: naam"), max_length=200, required=False
    )
    new_applicant_kind = forms.ChoiceField(
        label=_("Soort organisatie"),
        choices=[("", "---------"), *OrganisationKind.choices],
        required=False,
    )
    new_applicant_municipality = forms.ModelChoiceField(
        label=_("Gemeente"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        widget=FastSelect,
    )
    project_plan = AttachmentField(label=_("Projectplan"), required=False)
    budget_file = AttachmentField(label=_("Begroting"), required=False)
    de_minimis_file = AttachmentField(label=_("De-minimisverklaring"), required=False)
    other_files = AttachmentsField(
        label=_("Overige bijlagen"),
        required=False,
        help_text=_("U kunt meerdere bestanden tegelijk kiezen."),
    )

    field_order = [
        "scheme",
        "tender",
        "channel",
        "received_on",
        "received_time",
        "applicant",
        "new_applicant_name",
        "new_applicant_kind",
        "new_applicant_municipality",
        "contact_name",
        "contact_email",
        "contact_phone",
        "title",
        "summary",
        "programme",
        "requested_amount",
        "co_financing",
        "de_minimis_declared",
        "project_plan",
        "budget_file",
        "de_minimis_file",
        "other_files",
    ]
    ATTACHMENT_KINDS = {
        "project_plan": AttachmentKind.project_plan,
        "budget_file": AttachmentKind.budget,
        "de_minimis_file": AttachmentKind.de_minimis,
        "other_files": AttachmentKind.other,
    }

    def __init__(self, *args, schemes, scheme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes
        tenders = Tender.objects.filter(scheme__in=schemes).select_related("scheme")
        if scheme is not None:
            self.fields["scheme"].initial = scheme
            tenders = tenders.filter(scheme=scheme)
        self.fields["tender"].queryset = tenders.order_by("scheme__code", "-opens_at", "id")
        self.fields["received_on"].initial = timezone.localdate
        self.fields["channel"].initial = Channel.eloket
        for name in self.ATTACHMENT_KINDS:
            self.fields[name].help_text = " ".join(
                str(text) for text in (self.fields[name].help_text, attachment_help()) if text
            )

    def clean(self):
        data = super().clean()
        new_name = (data.get("new_applicant_name") or "").strip()
        if data.get("applicant") and new_name:
            self.add_error(
                "new_applicant_name",
                _("Kies een bestaande aanvrager óf vul een nieuwe in, niet allebei."),
            )
        elif not data.get("applicant") and not new_name:
            self.add_error("applicant", _("Kies de aanvrager of vul een nieuwe in."))
        elif new_name and not data.get("new_applicant_kind"):
            self.add_error("new_applicant_kind", _("Kies de soort organisatie."))
        return data

    def registration_data(self):
        """``data`` for subsidies.registration.register_application."""
        data = {
            name: self.cleaned_data[name]
            for name in (*RegisteredDataForm.base_fields, "received_time")
        }
        name = self.cleaned_data["new_applicant_name"].strip()
        if name:
            data.pop("applicant")
            data["new_applicant"] = {
                "name": name,
                "kind": self.cleaned_data["new_applicant_kind"],
                "municipality": self.cleaned_data["new_applicant_municipality"],
            }
        return data

    def attachments(self):
        """(kind, upload) pairs for register_application."""
        pairs = []
        for name, kind in self.ATTACHMENT_KINDS.items():
            value = self.cleaned_data.get(name)
            for upload in value if isinstance(value, list) else [value] if value else []:
                pairs.append((kind, upload))
        return pairs


class ApplicationEditForm(RegisteredDataForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant"].required = True
        self.fields["applicant"].help_text = ""


class BudgetLineForm(forms.Form):
    description = forms.CharField(
        label=pgettext_lazy("begroting", "Post"), max_length=200, required=False
    )
    amount = AmountField(label=_("Bedrag (€)"), required=False)

    def clean(self):
        data = super().clean()
        description, amount = data.get("description", "").strip(), data.get("amount")
        if description and amount is None and "amount" not in self.errors:
            self.add_error("amount", _("Vul het bedrag van deze post in."))
        if amount is not None and not description:
            self.add_error("description", _("Vul de omschrijving van deze post in."))
        return data


class BaseBudgetLineFormSet(forms.BaseFormSet):
    def lines(self):
        """The filled-in rows as {description, amount} dicts, in order."""
        return [
            {
                "description": form.cleaned_data["description"].strip(),
                "amount": form.cleaned_data["amount"],
            }
            for form in self.forms
            if form.cleaned_data.get("description") and form.cleaned_data.get("amount") is not None
        ]


def budget_formset(data=None, *, initial=None, extra=4):
    formset_class = forms.formset_factory(
        BudgetLineForm,
        formset=BaseBudgetLineFormSet,
        extra=extra,
        max_num=MAX_BUDGET_LINES,
        absolute_max=MAX_BUDGET_LINES,
        validate_max=True,
    )
    return formset_class(data, initial=initial, prefix="begroting")


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort bijlage"), choices=AttachmentKind.choices)
    files = AttachmentsField(
        label=_("Bestanden"), help_text=_("U kunt meerdere bestanden tegelijk kiezen.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = f"{self.fields['files'].help_text} {attachment_help()}"
