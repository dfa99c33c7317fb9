from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from .content import factsheet_context
from .selectors import factsheets_visible_to


@login_required
def factsheet_detail(request, pk):
    """The factsheet as a web page: the same sheet template and stylesheet as the PDF, for
    reading it on screen (and by anyone who cannot use the PDF)."""
    factsheet = get_object_or_404(
        factsheets_visible_to(request.user).select_related("programme", "umbrella"), pk=pk
    )
    return render(request, "reports/factsheet_detail.html", factsheet_context(factsheet))
