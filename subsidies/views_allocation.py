"""The tender's ranking page (ranking, lottery, allocation proposal and its confirmation), the
first-come allocation of a scheme without tenders, granting and rejecting one application,
and changing a tender's ceiling.

Who sees a ranking: the scheme's handlers, the Programmamanager and the Beheerder (read);
anyone else gets a 404. Who acts: the handlers (subsidies.rank_tender, subsidies.decide per
application: not who reviewed it); the ceiling also the Beheerder (subsidies.edit_tender)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from regioportal.roles import Role, has_role

from .allocation import (
    allocation_proposal,
    confirm,
    grant,
    proposals_from,
    reject,
    scheme_allocation_proposal,
    scheme_granted_total,
)
from .enums import AllocationMethod
from .forms_allocation import GrantForm, RejectForm
from .forms_review import add_domain_errors
from .lottery import draw_lottery, verify
from .models import Review, Scheme, Tender
from .ranking import compute_ranking, rank_tender
from .rules import can, handles_scheme
from .selectors import applications_visible_to
from .transitions import TransitionError
from .views_review import application_url


def _reads_scheme(user, scheme_id):
    return has_role(user, Role.programme_manager, Role.administrator) or handles_scheme(
        user, scheme_id
    )


def _tender(user, pk):
    """The tender, when the user may see its applications' ranking; else 404."""
    tender = get_object_or_404(Tender.objects.select_related("scheme"), pk=pk)
    if not _reads_scheme(user, tender.scheme_id):
        raise Http404
    return tender


def ranking_url(tender):
    return reverse("subsidies:tender-ranking", kwargs={"pk": tender.pk})


def _decidable_by(user, application_ids, *, handler):
    """The ids among ``application_ids`` the user may decide: a handler who did not review
    them (subsidies.decide, answered for all rows in one query)."""
    if not handler:
        return set()
    reviewed = set(
        Review.objects.filter(application_id__in=application_ids, reviewer=user).values_list(
            "application_id", flat=True
        )
    )
    return set(application_ids) - reviewed


@login_required
def tender_ranking(request, pk):
    tender = _tender(request.user, pk)
    ranking = compute_ranking(tender)
    proposals = {row.application.pk: row for row in proposals_from(ranking)}
    handler = can(request.user, "subsidies.rank_tender", tender)
    decidable = _decidable_by(request.user, list(proposals), handler=handler)
    line_at = None if ranking.cut_off is None else ranking.cut_off + 1
    rows = [
        {
            "row": row,
            "proposal": proposals.get(row.application.pk),
            "may_decide": row.application.pk in decidable,
            "line_before": index == line_at,
        }
        for index, row in enumerate(ranking.rows)
    ]
    ineligible = [
        {
            "row": row,
            "proposal": proposals.get(row.application.pk),
            "may_decide": row.application.pk in decidable,
        }
        for row in ranking.ineligible
    ]
    lotteries = list(tender.lotteries.select_related("drawn_by").order_by("-committed_at", "-id"))
    for lottery in lotteries:
        lottery.verified = verify(lottery) if lottery.drawn_at else None
    return render(
        request,
        "subsidies/tender_ranking.html",
        {
            "tender": ranking.tender,
            "ranking": ranking,
            "rows": rows,
            "line_at_end": line_at is not None and line_at >= len(rows),
            "ineligible": ineligible,
            "lotteries": lotteries,
            "can_rank": handler,
            "can_edit_ceiling": can(request.user, "subsidies.edit_tender", tender),
            "confirmable": any(
                p.confirmable and p.application.pk in decidable for p in proposals.values()
            ),
            "first_come": ranking.method == AllocationMethod.first_come,
            "columns": 7 + (ranking.method != AllocationMethod.first_come) + handler,
        },
    )


def _acting_tender(request, pk):
    tender = _tender(request.user, pk)
    if not can(request.user, "subsidies.rank_tender", tender):
        raise PermissionDenied
    return tender


@login_required
@require_POST
def tender_rank(request, pk):
    tender = _acting_tender(request, pk)
    ranking = rank_tender(tender, by=request.user)
    messages.success(
        request,
        _("De rangschikking is vastgelegd: %(count)s aanvragen komen in aanmerking.")
        % {"count": len(ranking.rows)},
    )
    if ranking.needs_lottery:
        messages.warning(
            request,
            _(
                "Op de grens van het plafond staan %(count)s aanvragen gelijk: trek eerst een "
                "loting."
            )
            % {"count": len(ranking.tie)},
        )
    return redirect(ranking_url(tender))


@login_required
@require_POST
def tender_lottery(request, pk):
    tender = _acting_tender(request, pk)
    try:
        lottery = draw_lottery(tender, by=request.user)
    except TransitionError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("De loting is getrokken. Volgorde: %(order)s.") % {"order": ", ".join(lottery.order)},
        )
    return redirect(ranking_url(tender))


@login_required
@require_POST
def tender_confirm(request, pk):
    """Confirm proposed decisions: the one whose button was pressed (``een``), else the
    ticked ones (``aanvragen``). The proposal is computed again here; nothing of it is taken
    from the form but the references."""
    tender = _acting_tender(request, pk)
    single = request.POST.get("een")
    chosen = {single} if single else set(request.POST.getlist("aanvragen"))
    rows = [row for row in allocation_proposal(tender) if row.reference in chosen]
    _confirm_and_report(request, rows)
    return redirect(ranking_url(tender))


def _confirm_and_report(request, rows):
    if not any(row.confirmable for row in rows):
        messages.error(request, _("Kies ten minste één voorstel om te bevestigen."))
        return
    for result in confirm(rows, by=request.user):
        (messages.success if result.ok else messages.error)(request, result.message)


# --- first come, first served outside tenders ---------------------------------------------


def _first_come_scheme(user, code):
    scheme = get_object_or_404(Scheme, code=code, allocation_method=AllocationMethod.first_come)
    if not _reads_scheme(user, scheme.pk):
        raise Http404
    return scheme


@login_required
@require_http_methods(["GET", "POST"])
def scheme_allocation(request, code):
    """The undecided applications of a first-come scheme without tenders, in order of
    receipt against the scheme's budget; POST confirms the chosen proposals."""
    scheme = _first_come_scheme(request.user, code)
    handler = handles_scheme(request.user, scheme.pk)
    if request.method == "POST":
        if not handler:
            raise PermissionDenied
        single = request.POST.get("een")
        chosen = {single} if single else set(request.POST.getlist("aanvragen"))
        rows = [row for row in scheme_allocation_proposal(scheme) if row.reference in chosen]
        _confirm_and_report(request, rows)
        return redirect("subsidies:scheme-allocation", code=scheme.code)
    proposals = scheme_allocation_proposal(scheme)
    decidable = _decidable_by(
        request.user, [row.application.pk for row in proposals], handler=handler
    )
    granted = scheme_granted_total(scheme)
    return render(
        request,
        "subsidies/tender_ranking_first_come.html",
        {
            "scheme": scheme,
            "rows": [
                {"proposal": row, "may_decide": row.application.pk in decidable}
                for row in proposals
            ],
            "granted": granted,
            "remaining": None if scheme.budget is None else scheme.budget - granted,
            "confirmable": bool(decidable),
        },
    )


# --- one application ------------------------------------------------------------------------


def _deciding(request, reference):
    application = get_object_or_404(
        applications_visible_to(request.user).select_related("scheme", "tender", "applicant"),
        reference=reference,
    )
    if not can(request.user, "subsidies.decide", application):
        raise PermissionDenied
    return application


def _after_decision(application, here):
    if application.tender_id:
        return reverse("subsidies:tender-ranking", kwargs={"pk": application.tender_id})
    return application_url(application, here)


@login_required
@require_http_methods(["GET", "POST"])
def application_grant(request, reference):
    """Grant one application, for any amount up to the request. A grant beyond the ceiling
    is refused with the Dutch message of subsidies.allocation."""
    application = _deciding(request, reference)
    here = reverse("subsidies:application-grant", kwargs={"reference": reference})
    form = GrantForm(
        request.POST if request.method == "POST" else None,
        initial={"amount": application.requested_amount},
    )
    if request.method == "POST" and form.is_valid():
        try:
            decision = grant(
                application,
                amount=form.cleaned_data["amount"],
                by=request.user,
                motivation=form.cleaned_data["motivation"],
                decided_on=form.cleaned_data["decided_on"],
            )
        except TransitionError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(
                request,
                _("%(reference)s is verleend.") % {"reference": decision.application.reference},
            )
            return redirect(_after_decision(application, here))
    return render(
        request,
        "subsidies/tender_ranking_decide.html",
        {
            "application": application,
            "form": form,
            "granting": True,
            "back": _after_decision(application, None),
            "available": _available(application),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_reject(request, reference):
    application = _deciding(request, reference)
    here = reverse("subsidies:application-reject", kwargs={"reference": reference})
    form = RejectForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            reject(
                application,
                reason=form.cleaned_data["reason"],
                by=request.user,
                motivation=form.cleaned_data["motivation"],
                decided_on=form.cleaned_data["decided_on"],
            )
        except TransitionError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(
                request, _("%(reference)s is afgewezen.") % {"reference": application.reference}
            )
            return redirect(_after_decision(application, here))
    return render(
        request,
        "subsidies/tender_ranking_decide.html",
        {
            "application": application,
            "form": form,
            "granting": False,
            "back": _after_decision(application, None),
        },
    )


def _available(application):
    """(What is left under the ceiling minus the reserve, the ceiling's name), for the page;
    the grant itself checks it again under the lock."""
    if application.tender is not None:
        tender = application.tender
        return tender.ceiling - tender.reserve - tender.granted_total, tender.name
    if application.scheme.budget is not None:
        scheme = application.scheme
        return scheme.budget - scheme_granted_total(scheme), scheme.name
    return None


urlpatterns = [
    path("tenders/<int:pk>/rangschikking/", tender_ranking, name="tender-ranking"),
    path("tenders/<int:pk>/rangschikken/", tender_rank, name="tender-rank"),
    path("tenders/<int:pk>/loting/", tender_lottery, name="tender-lottery"),
    path("tenders/<int:pk>/besluiten/", tender_confirm, name="tender-confirm"),
    path("regelingen/<str:code>/toewijzing/", scheme_allocation, name="scheme-allocation"),
    path("aanvragen/<str:reference>/verlenen/", application_grant, name="application-grant"),
    path("aanvragen/<str:reference>/afwijzen/", application_reject, name="application-reject"),
]
