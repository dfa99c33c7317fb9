"""Decision letters (subsidies.letters): the beschikking of every decision as a PDF, made by
the reports pipeline (real WeasyPrint, real Celery worker), stored unchanged with its SHA-256,
and downloadable only by those who may see the application."""

import datetime
import hashlib
import io
import time
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from regioportal.audit import entries_for
from regioportal.models import AuditAction
from reports import services
from reports.models import RenderStatus
from subsidies import letters
from subsidies.enums import (
    AllocationMethod,
    ApplicationStatus,
    DecisionOutcome,
    PaymentKind,
    RejectionReason,
)
from subsidies.models import Decision, DecisionLetter, Payment
from subsidies.rules import handled_scheme_ids
from subsidies.signals import decision_made
from subsidies.tasks import render_decision_letter
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
from tests.pdfs import pdf_fonts, pdf_info, pdf_text

OUR_FONTS = {
    "Regioportal-Sans",
    "Regioportal-Sans-Bold",
    "Regioportal-Sans-Semi-Bold",
    "Regioportal-Sans-Ultra-Bold",
    "Regioportal-Sans-Italic",
    "Regioportal-Symbols",
}
DECIDED_ON = datetime.date(2024, 5, 14)  # a Tuesday; six weeks later is Tuesday 25 June


@pytest.fixture
def officer():
    return SubsidyOfficerFactory(first_name="Bram", last_name="Mulder")


@pytest.fixture
def application(officer):
    scheme = SchemeFactory(
        code="ZV", name="Subsidieregeling Zorg & Voorzieningen 2024", handlers=[officer]
    )
    return ApplicationFactory(
        reference="ZV-2024-014",
        tender=TenderFactory(scheme=scheme, name="Tenderronde voorjaar 2024"),
        applicant=OrganisationFactory(
            name="Stichting Dorpshuis De Kiel",
            municipality=MunicipalityFactory(name="Het Hogeland"),
        ),
        contact_name="Anja de Vries",
        contact_email="a.devries@dorpshuisdekiel.nl",
        title="Ontmoetingsruimte in het dorpshuis",
        requested_amount=Decimal("75000.00"),
        received_on=datetime.date(2024, 4, 2),
    )


def decide(application, *, by=None, outcome=DecisionOutcome.granted, **fields):
    """A decision as the lifecycle records it (without the status change: letters only read
    the decision)."""
    defaults = {
        "amount": Decimal("60000.00") if outcome == DecisionOutcome.granted else None,
        "decided_on": DECIDED_ON,
        "decided_by": by,
        "motivation": "De aanvraag scoort 78 van de 100 punten.\n\n"
        "De post onvoorzien komt niet voor subsidie in aanmerking.",
    }
    return Decision.objects.create(
        application=application, outcome=outcome, **{**defaults, **fields}
    )


def write(tmp_path, data, name="beschikking.pdf"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def render(tmp_path, decision):
    rendered = letters.render_letter(decision)
    return rendered, write(tmp_path, rendered.data)


def run_task(letter):
    """Run the letter's task here, as the worker would."""
    render_decision_letter.apply(kwargs={"letter_id": letter.pk}, task_id=letter.task_id)
    letter.refresh_from_db()
    return letter


def made_letter(decision, by, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        letter = letters.request_letter(decision, by=by)
    return run_task(letter)


def ready_letter(decision, *, data=b"%PDF-1.7 beschikking"):
    """A ready letter without rendering (for the pages around it)."""
    return DecisionLetter.objects.create(
        decision=decision,
        status=RenderStatus.ready,
        attempts=1,
        file=ContentFile(data, name="beschikking.pdf"),
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        page_count=1,
        finished_at=timezone.now(),
        task_id="7d3c4a1e-0000-4000-8000-000000000001",
    )


# --- what the letter says (real WeasyPrint) ---------------------------------------------------


@pytest.mark.django_db
def test_a_granted_letter_states_amount_grounds_basis_and_the_objection_term_with_its_end(
    application, officer, tmp_path
):
    decision = decide(application, by=officer, effective_on=datetime.date(2024, 6, 1))

    rendered, path = render(tmp_path, decision)

    text = pdf_text(path)
    for fragment in [
        "Provincie Groningen Gedeputeerde Staten Postbus 610 9700 AP Groningen",
        "Stichting Dorpshuis De Kiel t.a.v. Anja de Vries Het Hogeland",
        "Datum 14 mei 2024 Ons kenmerk ZV-2024-014 Uw aanvraag van 2 april 2024",
        "Onderwerp: verlening subsidie ‘Ontmoetingsruimte in het dorpshuis’",
        "Geachte Anja de Vries,",
        "U vroeg € 75.000 aan.",
        "Wij verlenen u een subsidie van maximaal € 60.000 voor het project "
        "‘Ontmoetingsruimte in het dorpshuis’.",
        "Dat is minder dan het aangevraagde bedrag van € 75.000. Hieronder leest u waarom.",
        "Ingangsdatum van dit besluit: 1 juni 2024.",
        "Waarom dit besluit? De aanvraag scoort 78 van de 100 punten. "
        "De post onvoorzien komt niet voor subsidie in aanmerking.",
        "Wij hebben dit besluit genomen op grond van de Subsidieregeling Zorg & Voorzieningen "
        "2024 en titel 4.2 (Subsidies) van de Algemene wet bestuursrecht.",
        "Bent u het niet eens met dit besluit? Dan kunt u binnen zes weken na de dag van "
        "verzending bezwaar maken. Uw bezwaarschrift moet uiterlijk op 25 juni 2024 bij ons "
        "binnen zijn.",
        "Gedeputeerde Staten van Groningen, namens dezen, Bram Mulder Subsidiebehandelaar",
        "Ons kenmerk ZV-2024-014",
    ]:
        assert fragment in text
    assert "Pagina 1 van" in text
    assert rendered.page_count == len(PdfReader(io.BytesIO(rendered.data)).pages)


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        (
            RejectionReason.ceiling_reached,
            "Wij wijzen uw aanvraag af. Het subsidieplafond van de tenderronde ‘Tenderronde "
            "voorjaar 2024’ is bereikt. Het beschikbare budget is volledig verdeeld over "
            "aanvragen die in de rangschikking hoger eindigden dan de uwe. Boven het plafond "
            "mogen wij geen subsidie verlenen (artikel 4:25, tweede lid, van de Algemene wet "
            "bestuursrecht).",
        ),
        (
            RejectionReason.substantive,
            "Wij wijzen uw aanvraag af. Uw aanvraag voldoet inhoudelijk niet aan de eisen van "
            "de Subsidieregeling Zorg & Voorzieningen 2024.",
        ),
        (
            RejectionReason.inadmissible,
            "Wij wijzen uw aanvraag af. Uw aanvraag is niet ontvankelijk: zij voldoet niet aan "
            "de voorwaarden om voor een subsidie uit de Subsidieregeling Zorg & Voorzieningen "
            "2024 in behandeling te worden genomen.",
        ),
    ],
)
@pytest.mark.django_db
def test_a_rejected_letter_gives_its_reason_and_the_objection_term(
    application, officer, tmp_path, reason, expected
):
    decision = decide(application, by=officer, outcome=DecisionOutcome.rejected, reason=reason)

    _rendered, path = render(tmp_path, decision)

    text = pdf_text(path)
    assert "Onderwerp: afwijzing aanvraag subsidie ‘Ontmoetingsruimte in het dorpshuis’" in text
    assert expected in text
    assert "binnen zes weken na de dag van verzending bezwaar maken" in text
    assert "uiterlijk op 25 juni 2024 bij ons binnen zijn" in text
    assert "Wij verlenen" not in text


@pytest.mark.django_db
def test_a_ceiling_rejection_in_a_first_come_scheme_points_to_earlier_applications(
    application, officer, tmp_path
):
    application.scheme.allocation_method = AllocationMethod.first_come
    application.scheme.save()
    decision = decide(
        application,
        by=officer,
        outcome=DecisionOutcome.rejected,
        reason=RejectionReason.ceiling_reached,
    )

    text = pdf_text(render(tmp_path, decision)[1])

    assert "volledig verdeeld over aanvragen die eerder zijn ontvangen dan de uwe." in text


@pytest.mark.django_db
def test_a_letter_not_considering_the_application_names_the_completion_term(
    application, officer, tmp_path
):
    application.completion_deadline = datetime.date(2024, 4, 30)
    application.save()
    decision = decide(application, by=officer, outcome=DecisionOutcome.not_considered)

    text = pdf_text(render(tmp_path, decision)[1])

    assert (
        "Wij nemen uw aanvraag niet in behandeling. Wij hebben u gevraagd uw aanvraag aan te "
        "vullen, uiterlijk op 30 april 2024. Dat is niet (volledig) gebeurd. Daarom stellen wij "
        "uw aanvraag buiten behandeling (artikel 4:5 van de Algemene wet bestuursrecht)."
    ) in text
    assert "uiterlijk op 25 juni 2024 bij ons binnen zijn" in text


@pytest.mark.django_db
def test_a_settlement_below_the_advances_states_the_final_amount_and_the_reclaim(
    application, officer, tmp_path
):
    application.status = ApplicationStatus.settled
    application.granted_amount = Decimal("60000.00")
    application.save()
    Payment.objects.create(
        application=application,
        kind=PaymentKind.advance,
        amount=Decimal("48000.00"),
        paid_on=datetime.date(2024, 6, 3),
    )
    decision = decide(
        application,
        by=officer,
        outcome=DecisionOutcome.settled,
        amount=Decimal("45500.00"),
        decided_on=datetime.date(2025, 3, 4),
    )

    text = pdf_text(render(tmp_path, decision)[1])

    assert "Onderwerp: vaststelling subsidie ‘Ontmoetingsruimte in het dorpshuis’" in text
    assert (
        "Wij stellen de subsidie vast op € 45.500. Wij verleenden u eerder een subsidie van "
        "maximaal € 60.000. U hebt al € 48.000 aan voorschotten ontvangen. U hebt € 2.500 te "
        "veel ontvangen. Dat bedrag vorderen wij van u terug."
    ) in text
    assert "uiterlijk op 15 april 2025 bij ons binnen zijn" in text


@pytest.mark.django_db
def test_the_objection_term_runs_from_the_day_the_letter_is_sent_to_a_working_day(
    application, officer, tmp_path
):
    # Sent on Saturday 30 March 2024: six weeks end on Saturday 11 May, so on Monday 13 May.
    decision = decide(
        application,
        by=officer,
        decided_on=datetime.date(2024, 3, 28),
        sent_on=datetime.date(2024, 3, 30),
    )

    text = pdf_text(render(tmp_path, decision)[1])

    assert "Datum 30 maart 2024" in text
    assert "uiterlijk op 13 mei 2024 bij ons binnen zijn" in text
    assert letters.objection_deadline(decision) == datetime.date(2024, 5, 13)


@pytest.mark.django_db
def test_the_objection_end_recorded_on_the_decision_wins(application, officer, tmp_path):
    decision = decide(application, by=officer, objection_deadline=datetime.date(2024, 7, 1))

    text = pdf_text(render(tmp_path, decision)[1])

    assert "uiterlijk op 1 juli 2024 bij ons binnen zijn" in text


@pytest.mark.django_db
def test_a_corrected_decision_says_which_decision_it_replaces(application, officer, tmp_path):
    first = decide(application, by=officer, outcome=DecisionOutcome.rejected, reason="plafond")
    corrected = decide(
        application, by=officer, supersedes=first, decided_on=datetime.date(2024, 7, 2)
    )

    text = pdf_text(render(tmp_path, corrected)[1])

    assert "Dit besluit vervangt ons besluit van 14 mei 2024 over uw aanvraag (afgewezen)." in text


@pytest.mark.django_db
def test_the_letter_is_tagged_pdf_ua_in_a4_with_only_the_portal_fonts_embedded(
    application, officer, tmp_path
):
    rendered, path = render(tmp_path, decide(application, by=officer))
    reader = PdfReader(io.BytesIO(rendered.data))
    info = pdf_info(path)

    assert info["Tagged"] == "yes"
    assert info["Title"] == "Beschikking ZV-2024-014"
    assert info["Author"] == "Provincie Groningen"
    assert info["Page size"] == "595.276 x 841.89 pts (A4)"
    assert {name for name, _embedded in pdf_fonts(path)} <= OUR_FONTS
    assert {embedded for _name, embedded in pdf_fonts(path)} == {"yes"}
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    assert [item.title for item in reader.outline if not isinstance(item, list)] == [
        "Onderwerp: verlening subsidie ‘Ontmoetingsruimte in het dorpshuis’"
    ]


@pytest.mark.django_db
def test_the_content_hash_follows_the_text_not_the_moment(application, officer):
    decision = decide(application, by=officer)
    before = letters.content_hash(letters.letter_content(decision))

    assert letters.content_hash(letters.letter_content(decision)) == before
    decision.motivation = "Een andere motivering."
    assert letters.content_hash(letters.letter_content(decision)) != before


# --- asking for a letter, the task, immutability ----------------------------------------------


@pytest.mark.django_db
def test_a_decision_made_asks_for_its_letter_once_the_decision_is_committed(
    application, officer, django_capture_on_commit_callbacks
):
    decision = decide(application, by=officer)

    with django_capture_on_commit_callbacks() as on_decision:
        decision_made.send(sender=Decision, decision=decision, by=officer)
    assert DecisionLetter.objects.count() == 0  # nothing before the commit
    with django_capture_on_commit_callbacks() as on_letter:
        for callback in on_decision:
            callback()

    [letter] = decision.letters.all()
    assert (letter.status, letter.requested_by, len(letter.task_id)) == (
        RenderStatus.queued,
        officer,
        36,
    )
    assert len(on_letter) == 1  # the task, sent once the letter is committed
    [entry] = entries_for(application)
    assert (entry.actor, entry.action, entry.changes, entry.reason) == (
        officer,
        AuditAction.create,
        {"beschikking": [None, letter.pk]},
        "Beschikking (pdf) aangevraagd: Verleend",
    )


@pytest.mark.django_db
def test_the_task_stores_the_letter_with_the_sha256_of_its_file(
    application, officer, django_capture_on_commit_callbacks, tmp_path
):
    decision = decide(application, by=officer)

    letter = made_letter(decision, officer, django_capture_on_commit_callbacks)

    data = letter.file.read()
    assert (letter.status, letter.attempts, letter.error_message) == (RenderStatus.ready, 1, "")
    assert letter.file.name.startswith("letters/beschikking-ZV-2024-014-")
    assert letter.sha256 == hashlib.sha256(data).hexdigest()
    assert letter.size == len(data)
    assert letter.page_count == len(PdfReader(io.BytesIO(data)).pages)
    assert letter.content_hash == letters.content_hash(letters.letter_content(decision))
    assert "Wij verlenen u een subsidie van maximaal € 60.000" in pdf_text(write(tmp_path, data))


@pytest.mark.django_db
def test_asking_twice_is_one_letter_and_a_ready_letter_is_never_made_again(
    application, officer, django_capture_on_commit_callbacks
):
    decision = decide(application, by=officer)
    with django_capture_on_commit_callbacks() as callbacks:
        first = letters.request_letter(decision, by=officer)
        second = letters.request_letter(decision, by=officer)
    assert (second.pk, len(callbacks)) == (first.pk, 1)
    letter = run_task(first)
    name, sha256, data = letter.file.name, letter.sha256, letter.file.read()

    with django_capture_on_commit_callbacks() as callbacks:
        again = letters.request_letter(decision, by=officer)
    run_task(letter)  # a late redelivery of its message

    letter.refresh_from_db()
    assert (again.pk, callbacks) == (letter.pk, [])
    assert (letter.file.name, letter.sha256, letter.attempts) == (name, sha256, 1)
    assert letter.file.read() == data
    assert DecisionLetter.objects.count() == 1


@pytest.mark.django_db
def test_a_corrected_decision_gets_a_letter_of_its_own_and_the_old_letter_is_kept(
    application, officer, django_capture_on_commit_callbacks
):
    first = decide(application, by=officer, outcome=DecisionOutcome.rejected, reason="plafond")
    old = made_letter(first, officer, django_capture_on_commit_callbacks)
    old_name, old_sha256, old_data = old.file.name, old.sha256, old.file.read()

    corrected = decide(
        application, by=officer, supersedes=first, decided_on=datetime.date(2024, 7, 2)
    )
    with django_capture_on_commit_callbacks() as on_decision:
        decision_made.send(sender=Decision, decision=corrected, by=officer)
    with django_capture_on_commit_callbacks():
        for callback in on_decision:
            callback()
    new = run_task(corrected.letters.get())

    old.refresh_from_db()
    assert new.pk != old.pk
    assert new.status == RenderStatus.ready
    assert new.file.name != old_name
    assert new.sha256 != old_sha256
    assert (old.status, old.file.name, old.sha256) == (RenderStatus.ready, old_name, old_sha256)
    assert old.file.read() == old_data
    assert hashlib.sha256(old_data).hexdigest() == old_sha256
    assert list(letters.letters_for(application)) == [new, old]


@pytest.mark.django_db
def test_a_failed_letter_can_be_asked_for_again_as_a_new_letter(
    application, officer, django_capture_on_commit_callbacks
):
    decision = decide(application, by=officer)
    failed = DecisionLetter.objects.create(
        decision=decision,
        status=RenderStatus.failed,
        error_message="De beschikking kon niet worden gemaakt (ValueError).",
        task_id="7d3c4a1e-0000-4000-8000-000000000002",
    )

    with django_capture_on_commit_callbacks() as callbacks:
        letter = letters.request_letter(decision, by=officer)

    assert letter.pk != failed.pk
    assert (letter.status, len(callbacks)) == (RenderStatus.queued, 1)


@pytest.mark.django_db
def test_only_a_handler_of_the_scheme_may_ask_for_a_letter(application, officer):
    decision = decide(application, by=officer)

    for user in (SubsidyOfficerFactory(), ProgrammeManagerFactory(), AdministratorFactory()):
        with pytest.raises(PermissionDenied):
            letters.request_letter(decision, by=user)
    assert DecisionLetter.objects.count() == 0


@pytest.mark.django_db
def test_a_storage_that_keeps_failing_is_retried_then_fails_the_letter_in_dutch(
    application, officer, django_capture_on_commit_callbacks, settings, tmp_path
):
    # The storage location is a file: every save raises an OSError (NotADirectoryError).
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(blocked)}},
    }
    with django_capture_on_commit_callbacks():
        letter = letters.request_letter(decide(application, by=officer), by=officer)

    letter = run_task(letter)  # eager: the retries run at once, one inside the other

    assert (letter.status, letter.attempts, letter.file.name) == (
        RenderStatus.failed,
        services.MAX_ATTEMPTS,
        "",
    )
    assert letter.error_message == "Het maken is mislukt door een storing (NotADirectoryError)."


@pytest.mark.django_db
def test_the_sweeper_requeues_a_letter_that_lost_its_worker(
    application, officer, django_capture_on_commit_callbacks
):
    decision = decide(application, by=officer)
    lost = DecisionLetter.objects.create(
        decision=decision,
        status=RenderStatus.rendering,
        attempts=1,
        started_at=timezone.now() - datetime.timedelta(minutes=5),
        task_id="7d3c4a1e-0000-4000-8000-000000000003",
    )

    with django_capture_on_commit_callbacks() as callbacks:
        assert services.sweep_stuck_jobs() == (1, 0)

    lost.refresh_from_db()
    assert (lost.status, len(callbacks)) == (RenderStatus.queued, 1)
    assert lost.task_id != "7d3c4a1e-0000-4000-8000-000000000003"
    assert run_task(lost).status == RenderStatus.ready


def test_the_letter_task_runs_on_the_pdf_queue_late_acked_within_time_limits(settings):
    assert settings.CELERY_TASK_ROUTES["subsidies.tasks.render_decision_letter"] == {"queue": "pdf"}
    assert render_decision_letter.name == "subsidies.tasks.render_decision_letter"
    assert (render_decision_letter.acks_late, render_decision_letter.reject_on_worker_lost) == (
        True,
        True,
    )
    assert render_decision_letter.soft_time_limit < render_decision_letter.time_limit
    # acks_late: the broker must not hand a running letter to a second worker.
    assert render_decision_letter.time_limit < settings.CELERY_BROKER_TRANSPORT_OPTIONS.get(
        "visibility_timeout", 3600
    )


# --- through Redis and a real worker ----------------------------------------------------------


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_decision_gets_its_letter_from_the_worker_on_the_pdf_queue(live_celery_worker, tmp_path):
    officer = SubsidyOfficerFactory(first_name="Bram", last_name="Mulder")
    application = ApplicationFactory(
        reference="ZV-2024-015", tender=TenderFactory(scheme=SchemeFactory(handlers=[officer]))
    )

    with transaction.atomic():  # as the deciding domain function does
        decision = decide(
            application, by=officer, outcome=DecisionOutcome.rejected, reason="inhoudelijk"
        )
        decision_made.send(sender=Decision, decision=decision, by=officer)

    deadline = time.monotonic() + 60
    letter = None
    while time.monotonic() < deadline:
        letter = decision.letters.first()
        if letter is not None and letter.status in (RenderStatus.ready, RenderStatus.failed):
            break
        time.sleep(0.2)
    assert letter is not None and letter.status == RenderStatus.ready, letter
    data = letter.file.read()
    assert letter.sha256 == hashlib.sha256(data).hexdigest()
    text = pdf_text(write(tmp_path, data))
    assert "Wij wijzen uw aanvraag af." in text
    assert "binnen zes weken na de dag van verzending bezwaar maken" in text
    assert "uiterlijk op 25 juni 2024 bij ons binnen zijn" in text


# --- the pages: status, download, asking again ------------------------------------------------


@pytest.fixture
def people(application, officer):
    reviewer = ReviewerFactory()
    ReviewFactory(application=application, reviewer=reviewer, conflict_of_interest=False)
    conflicted = ReviewerFactory()
    ReviewFactory(application=application, reviewer=conflicted, conflicted=True)
    return {
        "handler": officer,
        "programme manager": ProgrammeManagerFactory(),
        "administrator": AdministratorFactory(),
        "reviewer": reviewer,
        "conflicted reviewer": conflicted,
        "other officer": SubsidyOfficerFactory(),
        "unassigned reviewer": ReviewerFactory(),
        "coordinator": CoordinatorFactory(),
        "no role": UserFactory(),
    }


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("handler", 200),
        ("programme manager", 200),
        ("administrator", 200),
        ("reviewer", 200),
        ("conflicted reviewer", 404),
        ("other officer", 404),
        ("unassigned reviewer", 404),
        ("coordinator", 404),
        ("no role", 404),
    ],
)
@pytest.mark.django_db
def test_who_may_download_a_letter_and_see_its_status(
    client, application, officer, people, who, status
):
    letter = ready_letter(decide(application, by=officer))
    client.force_login(people[who])

    download = client.get(reverse("subsidies:letter-download", args=[letter.pk]))
    page = client.get(reverse("subsidies:letter-status", args=[letter.pk]))

    assert (download.status_code, page.status_code) == (status, status)


@pytest.mark.django_db
def test_a_download_is_the_stored_file_with_its_name_and_is_audited(client, application, officer):
    letter = ready_letter(decide(application, by=officer), data=b"%PDF-1.7 de beschikking")
    client.force_login(officer)

    response = client.get(reverse("subsidies:letter-download", args=[letter.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 de beschikking"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="beschikking-ZV-2024-014-2024-05-14.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    [entry] = entries_for(application)
    assert (entry.actor, entry.action, entry.changes, entry.reason) == (
        officer,
        AuditAction.view,
        {"beschikking": [None, letter.pk]},
        "Beschikking (pdf) gedownload",
    )


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_log_in(client, application, officer):
    letter = ready_letter(decide(application, by=officer))

    response = client.get(reverse("subsidies:letter-download", args=[letter.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_a_letter_not_ready_has_no_download(client, application, officer):
    letter = DecisionLetter.objects.create(
        decision=decide(application, by=officer), task_id="7d3c4a1e-0000-4000-8000-000000000004"
    )
    client.force_login(officer)

    response = client.get(reverse("subsidies:letter-download", args=[letter.pk]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_the_status_page_of_a_pending_letter_follows_it_without_inline_script(
    client, application, officer
):
    letter = DecisionLetter.objects.create(
        decision=decide(application, by=officer), task_id="7d3c4a1e-0000-4000-8000-000000000005"
    )
    client.force_login(officer)
    url = reverse("subsidies:letter-status", args=[letter.pk])

    page = client.get(url)
    json = client.get(url, {"format": "json"})

    html = page.content.decode()
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in html
    assert f'data-job-status-url="{url}?format=json"' in html
    assert "js/job-progress.js" in html
    assert "<script>" not in html
    assert json.json() == {
        "pending": True,
        "status": "queued",
        "status_display": "In de wachtrij",
    }


@pytest.mark.django_db
def test_the_status_page_of_a_ready_letter_links_the_download_and_shows_the_hash(
    client, application, officer
):
    letter = ready_letter(decide(application, by=officer))
    client.force_login(officer)

    html = client.get(reverse("subsidies:letter-status", args=[letter.pk])).content.decode()

    assert reverse("subsidies:letter-download", args=[letter.pk]) in html
    assert letter.sha256 in html
    assert "http-equiv" not in html


@pytest.mark.django_db
def test_asking_again_for_a_failed_letter_makes_a_new_one(
    client, application, officer, django_capture_on_commit_callbacks
):
    decision = decide(application, by=officer)
    failed = DecisionLetter.objects.create(
        decision=decision, status=RenderStatus.failed, task_id="7d3c4a1e-0000-4000-8000-0006"
    )
    client.force_login(officer)

    status_page = client.get(reverse("subsidies:letter-status", args=[failed.pk]))
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("subsidies:letter-request", args=[decision.pk]))

    new = decision.letters.exclude(pk=failed.pk).get()
    assert "Opnieuw maken" in status_page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("subsidies:letter-status", args=[new.pk])
    assert (new.status, len(callbacks)) == (RenderStatus.queued, 1)


@pytest.mark.django_db
def test_asking_for_a_ready_letter_again_leads_to_the_same_letter(client, application, officer):
    decision = decide(application, by=officer)
    letter = ready_letter(decision)
    client.force_login(officer)

    response = client.post(reverse("subsidies:letter-request", args=[decision.pk]), follow=True)

    assert response.redirect_chain == [(reverse("subsidies:letter-status", args=[letter.pk]), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Deze beschikking is al gemaakt; een gemaakte beschikking blijft ongewijzigd."
    ]
    assert DecisionLetter.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("programme manager", 403),
        ("administrator", 403),
        ("reviewer", 403),
        ("conflicted reviewer", 404),
        ("other officer", 404),
        ("coordinator", 404),
    ],
)
@pytest.mark.django_db
def test_only_the_handler_may_ask_for_a_letter_again(
    client, application, officer, people, who, status
):
    decision = decide(application, by=officer)
    client.force_login(people[who])

    response = client.post(reverse("subsidies:letter-request", args=[decision.pk]))

    assert response.status_code == status
    assert DecisionLetter.objects.count() == 0


# --- the list on the application page ---------------------------------------------------------


def render_part(application, user):
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "subsidies/_letters.html", {"application": application, "request": request}
    )


@pytest.mark.django_db
def test_the_application_page_lists_its_letters_newest_first(
    application, officer, django_assert_num_queries
):
    first = decide(application, by=officer, outcome=DecisionOutcome.rejected, reason="plafond")
    old = ready_letter(first, data=b"%PDF-1.7 eerste")
    corrected = decide(
        application, by=officer, supersedes=first, decided_on=datetime.date(2024, 7, 2)
    )
    pending = DecisionLetter.objects.create(
        decision=corrected, task_id="7d3c4a1e-0000-4000-8000-000000000007"
    )

    # The officer's roles and schemes are read once per request, before this part.
    handled_scheme_ids(officer)

    # The letters and the decisions.
    with django_assert_num_queries(2):
        html = render_part(application, officer)

    assert html.index("Verleend €\xa060.000") < html.index("Afgewezen (subsidieplafond bereikt)")
    assert "vervangt het besluit van 14 mei 2024" in html
    assert f"<code>{old.sha256[:12]}</code>" in html
    assert reverse("subsidies:letter-download", args=[old.pk]) in html
    assert reverse("subsidies:letter-status", args=[pending.pk]) in html
    assert "Beschikking maken" not in html


@pytest.mark.django_db
def test_a_decision_without_a_letter_can_be_given_one_by_its_handler(application, officer):
    decision = decide(application, by=officer)
    request_url = reverse("subsidies:letter-request", args=[decision.pk])

    for_handler = render_part(application, officer)
    for_manager = render_part(application, ProgrammeManagerFactory())

    assert "heeft nog geen beschikking" in for_handler
    assert request_url in for_handler
    assert "heeft nog geen beschikking" in for_manager
    assert request_url not in for_manager


@pytest.mark.django_db
def test_an_application_without_decisions_has_no_letters_yet(application):
    html = render_part(application, AnonymousUser())

    assert "Er is nog geen besluit genomen, en dus nog geen beschikking." in html
