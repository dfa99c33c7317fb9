from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from regioportal.roles import Role

from .enums import (
    ActivityKind,
    OrganisationKind,
    PartnerRole,
    ProgrammeStatus,
    Province,
    TargetMetric,
)

MONEY = {"max_digits": 14, "decimal_places": 2}


class Municipality(models.Model):
    name = models.CharField(_("naam"), max_length=100, unique=True)
    cbs_code = models.CharField(
        _("CBS-code"), max_length=6, unique=True, help_text=_("Bijvoorbeeld GM1966.")
    )
    province = models.CharField(_("provincie"), max_length=20, choices=Province.choices)

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cbs_code__regex=r"^GM[0-9]{4}$"), name="municipality_cbs_code_format"
            )
        ]

    def __str__(self):
        return self.name


class Organisation(models.Model):
    name = models.CharField(_("naam"), max_length=200, unique=True)
    kind = models.CharField(_("soort"), max_length=20, choices=OrganisationKind.choices)
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
        verbose_name=_("gemeente"),
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]

    def __str__(self):
        return self.name


class UmbrellaProgramme(models.Model):
    """Overkoepelend programma / kader, e.g. Leefbaarheidsprogramma 2020-2023."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="umbrella_programmes",
        verbose_name=_("opdrachtgever"),
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("einde"), null=True, blank=True)
    budget = models.DecimalField(_("budget (€)"), null=True, blank=True, **MONEY)

    class Meta:
        verbose_name = _("overkoepelend programma")
        verbose_name_plural = _("overkoepelende programma's")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__gte=0) | Q(budget__isnull=True),
                name="umbrella_budget_non_negative",
            ),
        ]

    def __str__(self):
        return self.name


class ProgrammeLine(models.Model):
    """Programmalijn / pijler of an umbrella programme. Lines can be grouped under a parent
    (Provinciebrede aanpak → Zorg & Voorzieningen, Sociale Agenda, …)."""

    umbrella = models.ForeignKey(
        UmbrellaProgramme,
        on_delete=models.CASCADE,
        related_name="lines",
        verbose_name=_("overkoepelend programma"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("onderdeel van"),
    )
    slug = models.SlugField(_("slug"), max_length=80)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    budget = models.DecimalField(_("budget (€)"), null=True, blank=True, **MONEY)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("programmalijn")
        verbose_name_plural = _("programmalijnen")
        ordering = ["umbrella", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["umbrella", "slug"], name="line_slug_unique_per_umbrella"
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=0) | Q(budget__isnull=True),
                name="line_budget_non_negative",
            ),
        ]

    def __str__(self):
        return self.name


class Programme(models.Model):
    """Programma / project, e.g. Op Koers. Coordinators see the programmes they are a member of."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    summary = models.TextField(_("korte omschrijving"), blank=True)
    umbrella = models.ForeignKey(
        UmbrellaProgramme,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("overkoepelend programma"),
    )
    lines = models.ManyToManyField(
        ProgrammeLine, blank=True, related_name="programmes", verbose_name=_("programmalijnen")
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="led_programmes",
        verbose_name=_("penvoerder"),
    )
    partners = models.ManyToManyField(
        Organisation,
        through="ProgrammePartner",
        blank=True,
        related_name="partner_programmes",
        verbose_name=_("partners"),
    )
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="programmes", verbose_name=_("gemeenten")
    )
    target_group = models.CharField(_("doelgroep"), max_length=300, blank=True)
    age_min = models.PositiveSmallIntegerField(
        _("leeftijd vanaf"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    age_max = models.PositiveSmallIntegerField(
        _("leeftijd tot en met"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("einde"), null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(
        _("doorlooptijd traject (maanden)"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.idea
    )
    budget = models.DecimalField(_("budget (€)"), null=True, blank=True, **MONEY)
    activity_kinds = models.JSONField(
        _("activiteiten"),
        default=list,
        blank=True,
        help_text=_("Soorten activiteiten die het programma aanbiedt."),
    )
    has_participants = models.BooleanField(
        _("registreert deelnemers"),
        default=True,
        help_text=_(
            "Uit voor programma's zonder deelnemersregistratie (bijv. een subsidieregeling)."
        ),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="programmes",
        verbose_name=_("coördinatoren"),
        # Membership gives access to the participants: only coordinators are offered (the
        # admin's autocomplete and form validation both apply this).
        limit_choices_to={"groups__name": Role.coordinator.value},
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("programma")
        verbose_name_plural = _("programma's")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__gte=0) | Q(budget__isnull=True),
                name="programme_budget_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True)
                | Q(age_max__isnull=True)
                | Q(age_min__lte=models.F("age_max")),
                name="programme_age_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(start_date__lte=models.F("end_date")),
                name="programme_dates_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programmes:detail", kwargs={"slug": self.slug})

    def get_activity_kinds_display(self):
        return [ActivityKind(kind).label for kind in self.activity_kinds if kind in ActivityKind]


def _membership_str(membership):
    return f"{membership.user} – {membership.programme}"


# A membership row (the auto-created table behind Programme.members) is shown in the admin
# and the audit log; Django would call it "Programme_members object (1)".
Programme.members.through.__str__ = _membership_str


class ProgrammePartner(models.Model):
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="partnerships",
        verbose_name=_("programma"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="partnerships",
        verbose_name=_("organisatie"),
    )
    role = models.CharField(
        _("rol"), max_length=20, choices=PartnerRole.choices, default=PartnerRole.partner
    )

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation"], name="partner_unique_per_programme"
            )
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"


class Track(models.Model):
    """Traject / spoor within a programme, e.g. Klei Impuls' Talentontwikkeling."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="tracks", verbose_name=_("programma")
    )
    name = models.CharField(_("naam"), max_length=120)
    description = models.TextField(_("omschrijving"), blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")
        ordering = ["programme", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="track_unique_per_programme")
        ]

    def __str__(self):
        return self.name


class Target(models.Model):
    """A programme's target / KPI. The actual value is computed from rows where the unit is in
    the portal (``metric``), otherwise recorded by staff with its source."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="targets", verbose_name=_("programma")
    )
    name = models.CharField(_("indicator"), max_length=200)
    metric = models.CharField(
        _("berekening"), max_length=30, choices=TargetMetric.choices, default=TargetMetric.recorded
    )
    target_value = models.DecimalField(
        _("streefwaarde"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    recorded_value = models.DecimalField(
        _("vastgelegde waarde"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    is_minimum = models.BooleanField(
        _("ondergrens"), default=False, help_text=_("Toon als 'ruim'/'meer dan' (bijv. 750+).")
    )
    unit = models.CharField(_("eenheid"), max_length=40, blank=True)
    year = models.PositiveSmallIntegerField(_("jaar"), null=True, blank=True)
    source = models.CharField(_("bron"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("doelstelling")
        verbose_name_plural = _("doelstellingen")
        ordering = ["programme", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(metric="recorded")
                | Q(recorded_value__isnull=False)
                | Q(target_value__isnull=False),
                name="target_recorded_has_a_value",
            ),
        ]

    def __str__(self):
        return f"{self.programme}: {self.name}"
