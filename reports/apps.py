from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Feitenbladen")

    def ready(self):
        from . import rules  # noqa: F401 - registers the reports.* rules
