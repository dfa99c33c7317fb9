from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "subsidies"
    verbose_name = _("Subsidies")

    def ready(self):
        # Connects the decision letters to subsidies.signals.decision_made and registers them
        # with the PDF pipeline's sweeper.
        from . import letters  # noqa: F401
