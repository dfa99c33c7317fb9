from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from programmes.models import Programme

from .imports import MAX_FILE_SIZE, read_table

# What browsers send for a .csv file: Windows with Excel installed says it is an Excel file,
# some systems send no specific type at all. The content itself is checked by read_table.
CSV_CONTENT_TYPES = {
    "text/csv",
    "text/plain",
    "text/comma-separated-values",
    "text/x-csv",
    "application/csv",
    "application/x-csv",
    "application/vnd.ms-excel",
    "application/octet-stream",
    "",
}


class ParticipantImportForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programma"),
        queryset=Programme.objects.none(),
        to_field_name="slug",
        empty_label=_("Kies een programma"),
        help_text=_("De deelnemers worden ingeschreven in dit programma."),
        error_messages={
            "required": _("Kies het programma waarin u de deelnemers inschrijft."),
            "invalid_choice": _("Kies een programma uit de lijst."),
        },
    )
    file = forms.FileField(
        label=_("CSV-bestand"),
        help_text=_(
            "Een CSV-bestand volgens het sjabloon (puntkomma- of kommagescheiden), maximaal 5 MB."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={
            "required": _("Kies het CSV-bestand met de deelnemers."),
            "empty": _("Het bestand is leeg."),
            "invalid": _("Er is geen bestand ontvangen. Kies het bestand opnieuw."),
            "missing": _("Er is geen bestand ontvangen. Kies het bestand opnieuw."),
        },
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() != ".csv":
            raise ValidationError(
                _("Kies een bestand dat eindigt op .csv (nu: %(name)s)."),
                params={"name": upload.name},
            )
        if upload.size > MAX_FILE_SIZE:
            raise ValidationError(
                _("Het bestand is %(size)s; het mag maximaal 5 MB zijn."),
                params={"size": filesizeformat(upload.size)},
            )
        content_type = (upload.content_type or "").split(";")[0].strip().lower()
        if content_type not in CSV_CONTENT_TYPES:
            raise ValidationError(
                _("Dit is geen CSV-bestand (het bestandstype is %(type)s)."),
                params={"type": content_type},
            )
        data = upload.read()
        upload.seek(0)
        read_table(data)  # the whole file is rejected for a BSN column, unknown columns, …
        return upload
