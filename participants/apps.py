from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Deelnemers")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from programmes.models import Programme

        from . import counting
        from .models import Enrolment, Participant

        # Cached list counts (participants.counting) follow every single save and delete.
        for model in (Participant, Enrolment):
            post_save.connect(counting.data_changed, sender=model, dispatch_uid=f"count-{model}")
            post_delete.connect(
                counting.data_changed, sender=model, dispatch_uid=f"count-del-{model}"
            )
        # Which programmes register participants decides the list's programme choices.
        post_save.connect(counting.data_changed, sender=Programme, dispatch_uid="count-programme")
        # A coordinator's reach is their programme memberships.
        m2m_changed.connect(
            counting.data_changed, sender=Programme.members.through, dispatch_uid="count-reach"
        )
