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
from reports.models import Factsheet, FactsheetBatch, RenderedFactsheet
from subsidies.models import (
    Application,
    Attachment,
    BudgetLine,
    Criterion,
    Decision,
    DecisionLetter,
    Lottery,
    Objection,
    Payment,
    ReferenceSequence,
    Review,
    Scheme,
    Score,
    Tender,
)
from tests.factories import AdministratorFactory

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
    decision = Decision.objects.create(
        application=application, outcome="verleend", amount=90000, decided_on=today
    )
    Objection.objects.create(application=application, decision=decision, received_on=today)
    DecisionLetter.objects.create(decision=decision)
    Lottery.objects.create(
        tender=tender,
        algorithm="sha256-sort-v1",
        seed_sha256="0" * 64,
        tied=[],
        remaining_budget=Decimal("0"),
    )
    ReferenceSequence.objects.create(scheme=scheme, year=2024, last=1)
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
    FactsheetBatch.objects.create(
        umbrella=umbrella, status="ready", file="factsheets/terugblik.pdf", done=1, total=1
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
        "Het plafond kan niet lager zijn dan het al verleende bedrag: €\xa090.000,00."
    ]
    tender.refresh_from_db()
    assert tender.ceiling == Decimal("750000")


# --- what the Beheerder reads: Dutch amounts, Dutch sentences, coordinators where expected ---


def test_amounts_in_lists_are_in_euros_with_thousands_grouped(client, superuser, one_of_everything):
    Programme.objects.filter(slug="klei-impuls").update(budget=Decimal("6400000"))

    programmes = client.get(admin_url(Programme, "changelist")).content.decode()
    applications = client.get(admin_url(Application, "changelist")).content.decode()
    tenders = client.get(admin_url(Tender, "changelist")).content.decode()

    assert '<td class="field-budget_in_euro">€\xa06.400.000,00</td>' in programmes
    assert '<td class="field-requested_amount_in_euro">€\xa0100.000,00</td>' in applications
    assert '<td class="field-granted_amount_in_euro">€\xa090.000,00</td>' in applications
    assert '<td class="field-ceiling_in_euro">€\xa0750.000,00</td>' in tenders
    assert "6400000" not in programmes


def test_read_only_amounts_are_in_euros(client, superuser, one_of_everything):
    application = Application.objects.get()
    decision = Decision.objects.get()

    application_page = client.get(admin_url(Application, "change", application.pk))
    decision_page = client.get(admin_url(Decision, "change", decision.pk))

    granted = application_page.context["adminform"].form  # the field is not in the form
    assert "granted_amount" not in granted.fields
    assert '<div class="readonly">€\xa090.000,00</div>' in application_page.content.decode()
    assert '<div class="readonly">€\xa090.000,00</div>' in decision_page.content.decode()


def test_target_values_are_grouped_without_empty_cents(client, superuser, one_of_everything):
    Target.objects.update(target_value=Decimal("2300000"))

    html = client.get(admin_url(Target, "changelist")).content.decode()

    assert '<td class="field-target_value_formatted">2.300.000</td>' in html


def test_adding_a_programme_says_het_programma(client, superuser, one_of_everything):
    response = client.post(
        admin_url(Programme, "add"),
        {
            "name": "Op Koers",
            "slug": "op-koers",
            "status": "lopend",
            "lead_organisation": Organisation.objects.get(name="Stichting KomOp!").pk,
            "has_participants": "on",
            **{
                f"{prefix}-{key}": value
                for prefix in ("partnerships", "tracks", "targets")
                for key, value in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0}.items()
            },
        },
        follow=True,
    )

    programme = Programme.objects.get(slug="op-koers")
    assert [str(m) for m in response.context["messages"]] == [
        f'Het programma ‘<a href="{admin_url(Programme, "change", programme.pk)}">Op Koers</a>’ '
        "is met succes toegevoegd."
    ]


def test_changing_a_programme_says_het_programma_and_u_kunt_het(
    client, superuser, one_of_everything
):
    track = Track.objects.get()

    response = client.post(
        admin_url(Track, "change", track.pk),
        {"programme": track.programme_id, "name": "Goed werknemer", "order": 0, "_continue": "1"},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        f'Het traject ‘<a href="{admin_url(Track, "change", track.pk)}">Goed werknemer</a>’ '
        "is met succes gewijzigd. U kunt het hieronder nogmaals bewerken."
    ]


def test_changing_a_municipality_keeps_de(client, superuser, one_of_everything):
    hogeland = Municipality.objects.get()

    response = client.post(
        admin_url(Municipality, "change", hogeland.pk),
        {"name": "Het Hogeland", "cbs_code": "GM1966", "province": "groningen"},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        f'De gemeente ‘<a href="{admin_url(Municipality, "change", hogeland.pk)}">'
        "Het Hogeland</a>’ is met succes gewijzigd."
    ]


@pytest.fixture
def coordinator_and_officer():
    from tests.factories import CoordinatorFactory, SubsidyOfficerFactory

    return (
        CoordinatorFactory(username="anouk", first_name="Anouk", last_name="Hazenberg"),
        SubsidyOfficerFactory(username="ruben", first_name="Ruben", last_name="Zuidema"),
    )


def test_programme_coordinator_field_offers_only_coordinators(
    client, superuser, one_of_everything, coordinator_and_officer
):
    response = client.get(
        "/beheer/autocomplete/",
        {"app_label": "programmes", "model_name": "programme", "field_name": "members", "term": ""},
    )

    assert [row["text"] for row in response.json()["results"]] == ["anouk"]


def test_programme_coordinator_field_refuses_a_user_without_the_role(
    client, superuser, one_of_everything, coordinator_and_officer
):
    coordinator, officer = coordinator_and_officer
    programme = Programme.objects.get()
    request = RequestFactory().get("/")
    request.user = superuser
    form_class = admin.site._registry[Programme].get_form(request, programme, change=True)

    field = form_class(instance=programme).fields["members"]

    assert list(field.queryset) == [coordinator]
    assert field.valid_value(officer.pk) is False


def test_user_page_lists_the_programmes_the_user_coordinates(
    client, superuser, one_of_everything, coordinator_and_officer
):
    coordinator, _officer = coordinator_and_officer
    programme = Programme.objects.get()
    programme.members.add(coordinator)

    response = client.get(admin_url(User, "change", coordinator.pk))

    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is Programme.members.through
    )
    assert [form.instance.programme.name for form in formset.forms if form.instance.pk] == [
        "Klei Impuls"
    ]
    html = response.content.decode()
    assert "Programma&#x27;s als coördinator" in html
    assert "anouk – Klei Impuls" in html
    assert "Programme_members object" not in html


def post_user_page(client, user, memberships):
    """Post the user's admin page unchanged but for the programme rows ``memberships``."""
    page = client.get(admin_url(User, "change", user.pk))
    data = {
        name: value
        for name, value in page.context["adminform"].form.initial.items()
        if name in ("username", "first_name", "last_name", "email", "is_active")
    }
    prefix = next(
        inline.formset.prefix
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is Programme.members.through
    )

    rows = {
        f"{prefix}-{index}-{name}": value
        for index, row in enumerate(memberships)
        for name, value in row.items()
    }
    initial = sum(1 for row in memberships if "id" in row)
    return client.post(
        admin_url(User, "change", user.pk),
        {
            **data,
            "groups": [g.pk for g in user.groups.all()],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "01-03-2024",
            "date_joined_1": "09:00:00",
            f"{prefix}-TOTAL_FORMS": len(memberships),
            f"{prefix}-INITIAL_FORMS": initial,
            **rows,
        },
    )


def test_user_page_adds_a_programme_to_a_coordinator(
    client, superuser, one_of_everything, coordinator_and_officer
):
    coordinator, _officer = coordinator_and_officer
    programme = Programme.objects.get()

    post_user_page(client, coordinator, [{"programme": programme.pk}])

    assert list(coordinator.programmes.values_list("slug", flat=True)) == ["klei-impuls"]
    entry = AuditEntry.objects.get(object_id=str(coordinator.pk), action=AuditAction.update)
    assert (entry.actor, entry.changes, entry.reason) == (
        superuser,
        {"programma's als coördinator": {"toegevoegd": ["Klei Impuls"], "verwijderd": []}},
        "via het beheer",
    )


def test_permissions_are_labelled_in_dutch(client, superuser):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="Proef")

    field = (
        client.get(admin_url(Group, "change", group.pk)).context["adminform"].form["permissions"]
    )

    labels = [label for _value, label in field.field.choices]
    assert "Programma's | programma | toevoegen" in labels
    assert "Feitenbladen | feitenblad | bekijken" in labels
    assert not [label for label in labels if "Can " in label]


def test_user_roles_are_checkboxes_and_the_list_shows_them(
    client, superuser, coordinator_and_officer
):
    coordinator, _officer = coordinator_and_officer

    change = client.get(admin_url(User, "change", coordinator.pk)).content.decode()
    changelist = client.get(admin_url(User, "changelist")).content.decode()

    assert 'type="checkbox" name="groups"' in change
    assert '<td class="field-roles">Coördinator</td>' in changelist


def test_user_add_page_explains_itself_in_dutch(client, superuser):
    html = client.get(admin_url(User, "add")).content.decode()

    assert "After you’ve created a user" not in html
    assert (
        "Na het aanmaken kunt u de overige gegevens van de gebruiker invullen: naam, "
        "e-mailadres, rollen en programma's."
    ) in html


def test_user_page_removes_a_programme_and_audits_it(
    client, superuser, one_of_everything, coordinator_and_officer
):
    coordinator, _officer = coordinator_and_officer
    programme = Programme.objects.get()
    programme.members.add(coordinator)
    membership = Programme.members.through.objects.get(user=coordinator)

    post_user_page(
        client,
        coordinator,
        [
            {
                "id": membership.pk,
                "user": coordinator.pk,
                "programme": programme.pk,
                "DELETE": "on",
            }
        ],
    )

    assert list(coordinator.programmes.all()) == []
    entry = AuditEntry.objects.get(object_id=str(coordinator.pk), action=AuditAction.update)
    assert entry.changes == {
        "programma's als coördinator": {"toegevoegd": [], "verwijderd": ["Klei Impuls"]}
    }


# --- the Beheerder is no superuser and cannot become one ---------------------------------------


@pytest.fixture
def functional_administrator(client):
    """As load_demo makes the Beheerder: staff, with the Beheerder group's model permissions."""
    user = AdministratorFactory(is_staff=True)
    client.force_login(user)
    return user


def test_the_beheerder_cannot_make_itself_superuser(client, functional_administrator):
    user = functional_administrator
    url = admin_url(User, "change", user.pk)

    page = client.get(url)
    client.post(
        url,
        {
            "username": user.username,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": list(user.groups.values_list("pk", flat=True)),
            "date_joined_0": "01-01-2026",
            "date_joined_1": "09:00:00",
            "programme_members-TOTAL_FORMS": "0",
            "programme_members-INITIAL_FORMS": "0",
        },
    )

    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    user.refresh_from_db()
    assert user.is_superuser is False


def test_the_beheerder_cannot_change_or_delete_a_superuser(
    client, functional_administrator, django_user_model
):
    root = django_user_model.objects.create_superuser("root-account", password="x" * 20)

    change = client.post(admin_url(django_user_model, "change", root.pk), {"username": "taken"})
    delete = client.post(admin_url(django_user_model, "delete", root.pk), {"post": "yes"})

    assert (change.status_code, delete.status_code) == (403, 403)
    root.refresh_from_db()
    assert root.username == "root-account"
