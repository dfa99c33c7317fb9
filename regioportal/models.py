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


class AuditScope(models.TextChoices):
    """Who may read an entry about participant data (audit_entries_visible_to)."""

    # Not about a participant (a login, an application, a programme's members).
    none = "", _("geen deelnemer")
    # The person (name, contact, views, the access export): everyone who may see them.
    participant = "participant", _("deelnemer")
    # One enrolment (goal, coach, track, status, outcome, ladder, progress): those who may see
    # that programme's participants. Without a programme (not attributable) only the roles
    # that see every programme.
    enrolment = "enrolment", _("inschrijving")


class AuditEntry(models.Model):
    """One thing someone did to (or saw of) an object. Written by domain functions only.

    Entries about participant data also name the participant and their scope, so a
    participant's trail is found (and scrubbed) by participant whatever the object, and each
    reader sees only the entries of the programmes within their reach."""

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
    scope = models.CharField(
        _("bereik"), max_length=12, choices=AuditScope.choices, default="", blank=True
    )
    participant = models.ForeignKey(
        "participants.Participant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # audit_participant_at_idx starts with it
        verbose_name=_("deelnemer"),
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("programma"),
    )
    enrolment = models.ForeignKey(
        "participants.Enrolment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("inschrijving"),
    )

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"]),
            models.Index(fields=["participant", "-at"], name="audit_participant_at_idx"),
        ]

    def __str__(self):
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()} {self.object_repr}"
        )
