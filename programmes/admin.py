from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from regioportal.admin import HetNounAdmin, amount_column, euro_column

from .enums import ActivityKind
from .models import (
    Municipality,
    Organisation,
    Programme,
    ProgrammeLine,
    ProgrammePartner,
    Target,
    Track,
    UmbrellaProgramme,
)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "cbs_code", "province"]
    list_filter = ["province"]
    search_fields = ["name", "cbs_code"]


# Django 6 will assume https for a URL typed without a scheme; do so now.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["name", "kind", "municipality", "website"]
    list_filter = ["kind"]
    search_fields = ["name"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]


class ProgrammeLineInline(admin.TabularInline):
    model = ProgrammeLine
    fk_name = "umbrella"
    extra = 0
    fields = ["order", "name", "slug", "parent", "budget"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(UmbrellaProgramme)
class UmbrellaProgrammeAdmin(HetNounAdmin):
    list_display = ["name", "owner", "start_date", "end_date", euro_column("budget", _("budget"))]
    search_fields = ["name", "slug"]
    list_select_related = ["owner"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["owner"]
    inlines = [ProgrammeLineInline]


@admin.register(ProgrammeLine)
class ProgrammeLineAdmin(admin.ModelAdmin):
    list_display = ["name", "umbrella", "parent", euro_column("budget", _("budget")), "order"]
    list_filter = ["umbrella"]
    search_fields = ["name", "slug", "umbrella__name"]
    list_select_related = ["umbrella", "parent"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["umbrella", "parent"]


class ProgrammeAdminForm(forms.ModelForm):
    # Stored as a JSON list of ActivityKind values; edited as checkboxes.
    activity_kinds = forms.MultipleChoiceField(
        label=_("activiteiten"),
        choices=ActivityKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Programme
        fields = ["activity_kinds"]  # the admin adds the fields of its fieldsets


class ProgrammePartnerInline(admin.TabularInline):
    model = ProgrammePartner
    extra = 0
    autocomplete_fields = ["organisation"]


class TrackInline(admin.TabularInline):
    model = Track
    extra = 0
    fields = ["order", "name", "description"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}
    }


class TargetInline(admin.StackedInline):
    model = Target
    extra = 0
    fields = [
        ("order", "name"),
        ("metric", "year"),
        ("target_value", "recorded_value", "is_minimum", "unit"),
        "source",
    ]


@admin.register(Programme)
class ProgrammeAdmin(HetNounAdmin):
    form = ProgrammeAdminForm
    formfield_overrides = URL_FIELDS
    list_display = [
        "name",
        "status",
        "umbrella",
        "lead_organisation",
        "start_date",
        "end_date",
        euro_column("budget", _("budget")),
    ]
    list_filter = ["status", "umbrella", "has_participants"]
    search_fields = ["name", "slug", "lead_organisation__name"]
    list_select_related = ["umbrella", "lead_organisation"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["umbrella", "lead_organisation", "lines", "municipalities", "members"]
    inlines = [ProgrammePartnerInline, TrackInline, TargetInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "status", "summary", "website"]}),
        (_("Kader"), {"fields": ["umbrella", "lines", "lead_organisation", "municipalities"]}),
        (
            _("Doelgroep en looptijd"),
            {
                "fields": [
                    "target_group",
                    ("age_min", "age_max"),
                    ("start_date", "end_date"),
                    "duration_months",
                ]
            },
        ),
        (_("Budget en activiteiten"), {"fields": ["budget", "activity_kinds"]}),
        (
            _("Coördinatoren en deelnemers"),
            {
                "fields": ["has_participants", "members"],
                "description": _(
                    "Coördinatoren zien en bewerken de deelnemers van dit programma. Alleen "
                    "gebruikers met de rol Coördinator kunnen worden gekozen; de programma's "
                    "van een gebruiker staan ook op diens gebruikerspagina."
                ),
            },
        ),
    ]


@admin.register(ProgrammePartner)
class ProgrammePartnerAdmin(admin.ModelAdmin):
    list_display = ["organisation", "programme", "role"]
    list_filter = ["role"]
    search_fields = ["organisation__name", "programme__name"]
    list_select_related = ["organisation", "programme"]
    autocomplete_fields = ["organisation", "programme"]


@admin.register(Track)
class TrackAdmin(HetNounAdmin):
    list_display = ["name", "programme", "order"]
    list_filter = ["programme"]
    search_fields = ["name", "programme__name"]
    list_select_related = ["programme"]
    autocomplete_fields = ["programme"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "programme",
        "metric",
        "year",
        amount_column("target_value", _("streefwaarde")),
        amount_column("recorded_value", _("vastgelegde waarde")),
        "unit",
    ]
    list_filter = ["metric", "programme"]
    search_fields = ["name", "programme__name"]
    list_select_related = ["programme"]
    autocomplete_fields = ["programme"]
