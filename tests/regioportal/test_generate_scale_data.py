"""generate_scale_data: benchmark rows on top of the demo data, written with COPY."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Sum

from participants.models import Consent, Enrolment, Participant, ProgressEntry
from subsidies.enums import ApplicationStatus
from subsidies.models import Application, Review, Tender
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

SMALL = {"participants": 50, "entries_per_participant": 3, "applications": 20}


def generate(**options):
    out = StringIO()
    call_command("generate_scale_data", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def demo():
    call_command("load_demo", force=True, stdout=StringIO())


def scale_participants():
    return Participant.objects.filter(reference__startswith="S-")


def scale_enrolments():
    return Enrolment.objects.filter(participant__reference__startswith="S-")


def scale_applications():
    return Application.objects.filter(reference__startswith="SC-")


def counts():
    return {
        "participants": scale_participants().count(),
        "enrolments": scale_enrolments().count(),
        "consents": Consent.objects.filter(participant__reference__startswith="S-").count(),
        "progress entries": ProgressEntry.objects.filter(
            enrolment__participant__reference__startswith="S-"
        ).count(),
        "applications": scale_applications().count(),
    }


def test_generate_scale_data_writes_exactly_the_requested_rows(demo):
    output = generate(**SMALL)

    assert counts() == {
        "participants": 50,
        "enrolments": 50,
        "consents": 50,
        "progress entries": 150,
        "applications": 20,
    }
    assert "150 progress entries" in output
    assert scale_participants().annotate(n=Count("enrolments")).exclude(n=1).count() == 0


def test_scale_enrolments_are_spread_over_the_programmes_with_participants(demo):
    generate(**SMALL)

    per_programme = dict(scale_enrolments().values_list("programme__slug").annotate(n=Count("id")))

    assert per_programme == {
        "kansen4kinderen": 12,
        "klei-impuls": 13,
        "op-koers": 13,
        "van-waarde": 12,
    }


def test_generate_scale_data_twice_keeps_the_rows_of_the_first_run(demo):
    generate(**SMALL)
    first = counts()
    participant_ids = sorted(scale_participants().values_list("pk", flat=True))

    output = generate(**SMALL)

    assert counts() == first
    assert sorted(scale_participants().values_list("pk", flat=True)) == participant_ids
    assert "50 generated participants already present" in output


def test_generate_scale_data_with_replace_makes_the_rows_again(demo):
    generate(**SMALL)
    first = counts()
    participant_ids = set(scale_participants().values_list("pk", flat=True))

    generate(replace=True, **SMALL)

    assert counts() == first
    assert set(scale_participants().values_list("pk", flat=True)).isdisjoint(participant_ids)


def test_generate_scale_data_leaves_the_demo_rows_alone(demo):
    generate(**SMALL)

    assert Participant.objects.filter(reference__startswith="D-").count() == 273
    assert Application.objects.exclude(reference__startswith="SC-").count() == 74


def test_scale_applications_are_never_granted_so_tender_ceilings_hold(demo):
    generate(participants=0, entries_per_participant=0, applications=200)

    assert scale_applications().filter(status__in=ApplicationStatus.granted_group()).count() == 0
    for tender in Tender.objects.all():
        granted = tender.applications.filter(status__in=ApplicationStatus.granted_group())
        assert granted.aggregate(total=Sum("granted_amount"))["total"] <= tender.ceiling
    assert Review.objects.filter(application__reference__startswith="SC-").count() > 0


def test_new_rows_get_fresh_ids_after_the_bulk_load(demo):
    generate(**SMALL)
    newest = scale_participants().order_by("-pk").first()

    participant = Participant.objects.create(reference="X-1", first_name="A", last_name="B")

    assert participant.pk > newest.pk


def test_generate_scale_data_without_demo_data_asks_for_load_demo():
    with pytest.raises(CommandError, match="Run `manage.py load_demo` first"):
        generate(**SMALL)


def test_generate_scale_data_refuses_a_database_without_demo_data_even_with_op_koers():
    ProgrammeFactory(slug="op-koers")

    with pytest.raises(CommandError, match="holds no demo data"):
        generate(**SMALL)
    assert scale_participants().count() == 0
