from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from regioportal.admin import AuditedAdmin, save_audited_formset, stored_file_name

from .models import (
    Consent,
    Enrolment,
    GroupActivity,
    LadderStep,
    Participant,
    ParticipantImport,
    ProgressEntry,
)


def _stamp(request, obj, field):
    """Fill a "recorded by" field with the admin user on a new row."""
    if getattr(obj, f"{field}_id") is None:
        setattr(obj, field, request.user)


def sync_current_ladder_level(enrolment):
    """Keep ``Enrolment.current_ladder_level`` equal to the newest ladder step after the
    admin added, changed or deleted steps (the portal's domain functions do the same)."""
    newest = enrolment.ladder_steps.order_by("-recorded_on", "-id").first()
    level = newest.level if newest else None
    if enrolment.current_ladder_level != level:
        enrolment.current_ladder_level = level
        enrolment.save(update_fields=["current_ladder_level", "updated_at"])


def _erased(participant):
    return participant is not None and participant.anonymised_at is not None


# Erasure is final, in the admin too: what anonymisation cleared cannot be typed in again.
ERASED_PARTICIPANT_FIELDS = [
    "first_name",
    "surname_prefix",
    "last_name",
    "birth_date",
    "email",
    "phone",
]


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    fields = ["purpose", "given_on", "withdrawn_on", "recorded_by"]
    readonly_fields = ["recorded_by"]


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    extra = 0
    fields = ["programme", "track", "status", "start_date", "end_date", "outcome", "outcome_date"]
    autocomplete_fields = ["programme", "track"]
    show_change_link = True


@admin.register(Participant)
class ParticipantAdmin(AuditedAdmin):
    list_display = [
        "reference",
        "last_name",
        "first_name",
        "municipality",
        "created_at",
        "anonymised_at",
    ]
    list_filter = [("anonymised_at", admin.EmptyFieldListFilter), "municipality__province"]
    search_fields = ["reference", "sort_name", "email"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]
    readonly_fields = ["created_at", "created_by", "anonymised_at"]

    def get_readonly_fields(self, request, obj=None):
        erased = ERASED_PARTICIPANT_FIELDS if _erased(obj) else []
        return [*super().get_readonly_fields(request, obj), *erased]

    show_full_result_count = False
    inlines = [ConsentInline, EnrolmentInline]
    fieldsets = [
        (
            None,
            {"fields": ["reference", ("first_name", "last_name"), ("birth_date", "birth_year")]},
        ),
        (_("Contact"), {"fields": ["municipality", "email", "phone"]}),
        (_("Registratie"), {"fields": ["created_at", "created_by", "anonymised_at"]}),
    ]

    actions = ["anonymise_in_portal"]

    def save_model(self, request, obj, form, change):
        if not change:
            _stamp(request, obj, "created_by")
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        # No hard delete: it would remove the rows the programme figures count, and the
        # person's erasure is anonymisation, with a reason, in the portal (below).
        return False

    @admin.action(description=_("Anonimiseren (in het portaal, met een reden)"))
    def anonymise_in_portal(self, request, queryset):
        participants = list(queryset[:2])
        if len(participants) != 1:
            self.message_user(
                request, _("Kies één deelnemer om te anonimiseren."), messages.WARNING
            )
            return None
        return redirect("participants:anonymise", pk=participants[0].pk)

    def save_formset(self, request, form, formset, change):
        def prepare(obj):
            if isinstance(obj, Consent):
                _stamp(request, obj, "recorded_by")

        save_audited_formset(request, formset, prepare)


@admin.register(Consent)
class ConsentAdmin(AuditedAdmin):
    list_display = ["participant", "purpose", "given_on", "withdrawn_on", "recorded_by"]
    list_filter = [("withdrawn_on", admin.EmptyFieldListFilter)]
    search_fields = ["participant__reference", "participant__last_name", "purpose"]
    list_select_related = ["participant", "recorded_by"]
    autocomplete_fields = ["participant"]
    readonly_fields = ["recorded_by"]

    def save_model(self, request, obj, form, change):
        _stamp(request, obj, "recorded_by")
        super().save_model(request, obj, form, change)


class LadderStepInline(admin.TabularInline):
    model = LadderStep
    extra = 0
    fields = ["level", "recorded_on", "recorded_by"]
    readonly_fields = ["recorded_by"]


@admin.register(Enrolment)
class EnrolmentAdmin(AuditedAdmin):
    list_display = [
        "participant",
        "programme",
        "track",
        "status",
        "start_date",
        "end_date",
        "outcome",
        "current_ladder_level",
    ]
    list_filter = ["status", "outcome", "programme"]
    search_fields = ["participant__reference", "participant__last_name", "participant__first_name"]
    list_select_related = ["participant", "programme", "track"]
    autocomplete_fields = ["participant", "programme", "track", "coach"]
    readonly_fields = ["current_ladder_level", "created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        erased = ["personal_goal"] if obj is not None and _erased(obj.participant) else []
        return [*super().get_readonly_fields(request, obj), *erased]

    show_full_result_count = False
    inlines = [LadderStepInline]

    def save_formset(self, request, form, formset, change):
        def prepare(obj):
            if isinstance(obj, LadderStep):
                _stamp(request, obj, "recorded_by")

        save_audited_formset(request, formset, prepare)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        sync_current_ladder_level(form.instance)


@admin.register(LadderStep)
class LadderStepAdmin(AuditedAdmin):
    list_display = ["enrolment", "level", "recorded_on", "recorded_by"]
    list_filter = ["level"]
    search_fields = ["enrolment__participant__reference", "enrolment__participant__last_name"]
    list_select_related = ["enrolment__participant", "enrolment__programme", "recorded_by"]
    autocomplete_fields = ["enrolment"]
    readonly_fields = ["recorded_by"]
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        _stamp(request, obj, "recorded_by")
        super().save_model(request, obj, form, change)
        sync_current_ladder_level(obj.enrolment)

    def delete_model(self, request, obj):
        enrolment = obj.enrolment
        super().delete_model(request, obj)
        sync_current_ladder_level(enrolment)


@admin.register(GroupActivity)
class GroupActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "programme", "date", "author"]
    list_filter = ["kind", "programme"]
    search_fields = ["title", "programme__name"]
    list_select_related = ["programme", "author"]
    autocomplete_fields = ["programme"]
    readonly_fields = ["author", "created_at"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        _stamp(request, obj, "author")
        super().save_model(request, obj, form, change)


@admin.register(ProgressEntry)
class ProgressEntryAdmin(AuditedAdmin):
    list_display = ["date", "kind", "enrolment", "duration_minutes", "author"]
    list_filter = ["kind"]
    search_fields = ["enrolment__participant__reference", "enrolment__participant__last_name"]
    list_select_related = ["enrolment__participant", "enrolment__programme", "author"]
    autocomplete_fields = ["enrolment", "group_activity"]
    readonly_fields = ["author", "created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        erased = obj is not None and _erased(obj.enrolment.participant)
        return [
            *super().get_readonly_fields(request, obj),
            *(["note", "milestone"] if erased else []),
        ]

    # A million rows: no full count, no date drill-down over the whole table.
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        _stamp(request, obj, "author")
        super().save_model(request, obj, form, change)


@admin.register(ParticipantImport)
class ParticipantImportAdmin(admin.ModelAdmin):
    """View only: imports are made by the upload page and checked by a Celery task."""

    list_display = [
        "original_name",
        "programme",
        "status",
        "total_rows",
        "created_count",
        "uploaded_by",
        "created_at",
    ]
    list_filter = ["status", "programme"]
    search_fields = ["original_name", "programme__name", "uploaded_by__username"]
    list_select_related = ["programme", "uploaded_by"]
    fields = [
        "programme",
        "original_name",
        stored_file_name,
        "status",
        "total_rows",
        "processed_rows",
        "created_count",
        "errors",
        "uploaded_by",
        "created_at",
        "finished_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
