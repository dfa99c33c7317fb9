from django import forms
from django.contrib import admin
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from regioportal.admin import (
    AuditedAdmin,
    HetNounAdmin,
    ReadOnlyInline,
    euro,
    euro_column,
    stored_file_name,
)

from .enums import ApplicationStatus
from .models import (
    Application,
    Attachment,
    BudgetLine,
    Criterion,
    Decision,
    DecisionLetter,
    Lottery,
    Objection,
    Payment,
    ReferenceSequence,
    Review,
    Scheme,
    Score,
    Tender,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["order", "name", "weight", "max_points", "min_points"]


# Amounts in lists and read-only fields as "€ 6.400.000,00" (regioportal.admin.euro).
AMOUNT = euro_column("amount", _("bedrag"))
GRANTED = euro_column("granted_amount", _("verleend bedrag"))
REQUESTED = euro_column("requested_amount", _("aangevraagd bedrag"))
CO_FINANCING = euro_column("co_financing", _("cofinanciering"))
SETTLED = euro_column("settled_amount", _("vastgesteld bedrag"))


class TenderInline(admin.TabularInline):
    model = Tender
    extra = 0
    fields = ["name", "opens_at", "closes_at", "ceiling"]
    show_change_link = True


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "line",
        "allocation_method",
        "decision_weeks",
        euro_column("budget", _("totaalbudget")),
        "is_active",
    ]
    list_filter = ["allocation_method", "is_active"]
    search_fields = ["name", "code"]
    list_select_related = ["line"]
    autocomplete_fields = ["line"]
    inlines = [CriterionInline, TenderInline]


@admin.register(Criterion)
class CriterionAdmin(HetNounAdmin):
    list_display = ["name", "scheme", "weight", "max_points", "min_points", "order"]
    list_filter = ["scheme"]
    search_fields = ["name", "scheme__name"]
    list_select_related = ["scheme"]
    autocomplete_fields = ["scheme"]


class TenderAdminForm(forms.ModelForm):
    class Meta:
        model = Tender
        fields = ["scheme", "name", "opens_at", "closes_at", "ceiling"]

    def clean_ceiling(self):
        # Lowering a ceiling below what was already granted would make those grants
        # unlawful after the fact (Awb 4:25); the portal's grant function guards new grants.
        ceiling = self.cleaned_data["ceiling"]
        if self.instance.pk:
            granted = self.instance.applications.filter(
                status__in=ApplicationStatus.granted_group()
            ).aggregate(total=Sum("granted_amount"))["total"]
            if granted and ceiling < granted:
                raise forms.ValidationError(
                    _("Het plafond kan niet lager zijn dan het al verleende bedrag: %(granted)s."),
                    params={"granted": euro(granted)},
                )
        return ceiling


@admin.register(Tender)
class TenderAdmin(admin.ModelAdmin):
    form = TenderAdminForm
    list_display = [
        "name",
        "scheme",
        "opens_at",
        "closes_at",
        euro_column("ceiling", _("subsidieplafond")),
    ]
    list_filter = ["scheme"]
    search_fields = ["name", "scheme__name"]
    list_select_related = ["scheme"]
    autocomplete_fields = ["scheme"]
    date_hierarchy = "opens_at"


class ViewOnlyAdmin(admin.ModelAdmin):
    """Records the portal writes through its domain functions (subsidies.services): the
    admin shows them and changes nothing."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BudgetLineInline(ReadOnlyInline):
    """The budget is registered data: changed on the portal's edit page, which audits it on
    the application."""

    model = BudgetLine
    fields = ["order", "description", AMOUNT]
    readonly_fields = fields


class ReviewInline(admin.TabularInline):
    model = Review
    extra = 0
    fields = ["reviewer", "status", "recommendation", "conflict_of_interest", "submitted_at"]
    readonly_fields = ["status", "recommendation", "submitted_at"]
    autocomplete_fields = ["reviewer"]
    show_change_link = True


class DecisionInline(ReadOnlyInline):
    model = Decision
    fields = ["outcome", AMOUNT, "decided_on", "decided_by", "objection_deadline"]
    readonly_fields = fields


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ["kind", AMOUNT, "paid_on", "note"]
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["kind", "original_name", stored_file_name, "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(AuditedAdmin):
    list_display = [
        "reference",
        "title",
        "applicant",
        "scheme",
        "tender",
        "status",
        REQUESTED,
        GRANTED,
        "decision_deadline",
        "handler",
    ]
    list_filter = ["status", "scheme", "tender"]
    search_fields = ["reference", "title", "applicant__name", "contact_name"]
    list_select_related = ["applicant", "scheme", "tender", "handler"]
    autocomplete_fields = ["programme", "applicant", "handler"]
    # The Awb lifecycle (status, amounts, grant, ranking, decisions) changes only through the
    # portal's domain functions, which check the tender ceiling and write the audit log;
    # registering (the zaaknummer, the deadline) and correcting registered data are pages of
    # the portal too (subsidies.registration). The admin corrects contact details and texts.
    readonly_fields = [
        "reference",
        "scheme",
        "tender",
        "status",
        "rejection_reason",
        REQUESTED,
        CO_FINANCING,
        GRANTED,
        SETTLED,
        "score_total",
        "is_eligible",
        "received_on",
        "received_at",
        "completion_deadline",
        "decision_deadline",
        "incomplete_since",
        "paused_days",
        "decided_on",
        "objection_deadline",
        "settled_on",
        "rank",
        "lottery_number",
        "created_at",
        "updated_at",
    ]
    show_full_result_count = False
    inlines = [BudgetLineInline, ReviewInline, DecisionInline, PaymentInline, AttachmentInline]
    fieldsets = [
        (None, {"fields": ["reference", "title", "summary", "status", "rejection_reason"]}),
        (_("Regeling"), {"fields": ["scheme", "tender", "programme"]}),
        (
            _("Aanvrager"),
            {"fields": ["applicant", "contact_name", "contact_email", "contact_phone"]},
        ),
        (
            _("Bedragen"),
            {
                "fields": [
                    REQUESTED,
                    CO_FINANCING,
                    "de_minimis_declared",
                    GRANTED,
                    SETTLED,
                    "score_total",
                    "is_eligible",
                ]
            },
        ),
        (
            _("Termijnen"),
            {
                "fields": [
                    "channel",
                    "received_on",
                    "received_at",
                    "completion_deadline",
                    "incomplete_since",
                    "paused_days",
                    "decision_deadline",
                    "decided_on",
                    "objection_deadline",
                    "settled_on",
                ]
            },
        ),
        (
            _("Behandeling"),
            {"fields": ["handler", "rank", "lottery_number", "created_at", "updated_at"]},
        ),
    ]

    def has_add_permission(self, request):
        # An application is registered on the portal's page, which gives it its zaaknummer
        # and beslistermijn (subsidies.registration).
        return False


@admin.register(BudgetLine)
class BudgetLineAdmin(ViewOnlyAdmin):
    list_display = ["description", "application", AMOUNT, "order"]
    search_fields = ["description", "application__reference"]
    list_select_related = ["application"]
    autocomplete_fields = ["application"]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    fields = ["criterion", "points", "note"]
    autocomplete_fields = ["criterion"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = [
        "application",
        "reviewer",
        "status",
        "recommendation",
        "conflict_of_interest",
        "submitted_at",
    ]
    list_filter = ["status", "recommendation", "conflict_of_interest"]
    search_fields = [
        "application__reference",
        "application__title",
        "reviewer__username",
        "reviewer__last_name",
    ]
    list_select_related = ["application", "reviewer"]
    autocomplete_fields = ["application", "reviewer"]
    readonly_fields = ["assigned_at"]
    inlines = [ScoreInline]


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
    list_display = ["review", "criterion", "points"]
    search_fields = ["review__application__reference", "criterion__name"]
    list_select_related = ["review__application", "review__reviewer", "criterion"]
    autocomplete_fields = ["review", "criterion"]


@admin.register(Decision)
class DecisionAdmin(HetNounAdmin):
    """Read-only: a besluit is recorded by the portal's decision functions, which guard the
    tender ceiling and the application's lifecycle."""

    list_display = [
        "application",
        "outcome",
        AMOUNT,
        "decided_on",
        "decided_by",
        "objection_deadline",
    ]
    fields = [
        "application",
        "outcome",
        AMOUNT,
        "decided_on",
        "decided_by",
        "motivation",
        "objection_deadline",
    ]
    readonly_fields = fields
    list_filter = ["outcome", ("decided_on", admin.DateFieldListFilter)]
    search_fields = ["application__reference", "application__title"]
    list_select_related = ["application", "decided_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(ViewOnlyAdmin):
    list_display = ["application", "kind", AMOUNT, "paid_on", "note"]
    list_filter = ["kind", ("paid_on", admin.DateFieldListFilter)]
    search_fields = ["application__reference", "note"]
    list_select_related = ["application"]
    autocomplete_fields = ["application"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    """View only: uploads go through the portal, which checks file type and size and
    serves downloads through a permission check (private media has no URL)."""

    list_display = ["original_name", "application", "kind", "size", "uploaded_at", "uploaded_by"]
    list_filter = ["kind"]
    search_fields = ["original_name", "application__reference"]
    list_select_related = ["application", "uploaded_by"]
    fields = [
        "application",
        "kind",
        "original_name",
        stored_file_name,
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Objection)
class ObjectionAdmin(ViewOnlyAdmin):
    list_display = ["application", "decision", "received_on", "outcome", "decided_on"]
    list_filter = ["outcome"]
    search_fields = ["application__reference"]
    list_select_related = ["application", "decision"]


@admin.register(Lottery)
class LotteryAdmin(ViewOnlyAdmin):
    list_display = ["tender", "committed_at", "drawn_at", "drawn_by", "seed_sha256"]
    search_fields = ["tender__name", "seed_sha256"]
    list_select_related = ["tender", "drawn_by"]


@admin.register(DecisionLetter)
class DecisionLetterAdmin(ViewOnlyAdmin):
    list_display = ["decision", "status", "requested_at", "finished_at", "sha256"]
    list_filter = ["status"]
    search_fields = ["decision__application__reference", "sha256"]
    list_select_related = ["decision__application"]


@admin.register(ReferenceSequence)
class ReferenceSequenceAdmin(ViewOnlyAdmin):
    list_display = ["scheme", "year", "last"]
    list_select_related = ["scheme"]
