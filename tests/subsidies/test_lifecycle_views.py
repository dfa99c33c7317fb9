"""The lifecycle steps in the browser (subsidies.views_lifecycle) and the panel on the
application page (subsidies/_lifecycle_actions.html): who may take which step (404 when the
application is out of sight, 403 when it is only read), the forms and their Dutch errors,
never a server error for junk."""

import datetime
import types
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import NoReverseMatch, include, path, reverse

from subsidies import lifecycle
from subsidies.enums import ApplicationStatus, DecisionOutcome, ObjectionOutcome, PaymentKind
from subsidies.models import Decision, Objection, Payment
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

S = ApplicationStatus
D = datetime.date
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def _today():
    """Monday 3 June 2024, noon in the Netherlands."""
    with time_machine.travel(datetime.datetime(2024, 6, 3, 12, 0, tzinfo=AMSTERDAM), tick=False):
        yield


def _show_application(request, reference):
    return HttpResponse(reference)


@pytest.fixture(autouse=True)
def _application_page(settings):
    """The application page (subsidies:application-detail) is another part of the work; on a
    branch without it, the steps go back to a stand-in."""
    try:
        reverse("subsidies:application-detail", kwargs={"reference": "X"})
        return
    except NoReverseMatch:
        pass
    from regioportal import urls as project
    from subsidies import urls as subsidies

    stand_in = path("aanvragen/<str:reference>/", _show_application, name="application-detail")
    urlconf = types.ModuleType("lifecycle_test_urls")
    urlconf.urlpatterns = [
        path("subsidies/", include(([*subsidies.urlpatterns, stand_in], "subsidies"))),
        *(p for p in project.urlpatterns if str(p.pattern) != "subsidies/"),
    ]
    urlconf.handler403 = project.handler403
    urlconf.handler404 = project.handler404
    urlconf.handler500 = project.handler500
    settings.ROOT_URLCONF = urlconf


@pytest.fixture
def officer(db):
    return SubsidyOfficerFactory(username="behandelaar.a")


@pytest.fixture
def scheme(officer):
    return SchemeFactory(handlers=[officer])


def make_application(scheme, **fields):
    fields.setdefault("received_on", D(2024, 4, 2))
    fields.setdefault("decision_deadline", D(2024, 5, 28))
    return ApplicationFactory(tender=TenderFactory(scheme=scheme), **fields)


@pytest.fixture
def application(scheme):
    return make_application(scheme, reference="ZV-2024-001", decision_deadline=D(2024, 6, 25))


def granted(scheme, status=S.granted, **fields):
    return make_application(
        scheme,
        status=status,
        granted_amount=Decimal("40000.00"),
        decided_on=D(2024, 5, 15),
        **fields,
    )


def url(name, application, **kwargs):
    return reverse(f"subsidies:{name}", kwargs={"reference": application.reference, **kwargs})


def page_of(application):
    return reverse("subsidies:application-detail", kwargs={"reference": application.reference})


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def login(client, user):
    client.force_login(user)
    return client


# --- a step with a form -------------------------------------------------------------------


def test_the_officer_asks_for_completion_through_a_form(client, officer, application):
    login(client, officer)
    page = client.get(url("application-request-completion", application))

    response = client.post(
        url("application-request-completion", application),
        {"reason": "De begroting ontbreekt.", "requested_on": "03-06-2024"},
    )

    application.refresh_from_db()
    assert (page.status_code, page.context["form"].initial, page.context["step"].label) == (
        200,
        {},
        "Om aanvulling vragen",
    )
    assert page.context["form"]["requested_on"].value() == D(2024, 6, 3)
    assert (response.status_code, response["Location"]) == (302, page_of(application))
    assert messages_of(response) == [
        "Het verzoek om aanvulling is vastgelegd; de beslistermijn is opgeschort."
    ]
    assert (application.status, application.incomplete_since, application.completion_deadline) == (
        S.incomplete,
        D(2024, 6, 3),
        D(2024, 6, 17),
    )


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"reason": "", "requested_on": "2024-06-03"},
            {"reason": ["Vul in wat er aan de aanvraag ontbreekt."]},
        ),
        (
            {"reason": "Begroting", "requested_on": "31-02-2024"},
            {"requested_on": ["Vul een geldige datum in, bijvoorbeeld 31-12-2024."]},
        ),
        (
            {"reason": "Begroting", "requested_on": "9999-12-31"},
            {"requested_on": ["Vul een datum tussen 2000 en 2100 in."]},
        ),
        (
            {"reason": "Begroting", "requested_on": "2024-06-04"},
            {"requested_on": ["Deze datum ligt in de toekomst."]},
        ),
        (
            {"reason": "Begroting", "requested_on": "2024-04-01"},
            {"requested_on": ["Deze datum ligt vóór de ontvangst van de aanvraag (2 april 2024)."]},
        ),
        (
            {"reason": "Begroting\x00", "requested_on": "2024-06-03"},
            {"reason": ["Null-tekens zijn niet toegestaan."]},
        ),
    ],
)
def test_junk_in_the_completion_form_is_a_dutch_form_error(
    client, officer, application, data, errors
):
    login(client, officer)

    response = client.post(url("application-request-completion", application), data)

    application.refresh_from_db()
    assert (response.status_code, response.context["form"].errors) == (400, errors)
    assert application.status == S.received


def test_an_advance_typed_the_dutch_way_is_paid(client, officer, scheme):
    application = granted(scheme)
    login(client, officer)

    response = client.post(
        url("application-pay-advance", application),
        {"amount": "€ 12.500,50", "paid_on": "2024-06-03", "note": "Eerste tranche"},
    )

    payment = Payment.objects.get()
    assert (response.status_code, messages_of(response)) == (302, ["Het voorschot is vastgelegd."])
    assert (payment.kind, payment.amount, payment.paid_on, payment.note) == (
        PaymentKind.advance,
        Decimal("12500.50"),
        D(2024, 6, 3),
        "Eerste tranche",
    )


@pytest.mark.parametrize(
    ("amount", "error"),
    [
        ("x", "Vul een bedrag in euro’s in, bijvoorbeeld 12.500 of 12.500,50."),
        ("12,345", "Vul een bedrag in met ten hoogste twee cijfers na de komma."),
        ("9" * 3000, "Dit bedrag is te groot."),
        ("-1", "Vul een bedrag groter dan nul in."),
        (
            "40.000,01",
            "Het totaal betaalde komt dan boven het verleende bedrag (€\xa040.000). Er kan "
            "nog ten hoogste €\xa040.000 worden betaald.",
        ),
    ],
)
def test_a_wrong_advance_is_a_form_error(client, officer, scheme, amount, error):
    application = granted(scheme)
    login(client, officer)

    response = client.post(
        url("application-pay-advance", application), {"amount": amount, "paid_on": "2024-06-03"}
    )

    assert (response.status_code, response.context["form"].errors) == (400, {"amount": [error]})
    assert Payment.objects.count() == 0


def test_settling_below_the_advance_through_the_form_reclaims(client, officer, scheme):
    application = granted(scheme)
    lifecycle.pay_advance(application, by=officer, amount=Decimal("32000"), paid_on=D(2024, 5, 20))
    lifecycle.receive_accountability(application, by=officer, received_on=D(2024, 6, 1))
    login(client, officer)

    response = client.post(
        url("application-settle", application),
        {"amount": "30000", "settled_on": "2024-06-03", "motivation": "Minder kosten."},
    )

    application.refresh_from_db()
    assert (response.status_code, application.status, application.settled_amount) == (
        302,
        S.settled,
        Decimal("30000.00"),
    )
    assert Payment.objects.filter(kind=PaymentKind.reclaim).get().amount == Decimal("2000.00")


# --- a step without input -----------------------------------------------------------------


def test_starting_the_review_is_a_button_that_posts(client, officer, application):
    login(client, officer)

    get = client.get(url("application-start-review", application))
    post = client.post(url("application-start-review", application))

    application.refresh_from_db()
    assert (get.status_code, post.status_code, post["Location"]) == (405, 302, page_of(application))
    assert (application.status, messages_of(post)) == (
        S.in_review,
        ["De aanvraag is in beoordeling genomen."],
    )


def test_a_step_the_state_does_not_allow_is_a_message_on_the_application_page(
    client, officer, scheme
):
    application = granted(scheme)
    login(client, officer)

    response = client.post(url("application-start-review", application))

    application.refresh_from_db()
    assert (response.status_code, response["Location"], application.status) == (
        302,
        page_of(application),
        S.granted,
    )
    assert messages_of(response) == [
        "Een aanvraag met status “Verleend” kan niet naar “In beoordeling”."
    ]


def test_the_form_of_a_step_not_on_offer_sends_back_with_a_message(client, officer, application):
    login(client, officer)

    response = client.get(url("application-pay-advance", application))

    assert (response.status_code, response["Location"]) == (302, page_of(application))
    assert messages_of(response) == [
        "“Voorschot betalen” kan nu niet: de aanvraag heeft status “Ontvangen”."
    ]


def test_a_closed_application_refuses_the_step_with_a_message(client, officer, scheme):
    application = make_application(scheme, status=S.withdrawn)
    login(client, officer)

    response = client.post(
        url("application-request-completion", application),
        {"reason": "Begroting", "requested_on": "2024-06-03"},
    )

    assert (response.status_code, messages_of(response)) == (
        302,
        [
            "Deze aanvraag is afgesloten (status “Ingetrokken”): er kan niets meer aan "
            "worden gewijzigd."
        ],
    )


# --- decisions and objections -------------------------------------------------------------


@pytest.fixture
def rejection(scheme):
    application = make_application(
        scheme, reference="ZV-2024-002", status=S.rejected, decided_on=D(2024, 4, 10)
    )
    return Decision.objects.create(
        application=application, outcome=DecisionOutcome.rejected, decided_on=D(2024, 4, 10)
    )


def test_the_sending_of_a_decision_is_recorded(client, officer, rejection):
    login(client, officer)

    response = client.post(
        url("application-send-decision", rejection.application, pk=rejection.pk),
        {"sent_on": "11-04-2024", "effective_on": ""},
    )

    rejection.refresh_from_db()
    assert (response.status_code, rejection.sent_on, rejection.objection_deadline) == (
        302,
        D(2024, 4, 11),
        D(2024, 5, 23),
    )


def test_an_objection_after_the_term_is_refused_with_a_message(client, officer, rejection):
    lifecycle.send_decision(rejection, by=officer, sent_on=D(2024, 4, 11))
    login(client, officer)

    response = client.post(
        url("application-register-objection", rejection.application, pk=rejection.pk),
        {"received_on": "2024-05-24", "grounds": "Te laat."},
    )

    assert (response.status_code, Objection.objects.count()) == (302, 0)
    assert messages_of(response) == [
        "De bezwaartermijn van dit besluit eindigde op 23 mei 2024; een later ontvangen "
        "bezwaar kan niet worden geregistreerd."
    ]


def test_an_objection_is_registered_and_decided(client, officer, rejection):
    lifecycle.send_decision(rejection, by=officer, sent_on=D(2024, 4, 11))
    login(client, officer)

    client.post(
        url("application-register-objection", rejection.application, pk=rejection.pk),
        {"received_on": "2024-05-02", "grounds": "Score te laag."},
    )
    objection = Objection.objects.get()
    junk = client.post(
        url("application-decide-objection", rejection.application, pk=objection.pk),
        {"outcome": "misschien", "decided_on": "2024-06-03"},
    )
    decided = client.post(
        url("application-decide-objection", rejection.application, pk=objection.pk),
        {"outcome": "gegrond", "decided_on": "2024-06-03", "note": "Herbeoordeling."},
    )

    objection.refresh_from_db()
    assert (junk.status_code, junk.context["form"].errors) == (
        400,
        {"outcome": ["Kies een beslissing op het bezwaar."]},
    )
    assert (decided.status_code, objection.outcome, objection.decided_on) == (
        302,
        ObjectionOutcome.well_founded,
        D(2024, 6, 3),
    )


def test_a_decision_of_another_application_is_not_found(client, officer, scheme, rejection):
    other = make_application(scheme)
    login(client, officer)

    response = client.get(url("application-send-decision", other, pk=rejection.pk))

    assert response.status_code == 404


# --- who may ------------------------------------------------------------------------------


STEP_URLS = [
    "application-start-review",
    "application-request-completion",
    "application-receive-completion",
    "application-not-consider",
    "application-record-advice",
    "application-withdraw",
    "application-pay-advance",
    "application-receive-accountability",
    "application-settle",
]


@pytest.mark.parametrize("name", STEP_URLS)
@pytest.mark.parametrize(
    "make_user",
    [
        SubsidyOfficerFactory,  # handles another scheme
        ReviewerFactory,  # not assigned
        CoordinatorFactory,
    ],
    ids=["officer-of-another-scheme", "reviewer", "coordinator"],
)
def test_an_application_out_of_sight_is_not_found(client, application, name, make_user):
    login(client, make_user())

    responses = [
        client.get(url(name, application)).status_code,
        client.post(url(name, application)).status_code,
    ]

    assert responses == [404, 404]


@pytest.mark.parametrize("name", STEP_URLS)
@pytest.mark.parametrize(
    "make_user",
    [ProgrammeManagerFactory, AdministratorFactory],
    ids=["programme-manager", "administrator"],
)
def test_who_only_reads_the_application_may_take_no_step(client, application, name, make_user):
    login(client, make_user())

    responses = [
        client.get(url(name, application)).status_code,
        client.post(url(name, application)).status_code,
    ]

    application.refresh_from_db()
    assert (responses, application.status) == ([403, 403], S.received)


def test_an_assigned_reviewer_sees_the_application_but_takes_no_step(client, application):
    reviewer = ReviewerFactory()
    ReviewFactory(application=application, reviewer=reviewer)
    login(client, reviewer)

    response = client.post(url("application-start-review", application))

    assert response.status_code == 403


def test_the_officer_who_reviewed_does_not_take_the_decisions(client, officer, scheme):
    application = granted(scheme, status=S.accountability)
    ReviewFactory(application=application, reviewer=officer, submitted=True)
    login(client, officer)

    response = client.post(
        url("application-settle", application), {"amount": "1", "settled_on": "2024-06-03"}
    )

    assert (response.status_code, Decision.objects.count()) == (403, 0)


def test_an_anonymous_visitor_is_sent_to_log_in(client, application):
    response = client.post(url("application-start-review", application))

    assert (response.status_code, response["Location"].startswith("/inloggen/")) == (302, True)


def test_an_unknown_reference_is_not_found(client, officer):
    login(client, officer)

    response = client.get(reverse("subsidies:application-withdraw", kwargs={"reference": "x"}))

    assert response.status_code == 404


# --- junk everywhere ----------------------------------------------------------------------


FIELD_JUNK = ["x", "-1", "99999999999999999999", "9999-12-31", "0001-01-01", "\x00", ["1", "x"]]


def test_no_junk_in_any_field_of_any_step_is_a_server_error(client, officer, scheme):
    incomplete = make_application(scheme, status=S.incomplete, incomplete_since=D(2024, 4, 10))
    accounted = granted(scheme, status=S.accountability)
    decision = Decision.objects.create(
        application=accounted, outcome=DecisionOutcome.granted, decided_on=D(2024, 5, 15)
    )
    lifecycle.send_decision(decision, by=officer, sent_on=D(2024, 5, 16))
    objection = lifecycle.register_objection(decision, by=officer, received_on=D(2024, 5, 20))
    targets = [
        (url(name, app), form_fields)
        for name, app, form_fields in [
            ("application-request-completion", incomplete, ["reason", "requested_on"]),
            ("application-receive-completion", incomplete, ["completed_on"]),
            ("application-not-consider", incomplete, ["decided_on", "motivation"]),
            ("application-withdraw", incomplete, ["reason", "withdrawn_on"]),
            ("application-pay-advance", accounted, ["amount", "paid_on", "note"]),
            ("application-receive-accountability", accounted, ["received_on"]),
            ("application-settle", accounted, ["amount", "settled_on", "motivation"]),
            ("application-record-advice", incomplete, ["note"]),
        ]
    ] + [
        (url("application-send-decision", accounted, pk=decision.pk), ["sent_on", "effective_on"]),
        (
            url("application-register-objection", accounted, pk=decision.pk),
            ["received_on", "grounds"],
        ),
        (
            url("application-decide-objection", accounted, pk=objection.pk),
            ["outcome", "decided_on", "note"],
        ),
    ]
    login(client, officer)
    statuses = set()
    for target, form_fields in targets:
        for junk in FIELD_JUNK:
            for field in form_fields:
                statuses.add(client.post(target, {field: junk}).status_code)
            statuses.add(client.post(target, dict.fromkeys(form_fields, junk)).status_code)

    assert statuses <= {302, 400}


# --- the panel ----------------------------------------------------------------------------


def panel(application, user):
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "subsidies/_lifecycle_actions.html",
        {"application": application, "request": request},
        request=request,
    )


def labels(html):
    """The step buttons and links in the panel, in order."""
    import re

    return re.findall(r'class="button button--small[^"]*"[^>]*>([^<]+)<', html)


def test_the_panel_offers_a_received_application_its_next_steps(officer, application):
    html = panel(application, officer)

    assert labels(html) == [
        "In beoordeling nemen",
        "Om aanvulling vragen",
        "Intrekking vastleggen",
    ]
    assert '<time datetime="2024-06-25">25 juni 2024</time>' in html
    assert "binnen 7 dagen" not in html


def test_the_panel_offers_no_steps_to_who_only_reads(application):
    html = panel(application, ProgrammeManagerFactory())

    assert (labels(html), "Beslistermijn" in html) == ([], True)


def test_the_panel_shows_a_deadline_within_seven_days_and_one_past(officer, scheme):
    soon = make_application(scheme, decision_deadline=D(2024, 6, 10))
    past = make_application(scheme, decision_deadline=D(2024, 5, 31))

    assert (
        '<span class="deadline deadline--soon">binnen 7 dagen</span>' in panel(soon, officer),
        '<span class="deadline deadline--overdue">verstreken</span>' in panel(past, officer),
    ) == (True, True)


def test_the_panel_of_an_incomplete_application_after_the_hersteltermijn(officer, scheme):
    application = make_application(
        scheme,
        status=S.incomplete,
        incomplete_since=D(2024, 5, 13),
        completion_deadline=D(2024, 5, 27),
        paused_days=3,
    )

    html = panel(application, officer)

    assert labels(html) == [
        "Aanvulling ontvangen",
        "Buiten behandeling stellen",
        "Intrekking vastleggen",
    ]
    assert "Opgeschort sinds 13 mei 2024: de aanvraag is onvolledig." in html
    assert "Verlengd met 3 dagen opschorting." in html
    assert (
        'tot en met\n        <time datetime="2024-05-27">27 mei 2024</time>\n        '
        '<span class="deadline deadline--overdue">verstreken</span>'
    ) in html


def test_the_panel_of_a_rejection_offers_its_sending_and_then_an_objection(officer, rejection):
    before = panel(rejection.application, officer)
    lifecycle.send_decision(rejection, by=officer, sent_on=D(2024, 4, 29))
    rejection.application.refresh_from_db()
    after = panel(rejection.application, officer)

    assert labels(before) == ["Verzending vastleggen"]
    assert labels(after) == ["Bezwaar registreren"]
    # Sent Monday 29 April: six weeks end Monday 10 June, within 7 days of 3 June.
    assert (
        '<time datetime="2024-06-10">10 juni 2024</time>\n        '
        '<span class="deadline deadline--soon">binnen 7 dagen</span>'
    ) in after


def test_the_panel_of_an_open_objection_offers_its_decision(officer, rejection):
    lifecycle.send_decision(rejection, by=officer, sent_on=D(2024, 4, 29))
    lifecycle.register_objection(rejection, by=officer, received_on=D(2024, 5, 2))
    rejection.application.refresh_from_db()

    html = panel(rejection.application, officer)

    assert labels(html) == ["Bezwaar registreren", "Beslissing op bezwaar vastleggen"]
    assert "Bezwaar ontvangen 2 mei 2024 tegen het besluit “afgewezen”" in html


def test_the_panel_shows_what_was_paid(officer, scheme):
    application = granted(scheme)
    lifecycle.pay_advance(application, by=officer, amount=Decimal("40000"), paid_on=D(2024, 6, 3))
    application.refresh_from_db()

    html = panel(application, officer)

    # All of the grant was paid: no further advance is on offer.
    assert labels(html) == ["Verantwoording ontvangen"]
    assert "€\xa040.000 van €\xa040.000 verleend" in html


def test_the_panel_runs_a_fixed_number_of_queries(officer, rejection, django_assert_num_queries):
    lifecycle.send_decision(rejection, by=officer, sent_on=D(2024, 4, 29))
    for day in (2, 3, 6):
        lifecycle.register_objection(rejection, by=officer, received_on=D(2024, 5, day))
    application = rejection.application
    application.refresh_from_db()
    panel(application, officer)  # the user's roles and schemes, read once per request

    # Decisions, objections, and once whether the officer reviewed it (four eyes).
    with django_assert_num_queries(3):
        panel(application, officer)
