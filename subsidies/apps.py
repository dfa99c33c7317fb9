from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "subsidies"
    verbose_name = _("Subsidies")

    def ready(self):
        # Connects the decision letters to subsidies.signals.decision_made and registers them
        # with the PDF pipeline's sweeper.
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from programmes.models import Organisation

        from . import counting, letters  # noqa: F401
        from .models import Application, Review, Scheme

        # Cached worklist counts (subsidies.counting) follow every single save and delete of
        # what the worklist filters on, and every change of an officer's reach.
        for model in (Application, Review, Organisation):
            uid = f"subsidies-count-{model._meta.label}"
            post_save.connect(counting.data_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(counting.data_changed, sender=model, dispatch_uid=f"{uid}-del")
        m2m_changed.connect(
            counting.data_changed, sender=Scheme.handlers.through, dispatch_uid="subsidies-reach"
        )
