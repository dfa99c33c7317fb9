"""The Django admin ("beheer") for the Beheerder: users, roles, reference data.

Day-to-day work happens in the portal, through the domain functions. The admin is for
reference data and corrections, so fields that only a domain function may change (an
application's status, a decision) are read-only here, and every admin view or change of
personal data or an application also goes into the portal's audit log.
"""

import functools

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.formats import number_format
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from programmes.models import Programme

from . import audit
from .audit import record
from .models import AuditAction, AuditEntry

admin.site.site_header = _("Regioportal beheer")
admin.site.site_title = _("Regioportal beheer")
admin.site.index_title = _("Beheer")


def _tolerate_junk_in_admin_autocomplete():
    """Django's admin autocomplete widget looks up the posted value to show it again, and a
    value that is not a key of the related model (``programme=x``) makes that lookup raise:
    the admin answers 500 where the form already says "Selecteer een geldige keuze". Show only
    the values that are keys; the form's own error stays."""
    from django.contrib.admin.widgets import AutocompleteMixin
    from django.core.exceptions import ValidationError

    render_options = AutocompleteMixin.optgroups

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        to_field = getattr(remote, "field_name", None)
        target = remote.model._meta.get_field(to_field) if to_field else remote.model._meta.pk
        keys = []
        for item in value:
            try:
                target.to_python(item)
            except ValidationError:
                continue
            keys.append(item)
        return render_options(self, name, keys, attr)

    AutocompleteMixin.optgroups = optgroups


_tolerate_junk_in_admin_autocomplete()

ADMIN_REASON = "via het beheer"

_admin_view = admin.site.admin_view


@functools.wraps(_admin_view)
def _admin_view_acting(view, cacheable=False):
    """Every admin view runs as its user for the audit log (audit.acting), so a change that
    is recorded from a signal rather than a domain function (a programme's members) still
    names who made it."""
    wrapped = _admin_view(view, cacheable)

    @functools.wraps(wrapped)
    def inner(request, *args, **kwargs):
        with audit.acting(request.user):
            return wrapped(request, *args, **kwargs)

    return inner


admin.site.admin_view = _admin_view_acting


def _stored(obj):
    return type(obj)._default_manager.filter(pk=obj.pk).first() if obj.pk else None


def _field_names(obj, form):
    """The changed fields of the form that are columns of the row (no many-to-many)."""
    concrete = {field.name for field in obj._meta.concrete_fields}
    return [name for name in form.changed_data if name in concrete]


def audit_values_before(obj, form):
    """The stored values of the fields the form changes, for :func:`audit_changes`."""
    stored = _stored(obj)
    return audit.snapshot(stored, _field_names(obj, form)) if stored is not None else None


def audit_changes(before, obj):
    """``{field: [old, new]}`` after the save, as the domain functions record them."""
    return audit.diff(before, obj) if before else {}


def save_audited_formset(request, formset, prepare=None):
    """Save an inline formset and audit each added, changed and deleted row with its
    values, on that row (audit.record scopes it to its participant). ``prepare(obj)`` runs
    before each save (to stamp "recorded by")."""
    befores = {
        form.instance.pk: audit_values_before(form.instance, form)
        for form in formset.initial_forms
        if form.instance.pk and form.has_changed()
    }
    instances = formset.save(commit=False)
    for obj in instances:
        if prepare is not None:
            prepare(obj)
        obj.save()
    for obj in formset.deleted_objects:
        record(actor=request.user, obj=obj, action=AuditAction.delete, reason=ADMIN_REASON)
        obj.delete()
    formset.save_m2m()
    for obj in formset.new_objects:
        record(actor=request.user, obj=obj, action=AuditAction.create, reason=ADMIN_REASON)
    for obj, _fields in formset.changed_objects:
        record(
            actor=request.user,
            obj=obj,
            action=AuditAction.update,
            changes=audit_changes(befores.get(obj.pk), obj),
            reason=ADMIN_REASON,
        )


def euro(value):
    """An amount the Dutch way, "€ 6.400.000,00". Django's admin shows a DecimalField as
    "6400000,00" (thousands are grouped only with USE_THOUSAND_SEPARATOR, which would also
    group years and ids in the portal's templates)."""
    if value is None:
        return admin.site.empty_value_display
    return "€\xa0" + number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


def amount(value):
    """A figure the Dutch way, without cents when it has none: "2.300.000", "12,50"."""
    if value is None:
        return admin.site.empty_value_display
    decimals = 0 if value == value.to_integral_value() else 2
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def amount_column(field, description):
    """Like :func:`euro_column`, for figures in any unit (a target's value)."""

    @admin.display(description=description, ordering=field)
    def column(obj):
        return amount(getattr(obj, field))

    column.__name__ = f"{field}_formatted"
    return column


def euro_column(field, description):
    """A ``list_display`` / ``readonly_fields`` entry showing the money ``field`` with
    :func:`euro`, sortable on the field."""

    @admin.display(description=description, ordering=field)
    def column(obj):
        return euro(getattr(obj, field))

    column.__name__ = f"{field}_in_euro"
    return column


class HetNounAdmin(admin.ModelAdmin):
    """For models whose Dutch name takes "het" (programma, traject, besluit, feitenblad):
    Django's Dutch messages say "De {name} ‘…’ is met succes toegevoegd", which reads
    "De programma"; the article and the pronoun that refers back to it are put right here."""

    def message_user(self, request, message, *args, **kwargs):
        text = str(message)
        prefix = f"De {self.opts.verbose_name} "
        if text.startswith(prefix):
            text = "Het " + text[len("De ") :]
            text = text.replace("U kunt deze hieronder", "U kunt het hieronder")
            # Only literal text was replaced; what Django escaped stays escaped.
            message = mark_safe(text) if isinstance(message, SafeData) else text  # noqa: S308
        return super().message_user(request, message, *args, **kwargs)


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

    def save_model(self, request, obj, form, change):
        before = audit_values_before(obj, form) if change else None
        super().save_model(request, obj, form, change)
        # Old → new, as the portal's domain functions record changes (log_change writes it).
        obj._audit_changes = audit_changes(before, obj)

    def log_change(self, request, obj, message):
        changes = getattr(obj, "_audit_changes", None)
        if not changes:
            # The object's own fields; inline rows are audited on themselves.
            parts = message if isinstance(message, list) else []
            fields = sorted(
                {
                    name
                    for part in parts
                    if "name" not in part.get("changed", {})
                    for name in part.get("changed", {}).get("fields", [])
                }
            )
            changes = {"fields": fields} if fields else None
        record(
            actor=request.user,
            obj=obj,
            action=AuditAction.update,
            changes=changes,
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
    list_filter = ["action", "scope", "content_type", ("at", admin.DateFieldListFilter)]
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
        "scope",
        "participant",
        "programme",
        "enrolment",
    ]
    readonly_fields = fields

    # The audit log is append-only: written by domain functions, never edited by hand.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- users and roles -------------------------------------------------------------------------

PERMISSION_ACTIONS = {
    "add": _("toevoegen"),
    "change": _("wijzigen"),
    "delete": _("verwijderen"),
    "view": _("bekijken"),
}


def permission_label(permission):
    """ "Programma's | programma | toevoegen" instead of Django's stored English name
    ("Can add programma"), which is written once, untranslated, when the table is created."""
    action = permission.codename.partition("_")[0]
    name = PERMISSION_ACTIONS.get(action, permission.name)
    return f"{permission.content_type} | {name}"


class DutchPermissionLabels:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request=request, **kwargs)
        if db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        return field


class ProgrammeMembershipInline(admin.TabularInline):
    """The programmes a user coordinates, on the user's page: this is where the Beheerder
    looks when a coordinator asks for access."""

    class Form(forms.ModelForm):
        class Meta:
            model = Programme.members.through
            fields = ["programme"]
            labels = {"programme": _("programma")}

    model = Programme.members.through
    form = Form
    extra = 0
    autocomplete_fields = ["programme"]
    verbose_name = _("programma als coördinator")
    verbose_name_plural = _("programma's als coördinator")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "programme")


admin.site.unregister(get_user_model())
admin.site.unregister(Group)


@admin.register(get_user_model())
class UserAdmin(DutchPermissionLabels, DjangoUserAdmin):
    inlines = [ProgrammeMembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "roles", "is_active"]
    list_filter = ["groups", "is_active", "is_staff", "is_superuser"]
    # The five roles as checkboxes; Django's two-box selector has untranslated texts.
    filter_horizontal = ["user_permissions"]

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "groups":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request=request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    # The Beheerder manages users and roles but is no superuser (issue 6): it may not make
    # anyone one, itself included, nor change or delete an account that is one.
    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly.append("is_superuser")
        return readonly

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def save_formset(self, request, form, formset, change):
        """A programme membership grants access to its participants: each change made here
        is written to the audit log against the user, with the programmes added and removed."""
        if formset.model is not Programme.members.through:
            return super().save_formset(request, form, formset, change)
        # By object: a deleted row has lost its pk by the time the formset reports it.
        before = {id(f.instance): f.initial.get("programme") for f in formset.initial_forms}
        super().save_formset(request, form, formset, change)
        removed = [before[id(m)] for m in formset.deleted_objects]
        removed += [before[id(m)] for m, _fields in formset.changed_objects]
        added = [m.programme_id for m in formset.new_objects]
        added += [m.programme_id for m, _fields in formset.changed_objects]
        if added or removed:
            names = dict(Programme.objects.filter(pk__in=added + removed).values_list("pk", "name"))
            record(
                actor=request.user,
                obj=form.instance,
                action=AuditAction.update,
                changes={
                    "programma's als coördinator": {
                        "toegevoegd": sorted(names[pk] for pk in added),
                        "verwijderd": sorted(names[pk] for pk in removed),
                    }
                },
                reason=ADMIN_REASON,
            )
        return None

    @admin.display(description=_("rollen"))
    def roles(self, user):
        return ", ".join(sorted(group.name for group in user.groups.all())) or gettext("geen")


@admin.register(Group)
class GroupAdmin(DutchPermissionLabels, DjangoGroupAdmin):
    pass
