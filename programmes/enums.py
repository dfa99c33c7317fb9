from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    province = "provincie", _("Provincie")
    municipality = "gemeente", _("Gemeente")
    foundation = "stichting", _("Stichting")
    company = "bedrijf", _("Bedrijf")
    school = "school", _("School")
    knowledge_institution = "kennisinstelling", _("Kennisinstelling")
    association = "vereniging", _("Vereniging")
    central_government = "rijk", _("Rijksoverheid")
    labour_market_region = "arbeidsmarktregio", _("Arbeidsmarktregio")
    other = "overig", _("Overig")


class Province(models.TextChoices):
    groningen = "groningen", _("Groningen")
    drenthe = "drenthe", _("Drenthe")
    overijssel = "overijssel", _("Overijssel")
    friesland = "friesland", _("Friesland")


class ProgrammeStatus(models.TextChoices):
    idea = "idee", _("Idee")
    pilot = "pilot", _("Pilot")
    running = "lopend", _("Lopend")
    finished = "afgerond", _("Afgerond")

    @classmethod
    def active(cls):
        return [cls.pilot, cls.running]


class PartnerRole(models.TextChoices):
    lead = "penvoerder", _("Penvoerder")
    executing = "uitvoerder", _("Uitvoerder")
    funder = "financier", _("Financier")
    partner = "partner", _("Partner")
    advisor = "adviseur", _("Adviseur")


class ActivityKind(models.TextChoices):
    """Kinds of activity a programme offers; also the kinds of a participant's progress entry."""

    coaching = "coachinggesprek", _("Coachinggesprek")
    workshop = "workshop", _("Workshop")
    theme_evening = "thema-avond", _("Thema-avond")
    assessment = "assessment", _("Assessment")
    inspiration = "inspiratiesessie", _("Inspiratiesessie")
    network_visit = "netwerkbezoek", _("Netwerkbezoek")
    milestone = "mijlpaal", _("Mijlpaal")
    note = "notitie", _("Notitie")

    @classmethod
    def group_kinds(cls):
        """Kinds that are recorded once for a group of attendees."""
        return [cls.workshop, cls.theme_evening, cls.inspiration, cls.network_visit]


class TargetMetric(models.TextChoices):
    """How a target's actual value is found: computed from rows, or recorded by staff."""

    recorded = "recorded", _("Vastgelegde waarde")
    enrolments_started = "enrolments_started", _("Gestarte deelnemers")
    enrolments_active = "enrolments_active", _("Actieve deelnemers")
    paid_work_share = "paid_work_share", _("Aandeel betaald werk (%)")
    step_share = "step_share", _("Aandeel dat een stap zette (%)")
    ongoing_share = "ongoing_share", _("Aandeel nog bezig (%)")
    ladder_rise_share = "ladder_rise_share", _("Aandeel gestegen op de participatieladder (%)")
    grants_count = "grants_count", _("Verleende subsidies")
    grants_amount = "grants_amount", _("Verleend bedrag (€)")
