from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from regioportal.admin import HetNounAdmin, ReadOnlyInline, stored_file_name

from .models import Factsheet, FactsheetBatch, RenderedFactsheet

RENDERING_FIELDS = [
    "status",
    "file_format",
    stored_file_name,
    "requested_by",
    "requested_at",
    "started_at",
    "finished_at",
    "attempts",
    "forced",
    "size",
    "sha256",
    "error_message",
]


class RenderedFactsheetInline(ReadOnlyInline):
    model = RenderedFactsheet
    fields = RENDERING_FIELDS
    readonly_fields = fields
    show_change_link = False


@admin.register(Factsheet)
class FactsheetAdmin(HetNounAdmin):
    list_display = ["title", "kind", "programme", "umbrella", "updated_at", "updated_by"]
    list_filter = ["kind"]
    search_fields = ["title", "subtitle", "programme__name", "umbrella__name"]
    list_select_related = ["programme", "umbrella", "updated_by"]
    autocomplete_fields = ["programme", "umbrella"]
    readonly_fields = ["updated_at", "updated_by"]
    inlines = [RenderedFactsheetInline]
    fieldsets = [
        (None, {"fields": ["kind", "programme", "umbrella", "title", "subtitle", "part_of"]}),
        (
            _("Tekst"),
            {
                "fields": [
                    "intro",
                    "what_is_heading",
                    "what_is",
                    "background",
                    "goal",
                    "approach",
                    "start",
                    "current_state",
                    "added_value",
                    "quotes",
                    "results",
                    "lessons",
                    "next_steps",
                ]
            },
        ),
        (_("Bronnen"), {"fields": ["source_line", "links", "author_line"]}),
        (_("Wijzigingen"), {"fields": ["updated_at", "updated_by"]}),
    ]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(RenderedFactsheet)
class RenderedFactsheetAdmin(HetNounAdmin):
    """View only: renderings are made by the Celery task; old ones may be deleted."""

    list_display = [
        "factsheet",
        "status",
        "file_format",
        "requested_by",
        "requested_at",
        "finished_at",
    ]
    list_filter = ["status", "file_format"]
    search_fields = ["factsheet__title"]
    list_select_related = ["factsheet", "requested_by"]
    fields = ["factsheet", *RENDERING_FIELDS, "content_hash"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FactsheetBatch)
class FactsheetBatchAdmin(admin.ModelAdmin):
    """View only: the terugblik PDFs are made by the Celery task; old ones may be deleted."""

    list_display = ["umbrella", "status", "done", "total", "requested_by", "requested_at"]
    list_filter = ["status"]
    search_fields = ["umbrella__name"]
    list_select_related = ["umbrella", "requested_by"]
    fields = [
        "umbrella",
        "status",
        "done",
        "total",
        stored_file_name,
        "requested_by",
        "requested_at",
        "started_at",
        "finished_at",
        "attempts",
        "size",
        "sha256",
        "error_message",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
