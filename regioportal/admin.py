"""The Django admin ("beheer") for the Beheerder: users, roles, reference data.

Day-to-day work happens in the portal, through the domain functions. The admin is for
reference data and corrections, so fields that only a domain function may change (an
application's status, a decision) are read-only here, and every admin view or change of
personal data or an application also goes into the portal's audit log.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.utils.translation import gettext_lazy as _

from .audit import record
from .models import AuditAction, AuditEntry

admin.site.site_header = _("Regioportal beheer")
admin.site.site_title = _("Regioportal beheer")
admin.site.index_title = _("Beheer")

ADMIN_REASON = "via het beheer"


class AuditedAdmin(admin.ModelAdmin):
    """For models with personal data or a subsidy application: besides Django's own admin
    history, each opened, added, changed or deleted object is written to the audit log,
    because the AVG requires every access to personal data to be logged."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                record(actor=request.user, obj=obj, action=AuditAction.view, reason=ADMIN_REASON)
        return super().change_view(request, object_id, form_url, extra_context)

    def log_addition(self, request, obj, message):
        record(actor=request.user, obj=obj, action=AuditAction.create, reason=ADMIN_REASON)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        parts = message if isinstance(message, list) else []
        fields = sorted(
            {name for part in parts for name in part.get("changed", {}).get("fields", [])}
        )
        record(
            actor=request.user,
            obj=obj,
            action=AuditAction.update,
            changes={"fields": fields} if fields else None,
            reason=ADMIN_REASON,
        )
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            record(actor=request.user, obj=obj, action=AuditAction.delete, reason=ADMIN_REASON)
        return super().log_deletions(request, queryset)


class ReadOnlyInline(admin.TabularInline):
    """An inline that shows rows written elsewhere (by a domain function or a task)."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def stored_file_name(obj):
    """The stored name of a private file. Private media has no URL (settings.MEDIA_URL is
    None), so the admin must not try to link to it; downloads go through the portal."""
    return obj.file.name if obj.file else "–"


stored_file_name.short_description = _("bestand")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "content_type", "object_repr", "reason"]
    list_filter = ["action", "content_type", ("at", admin.DateFieldListFilter)]
    search_fields = ["object_repr", "object_id", "actor__username", "actor__last_name"]
    list_select_related = ["actor", "content_type"]
    date_hierarchy = "at"
    show_full_result_count = False
    fields = [
        "at",
        "actor",
        "action",
        "content_type",
        "object_id",
        "object_repr",
        "changes",
        "reason",
    ]
    readonly_fields = fields

    # The audit log is append-only: written by domain functions, never edited by hand.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
