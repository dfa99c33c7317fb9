"""The Subsidiebehandelaar's worklist: who sees which applications, the filters (junk
included), sorting, pagination, deadline flags, the bulk assignment of reviewers and the
navigation."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from regioportal import widgets
from regioportal.context_processors import optional_url
from subsidies.counting import data_version
from subsidies.deadlines import DeadlineState, deadline_state
from subsidies.enums import ApplicationStatus
from subsidies.filters import deadline_condition
from subsidies.models import Application, Review
from tests.factories import (
    AdministratorFactory,
    ApplicationFactory,
    CoordinatorFactory,
    MunicipalityFactory,
    OrganisationFactory,
    ProgrammeManagerFactory,
    ReviewerFactory,
    ReviewFactory,
    SchemeFactory,
    SubsidyOfficerFactory,
    TenderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 5, 15)  # a Wednesday


@pytest.fixture(autouse=True)
def _today():
    noon = timezone.make_aware(datetime.datetime(2024, 5, 15, 12, 0))
    with time_machine.travel(noon, tick=False):
        yield


@pytest.fixture(autouse=True)
def _fresh_options():
    """The option lists are kept per process: not from test to test."""
    widgets._choices_cache.clear()


@pytest.fixture
def officer():
    return SubsidyOfficerFactory(username="behandelaar")


@pytest.fixture
def other_officer():
    return SubsidyOfficerFactory(username="behandelaar.2")


@pytest.fixture
def scheme(officer):
    return SchemeFactory(code="ZV", name="Zorg & Voorzieningen", handlers=[officer])


@pytest.fixture
def other_scheme(other_officer):
    return SchemeFactory(code="TF", name="Transitiefonds", handlers=[other_officer])


@pytest.fixture
def tender(scheme):
    return TenderFactory(scheme=scheme, name="Tender 2024")


@pytest.fixture
def groningen():
    return MunicipalityFactory(name="Groningen")


@pytest.fixture
def assen():
    return MunicipalityFactory(name="Assen")


def application(tender, reference, *, status, deadline, applicant=None, **fields):
    return ApplicationFactory(
        tender=tender,
        reference=reference,
        status=status,
        received_on=deadline - datetime.timedelta(weeks=8),
        decision_deadline=deadline,
        applicant=applicant or OrganisationFactory(),
        **fields,
    )


@pytest.fixture
def rows(tender, other_scheme, groningen, assen):
    """One application in every deadline state in the officer's scheme, and one in a scheme
    another officer handles."""
    dorpshuis = OrganisationFactory(name="Stichting Dorpshuis Ezinge", municipality=groningen)
    sportclub = OrganisationFactory(name="Sportclub Assen", municipality=assen)
    return {
        "overdue": application(
            tender,
            "ZV-2024-001",
            status=ApplicationStatus.in_review,
            deadline=datetime.date(2024, 5, 10),
            applicant=dorpshuis,
            title="Dorpshuis als ontmoetingsplek",
            requested_amount=40_000,
        ),
        "due_soon": application(
            tender,
            "ZV-2024-002",
            status=ApplicationStatus.received,
            deadline=datetime.date(2024, 5, 20),
            applicant=sportclub,
            title="Beweegprogramma voor ouderen",
            requested_amount=90_000,
        ),
        "running": application(
            tender,
            "ZV-2024-003",
            status=ApplicationStatus.advised,
            deadline=datetime.date(2024, 7, 1),
            applicant=dorpshuis,
            title="Vervoer naar voorzieningen",
            requested_amount=10_000,
        ),
        "paused": application(
            tender,
            "ZV-2024-004",
            status=ApplicationStatus.incomplete,
            deadline=datetime.date(2024, 5, 1),
            title="Mantelzorg in het dorp",
            requested_amount=25_000,
        ),
        "decided": application(
            tender,
            "ZV-2024-005",
            status=ApplicationStatus.rejected,
            deadline=datetime.date(2024, 4, 1),
            title="Ambachtsleren",
            requested_amount=60_000,
        ),
        "other": application(
            TenderFactory(scheme=other_scheme),
            "TF-2024-001",
            status=ApplicationStatus.in_review,
            deadline=datetime.date(2024, 5, 10),
            title="Transitie van het dorpshuis",
        ),
    }


def login(client, user):
    client.force_login(user)
    return client


def listed(response):
    """The references on the page, in the order shown."""
    return [row.record["reference"] for row in response.context["table"].page.object_list]


def get_list(client, **params):
    return client.get(reverse("subsidies:application-list"), {"status": "", **params})


# --- who sees what ---------------------------------------------------------------------------


def test_officer_lands_on_open_applications_most_urgent_first(client, officer, rows):
    response = login(client, officer).get(reverse("subsidies:application-list"))

    assert response.status_code == 302
    assert response["Location"] == "/subsidies/aanvragen/?status=open&sort=decision_deadline"
    response = client.get(response["Location"])
    assert listed(response) == ["ZV-2024-004", "ZV-2024-001", "ZV-2024-002", "ZV-2024-003"]


def test_officer_sees_only_the_applications_of_the_schemes_they_handle(client, officer, rows):
    response = get_list(login(client, officer), sort="reference")

    assert listed(response) == [
        "ZV-2024-001",
        "ZV-2024-002",
        "ZV-2024-003",
        "ZV-2024-004",
        "ZV-2024-005",
    ]
    assert b"TF-2024-001" not in response.content


@pytest.mark.parametrize("factory", [ProgrammeManagerFactory, AdministratorFactory])
def test_programme_manager_and_administrator_see_every_application(client, rows, factory):
    response = get_list(login(client, factory()), sort="reference")

    assert listed(response) == [
        "TF-2024-001",
        "ZV-2024-001",
        "ZV-2024-002",
        "ZV-2024-003",
        "ZV-2024-004",
        "ZV-2024-005",
    ]


@pytest.mark.parametrize("factory", [CoordinatorFactory, ReviewerFactory, UserFactory])
def test_other_roles_get_no_worklist(client, rows, factory):
    assert get_list(login(client, factory())).status_code == 404


def test_anonymous_is_sent_to_log_in(client, rows):
    response = get_list(client)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- filters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (DeadlineState.overdue, ["ZV-2024-001"]),
        (DeadlineState.due_soon, ["ZV-2024-002"]),
        (DeadlineState.running, ["ZV-2024-003"]),
        (DeadlineState.paused, ["ZV-2024-004"]),
    ],
)
def test_deadline_filter(client, officer, rows, state, expected):
    assert listed(get_list(login(client, officer), deadline=state)) == expected


def test_status_filter_open_and_single(client, officer, rows):
    client = login(client, officer)

    assert listed(get_list(client, status="open", sort="reference")) == [
        "ZV-2024-001",
        "ZV-2024-002",
        "ZV-2024-003",
        "ZV-2024-004",
    ]
    assert listed(get_list(client, status="afgewezen")) == ["ZV-2024-005"]


def test_scheme_and_tender_filters(client, rows, tender, other_scheme):
    client = login(client, ProgrammeManagerFactory())

    by_scheme = get_list(client, scheme=other_scheme.pk)
    by_tender = get_list(client, tender=tender.pk, sort="reference")

    assert listed(by_scheme) == ["TF-2024-001"]
    assert listed(by_tender) == [f"ZV-2024-00{n}" for n in range(1, 6)]


def test_scheme_choices_offer_only_the_schemes_the_officer_may_see(client, officer, rows):
    response = get_list(login(client, officer))

    options = response.context["filter"].form["scheme"].as_widget()
    assert "Zorg &amp; Voorzieningen" in options
    assert "Transitiefonds" not in options


def test_a_scheme_taken_from_an_officer_leaves_the_options_at_the_next_request(
    client, officer, rows, scheme, django_capture_on_commit_callbacks
):
    second = SchemeFactory(code="PV", name="Pilot Vitaliteit", handlers=[officer])
    ApplicationFactory(tender=TenderFactory(scheme=second), reference="PV-2024-001")
    login(client, officer)
    assert "Pilot Vitaliteit" in get_list(client).context["filter"].form["scheme"].as_widget()

    with django_capture_on_commit_callbacks(execute=True):
        second.handlers.remove(officer)

    options = get_list(client).context["filter"].form["scheme"].as_widget()
    assert "Pilot Vitaliteit" not in options
    assert "Zorg &amp; Voorzieningen" in options


def test_a_new_beoordelaar_and_a_renamed_scheme_show_at_the_next_request(
    client, officer, rows, scheme, django_capture_on_commit_callbacks
):
    login(client, officer)
    first = get_list(client).context
    assert "Femke Westerhof" not in first["filter"].form["reviewer"].as_widget()

    with django_capture_on_commit_callbacks(execute=True):
        ReviewerFactory(first_name="Femke", last_name="Westerhof")
    with django_capture_on_commit_callbacks(execute=True):
        scheme.name = "Zorg en Welzijn"
        scheme.save()

    response = get_list(client)
    assert "Femke Westerhof" in response.context["filter"].form["reviewer"].as_widget()
    assert "Femke Westerhof" in response.content.decode()  # the bulk form's checkboxes
    assert "Zorg en Welzijn" in response.context["filter"].form["scheme"].as_widget()


def test_a_beoordelaar_who_leaves_is_no_longer_offered(
    client, officer, rows, django_capture_on_commit_callbacks
):
    femke = ReviewerFactory(first_name="Femke", last_name="Westerhof")
    login(client, officer)
    assert "Femke Westerhof" in get_list(client).context["filter"].form["reviewer"].as_widget()

    with django_capture_on_commit_callbacks(execute=True):
        femke.is_active = False
        femke.save()

    assert "Femke Westerhof" not in get_list(client).content.decode()


def test_signing_in_does_not_empty_the_cached_lists(
    client, officer, django_capture_on_commit_callbacks
):
    version = data_version()

    with django_capture_on_commit_callbacks(execute=True):
        login(client, officer)  # saves the last login only
    assert data_version() == version

    with django_capture_on_commit_callbacks(execute=True):
        officer.first_name = "Karin"
        officer.save()
    assert data_version() == version + 1


def test_municipality_filter_is_the_applicants(client, officer, rows, assen):
    assert listed(get_list(login(client, officer), municipality=assen.pk)) == ["ZV-2024-002"]


def test_reviewer_filter(client, officer, rows):
    femke = ReviewerFactory(first_name="Femke", last_name="Westerhof")
    ReviewFactory(application=rows["running"], reviewer=femke)
    ReviewFactory(application=rows["overdue"], reviewer=femke, submitted=True)
    ReviewFactory(application=rows["overdue"], reviewer=ReviewerFactory())

    response = get_list(login(client, officer), reviewer=femke.pk, sort="reference")

    assert listed(response) == ["ZV-2024-001", "ZV-2024-003"]  # once each
    assert "Femke Westerhof" in response.context["filter"].form["reviewer"].as_widget()


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("zv-2024-003", ["ZV-2024-003"]),
        ("beweeg", ["ZV-2024-002"]),
        ("dorpshuis ezinge", ["ZV-2024-001", "ZV-2024-003"]),
        ("dorpshuis vervoer", ["ZV-2024-003"]),
    ],
)
def test_search_on_reference_title_and_applicant(client, officer, rows, words, expected):
    assert listed(get_list(login(client, officer), q=words, sort="reference")) == expected


@pytest.mark.parametrize(
    "params",
    [
        {"scheme": "x"},
        {"scheme": "99999999999999999999"},
        {"tender": "-1"},
        {"status": "<script>"},
        {"deadline": "gisteren"},
        {"municipality": "x"},
        {"reviewer": "'; drop table x; --"},
        {"q": "ü" * 3000},
        {"page": "x"},
        {"page": "-1"},
        {"page": "99999999999999999999"},
        {"sort": "password"},
        {"per_page": "-1"},
        {"per_page": "100000"},
    ],
)
def test_junk_in_a_filter_is_a_form_error_not_a_server_error(client, officer, rows, params):
    response = get_list(login(client, officer), **params)

    assert response.status_code == 200
    assert len(response.context["table"].page.object_list) <= 50


def test_junk_in_a_choice_shows_a_dutch_error_and_no_rows(client, officer, rows):
    response = get_list(login(client, officer), deadline="gisteren")

    assert listed(response) == []
    assert response.context["filter"].form.errors["deadline"] == [
        "Selecteer een geldige keuze. gisteren is geen beschikbare keuze."
    ]


@pytest.mark.parametrize("status", ApplicationStatus.values)
@pytest.mark.parametrize("days", [-30, -1, 0, 1, 7, 8, 30])
def test_deadline_condition_in_sql_agrees_with_deadline_state(tender, status, days):
    deadline = TODAY + datetime.timedelta(days=days)
    granted = 1000 if status in ApplicationStatus.granted_group() else None
    row = application(
        tender, "ZV-2024-100", status=status, deadline=deadline, granted_amount=granted
    )

    in_sql = [
        state
        for state in (
            DeadlineState.overdue,
            DeadlineState.due_soon,
            DeadlineState.running,
            DeadlineState.paused,
            DeadlineState.none,
        )
        if Application.objects.filter(deadline_condition(state, TODAY), pk=row.pk).exists()
    ]

    assert in_sql == [deadline_state(row, TODAY)]


# --- sorting, pagination, flags --------------------------------------------------------------


def test_sorting_by_amount_and_by_applicant(client, officer, rows):
    client = login(client, officer)

    by_amount = listed(get_list(client, sort="-requested_amount"))
    by_applicant = listed(get_list(client, sort="-applicant"))

    assert by_amount == ["ZV-2024-002", "ZV-2024-005", "ZV-2024-001", "ZV-2024-004", "ZV-2024-003"]
    # Stichting Dorpshuis Ezinge (twice, the later one first), ..., Sportclub Assen
    assert by_applicant[:2] == ["ZV-2024-003", "ZV-2024-001"]
    assert by_applicant[-1] == "ZV-2024-002"


def test_list_is_paginated_by_50(client, officer, tender):
    for number in range(60):
        application(
            tender,
            f"ZV-2024-{number:03d}",
            status=ApplicationStatus.received,
            deadline=datetime.date(2024, 6, 1),
        )

    response = get_list(login(client, officer), sort="reference")

    assert len(listed(response)) == 50
    assert response.context["table"].paginator.count == 60
    assert listed(get_list(client, sort="reference", page=2)) == [
        f"ZV-2024-{n:03d}" for n in range(50, 60)
    ]


def row_html(response, reference):
    html = response.content.decode()
    match = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{reference}(?:(?!</tr>).)*</tr>", html, re.S)
    assert match, reference
    return match.group(0)


def test_deadline_flags_are_marked_in_words(client, officer, rows):
    response = get_list(login(client, officer))

    overdue = row_html(response, "ZV-2024-001")
    assert 'class="row--alert"' in overdue
    assert "verstreken, 5 dagen" in overdue
    assert "deadline--overdue" in overdue
    due_soon = row_html(response, "ZV-2024-002")
    assert "nog 5 dagen" in due_soon and "deadline--soon" in due_soon
    assert "row--alert" not in due_soon
    assert "opgeschort" in row_html(response, "ZV-2024-004")
    decided = row_html(response, "ZV-2024-005")
    assert "deadline" not in decided.replace('datetime="', "")
    assert "row--alert" not in decided


def test_a_row_shows_its_reviews(client, officer, rows):
    ReviewFactory(
        application=rows["overdue"],
        reviewer=ReviewerFactory(first_name="Femke", last_name="Westerhof"),
        submitted=True,
    )
    ReviewFactory(
        application=rows["overdue"], reviewer=ReviewerFactory(first_name="Jan", last_name="Dijk")
    )

    response = get_list(login(client, officer))

    assert "1 van 2 ingediend" in row_html(response, "ZV-2024-001")
    assert "Femke Westerhof, Jan Dijk" in row_html(response, "ZV-2024-001")
    assert "geen" in row_html(response, "ZV-2024-002")


def test_values_are_escaped(client, officer, tender):
    application(
        tender,
        "ZV-2024-001",
        status=ApplicationStatus.received,
        deadline=datetime.date(2024, 6, 1),
        title="<script>alert(1)</script>",
    )

    response = get_list(login(client, officer))

    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content


def test_the_cached_count_follows_changes_to_applications_reviews_and_reach(
    client, officer, rows, tender, django_capture_on_commit_callbacks
):
    femke = ReviewerFactory()
    client = login(client, officer)

    def count(**params):
        return get_list(client, **params).context["table"].paginator.count

    assert count(status="open") == 4
    with django_capture_on_commit_callbacks(execute=True):
        rows["due_soon"].status = ApplicationStatus.withdrawn
        rows["due_soon"].save()
    assert count(status="open") == 3
    assert count(reviewer=femke.pk) == 0
    with django_capture_on_commit_callbacks(execute=True):
        ReviewFactory(application=rows["running"], reviewer=femke)
    assert count(reviewer=femke.pk) == 1
    assert str(rows["other"].pk) not in checkboxes(get_list(client))
    with django_capture_on_commit_callbacks(execute=True):
        rows["other"].scheme.handlers.add(officer)
    assert count(status="open") == 4
    assert str(rows["other"].pk) in checkboxes(get_list(client))


# --- query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 30])
def test_list_takes_a_fixed_number_of_queries(
    client, officer, tender, groningen, count, django_assert_num_queries
):
    reviewer = ReviewerFactory()
    for number in range(count):
        row = application(
            tender,
            f"ZV-2024-{number:03d}",
            status=ApplicationStatus.in_review,
            deadline=datetime.date(2024, 5, 20),
            applicant=OrganisationFactory(municipality=groningen),
        )
        ReviewFactory(application=row, reviewer=reviewer)
    client = login(client, officer)
    params = {"status": "open", "deadline": "binnenkort", "sort": "-requested_amount"}
    client.get(reverse("subsidies:application-list"), params)  # fills the caches

    # the user, the page's applications, their columns with their reviews; the session, the
    # roles, the schemes they handle, the count and the option lists come from caches
    with django_assert_num_queries(3):
        response = client.get(reverse("subsidies:application-list"), params)

    assert len(listed(response)) == count


@pytest.mark.parametrize("count", [1, 30])
def test_list_cold_takes_at_most_ten_queries(
    client, officer, tender, count, django_assert_max_num_queries
):
    for number in range(count):
        application(
            tender,
            f"ZV-2024-{number:03d}",
            status=ApplicationStatus.received,
            deadline=datetime.date(2024, 5, 20),
        )
    client = login(client, officer)
    with django_assert_max_num_queries(10):  # cold caches: every query runs
        response = get_list(client, sort="reference")
    assert len(listed(response)) == count


# --- bulk: assign reviewers ------------------------------------------------------------------


def checkboxes(response):
    return re.findall(
        r'name="applications" value="(\d+)" form="bulk-assign"', response.content.decode()
    )


def test_only_open_applications_of_handled_schemes_get_a_checkbox(client, officer, rows):
    response = get_list(login(client, officer))

    ids = {str(rows[key].pk) for key in ("overdue", "due_soon", "running", "paused")}
    assert set(checkboxes(response)) == ids
    assert 'id="bulk-assign"' in response.content.decode()


def test_the_bulk_form_offers_the_beoordelaars_as_labelled_checkboxes(client, officer, rows):
    femke = ReviewerFactory(first_name="Femke", last_name="Westerhof")

    html = get_list(login(client, officer)).content.decode()

    assert (
        f'<label for="id_reviewers_0"><input type="checkbox" name="reviewers" '
        f'value="{femke.pk}" id="id_reviewers_0"> Femke Westerhof</label>'
    ) in html
    assert '<legend class="field__label">Beoordelaars</legend>' in html
    assert 'data-select-form="bulk-assign"' in html and "js/list-select.js" in html


def test_programme_manager_gets_no_bulk_action(client, rows):
    response = get_list(login(client, ProgrammeManagerFactory()))

    assert checkboxes(response) == []
    assert 'id="bulk-assign"' not in response.content.decode()


def post_assign(client, applications, reviewers, **extra):
    return client.post(
        reverse("subsidies:application-bulk-assign-reviewers"),
        {
            "applications": [a.pk for a in applications],
            "reviewers": [r.pk for r in reviewers],
            "terug": "status=open&deadline=verstreken",
            **extra,
        },
    )


def test_bulk_assignment_refuses_applications_the_officer_may_not_handle(client, officer, rows):
    reviewer = ReviewerFactory()

    response = post_assign(
        login(client, officer), [rows["overdue"], rows["other"], rows["decided"]], [reviewer]
    )

    assert response.status_code == 400
    assert "U kunt niet aan alle gekozen aanvragen beoordelaars toewijzen" in (
        response.content.decode()
    )
    # the page lists only the chosen applications the officer may assign to
    assert [a.reference for a in response.context["chosen"]] == ["ZV-2024-001"]
    assert Review.objects.count() == 0


@pytest.mark.parametrize(
    "junk", [["x"], ["99999999999999999999"], ["-1"], ["\x00"], ["1", "x"], []]
)
def test_junk_in_a_bulk_assignment_is_a_dutch_error(client, officer, rows, junk):
    response = login(client, officer).post(
        reverse("subsidies:application-bulk-assign-reviewers"),
        {"applications": junk, "reviewers": junk, "due_on": junk, "terug": junk},
    )

    assert response.status_code == 400
    assert len(response.context["form"].non_field_errors()) == 1  # named at the top
    assert Review.objects.count() == 0


def test_bulk_assignment_needs_a_reviewer_with_the_role(client, officer, rows):
    not_a_reviewer = SubsidyOfficerFactory()

    response = post_assign(login(client, officer), [rows["overdue"]], [not_a_reviewer])

    assert response.status_code == 400
    assert response.context["form"].errors["reviewers"] == ["Kies de beoordelaars uit de lijst."]
    assert Review.objects.count() == 0


def test_bulk_assignment_refuses_a_due_date_in_the_past(client, officer, rows):
    response = post_assign(
        login(client, officer), [rows["overdue"]], [ReviewerFactory()], due_on="2024-05-14"
    )

    assert response.status_code == 400
    assert response.context["form"].errors["due_on"] == ["De datum ligt in het verleden."]


@pytest.mark.parametrize("factory", [ProgrammeManagerFactory, AdministratorFactory])
def test_readers_may_not_assign_reviewers(client, rows, factory):
    response = post_assign(login(client, factory()), [rows["overdue"]], [ReviewerFactory()])

    assert response.status_code == 403
    assert Review.objects.count() == 0


def test_bulk_assignment_assigns_every_reviewer_to_every_application(client, officer, rows):
    femke, jan = ReviewerFactory(), ReviewerFactory()

    response = post_assign(
        login(client, officer),
        [rows["overdue"], rows["due_soon"]],
        [femke, jan],
        due_on="2024-06-01",
    )

    assert response.status_code == 302
    assert response["Location"] == "/subsidies/aanvragen/?status=open&deadline=verstreken"
    assigned = set(
        Review.objects.values_list("application__reference", "reviewer__username", "due_on")
    )
    due = datetime.date(2024, 6, 1)
    assert assigned == {
        (reference, reviewer.username, due)
        for reference in ("ZV-2024-001", "ZV-2024-002")
        for reviewer in (femke, jan)
    }


def test_bulk_assignment_is_idempotent_per_reviewer(client, officer, rows):
    femke = ReviewerFactory()
    client = login(client, officer)

    post_assign(client, [rows["overdue"]], [femke])
    response = post_assign(client, [rows["overdue"], rows["due_soon"]], [femke])

    assert response.status_code == 302
    assert Review.objects.filter(reviewer=femke).count() == 2


# --- navigation ------------------------------------------------------------------------------


def nav(response):
    return [(item["label"], item["url"]) for item in response.context["nav_items"]]


def test_navigation_offers_the_worklist_to_officers_and_readers(client, officer, rows):
    for user in (officer, ProgrammeManagerFactory(), AdministratorFactory()):
        items = nav(login(client, user).get(reverse("home")))
        assert ("Subsidieaanvragen", "/subsidies/aanvragen/") in items
        assert "Mijn beoordelingen" not in [label for label, _url in items]


def test_navigation_offers_a_reviewer_their_reviews_only(client, rows):
    items = nav(login(client, ReviewerFactory()).get(reverse("home")))

    labels = [label for label, _url in items]
    assert ("Mijn beoordelingen", "/subsidies/beoordelingen/") in items
    assert "Subsidieaanvragen" not in labels
    assert "Regelingen" not in labels


def test_navigation_marks_the_worklist_as_current(client, officer, rows):
    response = get_list(login(client, officer))

    current = [item["label"] for item in response.context["nav_items"] if item["current"]]
    assert current == ["Subsidieaanvragen"]


def test_navigation_offers_the_schemes_to_officers_once_the_scheme_list_exists(client, officer):
    items = nav(login(client, officer).get(reverse("home")))

    scheme_list = optional_url("subsidies:scheme-list")
    if scheme_list is None:
        assert "Regelingen" not in [label for label, _url in items]
    else:
        assert ("Regelingen", scheme_list) in items
