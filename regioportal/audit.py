"""Writing the audit log. Every domain function that changes (or reveals) personal data
or an application calls :func:`record`."""

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from .models import AuditAction, AuditEntry


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return value


def snapshot(instance, fields):
    """The current values of ``fields``, for :func:`diff` after a change."""
    return {name: _plain(getattr(instance, name)) for name in fields}


def diff(before, instance):
    """``{field: [old, new]}`` for every field in ``before`` whose value changed."""
    changes = {}
    for name, old in before.items():
        new = _plain(getattr(instance, name))
        if old != new:
            changes[name] = [old, new]
    return changes


def record(*, actor, obj, action, changes=None, reason=""):
    """Append one entry to the audit log and return it."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    return AuditEntry.objects.create(
        actor=actor,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action=AuditAction(action),
        changes=changes or {},
        reason=reason,
    )


def entries_for(obj):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
    ).select_related("actor")
