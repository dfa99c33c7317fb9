"""The base UI: login, the page frame, the home dashboard per role, error pages, formatting.

Objects are made with the ORM in small local helpers, so these tests need nothing else."""

import datetime
import re
from decimal import Decimal
from html import unescape

import django_tables2 as tables
import pytest
from django import forms
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, Group, User
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone, translation

from participants.enums import EnrolmentStatus
from participants.models import Enrolment, Participant, ProgressEntry
from programmes.models import Municipality, Organisation, Programme
from regioportal import views
from regioportal.roles import Role
from regioportal.templatetags.portal import euro, euro_short, number, percent, percent_of
from reports.models import Factsheet
from subsidies.models import Application, Review, Scheme, Tender

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-wachtwoord"


# Helpers -------------------------------------------------------------------------------


def make_user(username, *roles, **fields):
    fields.setdefault("first_name", username.capitalize())
    user = User.objects.create_user(username=username, password=PASSWORD, **fields)
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def make_programme(name, *, status="lopend", members=()):
    organisation, _ = Organisation.objects.get_or_create(name="Stichting KomOp!", kind="stichting")
    programme = Programme.objects.create(
        slug=name.lower().replace(" ", "-"),
        name=name,
        lead_organisation=organisation,
        status=status,
    )
    programme.members.add(*members)
    return programme


def enrol(programme, number, *, status="actief"):
    participant = Participant.objects.create(
        reference=f"D{number:04d}", first_name=f"Voornaam{number}", last_name=f"Achternaam{number}"
    )
    return Enrolment.objects.create(
        participant=participant,
        programme=programme,
        status=status,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 6, 1) if status in EnrolmentStatus.closed() else None,
    )


def make_application(number, scheme, *, tender=None, status="ontvangen", deadline, **fields):
    fields.setdefault("requested_amount", Decimal("300000"))
    applicant, _ = Organisation.objects.get_or_create(name="Dorpsbelang Warffum", kind="vereniging")
    return Application.objects.create(
        reference=f"ZV-{number:03d}",
        scheme=scheme,
        tender=tender,
        applicant=applicant,
        contact_name="Jan Hof",
        contact_email="jan@example.org",
        title=f"Project {number}",
        status=status,
        received_on=deadline - datetime.timedelta(weeks=8),
        decision_deadline=deadline,
        **fields,
    )


def page(client, url="/"):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def texts(html, tag):
    """The text content of every ``<tag>`` element, whitespace collapsed."""
    found = re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", html, flags=re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", item)).split()) for item in found]


def key_figures(html):
    """``{label: value}`` of the key figures (``<dt>``/``<dd>`` pairs in .key-figure)."""
    pairs = re.findall(
        r'<div class="key-figure[^"]*"><dt>(.*?)</dt><dd>(.*?)</dd></div>', html, flags=re.S
    )
    return {unescape(label): unescape(value) for label, value in pairs}


# Login, logout, frame --------------------------------------------------------------------


def test_login_page_is_dutch_with_labelled_fields_and_autocomplete(client):
    html = page(client, "/inloggen/")

    assert '<html lang="nl">' in html
    assert texts(html, "h1") == ["Inloggen"]
    assert '<label class="field__label" for="id_username">Gebruikersnaam</label>' in html
    assert '<label class="field__label" for="id_password">Wachtwoord</label>' in html
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html


def test_bad_login_shows_the_dutch_error(client):
    make_user("anna", Role.coordinator)

    response = client.post("/inloggen/", {"username": "anna", "password": "fout"})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<div class="error-summary" role="alert">' in html
    assert texts(html, "p")[1] == "Gebruikersnaam of wachtwoord onjuist."


def test_good_login_goes_to_the_home_page(client):
    make_user("anna", Role.coordinator)

    response = client.post("/inloggen/", {"username": "anna", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/inloggen/?next=/"


def test_logout_takes_a_post_and_returns_to_login(client):
    client.force_login(make_user("anna", Role.coordinator))

    assert client.get("/uitloggen/").status_code == 405
    response = client.post("/uitloggen/")

    assert response.status_code == 302
    assert response["Location"] == "/inloggen/"
    assert client.get("/").status_code == 302


def test_page_frame_has_landmarks_user_menu_and_language_switch(client):
    client.force_login(make_user("anna", Role.coordinator, last_name="de Vries"))

    html = page(client)

    assert '<a class="skip-link" href="#main">Direct naar de inhoud</a>' in html
    assert '<header class="site-header">' in html
    assert '<main id="main" class="container" tabindex="-1">' in html
    assert '<footer class="site-footer">' in html
    assert len(texts(html, "h1")) == 1
    assert '<div class="messages" role="status">' in html
    assert texts(html, "span")[:2] == ["Regioportal", "Provincie Groningen"]
    assert '<span class="user-menu__name">Anna de Vries</span>' in html
    assert '<span class="user-menu__roles">Coördinator</span>' in html
    assert '<form method="post" action="/uitloggen/">' in html
    assert 'name="language" value="en" lang="en">English</button>' in html


def test_main_menu_shows_the_work_of_the_role_and_marks_the_current_page(client):
    client.force_login(make_user("anna", Role.coordinator))

    html = page(client)

    nav = re.search(r'<nav class="main-nav" aria-label="Hoofdmenu">(.*?)</nav>', html, re.S)
    assert texts(nav.group(1), "a") == ["Overzicht", "Programma's", "Deelnemers", "Feitenbladen"]
    assert '<a class="main-nav__link" href="/" aria-current="page">Overzicht</a>' in nav.group(1)


def test_language_switch_shows_the_english_translation(client):
    client.force_login(make_user("anna", Role.coordinator))

    response = client.post("/taal/", {"language": "en", "next": "/"})
    html = page(client)

    assert response.status_code == 302
    assert '<html lang="en">' in html
    assert texts(html, "h1") == ["Welcome, Anna"]
    assert 'name="language" value="nl" lang="nl">Nederlands</button>' in html


@pytest.mark.parametrize("url", ["/inloggen/", "/", "/programmes/", "/bestaat-niet/"])
def test_pages_send_the_csp_and_have_no_inline_script_or_style(client, url):
    client.force_login(make_user("pm", Role.programme_manager))
    make_programme("Op Koers")

    response = client.get(url)
    html = response.content.decode()

    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert re.findall(r"<style\b", html) == []
    assert re.findall(r"\sstyle=", html) == []


# Error pages ---------------------------------------------------------------------------


def test_unknown_url_shows_the_friendly_404(client):
    response = client.get("/bestaat-niet/")

    html = response.content.decode()
    assert response.status_code == 404
    assert texts(html, "h1") == ["Pagina niet gevonden"]
    assert '<a class="button button--primary" href="/">Naar het overzicht</a>' in html


def test_403_page_is_friendly_and_dutch():
    request = RequestFactory().get("/ergens/")
    request.user = AnonymousUser()

    response = views.permission_denied(request)

    assert response.status_code == 403
    assert texts(response.content.decode(), "h1") == ["Geen toegang"]


def test_500_page_renders_without_a_request_context():
    html = render_to_string("500.html")

    assert texts(html, "h1") == ["Er ging iets mis"]
    assert '<html lang="nl">' in html


# Dashboards ----------------------------------------------------------------------------


def test_coordinator_dashboard_shows_own_programmes_and_recent_progress(client):
    anna = make_user("anna", Role.coordinator)
    klei = make_programme("Klei Impuls", status="pilot", members=[anna])
    make_programme("Op Koers")  # not Anna's
    first = enrol(klei, 1)
    enrol(klei, 2, status="intake")
    enrol(klei, 3, status="afgerond")
    ProgressEntry.objects.create(
        enrolment=first, kind="coachinggesprek", date=datetime.date(2024, 3, 5), author=anna
    )
    client.force_login(anna)

    html = page(client)

    assert texts(html, "h2") == ["Mijn programma's", "Recent door mij vastgelegd"]
    assert key_figures(html) == {
        "Programma's": "1",
        "Actieve deelnemers": "2",
        "Inschrijvingen": "3",
    }
    assert texts(html, "td") == ["Klei Impuls", "Pilot", "2", "3"]
    assert texts(html, "li")[-1] == "5 maart 2024 Coachinggesprek Voornaam1 Achternaam1 Klei Impuls"
    assert '<a class="button button--primary" href="/participants/">' in html


def test_reviewer_dashboard_lists_own_reviews_to_do_and_submitted(client):
    bram = make_user("bram", Role.reviewer)
    other = make_user("other", Role.reviewer)
    scheme = Scheme.objects.create(code="ZV", name="Zorg & Voorzieningen")
    deadline = datetime.date(2030, 6, 1)
    to_do = make_application(1, scheme, status="in_beoordeling", deadline=deadline)
    done = make_application(2, scheme, status="advies", deadline=deadline)
    conflicted = make_application(3, scheme, status="in_beoordeling", deadline=deadline)
    Review.objects.create(application=to_do, reviewer=bram)
    Review.objects.create(application=to_do, reviewer=other)
    Review.objects.create(
        application=done,
        reviewer=bram,
        status="ingediend",
        recommendation="honoreren",
        submitted_at=timezone.now(),
    )
    Review.objects.create(application=conflicted, reviewer=bram, conflict_of_interest=True)
    client.force_login(bram)

    html = page(client)

    assert texts(html, "h2") == ["Te beoordelen", "Recent ingediend"]
    assert key_figures(html) == {"Te beoordelen": "1", "Ingediend": "1"}
    assert texts(html, "td") == ["ZV-001", "Project 1", "Zorg & Voorzieningen", "1 juni 2030"]
    assert "ZV-003" not in html


def test_subsidy_officer_dashboard_shows_statuses_deadlines_and_open_tenders(client):
    officer = make_user("carla", Role.subsidy_officer)
    client.force_login(officer)
    today = timezone.localdate()
    scheme = Scheme.objects.create(code="ZV", name="Zorg & Voorzieningen")
    scheme.handlers.add(officer)
    now = timezone.now()
    tender = Tender.objects.create(
        scheme=scheme,
        name="Tender voorjaar",
        opens_at=now - datetime.timedelta(days=10),
        closes_at=now + datetime.timedelta(days=10),
        ceiling=Decimal("750000"),
    )
    Tender.objects.create(
        scheme=scheme,
        name="Tender vorig jaar",
        opens_at=now - datetime.timedelta(days=400),
        closes_at=now - datetime.timedelta(days=300),
        ceiling=Decimal("500000"),
    )
    make_application(1, scheme, tender=tender, deadline=today - datetime.timedelta(days=2))
    make_application(2, scheme, tender=tender, deadline=today + datetime.timedelta(days=5))
    make_application(3, scheme, tender=tender, deadline=today + datetime.timedelta(days=30))
    make_application(
        4, scheme, tender=tender, status="onvolledig", deadline=today + datetime.timedelta(days=3)
    )
    make_application(
        5,
        scheme,
        tender=tender,
        status="verleend",
        granted_amount=Decimal("270000"),
        deadline=today - datetime.timedelta(days=20),
    )

    html = page(client)

    assert texts(html, "h2") == [
        "Aanvragen per status",
        "Beslistermijnen: verstreken en komende 14 dagen",
        "Openstaande tenderrondes",
    ]
    assert key_figures(html) == {
        "Aanvragen": "5",
        "In behandeling": "4",
        "Beslistermijn verstreken": "1",
    }
    statuses = dict(
        re.findall(
            r'status-list__label">(.*?)</span>\s*<span class="status-list__count">(\d+)<', html
        )
    )
    assert statuses["Ontvangen"] == "3"
    assert statuses["Onvolledig"] == "1"
    assert statuses["Verleend"] == "1"
    assert statuses["Vastgesteld"] == "0"
    deadlines = re.findall(r'<td><a href="/subsidies/aanvragen/(ZV-\d+)/">\1</a></td>', html)
    assert deadlines == ["ZV-001", "ZV-002"]
    assert texts(html, "h3") == ["Tender voorjaar"]
    tender_figures = dict(re.findall(r"<div><dt>(.*?)</dt><dd>(.*?)</dd></div>", html))
    assert tender_figures == {
        "Subsidieplafond": "€\xa0750.000",
        "Verleend": "€\xa0270.000",
        "Nog beschikbaar": "€\xa0480.000",
        "Aanvragen": "5",
    }
    assert "36% van het plafond verleend" in html


def test_programme_manager_dashboard_shows_all_programmes_and_factsheets(client):
    client.force_login(make_user("dirk", Role.programme_manager))
    klei = make_programme("Klei Impuls", status="pilot")
    make_programme("Op Koers")
    Factsheet.objects.create(kind="uitgelicht", programme=klei, title="Klei Impuls")

    html = page(client)

    assert texts(html, "h2") == ["Alle programma's", "Feitenbladen"]
    assert key_figures(html) == {"Idee": "0", "Pilot": "1", "Lopend": "1", "Afgerond": "0"}
    assert re.findall(r'<td><a href="/programmes/[\w-]+/">(.*?)</a></td>', html) == [
        "Klei Impuls",
        "Op Koers",
    ]
    assert "nog niet gemaakt" in html


def test_administrator_dashboard_links_to_the_admin_with_counts(client):
    client.force_login(make_user("eva", is_superuser=True, is_staff=True))
    make_user("zonderrol")
    make_programme("Op Koers")

    html = page(client)

    assert texts(html, "h2") == ["Beheer"]
    assert key_figures(html) == {
        "Actieve gebruikers": "2",
        "Gebruikers zonder rol": "1",
        "Programma's": "1",
        "Deelnemers": "0",
        "Aanvragen": "0",
        "Actieve regelingen": "0",
    }
    assert '<a class="button button--primary" href="/beheer/">Naar het beheer</a>' in html


def test_user_without_a_role_is_told_to_contact_the_administrator(client):
    client.force_login(make_user("frank"))

    html = page(client)

    assert texts(html, "h1") == ["Welkom, Frank"]
    assert texts(html, "h2") == ["U heeft nog geen rol"]
    assert "Neem contact op met de Beheerder van Regioportal" in html


def test_coordinator_dashboard_runs_the_same_queries_for_one_or_many_rows(
    client, django_assert_num_queries
):
    anna = make_user("anna", Role.coordinator)
    client.force_login(anna)
    programme = make_programme("Klei Impuls", members=[anna])
    enrolment = enrol(programme, 1)
    ProgressEntry.objects.create(
        enrolment=enrolment, kind="workshop", date=datetime.date(2024, 3, 5), author=anna
    )
    client.get("/")  # the first request caches the user's roles and the enrolment counts
    # user, programmes, recent progress (the session, the user's roles and the enrolment
    # counts come from the cache)
    with django_assert_num_queries(3):
        client.get("/")

    for index in range(2, 8):
        other = make_programme(f"Programma {index}", members=[anna])
        ProgressEntry.objects.create(
            enrolment=enrol(other, index),
            kind="workshop",
            date=datetime.date(2024, 3, 5),
            author=anna,
        )
    client.get("/")  # new memberships: the counts are taken again once
    with django_assert_num_queries(3):
        client.get("/")


# Partials and formatting ---------------------------------------------------------------


class MunicipalityTable(tables.Table):
    caption = "Gemeenten"

    class Meta:
        model = Municipality
        fields = ("name", "cbs_code")


def test_table_template_has_caption_column_scopes_sort_state_and_labelled_pagination():
    for index, name in enumerate(["Appingedam", "Groningen", "Het Hogeland"]):
        Municipality.objects.create(name=name, cbs_code=f"GM00{index:02d}", province="groningen")
    request = RequestFactory().get("/", {"sort": "-name", "page": "2"})
    table = MunicipalityTable(Municipality.objects.all())
    tables.RequestConfig(request, paginate={"per_page": 1}).configure(table)

    html = Template("{% load django_tables2 %}{% render_table table %}").render(
        Context({"table": table, "request": request})
    )

    assert '<caption id="table-caption">' in html
    assert texts(html, "caption") == ["Gemeenten (3 resultaten)"]
    assert html.count('<th scope="col"') == 2
    assert 'aria-sort="descending"' in html
    assert html.count("aria-sort=") == 1
    assert '<nav class="pagination" aria-label="Paginering: Gemeenten">' in html
    assert re.search(r'aria-current="page" href="\?[^"]*page=2', html)
    assert texts(html, "td") == ["Groningen", "GM0001"]


class PlanForm(forms.Form):
    title = forms.CharField(label="Titel", help_text="Kort en duidelijk.")
    note = forms.CharField(label="Notitie", required=False)


def test_form_field_ties_help_text_and_errors_to_the_input():
    form = PlanForm(data={"title": ""})
    form.is_valid()

    html = render_to_string("includes/form_field.html", {"field": form["title"]})
    optional = render_to_string("includes/form_field.html", {"field": form["note"]})

    assert '<label class="field__label" for="id_title">Titel</label>' in html
    assert '<p class="field__help" id="id_title_helptext">Kort en duidelijk.</p>' in html
    assert '<ul class="field__errors" id="id_title_error">' in html
    assert 'aria-describedby="id_title_helptext id_title_error"' in html
    assert 'aria-invalid="true"' in html
    assert texts(optional, "label") == ["Notitie (niet verplicht)"]


@pytest.mark.parametrize(
    ("function", "value", "expected"),
    [
        (euro, Decimal("2700000"), "€\xa02.700.000"),
        (euro, Decimal("12.50"), "€\xa012,50"),
        (euro, None, "–"),
        (euro_short, Decimal("6400000"), "€\xa06,4\xa0mln"),
        (euro_short, Decimal("7000000"), "€\xa07\xa0mln"),
        (euro_short, Decimal("747000"), "€\xa0747.000"),
        (number, 1200, "1.200"),
        (number, Decimal("10.00"), "10"),
        (percent, 23, "23%"),
    ],
)
def test_dutch_number_formats(function, value, expected):
    with translation.override("nl"):
        assert function(value) == expected


def test_percent_of_rounds_to_whole_percent_and_survives_zero():
    with translation.override("nl"):
        assert percent_of(Decimal("270000"), Decimal("750000")) == "36%"
        assert percent_of(1, 0) == "–"
