"""generate_scale_data's reviews, for the worklists' benchmark: three per application by
default, spread over a pool of Beoordelaars, in every stage a reviewer meets."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F

from participants.models import Participant
from regioportal.roles import Role
from subsidies.enums import ApplicationStatus, ReviewStatus
from subsidies.models import Application, Review, Score

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", force=True, stdout=StringIO())


def generate(**options):
    out = StringIO()
    call_command(
        "generate_scale_data", participants=0, entries_per_participant=0, stdout=out, **options
    )
    return out.getvalue()


def scale_reviews():
    return Review.objects.filter(application__reference__startswith="SC-")


def test_three_reviews_per_application_by_default(demo):
    output = generate(applications=200)

    assert scale_reviews().count() == 600
    assert "600 reviews" in output


def test_the_number_of_reviews_can_be_asked_for(demo):
    generate(applications=200, reviews=450)

    assert scale_reviews().count() == 450


def test_reviews_go_to_beoordelaars_once_per_application_and_to_the_demo_reviewer(demo):
    generate(applications=200)

    reviewers = scale_reviews().values("reviewer").distinct()
    assert reviewers.count() == 25
    assert not scale_reviews().exclude(reviewer__groups__name=Role.reviewer.value).exists()
    assert scale_reviews().filter(reviewer__username="beoordelaar").count() > 0
    per_pair = scale_reviews().values("application", "reviewer").annotate(n=Count("id"))
    assert {row["n"] for row in per_pair} == {1}


def test_reviews_are_in_every_stage_with_due_dates_and_scores(demo):
    generate(applications=400)

    reviews = scale_reviews()
    assert reviews.filter(conflict_of_interest__isnull=True).exists()  # still to declare
    assert reviews.filter(conflict_of_interest=True).exists()
    assert reviews.filter(conflict_of_interest=False, status=ReviewStatus.draft).exists()
    submitted = reviews.filter(status=ReviewStatus.submitted)
    assert submitted.exists()
    assert not submitted.filter(submitted_at__isnull=True).exists()
    assert not submitted.exclude(conflict_of_interest=False).exists()
    assert not reviews.filter(due_on__isnull=True).exists()
    # every submitted review scores each criterion of its scheme
    for review in submitted.select_related("application__scheme")[:20]:
        criteria = set(review.application.scheme.criteria.values_list("pk", flat=True))
        assert set(review.scores.values_list("criterion", flat=True)) == criteria
    assert not Score.objects.filter(review__in=reviews.exclude(status="ingediend")).exists()
    # only applications that reached a reviewer have reviews
    reviewed = {
        ApplicationStatus.received,
        ApplicationStatus.in_review,
        ApplicationStatus.advised,
        ApplicationStatus.rejected,
        ApplicationStatus.withdrawn,
    }
    assert set(reviews.values_list("application__status", flat=True).distinct()) <= reviewed
    assert not reviews.filter(due_on__lt=F("application__received_on")).exists()


def test_scale_applications_are_never_granted(demo):
    generate(applications=300)

    scale = Application.objects.filter(reference__startswith="SC-")
    assert not scale.filter(status__in=ApplicationStatus.granted_group()).exists()


def test_replace_applications_keeps_the_participants(demo):
    call_command(
        "generate_scale_data",
        participants=20,
        entries_per_participant=1,
        applications=50,
        stdout=StringIO(),
    )
    participants = set(
        Participant.objects.filter(reference__startswith="S-").values_list("pk", flat=True)
    )
    applications = set(
        Application.objects.filter(reference__startswith="SC-").values_list("pk", flat=True)
    )

    generate(applications=60, reviews=100, replace_applications=True)

    assert (
        set(Participant.objects.filter(reference__startswith="S-").values_list("pk", flat=True))
        == participants
    )
    regenerated = Application.objects.filter(reference__startswith="SC-")
    assert regenerated.count() == 60
    assert set(regenerated.values_list("pk", flat=True)).isdisjoint(applications)
    assert scale_reviews().count() == 100
