from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from .figures import programme_figures
from .models import ProgrammePartner
from .selectors import programmes_visible_to, programmes_with_participants_visible_to


@login_required
def programme_list(request):
    programmes = programmes_visible_to(request.user).select_related("lead_organisation", "umbrella")
    return render(request, "programmes/programme_list.html", {"programmes": programmes})


@login_required
def programme_detail(request, slug):
    """The programme's facts, and its figures computed from the enrolments. Figures are
    aggregates (no personal data) and shown to everyone who may see the programme."""
    programme = get_object_or_404(
        programmes_visible_to(request.user)
        .select_related("lead_organisation", "umbrella")
        .prefetch_related(
            Prefetch(
                "partnerships",
                queryset=ProgrammePartner.objects.select_related("organisation"),
            ),
            "municipalities",
            "tracks",
            "targets",
            "lines",
        ),
        slug=slug,
    )
    can_see_participants = (
        programmes_with_participants_visible_to(request.user).filter(pk=programme.pk).exists()
    )
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "figures": programme_figures(programme) if programme.has_participants else None,
            "can_see_participants": can_see_participants,
            "can_record_group_activity": can_see_participants
            and request.user.has_perm("participants.add_progressentry"),
        },
    )
