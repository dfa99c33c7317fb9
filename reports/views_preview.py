from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from .content import factsheet_context
from .rules import can
from .selectors import factsheets_visible_to


@login_required
def factsheet_detail(request, pk):
    """The factsheet as a web page: the same sheet template and stylesheet as the PDF, for
    reading it on screen (and by anyone who cannot use the PDF). Above it the actions on the
    factsheet, so that after saving an edit (which lands here) the PDF is one click away."""
    factsheet = get_object_or_404(
        factsheets_visible_to(request.user).select_related("programme", "umbrella"), pk=pk
    )
    context = factsheet_context(factsheet)
    context.update(
        can_edit=can(request.user, "reports.edit_factsheet", factsheet),
        can_generate=can(request.user, "reports.generate_factsheet", factsheet),
        # The combined terugblik is offered on its overview factsheet.
        can_generate_batch=factsheet.umbrella_id is not None
        and can(request.user, "reports.generate_batch", factsheet.umbrella),
    )
    return render(request, "reports/factsheet_detail.html", context)
