"""STUB (H10's worktree only; H8 owns the preview and H9 the PDF views, replaced at merge)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .selectors import factsheets_visible_to


@login_required
def factsheet_detail(request, pk):
    factsheet = get_object_or_404(factsheets_visible_to(request.user), pk=pk)
    return render(request, "reports/stub_preview.html", {"factsheet": factsheet})


@login_required
@require_POST
def generate(request, pk):
    factsheet = get_object_or_404(factsheets_visible_to(request.user), pk=pk)
    return redirect(factsheet.get_absolute_url())
