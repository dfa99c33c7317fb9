"""The application page, the registration page, correcting registered data and the history,
as the Subsidiebehandelaar and the others who may see an application use them."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from regioportal.audit import record
from regioportal.models import AuditAction, AuditEntry
from subsidies import registration
from subsidies.enums import (
    AllocationMethod,
    ApplicationStatus,
    DecisionOutcome,
    PaymentKind,
)
from subsidies.models import Application, BudgetLine, Decision, Objection, Payment
from tests.factories import (
    ApplicationFactory,
    OrganisationFactory,
    ProgrammeManagerFactory,
    ReviewFactory,
    SubsidyOfficerFactory,
)
from tests.subsidies.application_data import (
    BUDGET,
    NOW,
    TODAY,
    docx_bytes,
    pdf_bytes,
    registration_data,
    tender_for,
    tender_scheme,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def officer():
    return SubsidyOfficerFactory(username="ruben", first_name="Ruben", last_name="Zuidema")


@pytest.fixture
def scheme(officer):
    return tender_scheme(handlers=[officer])


@pytest.fixture
def tender(scheme):
    return tender_for(scheme, name="2024 – ronde 1")


@pytest.fixture
def applicant():
    return OrganisationFactory(name="Stichting Dorpshuis De Klinker")


@pytest.fixture
def application(scheme, tender, officer, applicant):
    return registration.register_application(
        scheme=scheme,
        tender=tender,
        by=officer,
        data=registration_data(applicant),
        budget_lines=BUDGET,
        attachments=[("projectplan", upload("Projectplan.pdf", pdf_bytes()))],
    )


def text(response):
    """The page's text without tags, with spaces and newlines collapsed (a no-break space
    stays one)."""
    page = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return re.sub(r"[ \t\r\n]+", " ", page)


# --- the application page -----------------------------------------------------------------------


def test_the_handling_officer_sees_everything_about_the_application(client, officer, application):
    client.force_login(officer)

    response = client.get(application.get_absolute_url())

    page = text(response)
    assert response.status_code == 200
    assert "ZV-2024-001 · Dorpshuis De Klinker" in page
    assert "Stichting Dorpshuis De Klinker" in page
    assert "Verbouwing €\xa080.000" in page
    assert "Totaal €\xa0100.000" in page
    assert "Beslistermijn tot 28-05-2024" in page
    assert "Projectplan.pdf" in page
    assert response.context["may_see_documents"] is True
    assert response.context["show_history"] is True
    assert response.context["can_edit"] is True
    html = response.content.decode()
    assert reverse("subsidies:application-history", args=["ZV-2024-001"]) in html
    assert reverse("subsidies:application-edit", args=["ZV-2024-001"]) in html


def test_a_reviewer_who_has_not_declared_sees_no_documents_and_no_history(client, application):
    review = ReviewFactory(application=application)
    client.force_login(review.reviewer)

    response = client.get(application.get_absolute_url())

    page = text(response)
    assert response.status_code == 200
    assert "Dorpshuis De Klinker" in page
    assert "Verbouwing €" not in page
    assert "Projectplan.pdf" not in page
    assert "De begroting en de bijlagen ziet u nadat u hebt verklaard" in page
    assert reverse("subsidies:application-history", args=["ZV-2024-001"]) not in (
        response.content.decode()
    )
    assert (response.context["show_history"], response.context["can_edit"]) == (False, False)


def test_a_reviewer_who_declared_no_conflict_sees_the_documents(client, application):
    review = ReviewFactory(application=application, conflict_of_interest=False)
    client.force_login(review.reviewer)

    page = text(client.get(application.get_absolute_url()))

    assert "Verbouwing €\xa080.000" in page
    assert "Projectplan.pdf" in page


def test_decisions_payments_and_objections_are_listed(client, officer, application):
    Application.objects.filter(pk=application.pk).update(
        status=ApplicationStatus.advance_paid,
        granted_amount=Decimal("55000"),
        decided_on=datetime.date(2024, 5, 1),
    )
    decision = Decision.objects.create(
        application=application,
        outcome=DecisionOutcome.granted,
        amount=Decimal("55000"),
        decided_on=datetime.date(2024, 5, 1),
        sent_on=datetime.date(2024, 5, 2),
        objection_deadline=datetime.date(2024, 6, 13),
        decided_by=officer,
    )
    Payment.objects.create(
        application=application,
        kind=PaymentKind.advance,
        amount=Decimal("44000"),
        paid_on=datetime.date(2024, 5, 15),
        note="Voorschot 80%",
    )
    Objection.objects.create(
        application=application,
        decision=decision,
        received_on=datetime.date(2024, 6, 1),
        grounds="Het bedrag is te laag.",
    )
    client.force_login(officer)

    page = text(client.get(application.get_absolute_url()))

    assert "Verleend 01-05-2024 €\xa055.000 02-05-2024 13-06-2024 Ruben Zuidema" in page
    assert "Voorschot 15-05-2024 €\xa044.000 Voorschot 80%" in page
    assert "Ontvangen 01-06-2024 tegen het besluit “Verleend”: nog niet beslist" in page


def test_the_page_warns_when_the_grant_would_pass_the_de_minimis_ceiling(
    client, officer, applicant
):
    scheme = tender_scheme(
        handlers=[officer],
        code="PEV",
        is_de_minimis=True,
        allocation_method=AllocationMethod.first_come,
        max_amount=Decimal("750000"),
    )
    ApplicationFactory(
        tender=None,
        scheme=scheme,
        applicant=applicant,
        requested_amount=Decimal("280000"),
        granted_amount=Decimal("280000"),
        status=ApplicationStatus.granted,
        received_on=datetime.date(2023, 1, 5),
        decided_on=datetime.date(2023, 3, 1),
    )
    client.force_login(officer)

    response = client.post(
        reverse("subsidies:application-add") + "?scheme=PEV",
        form_data(scheme, None, applicant, requested_amount="60.000"),
    )
    application = Application.objects.get(scheme=scheme, status=ApplicationStatus.received)
    page = text(client.get(application.get_absolute_url()))

    warning = (
        "Let op, de-minimisplafond: Stichting Dorpshuis De Klinker ontving in de drie jaar tot "
        "en met 2 april 2024 al €\xa0280.000 aan de-minimissteun van de provincie."
    )
    assert [str(m) for m in get_messages(response.wsgi_request)][1].startswith(warning)
    assert warning in page
    assert "de de-minimisverklaring van de aanvrager is nog niet ontvangen" in page


@pytest.mark.parametrize("rows", [1, 10])
def test_the_application_page_runs_a_fixed_number_of_queries(
    client, officer, application, django_assert_max_num_queries, rows
):
    """The same number at one and at many budget lines, attachments, decisions, payments
    and objections."""
    Application.objects.filter(pk=application.pk).update(
        status=ApplicationStatus.advance_paid,
        granted_amount=Decimal("50000"),
        decided_on=datetime.date(2024, 5, 1),
    )
    for number in range(rows):
        BudgetLine.objects.create(application=application, description=f"Post {number}", amount=1)
        registration.add_attachment(
            application, upload(f"bijlage-{number}.docx", docx_bytes()), "overig", by=officer
        )
        decision = Decision.objects.create(
            application=application,
            outcome=DecisionOutcome.granted,
            amount=Decimal("50000"),
            decided_on=datetime.date(2024, 5, 1),
            decided_by=officer,
        )
        Payment.objects.create(
            application=application,
            kind=PaymentKind.advance,
            amount=Decimal("1000"),
            paid_on=datetime.date(2024, 5, 15),
        )
        Objection.objects.create(
            application=application, decision=decision, received_on=datetime.date(2024, 6, 1)
        )
    client.force_login(officer)
    client.get(application.get_absolute_url())  # the session and the roles, read once

    # user, application, handled schemes, budget lines, attachments, decisions, payments,
    # objections (the session and the roles come from the cache); the lifecycle panel (its
    # decisions, objections and amount paid: 3), the review summary (4-eyes check, criteria
    # twice, reviews, scores, count: 6) and the letters (2). The same at 1 and at 10 rows.
    with django_assert_max_num_queries(19):
        response = client.get(application.get_absolute_url())

    assert len(response.context["attachments"]) == rows + 1
    assert len(response.context["objections"]) == rows


# --- registering in the browser -----------------------------------------------------------------


def form_data(scheme, tender, applicant, **changes):
    data = {
        "scheme": scheme.pk,
        "tender": tender.pk if tender else "",
        "channel": "post",
        "received_on": TODAY.isoformat(),
        "received_time": "",
        "applicant": applicant.pk if applicant else "",
        "new_applicant_name": "",
        "new_applicant_kind": "",
        "new_applicant_municipality": "",
        "contact_name": "Jan Hof",
        "contact_email": "jan.hof@example.nl",
        "contact_phone": "",
        "title": "Dorpshuis De Klinker",
        "summary": "Verbouwing tot zorgsteunpunt.",
        "programme": "",
        "requested_amount": "60.000",
        "co_financing": "40.000,00",
        "begroting-TOTAL_FORMS": "4",
        "begroting-INITIAL_FORMS": "0",
        "begroting-MIN_NUM_FORMS": "0",
        "begroting-MAX_NUM_FORMS": "30",
        "begroting-0-description": "Verbouwing",
        "begroting-0-amount": "80.000",
        "begroting-1-description": "Inrichting",
        "begroting-1-amount": "€ 20000",
    }
    data.update(changes)
    return data


def test_the_registration_page_offers_only_the_schemes_the_officer_handles(client, officer, scheme):
    tender_scheme(code="SA", name="Sociale Agenda")
    client.force_login(officer)

    response = client.get(reverse("subsidies:application-add"))

    assert response.status_code == 200
    assert list(response.context["form"].fields["scheme"].queryset) == [scheme]


def test_registering_in_the_browser_creates_the_application_and_shows_it(
    client, officer, scheme, tender, applicant
):
    client.force_login(officer)

    response = client.post(
        reverse("subsidies:application-add"),
        {
            **form_data(scheme, tender, applicant),
            "project_plan": upload("plan.docx", docx_bytes()),
            "other_files": [upload("foto.pdf", pdf_bytes())],
        },
    )

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Aanvraag ZV-2024-001 is geregistreerd. De beslistermijn loopt tot 28-05-2024."
    ]
    assert (
        application.reference,
        application.requested_amount,
        application.co_financing,
        application.received_at,
    ) == ("ZV-2024-001", Decimal("60000.00"), Decimal("40000.00"), NOW)
    assert list(application.budget_lines.values_list("description", "amount")) == [
        ("Verbouwing", Decimal("80000.00")),
        ("Inrichting", Decimal("20000.00")),
    ]
    assert sorted(application.attachments.values_list("kind", "original_name")) == [
        ("overig", "foto.pdf"),
        ("projectplan", "plan.docx"),
    ]


def test_a_scheme_code_in_the_address_chooses_the_scheme(client, officer, scheme, tender):
    other = tender_scheme(handlers=[officer], code="SA", name="Sociale Agenda")
    tender_for(other, name="Sociale Agenda 2024")
    client.force_login(officer)

    response = client.get(reverse("subsidies:application-add"), {"scheme": "ZV"})

    form = response.context["form"]
    assert form["scheme"].initial == scheme
    assert list(form.fields["tender"].queryset) == [tender]


@pytest.mark.parametrize("code", ["XX", "\x00", "ZV'--", "Z" * 40])
def test_an_unknown_scheme_code_is_not_found(client, officer, scheme, code):
    client.force_login(officer)

    assert client.get(reverse("subsidies:application-add"), {"scheme": code}).status_code == 404


def test_a_refusal_of_the_domain_shows_at_its_field(client, officer, scheme, tender, applicant):
    client.force_login(officer)

    response = client.post(
        reverse("subsidies:application-add"),
        form_data(scheme, tender, applicant, received_on="2024-02-20"),
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "tender": [
            "De tenderronde 2024 – ronde 1 was niet open toen de aanvraag binnenkwam "
            "(open van 1 maart 2024 09:00 tot en met 30 april 2024 17:00)."
        ]
    }
    assert Application.objects.count() == 0


def test_an_amount_that_is_no_amount_is_a_form_error(client, officer, scheme, tender, applicant):
    client.force_login(officer)

    response = client.post(
        reverse("subsidies:application-add"),
        form_data(scheme, tender, applicant, requested_amount="zestigduizend"),
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "requested_amount": ["Vul een bedrag in euro’s in, bijvoorbeeld 12.500 of 12.500,50."]
    }


def test_a_budget_line_without_an_amount_is_a_form_error(
    client, officer, scheme, tender, applicant
):
    client.force_login(officer)

    response = client.post(
        reverse("subsidies:application-add"),
        form_data(scheme, tender, applicant, **{"begroting-2-description": "Reiskosten"}),
    )

    assert response.status_code == 400
    assert response.context["formset"].errors[2] == {"amount": ["Vul het bedrag van deze post in."]}


def test_a_refused_attachment_is_a_form_error_and_registers_nothing(
    client, officer, scheme, tender, applicant
):
    client.force_login(officer)

    response = client.post(
        reverse("subsidies:application-add"),
        {**form_data(scheme, tender, applicant), "project_plan": upload("plan.pdf", b"MZ\x90\x00")},
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["project_plan"]
    assert Application.objects.count() == 0


def test_an_officer_who_handles_no_scheme_is_told_so(client):
    client.force_login(SubsidyOfficerFactory())

    response = client.get(reverse("subsidies:application-add"))

    assert response.status_code == 200
    assert "U behandelt nog geen subsidieregelingen." in text(response)


# --- correcting ---------------------------------------------------------------------------------


def edit_data(application, **changes):
    data = {
        "applicant": application.applicant_id,
        "contact_name": application.contact_name,
        "contact_email": application.contact_email,
        "contact_phone": application.contact_phone,
        "title": application.title,
        "summary": application.summary,
        "programme": "",
        "requested_amount": "60000,00",
        "co_financing": "40000,00",
        "channel": application.channel,
        "received_on": application.received_on.isoformat(),
        "begroting-TOTAL_FORMS": "5",
        "begroting-INITIAL_FORMS": "2",
        "begroting-MIN_NUM_FORMS": "0",
        "begroting-MAX_NUM_FORMS": "30",
        "begroting-0-description": "Verbouwing",
        "begroting-0-amount": "80000,00",
        "begroting-1-description": "Inrichting",
        "begroting-1-amount": "20000,00",
    }
    data.update(changes)
    return data


def test_the_edit_page_shows_the_registered_data(client, officer, application):
    client.force_login(officer)

    response = client.get(reverse("subsidies:application-edit", args=[application.reference]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="requested_amount" value="60.000"' in html
    assert 'name="begroting-1-description" value="Inrichting"' in html


def test_correcting_in_the_browser_is_audited_with_old_and_new_values(client, officer, application):
    client.force_login(officer)

    response = client.post(
        reverse("subsidies:application-edit", args=[application.reference]),
        edit_data(application, title="Dorpshuis De Klinker (herzien)", contact_phone="0595-123456"),
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get(object_id=str(application.pk), action=AuditAction.update)
    assert entry.changes == {
        "contact_phone": ["050-1234567", "0595-123456"],
        "title": ["Dorpshuis De Klinker", "Dorpshuis De Klinker (herzien)"],
    }


def test_an_application_in_review_sends_the_edit_page_back_to_the_application(
    client, officer, application
):
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.in_review)
    client.force_login(officer)

    response = client.get(reverse("subsidies:application-edit", args=[application.reference]))

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Alleen een ontvangen of onvolledige aanvraag kan worden gewijzigd."
    ]


# --- history ------------------------------------------------------------------------------------


def test_the_history_shows_every_change_on_the_application_in_dutch(client, officer, application):
    registration.update_application(
        application, by=officer, data={"title": "Dorpshuis De Klinker (herzien)"}
    )
    record(
        actor=officer,
        obj=application,
        action=AuditAction.status,
        changes={"status": ["ontvangen", "in_beoordeling"]},
    )
    client.force_login(ProgrammeManagerFactory())

    response = client.get(reverse("subsidies:application-history", args=[application.reference]))

    page = text(response)
    assert response.status_code == 200
    assert "Status: Ontvangen → In beoordeling" in page
    assert "Projecttitel: Dorpshuis De Klinker → Dorpshuis De Klinker (herzien)" in page
    assert "Beslistermijn tot: 28-05-2024" in page
    assert "Bijlagen: Projectplan.pdf" in page
    assert [entry.action for entry in response.context["audit_entries"]] == [
        AuditAction.status,
        AuditAction.update,
        AuditAction.create,
    ]


# --- junk ---------------------------------------------------------------------------------------

JUNK = [
    "x",
    "-1",
    "99999999999999999999",
    "9999-12-31",
    "0001-01-01",
    "\x00",
    "<script>",
    "9" * 3000,
]


@pytest.mark.parametrize("value", JUNK)
def test_junk_in_every_field_of_the_registration_form_is_a_form_error(
    client, officer, scheme, tender, applicant, value
):
    client.force_login(officer)
    data = dict.fromkeys(form_data(scheme, tender, applicant), value)

    response = client.post(reverse("subsidies:application-add"), data)

    assert response.status_code == 400
    assert Application.objects.count() == 0


@pytest.mark.parametrize("value", JUNK)
def test_junk_in_every_field_of_the_edit_form_is_a_form_error(client, officer, application, value):
    client.force_login(officer)
    data = dict.fromkeys(edit_data(application), value)

    response = client.post(
        reverse("subsidies:application-edit", args=[application.reference]), data
    )

    assert response.status_code == 400


@pytest.mark.parametrize("field", ["received_on", "requested_amount", "co_financing", "tender"])
@pytest.mark.parametrize("value", JUNK)
def test_junk_in_one_field_of_the_registration_form_is_a_form_error(
    client, officer, scheme, tender, applicant, field, value
):
    client.force_login(officer)

    response = client.post(
        reverse("subsidies:application-add"), {**form_data(scheme, tender, applicant), field: value}
    )

    assert response.status_code in (302, 400)


@pytest.mark.parametrize("reference", ["\x00", "ZV-2024-999", "a" * 300, "<script>"])
def test_a_reference_that_does_not_exist_is_not_found(client, officer, reference):
    client.force_login(officer)

    for name in ("application-detail", "application-edit", "application-history"):
        url = reverse(f"subsidies:{name}", args=["PLACEHOLDER"]).replace("PLACEHOLDER", reference)
        assert client.get(url).status_code == 404


# --- the admin ----------------------------------------------------------------------------------


def test_the_admin_shows_status_amounts_and_deadlines_read_only(client, application):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("eva", "eva@example.org", "x" * 20))

    response = client.get(reverse("admin:subsidies_application_change", args=[application.pk]))
    add = client.get(reverse("admin:subsidies_application_add"))

    fields = response.context["adminform"].form.fields
    for name in (
        "status",
        "requested_amount",
        "co_financing",
        "granted_amount",
        "tender",
        "received_on",
        "decision_deadline",
        "reference",
    ):
        assert name not in fields
    assert {"title", "contact_email"} <= set(fields)
    assert add.status_code == 403
