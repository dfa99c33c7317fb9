from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from programmes.selectors import programmes_visible_to

from .editing import EDITABLE_FIELDS, StaleFactsheet, create_factsheet, update_factsheet
from .forms import FactsheetForm
from .models import Factsheet
from .rules import can
from .selectors import factsheets_visible_to


@login_required
@require_http_methods(["GET", "POST"])
def factsheet_edit(request, pk):
    """Edit a factsheet's narrative. Not visible → 404; visible but not editable → 403."""
    factsheet = get_object_or_404(
        factsheets_visible_to(request.user).select_related("programme", "umbrella", "updated_by"),
        pk=pk,
    )
    if not can(request.user, "reports.edit_factsheet", factsheet):
        raise PermissionDenied
    form = FactsheetForm(request.POST or None, instance=factsheet)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS}
        try:
            update_factsheet(
                factsheet=factsheet,
                by=request.user,
                expected_updated_at=form.opened_at,
                **fields,
            )
        except StaleFactsheet as exc:
            # Keep the editor's text, now against the newer version: saving again is a
            # deliberate choice to replace it.
            factsheet.refresh_from_db()
            data = request.POST.copy()
            data["opened_at"] = factsheet.updated_at.isoformat()
            form = FactsheetForm(data, instance=factsheet)
            form.is_valid()
            form.add_error(None, exc)
        else:
            messages.success(request, _("Het feitenblad is opgeslagen."))
            return redirect(factsheet.get_absolute_url())
    return render(request, "reports/factsheet_edit.html", {"factsheet": factsheet, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def factsheet_new(request, programme):
    """Create a programme's factsheet, prefilled from the programme, then edit it. GET shows
    what will happen; POST creates it (a link must not change data)."""
    programme = get_object_or_404(
        programmes_visible_to(request.user).select_related("lead_organisation", "umbrella"),
        slug=programme,
    )
    existing = Factsheet.objects.filter(programme=programme).first()
    if existing is not None:
        return redirect("reports:factsheet-edit", pk=existing.pk)
    if not can(request.user, "reports.edit_factsheet", Factsheet(programme=programme)):
        raise PermissionDenied
    if request.method == "POST":
        try:
            factsheet = create_factsheet(programme=programme, by=request.user)
        except ValidationError:
            # Someone else made it a moment ago: theirs is the one to edit.
            factsheet = get_object_or_404(Factsheet, programme=programme)
        else:
            messages.success(
                request,
                _(
                    "Het feitenblad is gemaakt met de gegevens van het programma. "
                    "Vul de teksten aan."
                ),
            )
        return redirect("reports:factsheet-edit", pk=factsheet.pk)
    return render(request, "reports/factsheet_new.html", {"programme": programme})
