"""The Django admin ("beheer"): every model registered, every page opens, lifecycle fields
read-only, personal data access audited."""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from participants.models import (
    Consent,
    Enrolment,
    GroupActivity,
    LadderStep,
    Participant,
    ParticipantImport,
    ProgressEntry,
)
from programmes.models import (
    Municipality,
    Organisation,
    Programme,
    ProgrammeLine,
    ProgrammePartner,
    Target,
    Track,
    UmbrellaProgramme,
)
from regioportal.audit import record
from regioportal.models import AuditAction, AuditEntry
from reports.models import Factsheet, RenderedFactsheet
from subsidies.models import (
    Application,
    Attachment,
    BudgetLine,
    Criterion,
    Decision,
    Payment,
    Review,
    Scheme,
    Score,
    Tender,
)

pytestmark = pytest.mark.django_db

APPS = {"regioportal", "programmes", "participants", "subsidies", "reports"}


@pytest.fixture
def superuser(client):
    user = User.objects.create_superuser("eva", "eva@example.org", "een-lang-wachtwoord")
    client.force_login(user)
    return user


@pytest.fixture
def one_of_everything(superuser):
    """One row of every model in the five apps, linked the way the portal links them."""
    today = datetime.date(2024, 3, 1)
    now = timezone.now()
    hogeland = Municipality.objects.create(
        name="Het Hogeland", cbs_code="GM1966", province="groningen"
    )
    province = Organisation.objects.create(name="Provincie Groningen", kind="provincie")
    komop = Organisation.objects.create(
        name="Stichting KomOp!", kind="stichting", municipality=hogeland
    )
    umbrella = UmbrellaProgramme.objects.create(
        slug="leefbaarheidsprogramma-2020-2023",
        name="Leefbaarheidsprogramma 2020-2023",
        owner=province,
    )
    line = ProgrammeLine.objects.create(
        umbrella=umbrella, slug="sociale-agenda", name="Sociale Agenda"
    )
    programme = Programme.objects.create(
        slug="klei-impuls", name="Klei Impuls", umbrella=umbrella, lead_organisation=komop
    )
    programme.lines.add(line)
    programme.members.add(superuser)
    ProgrammePartner.objects.create(programme=programme, organisation=komop, role="penvoerder")
    track = Track.objects.create(programme=programme, name="Talentontwikkeling")
    Target.objects.create(
        programme=programme, name="Pilot", metric="enrolments_started", target_value=10
    )
    participant = Participant.objects.create(reference="D0001", first_name="Sanne", last_name="Bos")
    Consent.objects.create(participant=participant, given_on=today, purpose="Begeleiding")
    enrolment = Enrolment.objects.create(
        participant=participant, programme=programme, track=track, start_date=today
    )
    LadderStep.objects.create(enrolment=enrolment, level=3, recorded_on=today)
    activity = GroupActivity.objects.create(
        programme=programme, kind="workshop", title="Sollicitatietraining", date=today
    )
    ProgressEntry.objects.create(
        enrolment=enrolment, kind="workshop", date=today, group_activity=activity
    )
    ParticipantImport.objects.create(
        programme=programme, file="imports/deelnemers.csv", original_name="deelnemers.csv"
    )
    scheme = Scheme.objects.create(code="ZV", name="Zorg & Voorzieningen", line=line)
    criterion = Criterion.objects.create(scheme=scheme, name="Draagvlak")
    tender = Tender.objects.create(
        scheme=scheme,
        name="Tender voorjaar",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30),
        ceiling=Decimal("750000"),
    )
    application = Application.objects.create(
        reference="ZV-001",
        scheme=scheme,
        tender=tender,
        applicant=komop,
        contact_name="Jan Hof",
        contact_email="jan@example.org",
        title="Dorpshuis",
        requested_amount=Decimal("100000"),
        granted_amount=Decimal("90000"),
        status="verleend",
        received_on=today,
        decision_deadline=today + datetime.timedelta(weeks=8),
    )
    BudgetLine.objects.create(application=application, description="Verbouwing", amount=100000)
    review = Review.objects.create(application=application, reviewer=superuser)
    Score.objects.create(review=review, criterion=criterion, points=8)
    Decision.objects.create(
        application=application, outcome="verleend", amount=90000, decided_on=today
    )
    Payment.objects.create(application=application, kind="voorschot", amount=45000, paid_on=today)
    Attachment.objects.create(
        application=application,
        kind="projectplan",
        file="applications/ZV-001/plan.pdf",
        original_name="plan.pdf",
        content_type="application/pdf",
        size=1234,
    )
    factsheet = Factsheet.objects.create(
        kind="uitgelicht", programme=programme, title="Klei Impuls"
    )
    RenderedFactsheet.objects.create(
        factsheet=factsheet, status="ready", file="factsheets/klei-impuls.pdf"
    )
    record(actor=superuser, obj=application, action=AuditAction.status)
    # A role group: a transactional test on the same worker may have emptied the migration's.
    Group.objects.get_or_create(name="Beheerder")


def registered_models():
    return sorted(
        (model._meta.label, model, model_admin)
        for model, model_admin in admin.site._registry.items()
    )


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_model_of_the_five_apps_is_registered():
    from django.apps import apps

    ours = {model for model in apps.get_models() if model._meta.app_label in APPS}

    assert ours - set(admin.site._registry) == set()


def test_admin_site_is_called_regioportal_beheer(client, superuser):
    response = client.get("/beheer/")

    assert response.status_code == 200
    assert "<title>Beheer | Regioportal beheer</title>" in response.content.decode()


@pytest.mark.parametrize("label", [label for label, _, _ in registered_models()])
def test_changelist_add_and_change_pages_open_for_a_superuser(
    client, superuser, one_of_everything, label
):
    model, model_admin = next((m, a) for lbl, m, a in registered_models() if lbl == label)
    request = RequestFactory().get("/beheer/")
    request.user = superuser
    instance = model._default_manager.order_by("pk").first()

    changelist = client.get(admin_url(model, "changelist"))
    add = client.get(admin_url(model, "add"))
    change = client.get(admin_url(model, "change", instance.pk))

    assert changelist.status_code == 200
    assert add.status_code == (200 if model_admin.has_add_permission(request) else 403)
    assert change.status_code == 200


def test_changelist_search_works_on_every_admin_with_search_fields(
    client, superuser, one_of_everything
):
    for _, model, model_admin in registered_models():
        if model_admin.search_fields:
            response = client.get(admin_url(model, "changelist"), {"q": "a"})
            assert response.status_code == 200, model._meta.label


def test_admin_is_closed_to_a_user_who_is_not_staff(client):
    client.force_login(User.objects.create_user("anna", password="een-lang-wachtwoord"))

    response = client.get("/beheer/")

    assert response.status_code == 302
    assert response["Location"] == "/beheer/login/?next=/beheer/"


def test_audit_log_is_read_only(client, superuser, one_of_everything):
    entry = AuditEntry.objects.get(action=AuditAction.status)

    add = client.get(admin_url(AuditEntry, "add"))
    change = client.post(admin_url(AuditEntry, "change", entry.pk), {"reason": "weg ermee"})
    delete = client.get(admin_url(AuditEntry, "delete", entry.pk))

    assert add.status_code == 403
    assert change.status_code == 403
    assert delete.status_code == 403
    entry.refresh_from_db()
    assert entry.reason == ""


def test_application_lifecycle_fields_cannot_be_edited_in_the_admin(
    client, superuser, one_of_everything
):
    application = Application.objects.get()

    html = client.get(admin_url(Application, "change", application.pk)).content.decode()

    for field in ("status", "granted_amount", "decided_on", "rank", "lottery_number"):
        assert f'name="{field}"' not in html
    assert 'name="title"' in html


def test_opening_a_participant_in_the_admin_is_written_to_the_audit_log(
    client, superuser, one_of_everything
):
    participant = Participant.objects.get()

    client.get(admin_url(Participant, "change", participant.pk))

    entry = AuditEntry.objects.filter(object_id=str(participant.pk), action=AuditAction.view).get()
    assert (entry.actor, entry.object_repr, entry.reason) == (
        superuser,
        "Sanne Bos (D0001)",
        "via het beheer",
    )


def test_tender_ceiling_cannot_drop_below_the_amount_granted(client, superuser, one_of_everything):
    tender = Tender.objects.get()
    local = timezone.localtime

    response = client.post(
        admin_url(Tender, "change", tender.pk),
        {
            "scheme": tender.scheme_id,
            "name": tender.name,
            "opens_at_0": local(tender.opens_at).strftime("%d-%m-%Y"),
            "opens_at_1": local(tender.opens_at).strftime("%H:%M:%S"),
            "closes_at_0": local(tender.closes_at).strftime("%d-%m-%Y"),
            "closes_at_1": local(tender.closes_at).strftime("%H:%M:%S"),
            "ceiling": "80000",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["ceiling"] == [
        "Het plafond kan niet lager zijn dan het al verleend bedrag: € 90000.00."
    ]
    tender.refresh_from_db()
    assert tender.ceiling == Decimal("750000")
