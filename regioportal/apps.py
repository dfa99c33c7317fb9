from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegioportalConfig(AppConfig):
    name = "regioportal"
    verbose_name = _("Regioportal")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .roles import forget_roles

        user_model = get_user_model()

        def user_changed(sender, instance, **kwargs):
            forget_roles(user_id=instance.pk)

        def groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
            if not reverse:  # user.groups.add/remove/clear(...)
                if action.startswith("post_"):
                    forget_roles(user_id=instance.pk)
                return
            # group.user_set.…: instance is the group
            if action in ("post_add", "post_remove"):
                user_ids = pk_set
            elif action == "pre_clear":  # afterwards the group has no users left to name
                user_ids = list(instance.user_set.values_list("pk", flat=True))
            else:
                return
            for user_id in user_ids:
                forget_roles(user_id=user_id)

        post_save.connect(user_changed, sender=user_model, dispatch_uid="roles-user-saved")
        post_delete.connect(user_changed, sender=user_model, dispatch_uid="roles-user-deleted")
        m2m_changed.connect(
            groups_changed, sender=user_model.groups.through, dispatch_uid="roles-groups"
        )

        from programmes.models import Programme

        from .audit import members_changed

        m2m_changed.connect(
            members_changed, sender=Programme.members.through, dispatch_uid="audit-members"
        )
