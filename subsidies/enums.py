from django.db import models
from django.utils.translation import gettext_lazy as _


class AllocationMethod(models.TextChoices):
    tender = "tender", _("Tender (rangschikking)")
    first_come = "volgorde", _("Volgorde van binnenkomst")


class ApplicationStatus(models.TextChoices):
    """The Awb lifecycle of an aanvraag."""

    received = "ontvangen", _("Ontvangen")
    incomplete = "onvolledig", _("Onvolledig")
    in_review = "in_beoordeling", _("In beoordeling")
    advised = "advies", _("Advies")
    granted = "verleend", _("Verleend")
    rejected = "afgewezen", _("Afgewezen")
    not_considered = "buiten_behandeling", _("Buiten behandeling")
    withdrawn = "ingetrokken", _("Ingetrokken")
    advance_paid = "voorschot_betaald", _("Voorschot betaald")
    accountability = "verantwoording", _("Verantwoording")
    settled = "vastgesteld", _("Vastgesteld")

    @classmethod
    def open(cls):
        """Not yet decided: the decision deadline runs."""
        return [cls.received, cls.incomplete, cls.in_review, cls.advised]

    @classmethod
    def decided(cls):
        return [
            cls.granted,
            cls.rejected,
            cls.not_considered,
            cls.advance_paid,
            cls.accountability,
            cls.settled,
        ]

    @classmethod
    def granted_group(cls):
        """Statuses of an application that was granted (and may since have been paid)."""
        return [cls.granted, cls.advance_paid, cls.accountability, cls.settled]

    @classmethod
    def closed(cls):
        return [cls.rejected, cls.not_considered, cls.withdrawn, cls.settled]


class ReviewStatus(models.TextChoices):
    draft = "concept", _("Concept")
    submitted = "ingediend", _("Ingediend")


class Recommendation(models.TextChoices):
    grant = "honoreren", _("Honoreren")
    grant_partially = "deels", _("Deels honoreren")
    reject = "afwijzen", _("Afwijzen")


class DecisionOutcome(models.TextChoices):
    granted = "verleend", _("Verleend")
    rejected = "afgewezen", _("Afgewezen")
    not_considered = "buiten_behandeling", _("Buiten behandeling gesteld")
    settled = "vastgesteld", _("Vastgesteld")


class RejectionReason(models.TextChoices):
    """Why an application was rejected (afgewezen)."""

    ceiling_reached = "plafond", _("Subsidieplafond bereikt")
    substantive = "inhoudelijk", _("Inhoudelijk")
    inadmissible = "niet_ontvankelijk", _("Niet ontvankelijk")


class Channel(models.TextChoices):
    """How an application reached the province."""

    eloket = "eloket", _("eLoket")
    post = "post", _("Post")
    email = "email", _("E-mail")


class ObjectionOutcome(models.TextChoices):
    """Beslissing op bezwaar."""

    well_founded = "gegrond", _("Gegrond")
    unfounded = "ongegrond", _("Ongegrond")
    inadmissible = "niet_ontvankelijk", _("Niet ontvankelijk")
    withdrawn = "ingetrokken", _("Ingetrokken")


class PaymentKind(models.TextChoices):
    advance = "voorschot", _("Voorschot")
    settlement = "vaststelling", _("Vaststelling")
    reclaim = "terugvordering", _("Terugvordering")


class AttachmentKind(models.TextChoices):
    project_plan = "projectplan", _("Projectplan")
    budget = "begroting", _("Begroting")
    de_minimis = "de_minimis", _("De-minimisverklaring")
    report = "verantwoording", _("Verantwoording")
    other = "overig", _("Overig")
