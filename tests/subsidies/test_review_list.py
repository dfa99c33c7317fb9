""" "Mijn beoordelingen": a Beoordelaar's queue with due dates, and nothing else."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from subsidies.enums import ApplicationStatus
from subsidies.tables import review_url
from tests.factories import (
    AdministratorFactory,
    ApplicationFactory,
    CoordinatorFactory,
    ProgrammeManagerFactory,
    ReviewerFactory,
    ReviewFactory,
    SchemeFactory,
    SubsidyOfficerFactory,
    TenderFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    noon = timezone.make_aware(datetime.datetime(2024, 5, 15, 12, 0))
    with time_machine.travel(noon, tick=False):
        yield


@pytest.fixture
def tender():
    return TenderFactory(scheme=SchemeFactory(name="Zorg & Voorzieningen"), name="Tender 2024")


@pytest.fixture
def femke():
    return ReviewerFactory(username="beoordelaar")


def app(tender, reference, **fields):
    return ApplicationFactory(
        tender=tender, reference=reference, status=ApplicationStatus.in_review, **fields
    )


@pytest.fixture
def reviews(femke, tender):
    """Femke's reviews in each stage, one she withdrew from, and someone else's."""
    to_declare = ReviewFactory(
        application=app(tender, "ZV-2024-001", title="Dorpshuis"),
        reviewer=femke,
        due_on=datetime.date(2024, 5, 10),
    )
    draft = ReviewFactory(
        application=app(tender, "ZV-2024-002", title="Beweegprogramma"),
        reviewer=femke,
        conflict_of_interest=False,
        due_on=datetime.date(2024, 5, 20),
    )
    submitted = ReviewFactory(
        application=app(tender, "ZV-2024-003", title="Vervoer"),
        reviewer=femke,
        submitted=True,
        due_on=datetime.date(2024, 5, 1),
    )
    later = ReviewFactory(
        application=app(tender, "ZV-2024-004", title="Mantelzorg"),
        reviewer=femke,
        conflict_of_interest=False,
        due_on=datetime.date(2024, 7, 1),
    )
    ReviewFactory(
        application=app(tender, "ZV-2024-005", title="Eigen stichting"),
        reviewer=femke,
        conflicted=True,
    )
    ReviewFactory(application=to_declare.application, reviewer=ReviewerFactory())
    ReviewFactory(application=app(tender, "ZV-2024-006"), reviewer=ReviewerFactory())
    return {"to_declare": to_declare, "draft": draft, "submitted": submitted, "later": later}


def listed(response):
    return [row["application__reference"] for row in response.context["table"].page_rows()]


def get_list(client, user, **params):
    client.force_login(user)
    return client.get(reverse("subsidies:review-list"), params)


def row_html(response, reference):
    html = response.content.decode()
    match = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{reference}(?:(?!</tr>).)*</tr>", html, re.S)
    assert match, reference
    return match.group(0)


def test_reviewer_sees_their_own_reviews_by_due_date_without_conflicted_ones(
    client, femke, reviews
):
    response = get_list(client, femke)

    assert response.status_code == 200
    assert listed(response) == ["ZV-2024-003", "ZV-2024-001", "ZV-2024-002", "ZV-2024-004"]
    assert b"ZV-2024-005" not in response.content
    assert b"ZV-2024-006" not in response.content


def test_stages_in_words(client, femke, reviews):
    response = get_list(client, femke)

    assert "Belangenverklaring nog afleggen" in row_html(response, "ZV-2024-001")
    assert "Concept" in row_html(response, "ZV-2024-002")
    assert "Ingediend" in row_html(response, "ZV-2024-003")


def test_due_dates_are_flagged_in_words_unless_submitted(client, femke, reviews):
    response = get_list(client, femke)

    overdue = row_html(response, "ZV-2024-001")
    assert "verstreken, 5 dagen" in overdue and 'class="row--alert"' in overdue
    assert "nog 5 dagen" in row_html(response, "ZV-2024-002")
    submitted = row_html(response, "ZV-2024-003")
    assert "verstreken" not in submitted and "row--alert" not in submitted
    assert "nog" not in row_html(response, "ZV-2024-004")


def test_each_row_links_to_the_review_page_when_it_exists(client, femke, reviews):
    response = get_list(client, femke)

    for review in reviews.values():
        url = review_url(review.pk, review.application.reference)
        html = row_html(response, review.application.reference)
        if url is None:
            assert "<a " not in html
        else:
            assert f'href="{url}"' in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"stage": "verklaren"}, ["ZV-2024-001"]),
        ({"stage": "concept"}, ["ZV-2024-002", "ZV-2024-004"]),
        ({"stage": "ingediend"}, ["ZV-2024-003"]),
        ({"due": "verstreken"}, ["ZV-2024-001"]),
        ({"due": "binnenkort"}, ["ZV-2024-002"]),
        ({"sort": "-due_on"}, ["ZV-2024-004", "ZV-2024-002", "ZV-2024-001", "ZV-2024-003"]),
        ({"sort": "reference"}, ["ZV-2024-001", "ZV-2024-002", "ZV-2024-003", "ZV-2024-004"]),
    ],
)
def test_filters_and_sorting(client, femke, reviews, params, expected):
    assert listed(get_list(client, femke, **params)) == expected


@pytest.mark.parametrize(
    "params",
    [
        {"stage": "x"},
        {"due": "<script>"},
        {"page": "x"},
        {"page": "99999999999999999999"},
        {"sort": "reviewer__password"},
        {"per_page": "-1"},
    ],
)
def test_junk_parameters_answer_200(client, femke, reviews, params):
    assert get_list(client, femke, **params).status_code == 200


@pytest.mark.parametrize(
    "factory",
    [SubsidyOfficerFactory, ProgrammeManagerFactory, AdministratorFactory, CoordinatorFactory],
)
def test_only_reviewers_have_the_list(client, reviews, factory):
    assert get_list(client, factory()).status_code == 404


def test_a_reviewer_without_reviews_sees_an_empty_queue(client, reviews):
    response = get_list(client, ReviewerFactory())

    assert listed(response) == []
    assert "Er staan geen beoordelingen voor u klaar." in response.content.decode()


def test_a_reviewer_gets_no_worklist_of_applications(client, femke, reviews):
    client.force_login(femke)

    assert client.get(reverse("subsidies:application-list"), {"status": ""}).status_code == 404
    assert client.get(reverse("subsidies:application-export", args=["csv"])).status_code == 404


@pytest.mark.parametrize("count", [1, 30])
def test_list_takes_a_fixed_number_of_queries(
    client, femke, tender, count, django_assert_num_queries, django_assert_max_num_queries
):
    for number in range(count):
        ReviewFactory(
            application=app(tender, f"ZV-2024-{number:03d}"),
            reviewer=femke,
            due_on=datetime.date(2024, 5, 20),
        )
    client.force_login(femke)
    url = reverse("subsidies:review-list")
    with django_assert_max_num_queries(10):  # cold caches
        client.get(url, {"due": "binnenkort"})

    # the user, the page's reviews and their columns; the session, the roles and the count
    # come from caches
    with django_assert_num_queries(3):
        response = client.get(url, {"due": "binnenkort"})

    assert len(listed(response)) == count
