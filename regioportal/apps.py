from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegioportalConfig(AppConfig):
    name = "regioportal"
    verbose_name = _("Regioportal")
