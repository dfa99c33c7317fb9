"""A subsidy tender from receipt to decision in the browser, on the demo data.

The officer (``behandelaar``) opens a new Zorg & Voorzieningen tender with a small ceiling,
registers an application in it with a PDF project plan, takes it into review and assigns two
reviewers; each reviewer finds it on their dashboard, declares no conflict of interest, scores
every criterion with a comment and submits; the officer ranks the tender, confirms the grant of
the first application within the ceiling, and is refused, with the ceiling's Dutch message,
when granting the second would pass the ceiling. The grant's beschikking is made by a real
Celery worker and says the amount. Every page the browser shows passes axe-core (conftest.py)."""

import datetime
import re
from decimal import Decimal

import pytest
import weasyprint
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from programmes.models import Municipality, Organisation
from regioportal.audit import entries_for
from regioportal.models import AuditAction
from reports.models import RenderStatus
from subsidies import lifecycle, registration
from subsidies.enums import ApplicationStatus, Channel, DecisionOutcome, ReviewStatus
from subsidies.models import Application, Decision, DecisionLetter, Review, Scheme, Tender
from subsidies.review import assign_reviewers, declare_conflict, save_review
from tests.pdfs import pdf_text

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "regioportal"
TENDER = "Extra ronde dorpshuizen"
TITLE = "Dorpshuis De Linde wordt zorgsteunpunt"
APPLICANT = "Stichting Dorpshuis De Linde"
PLAN_NAME = "projectplan-de-linde.pdf"
# The ceiling fits the first application (€ 45.000) but not also the second (€ 25.000).
CEILING, FIRST, SECOND = Decimal(60000), Decimal(45000), Decimal(25000)
REVIEWERS = {"beoordelaar": "Femke Westerhof", "beoordelaar2": "Sander Dijkstra"}
NBSP = "\u00a0"


def log_in(page, username):
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")


def log_out(page):
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")


def project_plan(path):
    """A real PDF, as WeasyPrint (the portal's own PDF engine) writes it."""
    html = (
        "<h1>Projectplan Dorpshuis De Linde</h1>"
        "<p>Het dorpshuis wordt een zorgsteunpunt met spreekuren van de wijkverpleging.</p>"
    )
    path.write_bytes(weasyprint.HTML(string=html).write_pdf())
    return path


def local_input(moment):
    """A moment as a datetime-local input takes it."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def tender_option(tender):
    """How the registration form lists a tender round."""
    opens, closes = timezone.localtime(tender.opens_at), timezone.localtime(tender.closes_at)
    return f"ZV – {tender.name} ({opens:%d-%m-%Y} t/m {closes:%d-%m-%Y})"


def euro(amount):
    return f"€{NBSP}{int(amount):,}".replace(",", ".")


def score(page, points_and_notes, recommendation):
    """Fill in the score form: per criterion (by its fieldset) points and a comment."""
    for name, (points, note) in points_and_notes.items():
        criterion = page.get_by_role("group", name=name, exact=True)
        criterion.get_by_label("Punten (0 tot en met 10)").fill(str(points))
        criterion.get_by_label("Motivering").fill(note)
    advice = page.get_by_role("group", name="Advies", exact=True)
    advice.get_by_label("Advies").select_option(label=recommendation)
    advice.get_by_label("Algemene toelichting").fill("Sterk plan met draagvlak in het dorp.")


def reviewed_application(tender, officer, *, title, amount, points):
    """An application in ``tender``, registered, taken into review and scored ``points`` on
    every criterion by both demo reviewers, through the domain functions the pages call."""
    application = registration.register_application(
        scheme=tender.scheme,
        tender=tender,
        by=officer,
        data={
            "applicant": Organisation.objects.order_by("name").first(),
            "contact_name": "Anne Bakker",
            "contact_email": "anne.bakker@example.nl",
            "contact_phone": "",
            "title": title,
            "summary": "",
            "programme": None,
            "requested_amount": amount,
            "co_financing": Decimal(0),
            "de_minimis_declared": False,
            "channel": Channel.post,
            "received_on": timezone.localdate(),
        },
        budget_lines=[{"description": "Inrichting", "amount": amount}],
    )
    lifecycle.start_review(application, by=officer)
    users = get_user_model().objects.filter(username__in=REVIEWERS)
    criteria = list(tender.scheme.criteria.all())
    for review in assign_reviewers(application, users, by=officer):
        declare_conflict(review, by=review.reviewer, has_conflict=False)
        save_review(
            review,
            by=review.reviewer,
            scores={criterion.pk: (points, "Voldoende.") for criterion in criteria},
            recommendation="honoreren",
            comments="Redelijk plan.",
            submit=True,
        )
    return application


@pytest.mark.celery
def test_officer_and_two_reviewers_take_a_tender_from_receipt_to_decision(
    page, live_celery_worker, tmp_path
):
    call_command("load_demo", force=True, verbosity=0)
    scheme = Scheme.objects.get(code="ZV")
    criteria = list(scheme.criteria.order_by("order", "id"))
    officer = get_user_model().objects.get(username="behandelaar")
    municipality = Municipality.objects.order_by("name").first()
    plan = project_plan(tmp_path / PLAN_NAME)

    # --- The officer opens a tender with a small ceiling, from the scheme's page. -----------
    log_in(page, "behandelaar")
    page.get_by_role("link", name="Naar de regelingen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Subsidieregelingen")
    page.get_by_role("link", name=scheme.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(scheme.name)
    page.get_by_role("link", name="Nieuwe tenderronde").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe tenderronde")
    now = timezone.now()
    page.get_by_label("Naam").fill(TENDER)
    page.get_by_label("Opent").fill(local_input(now - datetime.timedelta(days=1)))
    page.get_by_label("Sluit").fill(local_input(now + datetime.timedelta(days=21)))
    page.get_by_label("Subsidieplafond (€)").fill("60.000")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text(f"De tender {TENDER} is aangemaakt.")
    expect(page.get_by_role("heading", level=1)).to_have_text(TENDER)
    tender = Tender.objects.get(scheme=scheme, name=TENDER)
    assert (tender.ceiling, tender.reserve, tender.granted_total) == (CEILING, 0, 0)

    # --- It registers an application received through the eLoket, with its project plan. ---
    page.get_by_role("link", name="Aanvraag registreren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanvraag registreren")
    expect(page.get_by_label("Regeling")).to_have_value(str(scheme.pk))
    page.get_by_label("Tenderronde").select_option(label=tender_option(tender))
    page.get_by_label("Of een nieuwe aanvrager: naam").fill(APPLICANT)
    page.get_by_label("Soort organisatie").select_option(label="Stichting")
    page.get_by_label("Gemeente").select_option(label=municipality.name)
    page.get_by_label("Contactpersoon", exact=True).fill("Jan Hof")
    page.get_by_label("E-mailadres contactpersoon").fill("jan.hof@example.nl")
    page.get_by_label("Projecttitel").fill(TITLE)
    page.get_by_label("Samenvatting").fill("Spreekuren van de wijkverpleging in het dorpshuis.")
    page.get_by_label("Aangevraagd bedrag (€)").fill("45.000")
    page.get_by_label("Cofinanciering (€)").fill("5.000")
    page.get_by_label("Post 1", exact=True).fill("Verbouwing spreekkamer")
    page.get_by_label("Bedrag post 1").fill("35.000")
    page.get_by_label("Post 2", exact=True).fill("Inrichting")
    page.get_by_label("Bedrag post 2").fill("15.000")
    page.get_by_label("Projectplan").set_input_files(plan)
    page.get_by_role("button", name="Aanvraag registreren").click()
    expect(page.get_by_role("status")).to_contain_text("is geregistreerd.")

    application = Application.objects.get(title=TITLE)
    reference = application.reference
    assert re.fullmatch(rf"ZV-{timezone.localdate().year}-\d{{3}}", reference)
    expect(page.get_by_role("status")).to_contain_text(f"Aanvraag {reference} is geregistreerd.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{reference} · {TITLE}")
    attachments = page.get_by_role("region", name="Bijlagen")
    download = attachments.get_by_role("link", name=PLAN_NAME)
    expect(download).to_be_visible()
    # The stored file is the uploaded one, served only to who may see the application.
    response = page.request.get(download.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body() == plan.read_bytes()

    # --- It takes the application into review and assigns the two reviewers. ----------------
    page.get_by_role("button", name="In beoordeling nemen").click()
    expect(page.get_by_role("status")).to_contain_text("De aanvraag is in beoordeling genomen.")
    page.get_by_role("link", name="Beoordelaars toewijzen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beoordelaars toewijzen")
    for name in REVIEWERS.values():
        page.get_by_label(name).check()
    page.get_by_role("button", name="Toewijzen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{reference} · {TITLE}")
    for name in REVIEWERS.values():
        expect(page.get_by_role("status")).to_contain_text(name)
    log_out(page)

    # --- Each reviewer declares no conflict, scores every criterion and submits. ------------
    # ("Mijn beoordelingen", subsidies:review-list, is not on this branch: the dashboard's
    # "Te beoordelen" table leads to the application, whose page leads to the review.)
    marks = {"beoordelaar": 8, "beoordelaar2": 7}
    for username, points in marks.items():
        log_in(page, username)
        to_do = page.get_by_role("region", name="Te beoordelen")
        to_do.get_by_role("link", name=reference, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"{reference} · {TITLE}")
        page.get_by_role("link", name="Verklaring afleggen en beoordelen").click()
        expect(page.get_by_text("Stap 1 van 2")).to_be_visible()
        page.get_by_label("Nee, ik heb geen persoonlijk of zakelijk belang").check()
        page.get_by_role("button", name="Verklaring vastleggen").click()
        expect(page.get_by_role("status")).to_contain_text("Uw verklaring is vastgelegd.")
        expect(page.get_by_text("Stap 2 van 2")).to_be_visible()
        score(
            page,
            {c.name: (points, f"{c.name}: goed onderbouwd in het plan.") for c in criteria},
            "Honoreren",
        )
        page.get_by_role("button", name="Indienen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Beoordeling indienen")
        page.get_by_role("button", name="Definitief indienen").click()
        expect(page.get_by_role("status")).to_contain_text("Uw beoordeling is ingediend.")
        log_out(page)

    reviews = Review.objects.filter(application=application).select_related("reviewer")
    states = {r.reviewer.username: (r.status, r.conflict_of_interest) for r in reviews}
    assert states == dict.fromkeys(REVIEWERS, (ReviewStatus.submitted, False))
    assert all(r.scores.count() == len(criteria) for r in reviews)

    # Meanwhile another application in the tender was registered and reviewed: eligible,
    # but scored below the first.
    other = reviewed_application(
        tender, officer, title="Ontmoetingsruimte in de bibliotheek", amount=SECOND, points=6
    )

    # --- The officer ranks the tender and decides. ------------------------------------------
    log_in(page, "behandelaar")
    page.get_by_role("region", name="Openstaande tenderrondes").get_by_role(
        "link", name=TENDER
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TENDER)
    page.get_by_role("link", name="Rangschikking en toekenning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Rangschikking {TENDER}")
    page.get_by_role("button", name="Rangschik", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        "De rangschikking is vastgelegd: 2 aanvragen komen in aanmerking."
    )
    ranking = page.get_by_role("table", name="Rangschikking")
    first_row = ranking.get_by_role("row").filter(has_text=reference)
    second_row = ranking.get_by_role("row").filter(has_text=other.reference)
    expect(first_row).to_contain_text(f"Verlenen {euro(FIRST)}")
    expect(second_row).to_contain_text("Afwijzen plafond bereikt")

    # Confirm the proposed grant of the first.
    first_row.get_by_role("button", name=f"Bevestig {reference}").click()
    expect(page.get_by_role("status")).to_contain_text(f"{reference}: verleend ({euro(FIRST)}).")
    expect(first_row).to_contain_text("Verleend")

    # Granting the second anyway: the ceiling refuses, in Dutch, saying what is left.
    second_row.get_by_role("link", name=f"Verlenen… {other.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Subsidie verlenen")
    expect(page.get_by_text(f"nog {euro(CEILING - FIRST)} beschikbaar")).to_be_visible()
    expect(page.get_by_label("Te verlenen bedrag (€)")).to_have_value("25.000")
    page.get_by_label("Motivering").fill("Toch verlenen: het project is urgent.")
    page.get_by_role("button", name="Verlenen", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"Het subsidieplafond van {TENDER} is bereikt: nog {euro(CEILING - FIRST)} "
        f"beschikbaar, {euro(SECOND)} gevraagd."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Subsidie verlenen")

    # --- What the database holds. --------------------------------------------------------
    tender.refresh_from_db()
    application.refresh_from_db()
    other.refresh_from_db()
    assert tender.granted_total == FIRST
    assert (application.status, application.granted_amount) == (ApplicationStatus.granted, FIRST)
    assert application.rank == 1 and other.rank == 2
    assert other.status == ApplicationStatus.in_review
    assert other.granted_amount is None
    assert not Decision.objects.filter(application=other).exists()
    decision = Decision.objects.get(application=application)
    assert (decision.outcome, decision.amount, decision.decided_by) == (
        DecisionOutcome.granted,
        FIRST,
        officer,
    )
    assert decision.decided_on == timezone.localdate()
    assert decision.objection_deadline is not None

    history = list(entries_for(application).order_by("at", "id"))
    assert history[0].action == AuditAction.create
    assert history[0].actor == officer
    reasons = [str(entry.reason) for entry in history]
    assert reasons.count("Beoordelaar toegewezen") == 2
    assert reasons.count("Verklaring: geen belangenverstrengeling") == 2
    assert reasons.count("Beoordeling ingediend") == 2
    assert reasons.count(f"Rangschikking van {TENDER}") == 1
    assert {e.actor.username for e in history if e.reason == "Beoordeling ingediend"} == set(
        REVIEWERS
    )
    status_changes = [e for e in history if e.action == AuditAction.status]
    assert [e.changes["status"] for e in status_changes] == [
        [ApplicationStatus.received.value, ApplicationStatus.in_review.value],
        [ApplicationStatus.in_review.value, ApplicationStatus.granted.value],
    ]
    assert {e.actor for e in status_changes} == {officer}
    ceiling_entries = [e for e in entries_for(tender) if "granted_total" in e.changes]
    assert [e.changes["granted_total"] for e in ceiling_entries] == [["0.00", "45000.00"]]

    # --- The beschikking: requested with the decision, made by the worker. -----------------
    letter = DecisionLetter.objects.get(decision=decision)
    assert letter.requested_by == officer
    page.goto(application.get_absolute_url())
    letters = page.get_by_role("region", name="Beschikkingen", exact=True)
    expect(letters).to_contain_text(f"Verleend {euro(FIRST)}")
    page.goto(f"/subsidies/beschikkingen/{letter.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Beschikking {reference}")
    download_link = page.get_by_role("link", name="Download de beschikking")
    expect(download_link).to_be_visible(timeout=90_000)
    letter.refresh_from_db()
    assert letter.status == RenderStatus.ready
    page.wait_for_load_state("load")
    with page.expect_download() as download_info:
        download_link.click()
    path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(path)
    text = pdf_text(path)
    assert f"Wij verlenen u een subsidie van maximaal € {int(FIRST):,}".replace(",", ".") in text
    assert reference in text


def submit_expecting_errors(page, button):
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("Er ging iets mis")


def test_subsidy_pages_pass_axe_also_with_form_errors(page):
    """The other subsidy pages, for the officer, a reviewer and the programme manager, with
    their forms' errors: visiting is the test (the page fixture runs axe on every document).
    Also a ranking with a tie at the ceiling, its lottery drawn in the browser."""
    call_command("load_demo", force=True, verbosity=0)
    officer = get_user_model().objects.get(username="behandelaar")
    received = Application.objects.filter(scheme__code="SA", status=ApplicationStatus.received)[0]
    incomplete = Application.objects.filter(status=ApplicationStatus.incomplete)[0]
    granted = Application.objects.filter(scheme__code="ZV", status=ApplicationStatus.granted)[0]
    accounted = Application.objects.filter(
        scheme__code="ZV", status=ApplicationStatus.accountability
    )[0]
    zv_tender = Tender.objects.filter(scheme__code="ZV").order_by("-opens_at")[0]
    draft = Review.objects.filter(
        reviewer__username="beoordelaar", status=ReviewStatus.draft
    ).select_related("application")[0]
    submitted = Review.objects.filter(
        reviewer__username="beoordelaar", status=ReviewStatus.submitted
    )[0]

    # A tie at the ceiling: three applications with the same score, room for two.
    tied_tender = Tender.objects.create(
        scheme=Scheme.objects.get(code="ZV"),
        name="Ronde met gelijke stand",
        opens_at=timezone.now() - datetime.timedelta(days=7),
        closes_at=timezone.now() + datetime.timedelta(days=7),
        ceiling=Decimal(50000),
    )
    for number in range(3):
        reviewed_application(
            tied_tender, officer, title=f"Buurtkamer {number + 1}", amount=Decimal(20000), points=7
        )

    log_in(page, "behandelaar")
    page.goto("/subsidies/aanvragen/nieuw/")
    submit_expecting_errors(page, "Aanvraag registreren")

    # An application just received: its pages and forms, and the steps it may take.
    page.goto(received.get_absolute_url())
    page.get_by_role("link", name="Gegevens wijzigen").click()
    page.get_by_label("Projecttitel").fill("")
    submit_expecting_errors(page, "Opslaan")
    page.goto(f"{received.get_absolute_url()}geschiedenis/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(received.get_absolute_url())
    page.get_by_role("link", name="Bijlagen toevoegen").click()
    submit_expecting_errors(page, "Toevoegen")
    page.goto(received.get_absolute_url())
    page.get_by_role("link", name="Beoordelaars toewijzen").click()
    submit_expecting_errors(page, "Toewijzen")
    for step in ["Om aanvulling vragen", "Intrekking vastleggen"]:
        page.goto(received.get_absolute_url())
        page.get_by_role("link", name=step).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(step)
        submit_expecting_errors(page, step)
    page.goto(f"{received.get_absolute_url()}afwijzen/")
    submit_expecting_errors(page, "Afwijzen")
    page.goto(f"{received.get_absolute_url()}verlenen/")
    page.get_by_label("Te verlenen bedrag (€)").fill("twintig")
    submit_expecting_errors(page, "Verlenen")
    # Granted (no ceiling in this scheme): the decision's objection term runs.
    page.get_by_label("Te verlenen bedrag (€)").fill("1.000")
    page.get_by_role("button", name="Verlenen", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"{received.reference} is verleend.")
    # Its beschikking's page: queued, or ready when another test's Celery worker still runs.
    letter = DecisionLetter.objects.get(decision__application=received)
    page.goto(f"/subsidies/beschikkingen/{letter.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Beschikking {received.reference}")
    page.goto(received.get_absolute_url())
    page.get_by_role("link", name="Bezwaar registreren").click()
    page.get_by_label("Bezwaar ontvangen op").fill("")
    submit_expecting_errors(page, "Bezwaar registreren")
    page.get_by_label("Bezwaar ontvangen op").fill(timezone.localdate().isoformat())
    page.get_by_label("Gronden van het bezwaar").fill("Het bedrag is te laag.")
    page.get_by_role("button", name="Bezwaar registreren").click()
    page.get_by_role("link", name="Beslissing op bezwaar vastleggen").click()
    submit_expecting_errors(page, "Beslissing op bezwaar vastleggen")

    # Further along the lifecycle.
    page.goto(incomplete.get_absolute_url())
    page.get_by_role("link", name="Aanvulling ontvangen").click()
    page.get_by_label("Aanvulling ontvangen op").fill("")
    submit_expecting_errors(page, "Aanvulling ontvangen")
    page.goto(draft.application.get_absolute_url())
    page.get_by_role("link", name="Advies vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Advies vastleggen")
    page.goto(granted.get_absolute_url())
    page.get_by_role("link", name="Voorschot betalen").click()
    submit_expecting_errors(page, "Voorschot betalen")
    page.goto(granted.get_absolute_url())
    page.get_by_role("link", name="Verantwoording ontvangen").click()
    page.get_by_label("Verantwoording ontvangen op").fill("")
    submit_expecting_errors(page, "Verantwoording ontvangen")
    page.goto(accounted.get_absolute_url())
    page.get_by_role("link", name="Subsidie vaststellen").click()
    submit_expecting_errors(page, "Subsidie vaststellen")

    # Rankings and allocations, and a lottery drawn at the ceiling.
    for path in [
        f"/subsidies/tenders/{zv_tender.pk}/rangschikking/",
        "/subsidies/regelingen/TPW/toewijzing/",
        "/subsidies/regelingen/SA/toewijzing/",
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(f"/subsidies/tenders/{tied_tender.pk}/rangschikking/")
    expect(page.get_by_text("Gelijke stand op de grens van het plafond")).to_be_visible()
    page.get_by_role("button", name="Loting trekken").click()
    expect(page.get_by_role("status")).to_contain_text("De loting is getrokken.")
    expect(page.get_by_text("hash en volgorde kloppen")).to_be_visible()
    log_out(page)

    # The reviewer: the declaration and the score form with their errors, and a submitted
    # review.
    log_in(page, "beoordelaar")
    page.goto(draft.application.get_absolute_url())
    page.get_by_role("link", name="Verklaring afleggen en beoordelen").click()
    submit_expecting_errors(page, "Verklaring vastleggen")
    page.get_by_label("Ja, ik heb belangenverstrengeling").check()
    submit_expecting_errors(page, "Verklaring vastleggen")
    page.get_by_label("Nee, ik heb geen persoonlijk of zakelijk belang").check()
    page.get_by_role("button", name="Verklaring vastleggen").click()
    expect(page.get_by_text("Stap 2 van 2")).to_be_visible()
    page.get_by_role("button", name="Indienen").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    page.goto(f"/subsidies/beoordelingen/{draft.pk}/?stap=bevestigen")
    expect(page.get_by_role("alert")).to_contain_text("De beoordeling is nog niet compleet")
    page.goto(f"/subsidies/beoordelingen/{submitted.pk}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    log_out(page)

    # The programme manager reads.
    log_in(page, "programmamanager")
    for path in [
        granted.get_absolute_url(),
        f"{granted.get_absolute_url()}geschiedenis/",
        f"/subsidies/tenders/{zv_tender.pk}/rangschikking/",
        f"/subsidies/tenders/{tied_tender.pk}/rangschikking/",
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
