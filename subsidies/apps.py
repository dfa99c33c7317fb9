from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "subsidies"
    verbose_name = _("Subsidies")

    def ready(self):
        # Connects the decision letters to subsidies.signals.decision_made and registers them
        # with the PDF pipeline's sweeper.
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from programmes.models import Municipality, Organisation

        from . import counting, letters  # noqa: F401
        from .models import Application, Review, Scheme, Tender

        # Cached worklist counts and option lists (subsidies.counting, forms_worklist.kept)
        # follow every single save and delete of what the worklist shows and filters on, every
        # change of an officer's reach and every change of who holds which role.
        user_model = get_user_model()
        for model in (Application, Review, Organisation, Scheme, Tender, Municipality, Group):
            uid = f"subsidies-count-{model._meta.label}"
            post_save.connect(counting.data_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(counting.data_changed, sender=model, dispatch_uid=f"{uid}-del")
        m2m_changed.connect(
            counting.data_changed, sender=Scheme.handlers.through, dispatch_uid="subsidies-reach"
        )
        m2m_changed.connect(
            counting.data_changed, sender=user_model.groups.through, dispatch_uid="subsidies-roles"
        )
        post_save.connect(counting.user_changed, sender=user_model, dispatch_uid="subsidies-user")
        post_delete.connect(
            counting.data_changed, sender=user_model, dispatch_uid="subsidies-user-deleted"
        )
