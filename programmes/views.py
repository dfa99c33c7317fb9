from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from .selectors import programmes_visible_to


@login_required
def programme_list(request):
    programmes = programmes_visible_to(request.user).select_related("lead_organisation", "umbrella")
    return render(request, "programmes/programme_list.html", {"programmes": programmes})


@login_required
def programme_detail(request, slug):
    programme = get_object_or_404(programmes_visible_to(request.user), slug=slug)
    return render(request, "programmes/programme_detail.html", {"programme": programme})
