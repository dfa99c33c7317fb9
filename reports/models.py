from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from programmes.models import Programme, UmbrellaProgramme


class FactsheetKind(models.TextChoices):
    highlight = "uitgelicht", _("Uitgelicht (één programma)")
    overview = "overzicht", _("Overzicht (overkoepelend programma)")


class Factsheet(models.Model):
    """The narrative of a feitenblad, edited by staff in the browser. Figures and charts are
    not stored here: they are computed from the data when the PDF is rendered.

    Bullet fields hold one bullet per line; ``quotes`` one quote per paragraph."""

    kind = models.CharField(_("soort"), max_length=12, choices=FactsheetKind.choices)
    programme = models.OneToOneField(
        Programme,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="factsheet",
        verbose_name=_("programma"),
    )
    umbrella = models.OneToOneField(
        UmbrellaProgramme,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="factsheet",
        verbose_name=_("overkoepelend programma"),
    )
    title = models.CharField(_("titel"), max_length=200)
    subtitle = models.CharField(_("ondertitel"), max_length=200, blank=True)
    part_of = models.CharField(
        _("onderdeel van"),
        max_length=200,
        blank=True,
        help_text=_("Bijv. 'Onderdeel van de Krimpagenda 2020-2030'."),
    )
    intro = models.TextField(_("inleiding"), blank=True)
    what_is_heading = models.CharField(_("kop 'Wat is …?'"), max_length=200, blank=True)
    what_is = models.TextField(_("wat is het?"), blank=True)
    background = models.TextField(_("aanleiding"), blank=True)
    goal = models.TextField(_("doel"), blank=True)
    approach = models.TextField(_("aanpak"), blank=True)
    start = models.TextField(_("start"), blank=True)
    current_state = models.TextField(_("waar staan we nu?"), blank=True)
    added_value = models.TextField(_("de provincie creëert meerwaarde door"), blank=True)
    quotes = models.TextField(_("citaten"), blank=True)
    results = models.TextField(_("wat zijn de resultaten?"), blank=True)
    lessons = models.TextField(_("wat hebben we geleerd?"), blank=True)
    next_steps = models.TextField(_("het vervolg"), blank=True)
    source_line = models.TextField(_("bronvermelding"), blank=True)
    links = models.TextField(_("links"), blank=True, help_text=_("Eén adres per regel."))
    author_line = models.CharField(
        _("auteursregel"),
        max_length=200,
        default="Opgesteld door Sociaal Planbureau Groningen, onderdeel van CMO STAMM",
    )
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("gewijzigd door"),
    )

    # The narrative fields, in the order of the sheet: what staff edit (reports.editing),
    # what the demo loads (reports.demo) and what the content hash covers (reports.content).
    NARRATIVE_FIELDS = [
        "title",
        "subtitle",
        "part_of",
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
        "source_line",
        "links",
        "author_line",
    ]

    class Meta:
        verbose_name = _("feitenblad")
        verbose_name_plural = _("feitenbladen")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(programme__isnull=False) & Q(umbrella__isnull=True))
                | (Q(programme__isnull=True) & Q(umbrella__isnull=False)),
                name="factsheet_about_exactly_one_subject",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reports:factsheet-detail", kwargs={"pk": self.pk})

    @property
    def subject(self):
        return self.programme or self.umbrella


class RenderStatus(models.TextChoices):
    queued = "queued", _("In de wachtrij")
    rendering = "rendering", _("Bezig")
    ready = "ready", _("Klaar")
    failed = "failed", _("Mislukt")

    @classmethod
    def pending(cls):
        """A job that will still end by itself: a second request joins it."""
        return [cls.queued, cls.rendering]


class RenderJob(models.Model):
    """The state of a PDF job, kept in the database (not only in Celery's result backend), so
    that the status page, the sweeper and a redelivered task all read the same truth.

    ``task_id`` is the Celery task that owns the job now: a message with another id (an old
    delivery after the sweeper re-queued the job) leaves it alone."""

    status = models.CharField(
        _("status"), max_length=10, choices=RenderStatus.choices, default=RenderStatus.queued
    )
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    error_message = models.TextField(_("foutmelding"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("aangevraagd door"),
    )
    requested_at = models.DateTimeField(_("aangevraagd"), auto_now_add=True)
    started_at = models.DateTimeField(_("gestart"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    content_hash = models.CharField(
        _("inhoudshash"),
        max_length=64,
        blank=True,
        help_text=_(
            "Hash van tekst en cijfers; gelijke inhoud hoeft niet opnieuw gemaakt te worden."
        ),
    )
    sha256 = models.CharField(_("SHA-256 van het bestand"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("grootte (bytes)"), null=True, blank=True)
    page_count = models.PositiveSmallIntegerField(_("pagina's"), null=True, blank=True)
    # Private storage (settings.STORAGES["default"]), outside the static root; served only
    # through the permission-checked download views.
    file = models.FileField(_("bestand"), upload_to="factsheets/", blank=True, max_length=300)
    task_id = models.CharField(_("Celery-taak"), max_length=50, blank=True)

    class Meta:
        abstract = True

    @property
    def is_pending(self):
        return self.status in RenderStatus.pending()


class RenderedFactsheet(RenderJob):
    """One rendering of a factsheet to a PDF, made by reports.tasks.render_factsheet_task."""

    factsheet = models.ForeignKey(
        Factsheet, on_delete=models.CASCADE, related_name="renderings", verbose_name=_("feitenblad")
    )
    file_format = models.CharField(_("formaat"), max_length=10, default="pdf")
    forced = models.BooleanField(
        _("opnieuw gemaakt"),
        default=False,
        help_text=_("Aangevraagd met 'opnieuw genereren', ook al was de inhoud niet gewijzigd."),
    )

    class Meta:
        verbose_name = _("gemaakt feitenblad")
        verbose_name_plural = _("gemaakte feitenbladen")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="ready") | ~Q(file=""), name="rendered_ready_has_file"
            ),
            # Two clicks on "Genereer PDF" are one job, also when they race past the lock.
            models.UniqueConstraint(
                fields=["factsheet"],
                condition=Q(status__in=["queued", "rendering"]),
                name="one_pending_rendering_per_factsheet",
            ),
        ]
        indexes = [models.Index(fields=["status", "started_at"], name="rendering_status_started")]

    def __str__(self):
        return f"{self.factsheet} ({self.get_status_display()})"


class FactsheetBatch(RenderJob):
    """The combined PDF of a terugblik: the umbrella's overview and every programme factsheet
    under it, one bookmark each. ``done`` of ``total`` factsheets is the progress shown while
    it runs."""

    umbrella = models.ForeignKey(
        UmbrellaProgramme,
        on_delete=models.CASCADE,
        related_name="factsheet_batches",
        verbose_name=_("overkoepelend programma"),
    )
    done = models.PositiveSmallIntegerField(_("klaar"), default=0)
    total = models.PositiveSmallIntegerField(_("totaal"), default=0)

    class Meta:
        verbose_name = _("terugblik-pdf")
        verbose_name_plural = _("terugblik-pdf's")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="ready") | ~Q(file=""), name="batch_ready_has_file"
            ),
            models.UniqueConstraint(
                fields=["umbrella"],
                condition=Q(status__in=["queued", "rendering"]),
                name="one_pending_batch_per_umbrella",
            ),
        ]
        indexes = [models.Index(fields=["status", "started_at"], name="batch_status_started")]

    def __str__(self):
        return f"{self.umbrella} ({self.get_status_display()})"
