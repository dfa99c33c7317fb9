from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from programmes.models import MONEY, Organisation, Programme, ProgrammeLine
from reports.models import RenderJob

from .enums import (
    AllocationMethod,
    ApplicationStatus,
    AttachmentKind,
    Channel,
    DecisionOutcome,
    ObjectionOutcome,
    PaymentKind,
    Recommendation,
    RejectionReason,
    ReviewStatus,
)


class Scheme(models.Model):
    """Subsidieregeling."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    line = models.ForeignKey(
        ProgrammeLine,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="schemes",
        verbose_name=_("programmalijn"),
    )
    allocation_method = models.CharField(
        _("verdeelmethode"),
        max_length=10,
        choices=AllocationMethod.choices,
        default=AllocationMethod.tender,
    )
    decision_weeks = models.PositiveSmallIntegerField(
        _("beslistermijn (weken)"), default=8, validators=[MinValueValidator(1)]
    )
    completion_weeks = models.PositiveSmallIntegerField(
        _("hersteltermijn (weken)"), default=2, validators=[MinValueValidator(1)]
    )
    min_amount = models.DecimalField(_("minimumbedrag (€)"), null=True, blank=True, **MONEY)
    max_amount = models.DecimalField(_("maximumbedrag (€)"), null=True, blank=True, **MONEY)
    budget = models.DecimalField(_("totaalbudget (€)"), null=True, blank=True, **MONEY)
    min_total_score = models.DecimalField(
        _("minimale gewogen totaalscore"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Onder deze gewogen totaalscore komt een aanvraag niet in aanmerking."),
    )
    is_de_minimis = models.BooleanField(
        _("de-minimissteun"),
        default=False,
        help_text=_("Subsidies uit deze regeling tellen mee voor het de-minimisplafond."),
    )
    handlers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="handled_schemes",
        verbose_name=_("behandelaars"),
        help_text=_("De subsidiebehandelaars die de aanvragen van deze regeling behandelen."),
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("subsidieregeling")
        verbose_name_plural = _("subsidieregelingen")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_amount__isnull=True) | Q(min_amount__gte=0),
                name="scheme_min_amount_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(min_amount__isnull=True)
                | Q(max_amount__isnull=True)
                | Q(min_amount__lte=F("max_amount")),
                name="scheme_amount_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="scheme_budget_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(min_total_score__isnull=True) | Q(min_total_score__gte=0),
                name="scheme_min_total_score_non_negative",
            ),
        ]

    def __str__(self):
        return self.name


class Criterion(models.Model):
    """A published assessment criterion of a scheme."""

    scheme = models.ForeignKey(
        Scheme, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("regeling")
    )
    name = models.CharField(_("criterium"), max_length=200)
    description = models.TextField(_("toelichting"), blank=True)
    weight = models.DecimalField(
        _("weging"), max_digits=5, decimal_places=2, default=1, validators=[MinValueValidator(0)]
    )
    max_points = models.PositiveSmallIntegerField(_("maximum punten"), default=10)
    min_points = models.PositiveSmallIntegerField(
        _("minimumscore"),
        default=0,
        help_text=_("Onder deze score komt een aanvraag niet in aanmerking."),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("beoordelingscriterium")
        verbose_name_plural = _("beoordelingscriteria")
        ordering = ["scheme", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="criterion_unique_per_scheme"),
            models.CheckConstraint(
                condition=Q(min_points__lte=F("max_points")), name="criterion_threshold_within_max"
            ),
            models.CheckConstraint(
                condition=Q(max_points__gt=0), name="criterion_max_points_positive"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0), name="criterion_weight_non_negative"
            ),
        ]

    def __str__(self):
        return self.name


class Tender(models.Model):
    """Tenderronde with an opening and closing moment and a subsidieplafond."""

    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="tenders", verbose_name=_("regeling")
    )
    name = models.CharField(_("naam"), max_length=200)
    opens_at = models.DateTimeField(_("opent"))
    closes_at = models.DateTimeField(_("sluit"))
    ceiling = models.DecimalField(_("subsidieplafond (€)"), **MONEY)
    reserve = models.DecimalField(
        _("reserve voor bezwaar (€)"),
        default=0,
        help_text=_(
            "Deel van het plafond dat vrij blijft voor subsidies die in bezwaar worden verleend "
            "(Awb 4:25 lid 3)."
        ),
        **MONEY,
    )
    # The sum of granted_amount of the tender's granted applications, kept by
    # subsidies.services under a row lock on the tender; the check constraint below makes a
    # grant beyond the ceiling impossible in the database itself.
    granted_total = models.DecimalField(_("totaal verleend (€)"), default=0, **MONEY)

    class Meta:
        verbose_name = _("tenderronde")
        verbose_name_plural = _("tenderrondes")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="tender_closes_after_opening"
            ),
            models.CheckConstraint(condition=Q(ceiling__gte=0), name="tender_ceiling_non_negative"),
            models.CheckConstraint(
                condition=Q(reserve__gte=0) & Q(reserve__lte=F("ceiling")),
                name="tender_reserve_within_ceiling",
            ),
            models.CheckConstraint(
                condition=Q(granted_total__gte=0) & Q(granted_total__lte=F("ceiling")),
                name="tender_granted_within_ceiling",
            ),
            models.UniqueConstraint(
                fields=["scheme", "name"], name="tender_name_unique_per_scheme"
            ),
        ]

    def __str__(self):
        return self.name


class Application(models.Model):
    """Aanvraag. Status and dates follow the Awb lifecycle; changes go through
    ``subsidies.services`` only, which audit them."""

    reference = models.CharField(_("zaaknummer"), max_length=30, unique=True)
    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="applications", verbose_name=_("regeling")
    )
    tender = models.ForeignKey(
        Tender,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("tenderronde"),
    )
    programme = models.ForeignKey(
        Programme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
        verbose_name=_("programma"),
        help_text=_("Het programma of project waarvoor de subsidie is."),
    )
    applicant = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("aanvrager"),
    )
    contact_name = models.CharField(_("contactpersoon"), max_length=150)
    contact_email = models.EmailField(_("e-mailadres contactpersoon"))
    contact_phone = models.CharField(_("telefoon contactpersoon"), max_length=20, blank=True)
    title = models.CharField(_("projecttitel"), max_length=250)
    summary = models.TextField(_("samenvatting"), blank=True)
    requested_amount = models.DecimalField(_("aangevraagd bedrag (€)"), **MONEY)
    granted_amount = models.DecimalField(_("verleend bedrag (€)"), null=True, blank=True, **MONEY)
    settled_amount = models.DecimalField(
        _("vastgesteld bedrag (€)"), null=True, blank=True, **MONEY
    )
    co_financing = models.DecimalField(_("cofinanciering (€)"), default=0, **MONEY)
    de_minimis_declared = models.BooleanField(_("de-minimisverklaring ontvangen"), default=False)
    channel = models.CharField(
        _("ontvangen via"), max_length=10, choices=Channel.choices, default=Channel.eloket
    )
    rejection_reason = models.CharField(
        _("reden afwijzing"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.received,
    )
    received_on = models.DateField(_("ontvangen op"))
    # The moment of receipt: first-come-first-served schemes allocate in this order.
    received_at = models.DateTimeField(_("ontvangen om"), null=True, blank=True)
    completion_deadline = models.DateField(_("hersteltermijn tot"), null=True, blank=True)
    incomplete_since = models.DateField(_("onvolledig sinds"), null=True, blank=True)
    paused_days = models.PositiveIntegerField(
        _("dagen opgeschort"),
        default=0,
        help_text=_("De beslistermijn is opgeschort zolang de aanvraag onvolledig was."),
    )
    decision_deadline = models.DateField(_("beslistermijn tot"))
    decided_on = models.DateField(_("besloten op"), null=True, blank=True)
    objection_deadline = models.DateField(_("bezwaartermijn tot"), null=True, blank=True)
    settled_on = models.DateField(_("vastgesteld op"), null=True, blank=True)
    # Kept by subsidies.services when a review is submitted: the weighted total of the
    # submitted, unconflicted reviews, and whether it meets the scheme's minimums.
    score_total = models.DecimalField(
        _("gewogen totaalscore"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    is_eligible = models.BooleanField(_("komt in aanmerking"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("positie in rangschikking"), null=True, blank=True)
    lottery_number = models.PositiveIntegerField(_("lotnummer"), null=True, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_applications",
        verbose_name=_("behandelaar"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("aanvraag")
        verbose_name_plural = _("aanvragen")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["status", "decision_deadline"], name="application_deadline_idx"),
            models.Index(fields=["tender", "status"], name="application_tender_idx"),
            models.Index(fields=["scheme", "status"], name="application_scheme_idx"),
            # The worklist's sorts: a page of 50 read along the index, not 20.000 rows sorted.
            models.Index(fields=["decision_deadline", "id"], name="application_deadline_sort_idx"),
            models.Index(fields=["requested_amount", "id"], name="application_amount_sort_idx"),
            models.Index(fields=["received_on", "id"], name="application_received_sort_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_amount__gte=0), name="application_requested_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(granted_amount__isnull=True) | Q(granted_amount__gte=0),
                name="application_granted_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(granted_amount__isnull=True)
                | Q(granted_amount__lte=F("requested_amount")),
                name="application_granted_at_most_requested",
            ),
            models.CheckConstraint(
                condition=Q(settled_amount__isnull=True) | Q(settled_amount__gte=0),
                name="application_settled_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(co_financing__gte=0), name="application_co_financing_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(decision_deadline__gte=F("received_on")),
                name="application_deadline_after_receipt",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=ApplicationStatus.granted_group())
                | Q(granted_amount__isnull=False),
                name="application_granted_has_amount",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("subsidies:application-detail", kwargs={"reference": self.reference})


class BudgetLine(models.Model):
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="budget_lines",
        verbose_name=_("aanvraag"),
    )
    description = models.CharField(_("post"), max_length=200)
    amount = models.DecimalField(_("bedrag (€)"), **MONEY)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("begrotingspost")
        verbose_name_plural = _("begroting")
        ordering = ["application", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_non_negative"),
        ]

    def __str__(self):
        return self.description


class Review(models.Model):
    """Beoordeling by one reviewer. A declared conflict of interest excludes the reviewer."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("aanvraag")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reviews",
        verbose_name=_("beoordelaar"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.draft
    )
    recommendation = models.CharField(
        _("advies"), max_length=12, choices=Recommendation.choices, blank=True
    )
    comments = models.TextField(_("toelichting"), blank=True)
    # None until the reviewer has declared; True excludes them from the application.
    conflict_of_interest = models.BooleanField(
        _("belangenverstrengeling"), null=True, blank=True, default=None
    )
    conflict_declared_at = models.DateTimeField(_("verklaring afgelegd"), null=True, blank=True)
    due_on = models.DateField(_("gereed uiterlijk"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("toegewezen door"),
    )
    conflict_explanation = models.TextField(_("toelichting belangenverstrengeling"), blank=True)
    assigned_at = models.DateTimeField(_("toegewezen"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("ingediend"), null=True, blank=True)

    class Meta:
        verbose_name = _("beoordeling")
        verbose_name_plural = _("beoordelingen")
        ordering = ["application", "id"]
        indexes = [
            models.Index(fields=["reviewer", "status"], name="review_reviewer_status_idx"),
            # "Mijn beoordelingen" by due date: a page read along the index.
            models.Index(fields=["reviewer", "due_on", "id"], name="review_reviewer_due_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="review_one_per_reviewer_per_application"
            ),
            models.CheckConstraint(
                condition=~Q(status="ingediend") | Q(submitted_at__isnull=False),
                name="review_submitted_has_moment",
            ),
        ]

    def __str__(self):
        return f"{self.application.reference} – {self.reviewer}"


class Score(models.Model):
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="scores", verbose_name=_("beoordeling")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("criterium")
    )
    points = models.PositiveSmallIntegerField(_("punten"))
    note = models.TextField(_("motivering"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_one_per_criterion"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.points}"


class Decision(models.Model):
    """Besluit (beschikking) on an application: verlening, afwijzing, buiten behandeling,
    or vaststelling."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("aanvraag")
    )
    outcome = models.CharField(_("besluit"), max_length=20, choices=DecisionOutcome.choices)
    amount = models.DecimalField(_("bedrag (€)"), null=True, blank=True, **MONEY)
    decided_on = models.DateField(_("datum besluit"))
    effective_on = models.DateField(_("ingangsdatum"), null=True, blank=True)
    sent_on = models.DateField(_("verzenddatum"), null=True, blank=True)
    reason = models.CharField(
        _("reden afwijzing"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    supersedes = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name=_("vervangt besluit"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("besloten door"),
    )
    motivation = models.TextField(_("motivering"), blank=True)
    # ZGW "uiterlijke reactiedatum": the last day of the six-week objection term.
    objection_deadline = models.DateField(_("bezwaar mogelijk tot"), null=True, blank=True)

    class Meta:
        verbose_name = _("besluit")
        verbose_name_plural = _("besluiten")
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="decision_amount_non_negative",
            ),
        ]

    def __str__(self):
        return f"{self.application.reference}: {self.get_outcome_display()}"


class Payment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="payments", verbose_name=_("aanvraag")
    )
    kind = models.CharField(_("soort"), max_length=15, choices=PaymentKind.choices)
    amount = models.DecimalField(_("bedrag (€)"), **MONEY)
    paid_on = models.DateField(_("datum"))
    note = models.CharField(_("omschrijving"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("betaling")
        verbose_name_plural = _("betalingen")
        ordering = ["application", "paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} € {self.amount}"


def attachment_path(instance, filename):
    return f"applications/{instance.application.reference}/{filename}"


class Attachment(models.Model):
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("aanvraag"),
    )
    kind = models.CharField(_("soort"), max_length=20, choices=AttachmentKind.choices)
    file = models.FileField(_("bestand"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("bestandsnaam"), max_length=200)
    content_type = models.CharField(_("bestandstype"), max_length=100)
    size = models.PositiveIntegerField(_("grootte (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("geüpload door"),
    )
    uploaded_at = models.DateTimeField(_("geüpload"), auto_now_add=True)

    class Meta:
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")
        ordering = ["application", "uploaded_at"]

    def __str__(self):
        return self.original_name


class ReferenceSequence(models.Model):
    """The last sequence number given out per scheme and year, for references such as
    ``ZV-2023-014``. Incremented under a row lock, so numbers have no gaps or duplicates."""

    scheme = models.ForeignKey(
        Scheme, on_delete=models.CASCADE, related_name="+", verbose_name=_("regeling")
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    last = models.PositiveIntegerField(_("laatste volgnummer"), default=0)

    class Meta:
        verbose_name = _("zaaknummerreeks")
        verbose_name_plural = _("zaaknummerreeksen")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "year"], name="reference_sequence_unique")
        ]

    def __str__(self):
        return f"{self.scheme.code}-{self.year}: {self.last}"


class Objection(models.Model):
    """Bezwaar against a decision, received within six weeks of the day it was sent."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="objections", verbose_name=_("aanvraag")
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="objections", verbose_name=_("besluit")
    )
    received_on = models.DateField(_("ontvangen op"))
    grounds = models.TextField(_("gronden"), blank=True)
    outcome = models.CharField(
        _("beslissing op bezwaar"), max_length=20, choices=ObjectionOutcome.choices, blank=True
    )
    decided_on = models.DateField(_("beslist op"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("geregistreerd door"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("bezwaar")
        verbose_name_plural = _("bezwaren")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="") | Q(decided_on__isnull=False),
                name="objection_outcome_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.application.reference}: {_('bezwaar')} {self.received_on}"


class Lottery(models.Model):
    """A recorded draw that breaks a tie at a tender's cut-off. The seed's SHA-256 is stored
    before the draw; with the seed, the tied applications and the algorithm anyone can re-run
    the draw and get the same ``order``."""

    tender = models.ForeignKey(
        Tender, on_delete=models.PROTECT, related_name="lotteries", verbose_name=_("tenderronde")
    )
    algorithm = models.CharField(_("methode"), max_length=60)
    seed = models.CharField(_("startwaarde"), max_length=64, blank=True)
    seed_sha256 = models.CharField(_("SHA-256 van de startwaarde"), max_length=64)
    tied = models.JSONField(
        _("gelijk geëindigde aanvragen"),
        help_text=_(
            "Zaaknummer, score en bedrag van elke aanvraag, in de volgorde vóór de loting."
        ),
    )
    remaining_budget = models.DecimalField(_("resterend budget (€)"), **MONEY)
    order = models.JSONField(_("uitkomst"), default=list, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("getrokken door"),
    )
    committed_at = models.DateTimeField(_("hash vastgelegd"), auto_now_add=True)
    drawn_at = models.DateTimeField(_("getrokken"), null=True, blank=True)

    class Meta:
        verbose_name = _("loting")
        verbose_name_plural = _("lotingen")
        ordering = ["-committed_at", "-id"]

    def __str__(self):
        return f"{self.tender}: {_('loting')} {self.committed_at:%Y-%m-%d}"


class DecisionLetter(RenderJob):
    """The beschikking of a decision as a PDF, made by Celery through the reports pipeline and
    kept unchanged; a corrected decision gets a letter of its own."""

    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="letters", verbose_name=_("besluit")
    )
    file = models.FileField(_("bestand"), upload_to="letters/", blank=True, max_length=300)

    class Meta:
        verbose_name = _("beschikking (pdf)")
        verbose_name_plural = _("beschikkingen (pdf)")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="ready") | ~Q(file=""), name="letter_ready_has_file"
            ),
            models.UniqueConstraint(
                fields=["decision"],
                condition=Q(status__in=["queued", "rendering"]),
                name="one_pending_letter_per_decision",
            ),
        ]
        indexes = [models.Index(fields=["status", "started_at"], name="letter_status_started")]

    def __str__(self):
        return f"{self.decision} ({self.get_status_display()})"
