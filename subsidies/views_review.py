"""The reviewer's page (declaration, then scores; drafts; submitting with a confirmation) and
the officer's page to assign reviewers to an application."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms_review import AssignReviewersForm, ConflictForm, ReviewForm, add_domain_errors
from .models import Review
from .review import (
    assign_reviewers,
    declare_conflict,
    save_review,
    stored_scores,
    submission_errors,
)
from .rules import can
from .selectors import applications_visible_to, reviews_assigned_to
from .transitions import TransitionError


def application_url(application, fallback):
    """The application's page, or ``fallback`` while there is no such page."""
    try:
        return application.get_absolute_url()
    except NoReverseMatch:
        return fallback


def review_list_url():
    try:
        return reverse("subsidies:review-list")
    except NoReverseMatch:
        return reverse("home")


# --- the reviewer ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def review_edit(request, pk):
    """One review, for its reviewer only (anyone else: 404). Without a declaration: the
    declaration form. After declaring no conflict: the score form (save a draft, or submit,
    which asks for a confirmation first). Submitted: the review, read only."""
    review = get_object_or_404(
        reviews_assigned_to(request.user).select_related(
            "application__scheme", "application__tender", "application__applicant"
        ),
        pk=pk,
    )
    if not can(request.user, "subsidies.write_review", review):
        raise PermissionDenied
    here = reverse("subsidies:review-edit", kwargs={"pk": review.pk})
    criteria = list(review.application.scheme.criteria.all())
    context = {"review": review, "application": review.application, "criteria": criteria}
    step = request.POST.get("stap") if request.method == "POST" else None

    if review.conflict_of_interest is None or step == "verklaring":
        form = ConflictForm(request.POST if step == "verklaring" else None)
        if step == "verklaring" and form.is_valid():
            try:
                review = declare_conflict(
                    review,
                    by=request.user,
                    has_conflict=form.cleaned_data["has_conflict"],
                    explanation=form.cleaned_data["explanation"],
                )
            except ValidationError as error:
                add_domain_errors(form, error)
            except TransitionError as error:
                messages.error(request, error.message)
                return redirect(here)
            else:
                if review.conflict_of_interest:
                    messages.success(
                        request,
                        _(
                            "U heeft belangenverstrengeling gemeld. U beoordeelt %(reference)s "
                            "niet en ziet de aanvraag niet meer."
                        )
                        % {"reference": review.application.reference},
                    )
                    return redirect(review_list_url())
                messages.success(
                    request, _("Uw verklaring is vastgelegd. U kunt de aanvraag nu beoordelen.")
                )
                return redirect(here)
        context["conflict_form"] = form
        return render(request, "subsidies/review_declare.html", context)

    scores = {score.criterion_id: score for score in review.scores.all()}
    context["scored"] = [(criterion, scores.get(criterion.pk)) for criterion in criteria]
    if review.status == "ingediend":
        return render(request, "subsidies/review_detail.html", context)

    if step == "bevestigen":
        return _submit(request, review, here)
    if request.method == "GET" and request.GET.get("stap") == "bevestigen":
        context["errors"] = submission_errors(review)
        return render(request, "subsidies/review_confirm.html", context)

    initial = {"recommendation": review.recommendation, "comments": review.comments}
    for criterion_id, score in scores.items():
        initial[f"points_{criterion_id}"] = score.points
        initial[f"note_{criterion_id}"] = score.note
    form = ReviewForm(
        request.POST if request.method == "POST" else None, initial=initial, criteria=criteria
    )
    if request.method == "POST" and form.is_valid():
        submitting = request.POST.get("actie") == "indienen"
        try:
            saved = save_review(
                review,
                by=request.user,
                scores=form.scores(),
                recommendation=form.cleaned_data["recommendation"],
                comments=form.cleaned_data["comments"],
            )
        except ValidationError as error:
            add_domain_errors(form, error)
        except TransitionError as error:
            messages.error(request, error.message)
            return redirect(here)
        else:
            if not submitting:
                messages.success(request, _("Uw concept is opgeslagen."))
                return redirect(here)
            missing = submission_errors(saved)
            if not missing:
                return redirect(f"{here}?stap=bevestigen")
            # Saved as a draft; what submitting still needs is shown on the form.
            for field, message in missing.items():
                form.add_error(field if field in form.fields else None, message)
    context["form"] = form
    return render(request, "subsidies/review_edit.html", context)


def _submit(request, review, here):
    try:
        save_review(
            review,
            by=request.user,
            scores=stored_scores(review),
            recommendation=review.recommendation,
            comments=review.comments,
            submit=True,
        )
    except ValidationError:
        messages.error(
            request, _("De beoordeling is nog niet compleet. Vul aan wat hieronder staat.")
        )
        return redirect(here)
    except TransitionError as error:
        messages.error(request, error.message)
        return redirect(here)
    messages.success(request, _("Uw beoordeling is ingediend. Dank u wel."))
    return redirect(here)


# --- assigning ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def assign(request, reference):
    """Assign reviewers to an application. Not visible → 404; visible but not handled by the
    user → 403."""
    application = get_object_or_404(
        applications_visible_to(request.user).select_related("scheme", "tender", "applicant"),
        reference=reference,
    )
    if not can(request.user, "subsidies.assign_reviewers", application):
        raise PermissionDenied
    reviews = list(
        Review.objects.filter(application=application)
        .select_related("reviewer")
        .order_by("assigned_at", "id")
    )
    here = reverse("subsidies:application-assign-reviewers", kwargs={"reference": reference})
    form = AssignReviewersForm(
        request.POST if request.method == "POST" else None,
        exclude=[review.reviewer_id for review in reviews],
    )
    if request.method == "POST" and form.is_valid():
        try:
            assigned = assign_reviewers(
                application,
                form.cleaned_data["reviewers"],
                by=request.user,
                due_on=form.cleaned_data["due_on"],
            )
        except ValidationError as error:
            add_domain_errors(form, error)
        except TransitionError as error:
            form.add_error(None, error.message)
        else:
            names = ", ".join(
                review.reviewer.get_full_name() or review.reviewer.get_username()
                for review in assigned
            )
            messages.success(request, _("Toegewezen aan %(names)s.") % {"names": names})
            return redirect(application_url(application, here))
    return render(
        request,
        "subsidies/review_assign.html",
        {
            "application": application,
            "reviews": reviews,
            "form": form,
            "back": application_url(application, None),
        },
    )


urlpatterns = [
    path("beoordelingen/<int:pk>/", review_edit, name="review-edit"),
    path(
        "aanvragen/<str:reference>/beoordelaars/",
        assign,
        name="application-assign-reviewers",
    ),
]
