from django.db import models
from django.utils.translation import gettext_lazy as _


class EnrolmentStatus(models.TextChoices):
    intake = "intake", _("Intake")
    active = "actief", _("Actief")
    paused = "gepauzeerd", _("Gepauzeerd")
    finished = "afgerond", _("Afgerond")
    # The participant dropped out (stopped coming, moved away, …).
    dropped_out = "uitgevallen", _("Uitgevallen")
    # Ended early by the coordinator, or closed after a long time without any activity
    # (services.close_inactive_enrolments).
    stopped = "gestopt", _("Gestopt")

    @classmethod
    def open(cls):
        return [cls.intake, cls.active, cls.paused]

    @classmethod
    def closed(cls):
        return [cls.finished, cls.dropped_out, cls.stopped]

    @classmethod
    def ended_early(cls):
        """What "Traject beëindigen" may choose; afgerond goes with an uitstroom."""
        return [cls.dropped_out, cls.stopped]


class Outcome(models.TextChoices):
    """Uitstroom. ``paid_work`` counts as paid work; the ``step`` group as 'a step'."""

    paid_work = "betaald_werk", _("Betaald werk")
    work_experience = "werkervaringsplaats", _("Werkervaringsplaats")
    education = "scholing", _("Scholing")
    participation = "participatie", _("Participatie")
    social_activation = "sociale_activering", _("Sociale activering")
    ongoing = "nog_bezig", _("Nog bezig")
    no_next_step = "geen_vervolgstap", _("Geen vervolgstap")

    @classmethod
    def step(cls):
        return [cls.work_experience, cls.education, cls.participation, cls.social_activation]

    @classmethod
    def final(cls):
        return [o for o in cls if o != cls.ongoing]


class LadderLevel(models.IntegerChoices):
    """VNG participatieladder."""

    isolated = 1, _("1 – Geïsoleerd")
    social_contacts = 2, _("2 – Sociale contacten buiten de deur")
    organised_activities = 3, _("3 – Deelname georganiseerde activiteiten")
    unpaid_work = 4, _("4 – Onbetaald werk")
    paid_work_with_support = 5, _("5 – Betaald werk met ondersteuning")
    paid_work = 6, _("6 – Betaald werk")
