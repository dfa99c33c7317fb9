from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    create = "create", _("aangemaakt")
    update = "update", _("gewijzigd")
    delete = "delete", _("verwijderd")
    view = "view", _("bekeken")
    export = "export", _("geëxporteerd")
    anonymise = "anonymise", _("geanonimiseerd")
    status = "status", _("status gewijzigd")
    login = "login", _("ingelogd")
    logout = "logout", _("uitgelogd")
    login_failed = "login_failed", _("inloggen mislukt")


class AuditEntry(models.Model):
    """One thing someone did to (or saw of) an object. Written by domain functions only."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("door"),
    )
    at = models.DateTimeField(_("moment"), auto_now_add=True, db_index=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=_("soort object")
    )
    object_id = models.CharField(_("object-id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    action = models.CharField(_("actie"), max_length=20, choices=AuditAction.choices)
    changes = models.JSONField(_("gewijzigde velden"), default=dict, blank=True)
    reason = models.TextField(_("reden"), blank=True)

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self):
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()} {self.object_repr}"
        )
