from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegioportalConfig(AppConfig):
    name = "regioportal"
    verbose_name = _("Regioportal")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.db import transaction
        from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

        from .roles import forget_roles

        user_model = get_user_model()

        def forget(user_ids):
            """Clear the cached roles now, for the rest of the writing transaction, and again
            once it commits: a request that read the old groups in between must not keep them
            in the cache for the whole ROLES_TTL."""
            user_ids = list(user_ids)
            for user_id in user_ids:
                forget_roles(user_id=user_id)

            def again():
                for user_id in user_ids:
                    forget_roles(user_id=user_id)

            transaction.on_commit(again)

        def user_changed(sender, instance, **kwargs):
            forget([instance.pk])

        def groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
            if not reverse:  # user.groups.add/remove/clear(...)
                if action.startswith("post_"):
                    forget([instance.pk])
                return
            # group.user_set.…: instance is the group
            if action in ("post_add", "post_remove"):
                forget(pk_set)
            elif action == "pre_clear":  # afterwards the group has no users left to name
                forget(instance.user_set.values_list("pk", flat=True))

        def group_changed(sender, instance, **kwargs):
            # A role is a group's name: renaming the group (saved) or deleting it (before the
            # delete, while its members can still be named) changes its members' roles.
            if not kwargs.get("created"):
                forget(instance.user_set.values_list("pk", flat=True))

        post_save.connect(user_changed, sender=user_model, dispatch_uid="roles-user-saved")
        post_delete.connect(user_changed, sender=user_model, dispatch_uid="roles-user-deleted")
        m2m_changed.connect(
            groups_changed, sender=user_model.groups.through, dispatch_uid="roles-groups"
        )
        post_save.connect(group_changed, sender=Group, dispatch_uid="roles-group-saved")
        pre_delete.connect(group_changed, sender=Group, dispatch_uid="roles-group-deleted")

        from programmes.models import Programme

        from .audit import members_changed

        m2m_changed.connect(
            members_changed, sender=Programme.members.through, dispatch_uid="audit-members"
        )
