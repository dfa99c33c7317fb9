"""The reviewer's page (declaration, scores, drafts, submitting after a confirmation), the
officer's page to assign reviewers, and the review part of the application page: who may,
and what junk input gets."""

import re
from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from subsidies.enums import ApplicationStatus, ReviewStatus
from subsidies.models import Review
from tests.factories import (
    AdministratorFactory,
    ApplicationFactory,
    CoordinatorFactory,
    ProgrammeManagerFactory,
    ReviewerFactory,
    ReviewFactory,
    SubsidyOfficerFactory,
)
from tests.subsidies.scoring import scheme_with_criteria, submitted_review, tender_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return SubsidyOfficerFactory(username="ruben")


@pytest.fixture
def application(officer):
    scheme = scheme_with_criteria((3, 10, 5), (1, 10, 4), handlers=[officer])
    return ApplicationFactory(
        tender=tender_for(scheme), reference="ZV-2024-0001", title="Dorpshuis Ulrum"
    )


@pytest.fixture
def reviewer():
    return ReviewerFactory(username="femke", first_name="Femke", last_name="Westerhof")


@pytest.fixture
def review(application, reviewer):
    return ReviewFactory(application=application, reviewer=reviewer)


def url(review):
    return reverse("subsidies:review-edit", kwargs={"pk": review.pk})


def text(response):
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def errors(response):
    html = response.content.decode()
    summary = re.search(r'<div class="error-summary".*?</ul>', html, re.S)
    if not summary:
        return []
    items = re.findall(r"<li>(.*?)</li>", summary.group(0), re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", item)).split()) for item in items]


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def criteria_of(application):
    return list(application.scheme.criteria.all())


def score_data(application, *points, action="opslaan", recommendation="", notes=True):
    data = {"actie": action, "recommendation": recommendation, "comments": "Algemeen"}
    for criterion, p in zip(criteria_of(application), points, strict=False):
        data[f"points_{criterion.pk}"] = p
        data[f"note_{criterion.pk}"] = f"Over {criterion.name}" if notes else ""
    return data


# --- who sees the reviewer's page -----------------------------------------------------------


@pytest.mark.parametrize(
    ("make_user", "status"),
    [
        (lambda officer: ReviewerFactory(), 404),  # another reviewer
        (lambda officer: officer, 404),  # the officer reads reviews on the application page
        (lambda officer: ProgrammeManagerFactory(), 404),
        (lambda officer: AdministratorFactory(), 404),
        (lambda officer: CoordinatorFactory(), 404),
    ],
    ids=["other-reviewer", "officer", "programmamanager", "beheerder", "coordinator"],
)
def test_only_the_reviewer_has_the_review_page(client, officer, review, make_user, status):
    client.force_login(make_user(officer))

    assert client.get(url(review)).status_code == status
    assert client.post(url(review), {"stap": "verklaring", "has_conflict": "nee"}).status_code == (
        status
    )
    review.refresh_from_db()
    assert review.conflict_of_interest is None


def test_an_anonymous_visitor_is_sent_to_log_in(client, review):
    response = client.get(url(review))

    assert (response.status_code, response["Location"]) == (302, f"/inloggen/?next={url(review)}")


def test_the_reviewer_first_declares(client, reviewer, review):
    client.force_login(reviewer)

    response = client.get(url(review))

    assert response.templates[0].name == "subsidies/review_declare.html"
    assert "Stap 1 van 2: verklaring over belangenverstrengeling" in text(response)


def test_declaring_no_conflict_leads_to_the_score_form(client, reviewer, review):
    client.force_login(reviewer)

    response = client.post(url(review), {"stap": "verklaring", "has_conflict": "nee"})

    assert (response.status_code, response["Location"]) == (302, url(review))
    review.refresh_from_db()
    assert review.conflict_of_interest is False
    page = client.get(url(review))
    assert page.templates[0].name == "subsidies/review_edit.html"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"has_conflict": "ja", "explanation": " "}, [
            "Toelichting bij belangenverstrengeling: Licht toe waarom er sprake is van "
            "belangenverstrengeling."
        ]),
        ({}, ["Heeft u belangenverstrengeling met deze aanvraag? Geef aan of u "
              "belangenverstrengeling heeft."]),
        ({"has_conflict": "misschien"}, ["Heeft u belangenverstrengeling met deze aanvraag? "
                                         "Geef aan of u belangenverstrengeling heeft."]),
        ({"has_conflict": "ja", "explanation": "x\x00"}, [
            "Toelichting bij belangenverstrengeling: Null-tekens zijn niet toegestaan."
        ]),
    ],
    ids=["conflict-without-explanation", "nothing", "junk", "nul"],
)  # fmt: skip
def test_a_declaration_with_junk_is_a_form_error(client, reviewer, review, data, expected):
    client.force_login(reviewer)

    response = client.post(url(review), {"stap": "verklaring", **data})

    assert (response.status_code, errors(response)) == (200, expected)
    review.refresh_from_db()
    assert review.conflict_of_interest is None


def test_declaring_a_conflict_ends_access_to_the_application(client, reviewer, review):
    client.force_login(reviewer)

    response = client.post(
        url(review), {"stap": "verklaring", "has_conflict": "ja", "explanation": "Buurman."}
    )

    assert response.status_code == 302
    assert messages_of(response) == [
        "U heeft belangenverstrengeling gemeld. U beoordeelt ZV-2024-0001 niet en ziet de "
        "aanvraag niet meer."
    ]
    assert client.get(url(review)).status_code == 404


# --- scoring ---------------------------------------------------------------------------------


@pytest.fixture
def declared(client, reviewer, review):
    Review.objects.filter(pk=review.pk).update(conflict_of_interest=False)
    client.force_login(reviewer)
    return review


def test_saving_a_draft_keeps_partial_scores(client, application, declared):
    response = client.post(url(declared), score_data(application, 7))

    assert (response.status_code, messages_of(response)) == (302, ["Uw concept is opgeslagen."])
    declared.refresh_from_db()
    assert (declared.status, list(declared.scores.values_list("points", flat=True))) == (
        ReviewStatus.draft,
        [7],
    )
    page = client.get(url(declared))
    assert page.context["form"].initial[f"points_{criteria_of(application)[0].pk}"] == 7


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ("x", "Vul een heel aantal punten in."),
        ("11", "Geef ten hoogste 10 punten."),
        ("-1", "Geef ten minste 0 punten."),
        ("99999999999999999999", "Geef ten hoogste 10 punten."),
        ("7.5", "Vul een heel aantal punten in."),
    ],
)
def test_junk_points_are_a_form_error(client, application, declared, points, message):
    response = client.post(url(declared), score_data(application, points, 5))

    assert (response.status_code, errors(response)) == (
        200,
        [f"Punten (0 tot en met 10): {message}"],
    )
    assert declared.scores.count() == 0


def test_submitting_an_incomplete_review_shows_what_is_missing(client, application, declared):
    response = client.post(
        url(declared), score_data(application, 7, action="indienen", notes=False)
    )

    first, second = criteria_of(application)
    assert response.status_code == 200
    assert errors(response) == [
        "Motivering: Licht de score voor ‘Criterium 1’ toe.",
        "Punten (0 tot en met 10): Geef een score voor ‘Criterium 2’.",
        "Advies: Geef een advies.",
    ]
    declared.refresh_from_db()
    assert declared.status == ReviewStatus.draft


def test_submitting_asks_for_a_confirmation_then_locks_the_review(client, application, declared):
    response = client.post(
        url(declared), score_data(application, 8, 6, action="indienen", recommendation="honoreren")
    )
    assert (response.status_code, response["Location"]) == (302, f"{url(declared)}?stap=bevestigen")
    declared.refresh_from_db()
    assert declared.status == ReviewStatus.draft  # saved as a draft, not yet submitted

    confirm_page = client.get(f"{url(declared)}?stap=bevestigen")
    assert confirm_page.templates[0].name == "subsidies/review_confirm.html"
    assert "Definitief indienen" in text(confirm_page)

    done = client.post(url(declared), {"stap": "bevestigen"})

    assert messages_of(done) == ["Uw beoordeling is ingediend. Dank u wel."]
    declared.refresh_from_db()
    assert declared.status == ReviewStatus.submitted
    application.refresh_from_db()
    assert (application.score_total, application.is_eligible) == (Decimal("30.00"), True)
    page = client.get(url(declared))
    assert page.templates[0].name == "subsidies/review_detail.html"
    again = client.post(url(declared), score_data(application, 1, 1, action="opslaan"))
    assert again.templates[0].name == "subsidies/review_detail.html"
    assert sorted(declared.scores.values_list("points", flat=True)) == [6, 8]


def test_the_confirmation_page_of_an_incomplete_draft_sends_back_to_the_form(
    client, application, declared
):
    page = client.get(f"{url(declared)}?stap=bevestigen")

    assert "De beoordeling is nog niet compleet" in text(page)
    assert "Definitief indienen" not in text(page)
    response = client.post(url(declared), {"stap": "bevestigen"})
    assert messages_of(response) == [
        "De beoordeling is nog niet compleet. Vul aan wat hieronder staat."
    ]


def test_a_reviewer_can_still_declare_a_conflict_from_the_score_form(client, application, declared):
    response = client.post(
        url(declared), {"stap": "verklaring", "has_conflict": "ja", "explanation": "Oom."}
    )

    assert response.status_code == 302
    declared.refresh_from_db()
    assert declared.conflict_of_interest is True


def test_a_decided_application_is_no_longer_scored(client, application, declared):
    application.status = ApplicationStatus.granted
    application.granted_amount = Decimal("1000")
    application.save()

    response = client.post(url(declared), score_data(application, 7))

    assert messages_of(response) == [
        "Over deze aanvraag is al besloten; de beoordeling kan niet meer worden gewijzigd."
    ]


# --- assigning -------------------------------------------------------------------------------


def assign_url(application):
    return reverse(
        "subsidies:application-assign-reviewers", kwargs={"reference": application.reference}
    )


def test_the_officer_assigns_reviewers(client, officer, application, reviewer):
    other = ReviewerFactory()
    client.force_login(officer)

    page = client.get(assign_url(application))
    response = client.post(
        assign_url(application),
        {"reviewers": [reviewer.pk, other.pk], "due_on": date.today() + timedelta(days=30)},
    )

    assert page.status_code == 200
    assert response.status_code == 302
    assert messages_of(response)[0].startswith("Toegewezen aan ")
    assert set(
        Review.objects.filter(application=application).values_list("reviewer", flat=True)
    ) == {
        reviewer.pk,
        other.pk,
    }


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, ["Beoordelaars: Kies ten minste één beoordelaar."]),
        ({"reviewers": "x"}, ["Beoordelaars: Kies beoordelaars uit de lijst."]),
        ({"reviewers": "99999999999999999999"}, ["Beoordelaars: Kies beoordelaars uit de lijst."]),
        ({"reviewers": "REVIEWER", "due_on": "2023-13-45"}, [
            "Gereed uiterlijk: Vul een geldige datum in, bijvoorbeeld 31-12-2024."
        ]),
        ({"reviewers": "REVIEWER", "due_on": "2001-01-01"}, [
            "Gereed uiterlijk: De datum ligt in het verleden."
        ]),
        ({"reviewers": "COORDINATOR"}, ["Beoordelaars: Kies beoordelaars uit de lijst."]),
    ],
    ids=["nobody", "junk", "huge", "bad-date", "past", "not-a-reviewer"],
)  # fmt: skip
def test_junk_in_the_assignment_is_a_form_error(
    client, officer, application, reviewer, data, expected
):
    coordinator = CoordinatorFactory()
    data = {
        key: {"REVIEWER": reviewer.pk, "COORDINATOR": coordinator.pk}.get(value, value)
        for key, value in data.items()
    }
    client.force_login(officer)

    response = client.post(assign_url(application), data)

    assert (response.status_code, errors(response)) == (200, expected)
    assert Review.objects.count() == 0


@pytest.mark.parametrize(
    ("make_user", "status"),
    [
        (lambda review: SubsidyOfficerFactory(), 404),  # another scheme's officer
        (lambda review: ProgrammeManagerFactory(), 403),  # reads, does not assign
        (lambda review: AdministratorFactory(), 403),
        (lambda review: review.reviewer, 403),  # the assigned reviewer sees the application
        (lambda review: ReviewerFactory(), 404),
        (lambda review: CoordinatorFactory(), 404),
    ],
    ids=[
        "other-officer",
        "programmamanager",
        "beheerder",
        "reviewer",
        "other-reviewer",
        "coordinator",
    ],
)
def test_only_the_schemes_officer_assigns(client, review, make_user, status):
    client.force_login(make_user(review))

    assert client.get(assign_url(review.application)).status_code == status
    response = client.post(assign_url(review.application), {"reviewers": [review.reviewer_id]})
    assert response.status_code == status


def test_an_unknown_application_is_not_found(client, officer):
    client.force_login(officer)

    assert client.get(reverse(
        "subsidies:application-assign-reviewers", kwargs={"reference": "ZV-9999-9999"}
    )).status_code == 404  # fmt: skip


# --- the review part of the application page ------------------------------------------------


def summary_for(user, application):
    request = RequestFactory().get("/")
    request.user = user
    html = render_to_string(
        "subsidies/_review_summary.html", {"application": application, "request": request}
    )
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def reviewed(application):
    first = submitted_review(
        application, [8, 6], reviewer=ReviewerFactory(first_name="Anna", last_name="Bos")
    )
    second = submitted_review(
        application, [6, 8], reviewer=ReviewerFactory(first_name="Bert", last_name="Dijk")
    )
    return first, second


def test_the_officer_sees_every_review_the_averages_and_eligibility(
    application, officer, reviewed, reviewer
):
    ReviewFactory(application=application, reviewer=reviewer)

    summary = summary_for(officer, application)

    assert "Gemiddelde scores uit 2 ingediende beoordelingen" in summary
    assert "Gewogen totaalscore 28,00" in summary
    assert "Komt in aanmerking" in summary
    assert ("Anna Bos" in summary, "Bert Dijk" in summary, "Femke Westerhof" in summary) == (
        True,
        True,
        True,
    )
    assert "Beoordelaars toewijzen" in summary


def test_an_undeclared_reviewer_sees_only_their_own_review(application, reviewer, reviewed):
    ReviewFactory(application=application, reviewer=reviewer)

    summary = summary_for(reviewer, application)

    assert ("Anna Bos" in summary, "Bert Dijk" in summary) == (False, False)
    assert "Gemiddelde scores" not in summary
    assert "Verklaring afleggen en beoordelen" in summary


def test_the_programme_manager_reads_the_scores_but_assigns_nobody(application, reviewed):
    summary = summary_for(ProgrammeManagerFactory(), application)

    assert "Gewogen totaalscore 28,00" in summary
    assert "Beoordelaars toewijzen" not in summary
