"""Reviewing an application: assigning reviewers, the reviewer's declaration of a conflict of
interest, scoring per criterion, and the application's scores from the submitted reviews.

A reviewer first declares whether they have a conflict of interest. With a conflict they no
longer see the application (subsidies.selectors) and their review counts for nothing; without,
they score every criterion with a note and give a recommendation. Drafts may be saved;
a submitted review is locked. Each submission recomputes the application's weighted total and
whether it is eligible for ranking (Application.score_total, Application.is_eligible).

Every change is audited on the application, so its history shows who was assigned, who
declared what and when the scores came in."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from regioportal.audit import plain, record
from regioportal.models import AuditAction
from regioportal.roles import Role, has_role

from .enums import ApplicationStatus, Recommendation, ReviewStatus
from .models import Application, Review, Score
from .rules import require
from .transitions import TransitionError

DEFAULT_REVIEW_DAYS = 14
# Reviewers may be assigned, and may write, while the application is undecided.
REVIEWABLE = ApplicationStatus.open()
CENT = Decimal("0.01")


# --- scores -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionScore:
    criterion: object
    average: Decimal | None  # None: no submitted review scored it
    count: int
    weighted: Decimal | None

    @property
    def below_minimum(self):
        return self.average is not None and self.average < self.criterion.min_points


def _display(value):
    return number_format(value.quantize(CENT, rounding=ROUND_HALF_UP), decimal_pos=2)


def summarise(criteria, sums, review_count, min_total_score):
    """The scores of one application from plain numbers, without queries.

    ``sums`` maps a criterion id to ``(points summed, number of scores)`` over the submitted,
    unconflicted reviews; ``review_count`` is the number of those reviews. Returns the dict
    of :func:`application_scores`."""
    rows = []
    total = Decimal(0)
    for criterion in criteria:
        points, count = sums.get(criterion.pk, (0, 0))
        if count:
            average = Decimal(points) / Decimal(count)
            weighted = criterion.weight * average
            total += weighted
        else:
            average = weighted = None
        rows.append(CriterionScore(criterion, average, count, weighted))
    reasons = []
    if not review_count:
        reasons.append(_("Er is nog geen ingediende beoordeling."))
        total = None
    else:
        total = total.quantize(CENT, rounding=ROUND_HALF_UP)
        if min_total_score is not None and total < min_total_score:
            reasons.append(
                _(
                    "De gewogen totaalscore (%(total)s) ligt onder het minimum van de regeling "
                    "(%(minimum)s)."
                )
                % {"total": _display(total), "minimum": _display(min_total_score)}
            )
        for row in rows:
            if row.average is None:
                reasons.append(
                    _("Op ‘%(criterion)s’ is nog niet gescoord.") % {"criterion": row.criterion}
                )
            elif row.below_minimum:
                reasons.append(
                    _(
                        "Op ‘%(criterion)s’ ligt de gemiddelde score (%(average)s) onder de "
                        "minimumscore (%(minimum)s)."
                    )
                    % {
                        "criterion": row.criterion,
                        "average": _display(row.average),
                        "minimum": row.criterion.min_points,
                    }
                )
    return {
        "criteria": rows,
        "total": total,
        "eligible": not reasons,
        "reasons": reasons,
        "review_count": review_count,
    }


def counted_reviews():
    """Reviews that count for the scores: submitted, by a reviewer without a conflict."""
    return Review.objects.filter(status=ReviewStatus.submitted).exclude(conflict_of_interest=True)


def counted_scores():
    return Score.objects.filter(review__status=ReviewStatus.submitted).exclude(
        review__conflict_of_interest=True
    )


def application_scores(application):
    """The application's scores over its submitted reviews by reviewers without a conflict of
    interest (drafts, conflicted and missing reviews do not count):

    - ``criteria``: per criterion the average points, how many scored it and weight × average;
    - ``total``: the weighted total, Σ weight × average (None without a submitted review);
    - ``eligible``: False below the scheme's minimum total, below a criterion's minimum
      average, or without a submitted review; ``reasons`` says which, in Dutch;
    - ``review_count``: the number of reviews counted. Three queries."""
    criteria = list(application.scheme.criteria.all())
    sums = {
        criterion_id: (points, count)
        for criterion_id, points, count in counted_scores()
        .filter(review__application=application)
        .order_by()
        .values_list("criterion_id")
        .annotate(Sum("points"), Count("id"))
    }
    review_count = counted_reviews().filter(application=application).count()
    return summarise(criteria, sums, review_count, application.scheme.min_total_score)


def update_scores(application):
    """Store the application's weighted total and eligibility; returns ``{field: [old, new]}``
    for what changed (for the audit entry of the change that caused it)."""
    scores = application_scores(application)
    changes = {}
    current = Application.objects.filter(pk=application.pk).values("score_total", "is_eligible")[0]
    # Without a counted review eligibility is not known yet rather than refused.
    new = {
        "score_total": scores["total"],
        "is_eligible": scores["eligible"] if scores["review_count"] else None,
    }
    for name, value in new.items():
        if current[name] != value:
            changes[name] = [plain(current[name]), plain(value)]
        setattr(application, name, value)
    if changes:
        Application.objects.filter(pk=application.pk).update(**new)
    return changes


# --- assigning ------------------------------------------------------------------------------


def eligible_reviewers():
    """Users who may be assigned as reviewer: active, with the Beoordelaar role."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.reviewer.value)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def assign_reviewers(application, reviewers, *, by, due_on=None):
    """Assign each of ``reviewers`` to the application (a reviewer already assigned keeps
    their review: idempotent). Returns the reviews of ``reviewers``.

    Effects: one draft Review per new reviewer, due ``due_on`` (default in 14 days), and an
    audit entry on the application per new assignment. Rule subsidies.assign_reviewers; every
    reviewer must hold the Beoordelaar role; the application must be undecided."""
    require(by, "subsidies.assign_reviewers", application)
    reviewers = list(reviewers)
    for reviewer in reviewers:
        if not reviewer.is_active or not has_role(reviewer, Role.reviewer):
            raise ValidationError(
                {
                    "reviewers": _("%(user)s heeft geen rol als beoordelaar.")
                    % {"user": reviewer.get_full_name() or reviewer.get_username()}
                }
            )
    due_on = due_on or timezone.localdate() + timedelta(days=DEFAULT_REVIEW_DAYS)
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        if current.status not in REVIEWABLE:
            raise TransitionError(
                _("Aan een aanvraag met status “%(status)s” wijst u geen beoordelaars meer toe.")
                % {"status": current.get_status_display()}
            )
        existing = {
            review.reviewer_id: review
            for review in Review.objects.filter(
                application=current, reviewer__in=[r.pk for r in reviewers]
            )
        }
        reviews = []
        for reviewer in reviewers:
            review = existing.get(reviewer.pk)
            if review is None:
                review = Review.objects.create(
                    application=current, reviewer=reviewer, due_on=due_on, assigned_by=by
                )
                existing[reviewer.pk] = review
                record(
                    actor=by,
                    obj=current,
                    action=AuditAction.update,
                    changes={
                        "reviewer": [None, reviewer.get_username()],
                        "due_on": [None, due_on.isoformat()],
                    },
                    reason=_("Beoordelaar toegewezen"),
                )
            reviews.append(review)
    return reviews


# --- the reviewer ---------------------------------------------------------------------------


def _lock_review(review):
    # Only the review's row: the application's and scheme's rows are locked by grants, in
    # their own order.
    return (
        Review.objects.select_for_update(of=("self",))
        .select_related("application__scheme", "reviewer")
        .get(pk=review.pk)
    )


def _require_open(review):
    if review.status == ReviewStatus.submitted:
        raise TransitionError(
            _("Deze beoordeling is al ingediend en kan niet meer worden gewijzigd.")
        )
    if review.application.status not in REVIEWABLE:
        raise TransitionError(
            _("Over deze aanvraag is al besloten; de beoordeling kan niet meer worden gewijzigd.")
        )


def declare_conflict(review, *, by, has_conflict, explanation=""):
    """The reviewer's declaration of whether they have a conflict of interest with the
    application. With a conflict the reviewer no longer sees the application and their review
    does not count; the declaration is then final. A reviewer who declared none may still
    declare one until they submit.

    Effects: Review.conflict_of_interest, conflict_declared_at and conflict_explanation;
    an audit entry on the application; the application's scores recomputed."""
    require(by, "subsidies.write_review", review)
    explanation = (explanation or "").strip()
    if has_conflict and not explanation:
        raise ValidationError(
            {"explanation": _("Licht toe waarom er sprake is van belangenverstrengeling.")}
        )
    with transaction.atomic():
        current = _lock_review(review)
        _require_open(current)
        if current.conflict_of_interest:
            raise TransitionError(
                _("U heeft al belangenverstrengeling gemeld; die melding staat vast.")
            )
        before = current.conflict_of_interest
        if before is not None and before == bool(has_conflict):
            return current
        current.conflict_of_interest = bool(has_conflict)
        current.conflict_explanation = explanation if has_conflict else ""
        current.conflict_declared_at = timezone.now()
        current.save(
            update_fields=["conflict_of_interest", "conflict_explanation", "conflict_declared_at"]
        )
        changes = {
            "reviewer": current.reviewer.get_username(),
            "conflict_of_interest": [before, current.conflict_of_interest],
        }
        if current.conflict_of_interest:
            changes.update(update_scores(current.application))
        record(
            actor=by,
            obj=current.application,
            action=AuditAction.update,
            changes=changes,
            reason=explanation if has_conflict else _("Verklaring: geen belangenverstrengeling"),
        )
    return current


def save_review(review, *, by, scores, recommendation, comments, submit=False):
    """Save the reviewer's scores (a draft), or submit them (``submit=True``), which locks the
    review.

    ``scores`` is ``{criterion_id: (points, note)}``; a draft may leave criteria out or give
    ``None`` points. Submitting needs every criterion of the scheme scored from 0 to its
    maximum with a note, and a recommendation. Only the reviewer, after declaring they have no
    conflict of interest, on an undecided application.

    Effects: Score rows replaced, Review.recommendation and comments; on submit the status
    ``ingediend`` with its moment, the application's weighted total and eligibility
    recomputed, and an audit entry on the application."""
    require(by, "subsidies.write_review", review)
    with transaction.atomic():
        current = _lock_review(review)
        _require_open(current)
        if current.conflict_of_interest is not False:
            raise TransitionError(
                _("Verklaar eerst dat u geen belangenverstrengeling heeft met deze aanvraag.")
            )
        criteria = list(current.application.scheme.criteria.all())
        cleaned, errors = _clean_scores(criteria, scores, submit=submit)
        if recommendation and recommendation not in Recommendation.values:
            errors["recommendation"] = _("Kies een geldig advies.")
        if submit and not recommendation:
            errors["recommendation"] = _("Geef een advies.")
        if errors:
            raise ValidationError(errors)
        Score.objects.filter(review=current).delete()
        Score.objects.bulk_create(
            Score(review=current, criterion_id=criterion_id, points=points, note=note)
            for criterion_id, (points, note) in cleaned.items()
        )
        current.recommendation = recommendation or ""
        current.comments = (comments or "").strip()
        fields = ["recommendation", "comments"]
        if submit:
            current.status = ReviewStatus.submitted
            current.submitted_at = timezone.now()
            fields += ["status", "submitted_at"]
        current.save(update_fields=fields)
        if submit:
            changes = {
                "reviewer": current.reviewer.get_username(),
                "review": [ReviewStatus.draft.value, ReviewStatus.submitted.value],
                "recommendation": current.recommendation,
            }
            changes.update(update_scores(current.application))
            record(
                actor=by,
                obj=current.application,
                action=AuditAction.update,
                changes=changes,
                reason=_("Beoordeling ingediend"),
            )
    return current


def _clean_scores(criteria, scores, *, submit):
    """``({criterion_id: (points, note)}, {field: error})`` for the scheme's criteria."""
    by_id = {criterion.pk: criterion for criterion in criteria}
    cleaned, errors = {}, {}
    for key in scores or {}:
        if _int(key) not in by_id:
            errors["scores"] = _("Een score hoort bij een criterium van een andere regeling.")
    for criterion in criteria:
        points, note = (scores or {}).get(criterion.pk, (None, ""))
        note = (note or "").strip()
        field = f"points_{criterion.pk}"
        if points is None or points == "":
            # A Score needs points: a draft note without them would be lost.
            if submit or note:
                errors[field] = _("Geef een score voor ‘%(criterion)s’.") % {"criterion": criterion}
            continue
        points = _int(points)
        if points is None or not 0 <= points <= criterion.max_points:
            errors[field] = _("Geef voor ‘%(criterion)s’ 0 tot en met %(max)s punten.") % {
                "criterion": criterion,
                "max": criterion.max_points,
            }
            continue
        if submit and not note:
            errors[f"note_{criterion.pk}"] = _("Licht de score voor ‘%(criterion)s’ toe.") % {
                "criterion": criterion
            }
            continue
        cleaned[criterion.pk] = points, note
    return cleaned, errors


def _int(value):
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- reading --------------------------------------------------------------------------------


def reviews_complete(application):
    """Whether every assigned reviewer without a conflict has submitted, and there is at
    least one such review: the officer may then record the advice."""
    counts = Review.objects.filter(application=application).aggregate(
        open=Count("id", filter=~Q(status=ReviewStatus.submitted) & ~Q(conflict_of_interest=True)),
        submitted=Count(
            "id", filter=Q(status=ReviewStatus.submitted) & ~Q(conflict_of_interest=True)
        ),
    )
    return counts["open"] == 0 and counts["submitted"] > 0


def stored_scores(review):
    """The review's saved scores as ``{criterion_id: (points, note)}``, as save_review takes
    them."""
    return {score.criterion_id: (score.points, score.note) for score in review.scores.all()}


def submission_errors(review):
    """What still keeps the saved draft from being submitted, as ``{field: message}``
    (empty when it is complete)."""
    criteria = list(review.application.scheme.criteria.all())
    _cleaned, errors = _clean_scores(criteria, stored_scores(review), submit=True)
    if not review.recommendation:
        errors["recommendation"] = _("Geef een advies.")
    return errors
