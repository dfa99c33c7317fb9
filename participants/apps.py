from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Deelnemers")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import counting
        from .models import Enrolment, Participant

        # Cached list counts (participants.counting) follow every single save and delete.
        for model in (Participant, Enrolment):
            post_save.connect(counting.data_changed, sender=model, dispatch_uid=f"count-{model}")
            post_delete.connect(
                counting.data_changed, sender=model, dispatch_uid=f"count-del-{model}"
            )
