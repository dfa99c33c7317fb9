from django.db.models import Max, Q

from programmes.selectors import programmes_visible_to
from regioportal.roles import Role, has_role

from .models import Factsheet, FactsheetBatch, RenderedFactsheet, RenderStatus


def factsheets_visible_to(user):
    """Factsheets contain no personal data: everyone who may see the subject programme may
    read and download its factsheet; umbrella factsheets are for provincial staff."""
    if has_role(
        user, Role.programme_manager, Role.administrator, Role.subsidy_officer, Role.reviewer
    ):
        return Factsheet.objects.all()
    return Factsheet.objects.filter(programme__in=programmes_visible_to(user))


def renderings_visible_to(user):
    return RenderedFactsheet.objects.filter(factsheet__in=factsheets_visible_to(user))


def can_edit_factsheets(user):
    return has_role(user, Role.programme_manager, Role.administrator)


def factsheets_with_last_rendering(user):
    """The factsheets the user may see, each with ``last_rendered``: when its latest PDF was
    ready (None if never)."""
    return factsheets_visible_to(user).annotate(
        last_rendered=Max(
            "renderings__finished_at", filter=Q(renderings__status=RenderStatus.ready)
        )
    )


def batches_visible_to(user):
    """A terugblik's combined PDF: for whoever may see the umbrella's overview factsheet."""
    return FactsheetBatch.objects.filter(
        umbrella__factsheet__in=factsheets_visible_to(user).filter(umbrella__isnull=False)
    )
