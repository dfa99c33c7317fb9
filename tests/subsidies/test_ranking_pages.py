"""The tender's ranking page and its actions (rank, lottery, confirm one or many), the grant
and reject pages, the ceiling page and the first-come allocation of a scheme: who may, junk
input, the ceiling's Dutch refusal in the browser, and a fixed number of queries."""

import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from regioportal.roles import Role
from subsidies.enums import AllocationMethod, ApplicationStatus, RejectionReason
from subsidies.models import Decision, Lottery, Tender
from tests.factories import (
    AdministratorFactory,
    ApplicationFactory,
    CoordinatorFactory,
    ProgrammeManagerFactory,
    ReviewerFactory,
    SubsidyOfficerFactory,
    UserFactory,
)
from tests.subsidies.scoring import (
    scheme_with_criteria,
    scored_application,
    submitted_review,
    tender_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return SubsidyOfficerFactory(username="ruben")


@pytest.fixture
def tender(officer):
    scheme = scheme_with_criteria((1, 10, 5), handlers=[officer], name="Zorg & Voorzieningen")
    return tender_for(scheme, name="2024 – ronde 1", ceiling="25000")


def application_in(tender, reference, points, requested="10000", **fields):
    return scored_application(tender, [points], reference=reference, requested=requested, **fields)


@pytest.fixture
def tied(tender):
    """A fits; B and C tie with € 15.000 left for € 20.000; D comes after."""
    return [
        application_in(tender, "ZV-A", 9),
        application_in(tender, "ZV-B", 8),
        application_in(tender, "ZV-C", 8),
        application_in(tender, "ZV-D", 7),
    ]


def page_url(tender, name="tender-ranking"):
    return reverse(f"subsidies:{name}", kwargs={"pk": tender.pk})


def text(response):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def errors(response):
    html = response.content.decode()
    summary = re.search(r'<div class="error-summary".*?</ul>', html, re.S)
    if not summary:
        return []
    items = re.findall(r"<li>(.*?)</li>", summary.group(0), re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", item)).split()) for item in items]


def messages_of(response):
    return [str(m).replace("\xa0", " ") for m in get_messages(response.wsgi_request)]


# --- who sees the ranking ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make_user", "page", "action"),
    [
        (lambda officer: officer, 200, 302),
        (lambda officer: ProgrammeManagerFactory(), 200, 403),
        (lambda officer: AdministratorFactory(), 200, 403),
        (lambda officer: SubsidyOfficerFactory(), 404, 404),
        (lambda officer: ReviewerFactory(), 404, 404),
        (lambda officer: CoordinatorFactory(), 404, 404),
        (lambda officer: UserFactory(roles=[]), 404, 404),
    ],
    ids=[
        "officer",
        "programmamanager",
        "beheerder",
        "other-officer",
        "reviewer",
        "coordinator",
        "no-role",
    ],
)
def test_who_sees_the_ranking_and_who_acts(client, officer, tender, tied, make_user, page, action):
    client.force_login(make_user(officer))

    assert client.get(page_url(tender)).status_code == page
    assert client.post(page_url(tender, "tender-rank")).status_code == action
    assert client.post(page_url(tender, "tender-lottery")).status_code == action
    assert client.post(page_url(tender, "tender-confirm"), {"een": "ZV-A"}).status_code == action
    if action != 302:
        assert Lottery.objects.count() == 0
        assert Decision.objects.count() == 0


def test_an_unknown_tender_is_not_found(client, officer):
    client.force_login(officer)

    assert client.get(reverse("subsidies:tender-ranking", kwargs={"pk": 987654})).status_code == 404


def test_the_actions_take_posts_only(client, officer, tender):
    client.force_login(officer)

    for name in ("tender-rank", "tender-lottery", "tender-confirm"):
        assert client.get(page_url(tender, name)).status_code == 405


def test_the_programme_manager_reads_without_buttons(client, tender, tied):
    client.force_login(ProgrammeManagerFactory())

    page = text(client.get(page_url(tender)))

    assert "ZV-A" in page
    assert ("Rangschik" in page.split("Rangschikking"), "Loting trekken" in page) == (False, False)
    assert "Bevestig" not in page


# --- what the page shows ----------------------------------------------------------------------


def test_the_page_shows_the_ranking_the_ceiling_line_and_the_tie(client, officer, tender, tied):
    client.force_login(officer)

    response = client.get(page_url(tender))
    page = text(response)

    assert [row["row"].application.reference for row in response.context["rows"]] == [
        "ZV-A",
        "ZV-B",
        "ZV-C",
        "ZV-D",
    ]
    assert "Gelijke stand op de grens van het plafond" in page
    assert "gelijk – loting nodig" in page
    assert "Loting trekken" in page
    # The line falls after A, the last application within the ceiling.
    table = response.content.decode().split('id="ranking-caption"')[1]
    assert table.index("ZV-A") < table.index("ceiling-line") < table.index("ZV-B")


def test_drawing_the_lottery_shows_the_record_to_re_run(client, officer, tender, tied):
    client.force_login(officer)

    response = client.post(page_url(tender, "tender-lottery"))

    lottery = Lottery.objects.get()
    assert messages_of(response) == [
        f"De loting is getrokken. Volgorde: {', '.join(lottery.order)}."
    ]
    page = text(client.get(page_url(tender)))
    assert lottery.seed in page
    assert lottery.seed_sha256 in page
    assert "hash en volgorde kloppen" in page
    assert "Gelijke stand op de grens van het plafond" not in page


def test_drawing_without_a_tie_says_so(client, officer, tender):
    application_in(tender, "ZV-A", 9)
    client.force_login(officer)

    response = client.post(page_url(tender, "tender-lottery"))

    assert messages_of(response) == [
        "Er is geen gelijke stand op de grens van het plafond: een loting is niet nodig."
    ]


def test_ranking_stores_the_positions(client, officer, tender, tied):
    client.force_login(officer)

    response = client.post(page_url(tender, "tender-rank"))

    assert messages_of(response) == [
        "De rangschikking is vastgelegd: 4 aanvragen komen in aanmerking.",
        "Op de grens van het plafond staan 2 aanvragen gelijk: trek eerst een loting.",
    ]
    for application in tied:
        application.refresh_from_db()
    assert [application.rank for application in tied] == [1, 2, 2, 4]


# --- confirming -------------------------------------------------------------------------------


def test_one_proposal_is_confirmed_by_its_button(client, officer, tender, tied):
    client.force_login(officer)

    response = client.post(
        page_url(tender, "tender-confirm"), {"een": "ZV-A", "aanvragen": ["ZV-D"]}
    )

    assert messages_of(response) == ["ZV-A: verleend (€ 10.000)."]
    assert list(Decision.objects.values_list("application__reference", flat=True)) == ["ZV-A"]


def test_the_ticked_proposals_are_confirmed_each_on_its_own(client, officer, tender, tied):
    client.force_login(officer)
    client.post(page_url(tender, "tender-lottery"), follow=True)  # its message shown
    winner, loser = Lottery.objects.get().order

    response = client.post(
        page_url(tender, "tender-confirm"), {"aanvragen": ["ZV-A", winner, loser, "ZV-D"]}
    )

    assert messages_of(response) == [
        "ZV-A: verleend (€ 10.000).",
        f"{winner}: verleend (€ 10.000).",
        f"{loser}: afgewezen (Subsidieplafond bereikt).",
        "ZV-D: afgewezen (Subsidieplafond bereikt).",
    ]
    assert Tender.objects.get(pk=tender.pk).granted_total == Decimal("20000.00")


@pytest.mark.parametrize(
    "data",
    [{}, {"aanvragen": "x"}, {"een": "\x00"}, {"aanvragen": ["ZV-B", "ZV-C"]}],
    ids=["nothing", "junk", "nul", "waiting-for-the-lottery"],
)
def test_confirming_nothing_confirmable_says_so(client, officer, tender, tied, data):
    client.force_login(officer)

    response = client.post(page_url(tender, "tender-confirm"), data)

    assert response.status_code == 302
    assert messages_of(response) == ["Kies ten minste één voorstel om te bevestigen."]
    assert Decision.objects.count() == 0


def test_the_four_eyes_rule_shows_per_row(client, tender, tied):
    colleague = UserFactory(roles=[Role.subsidy_officer, Role.reviewer])
    tender.scheme.handlers.add(colleague)
    submitted_review(tied[0], [9], reviewer=colleague)
    client.force_login(colleague)

    response = client.get(page_url(tender))
    confirm = client.post(page_url(tender, "tender-confirm"), {"een": "ZV-A"})

    assert "Niet door u (vier ogen)" in text(response)
    assert messages_of(confirm) == [
        "ZV-A: u mag hierover niet besluiten (u heeft de aanvraag beoordeeld of behandelt de "
        "regeling niet)."
    ]


# --- granting and rejecting one application ---------------------------------------------------


def grant_url(application, name="application-grant"):
    return reverse(f"subsidies:{name}", kwargs={"reference": application.reference})


def test_a_grant_beyond_the_ceiling_shows_the_dutch_message(client, officer, tender):
    big = application_in(tender, "ZV-A", 9, requested="20000")
    next_one = application_in(tender, "ZV-B", 8, requested="10000")
    client.force_login(officer)
    first = client.post(grant_url(big), {"amount": "20.000", "decided_on": "2024-06-03"})
    assert (first.status_code, messages_of(first)) == (302, ["ZV-A is verleend."])

    response = client.post(grant_url(next_one), {"amount": "10.000", "decided_on": "2024-06-03"})

    assert response.status_code == 200
    assert [e.replace("\xa0", " ") for e in errors(response)] == [
        "Het subsidieplafond van 2024 – ronde 1 is bereikt: nog € 5.000 beschikbaar, "
        "€ 10.000 gevraagd."
    ]
    next_one.refresh_from_db()
    assert next_one.status == ApplicationStatus.received


def test_a_partial_grant_in_dutch_notation(client, officer, tender):
    application = application_in(tender, "ZV-A", 9, requested="20000")
    client.force_login(officer)

    client.post(grant_url(application), {"amount": "12.500,50", "decided_on": "2024-06-03"})

    application.refresh_from_db()
    assert application.granted_amount == Decimal("12500.50")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"amount": "x"}, ["Te verlenen bedrag (€): Vul een bedrag in euro’s in, bijvoorbeeld "
                           "12.500 of 12.500,50."]),
        ({"amount": "-1"}, ["Te verlenen bedrag (€): Het bedrag moet groter zijn dan nul."]),
        ({"amount": "99999999999999999999"}, ["Te verlenen bedrag (€): Dit bedrag is te groot."]),
        ({"amount": "20000.01"}, ["Te verlenen bedrag (€): Het bedrag is hoger dan het "
                                  "aangevraagde bedrag (€ 20.000)."]),
        ({"amount": "100", "decided_on": "2099-12-31"}, [
            "Datum besluit: De datum van het besluit ligt in de toekomst."
        ]),
        ({"amount": "100", "decided_on": "31-02-2024"}, [
            "Datum besluit: Vul een geldige datum in, bijvoorbeeld 31-12-2024."
        ]),
        ({"amount": "\x00"}, ["Te verlenen bedrag (€): Vul een bedrag in euro’s in, "
                              "bijvoorbeeld 12.500 of 12.500,50."]),
    ],
    ids=["junk", "negative", "huge", "above-request", "future", "no-such-day", "nul"],
)  # fmt: skip
def test_junk_in_the_grant_form_is_a_form_error(client, officer, tender, data, expected):
    application = application_in(tender, "ZV-A", 9, requested="20000")
    client.force_login(officer)

    response = client.post(grant_url(application), {"decided_on": "2024-06-03", **data})

    assert response.status_code == 200
    assert [e.replace("\xa0", " ") for e in errors(response)] == expected
    assert Decision.objects.count() == 0


@pytest.mark.parametrize(
    ("make_user", "status"),
    [
        (lambda: ProgrammeManagerFactory(), 403),
        (lambda: AdministratorFactory(), 403),
        (lambda: SubsidyOfficerFactory(), 404),
        (lambda: ReviewerFactory(), 404),
    ],
    ids=["programmamanager", "beheerder", "other-officer", "reviewer"],
)
def test_only_a_handler_who_did_not_review_decides(client, tender, make_user, status):
    application = application_in(tender, "ZV-A", 9)
    client.force_login(make_user())

    for name in ("application-grant", "application-reject"):
        assert client.get(grant_url(application, name)).status_code == status
        assert client.post(grant_url(application, name), {"amount": "1"}).status_code == status


def test_the_reviewer_of_an_application_gets_no_grant_page(client, tender):
    colleague = UserFactory(roles=[Role.subsidy_officer, Role.reviewer])
    tender.scheme.handlers.add(colleague)
    application = application_in(tender, "ZV-A", 9)
    submitted_review(application, [9], reviewer=colleague)
    client.force_login(colleague)

    assert client.get(grant_url(application)).status_code == 403


def test_a_rejection_with_its_reason(client, officer, tender):
    application = application_in(tender, "ZV-A", 3)
    client.force_login(officer)

    empty = client.post(grant_url(application, "application-reject"), {})
    response = client.post(
        grant_url(application, "application-reject"),
        {
            "reason": RejectionReason.substantive,
            "decided_on": "2024-06-03",
            "motivation": "Onder de minimumscore.",
        },
    )

    assert errors(empty) == [
        "Reden van afwijzing: Kies een reden van afwijzing.",
        "Datum besluit: Vul een datum in.",
        "Motivering: Motiveer de afwijzing.",
    ]
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.rejection_reason) == (
        ApplicationStatus.rejected,
        RejectionReason.substantive,
    )


# --- first come, first served outside tenders -------------------------------------------------


def test_a_first_come_scheme_is_allocated_in_order_of_receipt(client, officer):
    scheme = scheme_with_criteria(
        handlers=[officer],
        allocation_method=AllocationMethod.first_come,
        budget=Decimal("15000"),
        code="TPW",
    )
    for reference, day in (("TPW-2", 3), ("TPW-1", 1)):
        ApplicationFactory(
            tender=None,
            scheme=scheme,
            reference=reference,
            requested_amount=Decimal("10000"),
            received_on=date(2024, 4, day),
        )
    url = reverse("subsidies:scheme-allocation", kwargs={"code": "TPW"})
    client.force_login(officer)

    page = client.get(url)
    response = client.post(url, {"aanvragen": ["TPW-1", "TPW-2"]})

    assert [row["proposal"].reference for row in page.context["rows"]] == ["TPW-1", "TPW-2"]
    assert messages_of(response) == [
        "TPW-1: verleend (€ 10.000).",
        "TPW-2: afgewezen (Subsidieplafond bereikt).",
    ]
    client.force_login(ProgrammeManagerFactory())
    assert client.get(url).status_code == 200
    assert client.post(url, {"aanvragen": ["TPW-1"]}).status_code == 403
    client.force_login(SubsidyOfficerFactory())
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("subsidies:scheme-allocation", kwargs={"code": "x"})).status_code == 404
    )


# --- queries ----------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 30])
def test_the_ranking_page_runs_a_fixed_number_of_queries(
    client, officer, tender, count, django_assert_num_queries
):
    Tender.objects.filter(pk=tender.pk).update(ceiling=Decimal("150000"))
    for number in range(count):
        application_in(tender, f"ZV-{number:03d}", 5 + number % 5)
    ApplicationFactory(tender=tender, reference="ZV-NOG")  # not reviewed
    client.force_login(officer)
    client.get(page_url(tender))  # the session and the roles, read once

    # Session, user, the officer's schemes; the tender twice (page, ranking), applications,
    # criteria, scores, reviews, drawn lotteries, the officer's own reviews, all lotteries.
    with django_assert_num_queries(11):
        response = client.get(page_url(tender))

    assert len(response.context["rows"]) == count


def test_a_first_come_tender_lists_by_receipt_without_scores(client, officer):
    scheme = scheme_with_criteria(handlers=[officer], allocation_method=AllocationMethod.first_come)
    tender = tender_for(scheme, ceiling="15000")
    for reference, day in (("TPW-2", 3), ("TPW-1", 1)):
        ApplicationFactory(
            tender=tender,
            reference=reference,
            requested_amount=Decimal("10000"),
            received_on=date(2024, 4, day),
        )
    client.force_login(officer)

    response = client.get(page_url(tender))

    assert [item["row"].application.reference for item in response.context["rows"]] == [
        "TPW-1",
        "TPW-2",
    ]
    page = text(response)
    assert "Aanvragen op volgorde van binnenkomst" in page
    assert "Score" not in page
    assert [p.action for p in (item["proposal"] for item in response.context["rows"])] == [
        "verlenen",
        "afwijzen",
    ]
