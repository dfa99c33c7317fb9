from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from programmes.enums import ActivityKind
from programmes.models import Municipality, Programme, Track

from . import names
from .enums import EnrolmentStatus, LadderLevel, Outcome
from .validators import validate_phone

NAME_FIELDS = ("first_name", "surname_prefix", "last_name")


class Participant(models.Model):
    """Deelnemer. Minimal personal data under the AVG; partners may not store a BSN, so there
    is no field for it. Anonymised participants keep their rows (for the counts) but lose
    every personal detail."""

    reference = models.CharField(_("deelnemersnummer"), max_length=20, unique=True)
    first_name = models.CharField(_("voornaam"), max_length=100)
    surname_prefix = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=150)
    # Kept by save() (and by every bulk write: see names.sort_name): the list sorts on it and
    # the search matches word starts in it, case- and accent-insensitively, with the same
    # index on PostgreSQL and SQLite. Not editable: it follows the name.
    sort_name = models.CharField(_("sorteernaam"), max_length=300, editable=False, default="")
    birth_date = models.DateField(_("geboortedatum"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("geboortejaar"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participants",
        verbose_name=_("woongemeente"),
    )
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(
        _("telefoonnummer"), max_length=20, blank=True, validators=[validate_phone]
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("deelnemer")
        verbose_name_plural = _("deelnemers")
        ordering = ["sort_name", "id"]
        indexes = [
            models.Index(fields=["sort_name", "id"], name="participant_sort_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_date__isnull=True) | Q(birth_year__isnull=True),
                name="participant_birth_date_or_year",
                violation_error_message=_(
                    "Vul een geboortedatum óf een geboortejaar in, niet beide."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.reference})"

    def save(self, *args, **kwargs):
        self.sort_name = names.sort_name(self.first_name, self.surname_prefix, self.last_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(NAME_FIELDS):
            kwargs["update_fields"] = {*update_fields, "sort_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("participants:detail", kwargs={"pk": self.pk})

    @property
    def full_name(self):
        """ "Eva de Boer" """
        return names.full_name(self.first_name, self.surname_prefix, self.last_name)

    @property
    def list_name(self):
        """ "Boer, Eva de": how lists write the name (sorted on the achternaam)."""
        return names.list_name(self.first_name, self.surname_prefix, self.last_name)

    @property
    def year_of_birth(self):
        return self.birth_date.year if self.birth_date else self.birth_year


class Consent(models.Model):
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="consents", verbose_name=_("deelnemer")
    )
    given_on = models.DateField(_("datum toestemming"))
    purpose = models.CharField(_("doel"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    withdrawn_on = models.DateField(_("ingetrokken op"), null=True, blank=True)

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["-given_on"]

    def __str__(self):
        return f"{self.purpose} ({self.given_on:%d-%m-%Y})"


class Enrolment(models.Model):
    """Inschrijving / traject of a participant in a programme."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("deelnemer"),
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("programma")
    )
    track = models.ForeignKey(
        Track,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("traject"),
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coached_enrolments",
        verbose_name=_("coach"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=EnrolmentStatus.choices, default=EnrolmentStatus.intake
    )
    personal_goal = models.TextField(_("persoonlijk doel"), blank=True)
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    starting_ladder_level = models.PositiveSmallIntegerField(
        _("startniveau participatieladder"), choices=LadderLevel.choices, null=True, blank=True
    )
    # Kept in step with the newest LadderStep by the domain functions, so lists need no join.
    current_ladder_level = models.PositiveSmallIntegerField(
        _("huidig niveau participatieladder"), choices=LadderLevel.choices, null=True, blank=True
    )
    outcome = models.CharField(_("uitstroom"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_date = models.DateField(_("datum uitstroom"), null=True, blank=True)
    # Set when the free text of this enrolment was erased (services.erase_enrolments, or the
    # full erasure of the person): from then on nothing can be written to it again.
    erased_at = models.DateTimeField(_("gewist op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("inschrijving")
        verbose_name_plural = _("inschrijvingen")
        ordering = ["-start_date", "id"]
        indexes = [
            models.Index(fields=["programme", "status"], name="enrolment_status_idx"),
            models.Index(fields=["programme", "outcome"], name="enrolment_outcome_idx"),
            models.Index(fields=["end_date"], name="enrolment_end_date_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "programme", "start_date"],
                name="enrolment_unique_start_per_programme",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="enrolment_end_after_start",
            ),
            # Retention counts from the end date (services.participants_past_retention): an
            # enrolment closed without one would be kept forever.
            models.CheckConstraint(
                condition=~Q(status__in=EnrolmentStatus.closed()) | Q(end_date__isnull=False),
                name="enrolment_closed_has_end_date",
                violation_error_message=_("Een afgesloten inschrijving heeft een einddatum."),
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome_date__isnull=False),
                name="enrolment_outcome_has_date",
            ),
            models.CheckConstraint(
                condition=Q(starting_ladder_level__isnull=True)
                | Q(starting_ladder_level__gte=1, starting_ladder_level__lte=6),
                name="enrolment_starting_level_range",
            ),
            models.CheckConstraint(
                condition=Q(current_ladder_level__isnull=True)
                | Q(current_ladder_level__gte=1, current_ladder_level__lte=6),
                name="enrolment_current_level_range",
            ),
        ]

    def __str__(self):
        return f"{self.participant} – {self.programme}"

    # Cheaper than get_status_display() in a 50-row list: no choices dict built per call.
    @property
    def status_label(self):
        return EnrolmentStatus(self.status).label

    @property
    def outcome_label(self):
        return Outcome(self.outcome).label if self.outcome else ""


class LadderStep(models.Model):
    """One recorded level on the participation ladder; the history of an enrolment."""

    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="ladder_steps",
        verbose_name=_("inschrijving"),
    )
    level = models.PositiveSmallIntegerField(_("niveau"), choices=LadderLevel.choices)
    recorded_on = models.DateField(_("datum"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )

    class Meta:
        verbose_name = _("trede participatieladder")
        verbose_name_plural = _("treden participatieladder")
        ordering = ["enrolment", "-recorded_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=6), name="ladder_step_level_range"
            )
        ]

    def __str__(self):
        return f"{self.get_level_display()} ({self.recorded_on:%d-%m-%Y})"


class GroupActivity(models.Model):
    """A workshop or thema-avond recorded once for several attendees."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="group_activities",
        verbose_name=_("programma"),
    )
    kind = models.CharField(_("soort"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("titel"), max_length=200)
    date = models.DateField(_("datum"))
    duration_minutes = models.PositiveIntegerField(_("duur (minuten)"), null=True, blank=True)
    note = models.TextField(_("notitie"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("groepsactiviteit")
        verbose_name_plural = _("groepsactiviteiten")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.title} ({self.date:%d-%m-%Y})"


class ProgressEntry(models.Model):
    """Voortgang: one coaching session, workshop, milestone or note in an enrolment."""

    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="progress_entries",
        verbose_name=_("inschrijving"),
    )
    kind = models.CharField(_("soort"), max_length=20, choices=ActivityKind.choices)
    date = models.DateField(_("datum"))
    duration_minutes = models.PositiveIntegerField(
        _("duur (minuten)"), null=True, blank=True, validators=[MaxValueValidator(24 * 60)]
    )
    note = models.TextField(_("notitie"), blank=True)
    milestone = models.CharField(_("mijlpaal bereikt"), max_length=200, blank=True)
    group_activity = models.ForeignKey(
        GroupActivity,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("groepsactiviteit"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("auteur"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("voortgangsregel")
        verbose_name_plural = _("voortgang")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["enrolment", "-date", "-id"], name="progress_timeline_idx"),
            # "Recently recorded by me" on the coordinator's dashboard.
            models.Index(fields=["author", "-date", "-id"], name="progress_author_recent_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True) | Q(duration_minutes__lte=24 * 60),
                name="progress_duration_at_most_a_day",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%d-%m-%Y}"


class ImportStatus(models.TextChoices):
    queued = "queued", _("In de wachtrij")
    running = "running", _("Bezig")
    done = "done", _("Klaar")
    failed = "failed", _("Afgekeurd")


def import_path(instance, filename):
    return f"imports/{instance.programme.slug}/{filename}"


class ParticipantImport(models.Model):
    """A bulk intake from a CSV file. Small files are imported in the request; large ones by a
    Celery task that updates ``processed_rows`` so the page can show progress. All or nothing:
    any invalid row rejects the whole file, with every error listed by row and column."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="imports", verbose_name=_("programma")
    )
    file = models.FileField(_("bestand"), upload_to=import_path, max_length=300)
    original_name = models.CharField(_("bestandsnaam"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.queued
    )
    total_rows = models.PositiveIntegerField(_("aantal rijen"), default=0)
    processed_rows = models.PositiveIntegerField(_("verwerkte rijen"), default=0)
    created_count = models.PositiveIntegerField(_("aangemaakte deelnemers"), default=0)
    errors = models.JSONField(_("fouten"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("geüpload door"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)

    class Meta:
        verbose_name = _("deelnemersimport")
        verbose_name_plural = _("deelnemersimports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"
