"""Editing a factsheet's narrative in the browser: who may (a Programmamanager every sheet, a
Coördinator the sheets of their own programmes), what is audited, what is refused and why, and
making a programme's first factsheet."""

import re
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from regioportal.audit import entries_for
from regioportal.models import AuditAction
from regioportal.roles import Role
from reports.editing import (
    EDITABLE_FIELDS,
    create_factsheet,
    parse_quotes,
    update_factsheet,
)
from reports.models import Factsheet, FactsheetKind
from tests.factories import (
    AdministratorFactory,
    CoordinatorFactory,
    FactsheetFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ProgrammeManagerFactory,
    ReviewerFactory,
    SubsidyOfficerFactory,
    UmbrellaProgrammeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def van_waarde():
    return ProgrammeFactory(slug="van-waarde", name="Van Waarde")


@pytest.fixture
def sheet(van_waarde):
    return FactsheetFactory(
        programme=van_waarde,
        title="Van Waarde",
        lessons="Jongeren weten zelf het best wat werkt.\nSamenwerking kost tijd.",
    )


@pytest.fixture
def overview():
    return FactsheetFactory(overview=True, title="Terugblik Leefbaarheid")


def edit_url(factsheet):
    return reverse("reports:factsheet-edit", kwargs={"pk": factsheet.pk})


def form_data(factsheet, **changes):
    """What the edit form posts: every field as it stands, with ``changes``, and the moment
    the form was opened."""
    data = {name: getattr(factsheet, name) for name in EDITABLE_FIELDS}
    data["opened_at"] = factsheet.updated_at.isoformat()
    data.update(changes)
    return data


def errors(response):
    """The error summary's items, whitespace collapsed."""
    html = response.content.decode()
    summary = re.search(r'<div class="error-summary".*?</ul>', html, re.S).group(0)
    items = re.findall(r"<li>(.*?)</li>", summary, re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", item)).split()) for item in items]


# --- who may edit --------------------------------------------------------------------------------


def _coordinator_of_van_waarde(van_waarde):
    return CoordinatorFactory(programmes=[van_waarde])


def _coordinator_elsewhere(van_waarde):
    return CoordinatorFactory(programmes=[ProgrammeFactory()])


@pytest.mark.parametrize(
    ("make_user", "programme_sheet", "overview_sheet"),
    [
        (lambda p: ProgrammeManagerFactory(), 200, 200),
        (_coordinator_of_van_waarde, 200, 404),
        (_coordinator_elsewhere, 404, 404),
        (lambda p: ReviewerFactory(), 403, 403),
        (lambda p: SubsidyOfficerFactory(), 403, 403),
        # The Beheerder keeps users and reference data, not the texts; nor does a superuser flag
        # make anyone an editor.
        (lambda p: AdministratorFactory(), 403, 403),
        (lambda p: UserFactory(is_superuser=True, roles=[]), 403, 403),
        (lambda p: UserFactory(roles=[]), 404, 404),
    ],
    ids=[
        "programmamanager",
        "coordinator-of-programme",
        "coordinator-of-other-programme",
        "beoordelaar",
        "subsidiebehandelaar",
        "beheerder",
        "superuser",
        "no-role",
    ],
)
def test_edit_page_per_role(client, van_waarde, sheet, overview, make_user, programme_sheet,
                            overview_sheet):  # fmt: skip
    client.force_login(make_user(van_waarde))

    assert client.get(edit_url(sheet)).status_code == programme_sheet
    assert client.get(edit_url(overview)).status_code == overview_sheet
    post = client.post(edit_url(sheet), form_data(sheet, lessons="Nieuw."))
    assert post.status_code == (302 if programme_sheet == 200 else programme_sheet)


def test_anonymous_visitor_is_sent_to_the_login_page(client, sheet):
    response = client.get(edit_url(sheet))

    assert response.status_code == 302
    assert response["Location"] == f"/inloggen/?next={edit_url(sheet)}"


def test_domain_function_refuses_a_user_without_the_edit_rule(sheet):
    with pytest.raises(PermissionDenied):
        update_factsheet(factsheet=sheet, by=ReviewerFactory(), lessons="Niet toegestaan.")

    sheet.refresh_from_db()
    assert sheet.lessons == "Jongeren weten zelf het best wat werkt.\nSamenwerking kost tijd."
    assert not entries_for(sheet).exists()


# --- saving --------------------------------------------------------------------------------------


def test_saving_changes_the_fields_and_audits_old_and_new_values(client, sheet):
    manager = ProgrammeManagerFactory(username="ingrid")
    client.force_login(manager)

    response = client.post(
        edit_url(sheet),
        form_data(
            sheet,
            lessons="Jongeren weten zelf het best wat werkt.\r\nLuister eerst, plan daarna.\r\n",
            next_steps="De gemeente gaat door met het project.",
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("reports:factsheet-detail", kwargs={"pk": sheet.pk})
    sheet.refresh_from_db()
    assert sheet.lessons == ("Jongeren weten zelf het best wat werkt.\nLuister eerst, plan daarna.")
    assert sheet.next_steps == "De gemeente gaat door met het project."
    assert sheet.updated_by == manager
    entry = entries_for(sheet).get()
    assert entry.actor == manager
    assert entry.action == AuditAction.update
    assert entry.object_repr == "Van Waarde"
    assert entry.changes == {
        "lessons": [
            "Jongeren weten zelf het best wat werkt.\nSamenwerking kost tijd.",
            "Jongeren weten zelf het best wat werkt.\nLuister eerst, plan daarna.",
        ],
        "next_steps": ["", "De gemeente gaat door met het project."],
    }
    page = client.get(response["Location"])
    assert [str(m) for m in page.context["messages"]] == ["Het feitenblad is opgeslagen."]


def test_saving_the_form_unchanged_writes_nothing(client, sheet):
    client.force_login(ProgrammeManagerFactory())
    before = sheet.updated_at

    # The browser sends CRLF line ends: the same text, not a change.
    data = form_data(sheet, lessons=sheet.lessons.replace("\n", "\r\n"))
    assert client.post(edit_url(sheet), data).status_code == 302

    sheet.refresh_from_db()
    assert sheet.updated_at == before
    assert not entries_for(sheet).exists()


def test_coordinator_saves_the_factsheet_of_their_own_programme(client, van_waarde, sheet):
    coordinator = CoordinatorFactory(programmes=[van_waarde])
    client.force_login(coordinator)

    client.post(edit_url(sheet), form_data(sheet, results="Meer jongeren bereikt."))

    sheet.refresh_from_db()
    assert (sheet.results, sheet.updated_by) == ("Meer jongeren bereikt.", coordinator)


def test_bullets_lose_their_marks_and_empty_lines(client, sheet):
    client.force_login(ProgrammeManagerFactory())

    client.post(
        edit_url(sheet),
        form_data(sheet, results="• Eerste resultaat\r\n\r\n- Tweede resultaat\r\n  * Derde  "),
    )

    sheet.refresh_from_db()
    assert sheet.results == "Eerste resultaat\nTweede resultaat\nDerde"


def test_typed_uitgelicht_prefix_is_left_to_the_sheet(client, sheet):
    client.force_login(ProgrammeManagerFactory())

    client.post(edit_url(sheet), form_data(sheet, title="UITGELICHT: Van Waarde Oost"))

    sheet.refresh_from_db()
    assert sheet.title == "Van Waarde Oost"


def test_quotes_keep_their_speaker_on_the_last_line(client, sheet):
    client.force_login(ProgrammeManagerFactory())

    client.post(
        edit_url(sheet),
        form_data(
            sheet,
            quotes="Er gebeurt heel veel.\r\n-- Ageeth Oskam, projectleider\r\n\r\n"
            "Soms eerder dan verwacht!\r\n\r\n\r\nDe partners versterken elkaar.\r\n"
            "– Wethouder",
        ),
    )

    sheet.refresh_from_db()
    assert sheet.quotes == (
        "Er gebeurt heel veel.\n— Ageeth Oskam, projectleider\n\n"
        "Soms eerder dan verwacht!\n\n"
        "De partners versterken elkaar.\n— Wethouder"
    )
    assert parse_quotes(sheet.quotes) == [
        ("Er gebeurt heel veel.", "Ageeth Oskam, projectleider"),
        ("Soms eerder dan verwacht!", ""),
        ("De partners versterken elkaar.", "Wethouder"),
    ]


def test_a_speaker_without_a_quote_is_refused(client, sheet):
    client.force_login(ProgrammeManagerFactory())

    response = client.post(
        edit_url(sheet), form_data(sheet, quotes="Er gebeurt heel veel.\n\n— Ageeth Oskam")
    )

    assert errors(response) == [
        "Citaten: Citaat 2 heeft alleen een spreker. Zet de spreker op de laatste regel van het "
        "citaat zelf, zonder lege regel ertussen."
    ]


# --- validation ----------------------------------------------------------------------------------


def test_links_must_be_web_addresses_one_per_line(client, sheet):
    client.force_login(ProgrammeManagerFactory())

    response = client.post(
        edit_url(sheet),
        form_data(
            sheet,
            links="https://www.provinciegroningen.nl/\r\njavascript:alert(1)\r\nwww.vanwaarde.nl",
        ),
    )

    assert response.status_code == 200
    assert errors(response) == [
        "Links: Regel 2 („javascript:alert(1)”) is geen geldig webadres: begin met https:// "
        "of http://.",
        "Links: Regel 3 („www.vanwaarde.nl”) is geen geldig webadres: begin met https:// of "
        "http://.",
    ]
    sheet.refresh_from_db()
    assert sheet.links == ""


def test_valid_links_are_saved_one_per_line(client, sheet):
    client.force_login(ProgrammeManagerFactory())

    client.post(
        edit_url(sheet),
        form_data(sheet, links=" https://www.vanwaarde.nl \r\n\r\nhttp://example.nl/a?b=c\r\n"),
    )

    sheet.refresh_from_db()
    assert sheet.links == "https://www.vanwaarde.nl\nhttp://example.nl/a?b=c"


def test_too_long_texts_and_missing_title_get_dutch_messages(client, sheet):
    client.force_login(ProgrammeManagerFactory())

    response = client.post(
        edit_url(sheet),
        form_data(
            sheet,
            title="   ",
            subtitle="x" * 201,
            background="a" * 4001,
            lessons="\n".join(f"Les {n}" for n in range(16)),
            results="r" * 601,
        ),
    )

    assert errors(response) == [
        "Titel: Geef het feitenblad een titel.",
        "Ondertitel: Maak deze tekst korter: hoogstens 200 tekens (nu 201).",
        "Aanleiding: Maak deze tekst korter: hoogstens 4000 tekens (nu 4001).",
        "Wat zijn de resultaten? Opsomming 1 is te lang: hoogstens 600 tekens (nu 601).",
        "Wat hebben we geleerd? Hoogstens 15 opsommingen (nu 16); één opsomming per regel.",
    ]
    assert not entries_for(sheet).exists()


def test_junk_in_the_form_is_refused_with_a_message(client, sheet):
    client.force_login(ProgrammeManagerFactory())

    response = client.post(
        edit_url(sheet), form_data(sheet, opened_at="gisteren", intro="nul\x00byte")
    )

    assert response.status_code == 200
    assert errors(response) == [
        "Het formulier is onvolledig verstuurd. Open het feitenblad opnieuw en voer uw "
        "wijzigingen nogmaals in.",
        "Inleiding: Null-tekens zijn niet toegestaan.",
    ]


def test_form_shows_fieldsets_with_dutch_labels_and_help(client, sheet):
    client.force_login(ProgrammeManagerFactory())

    html = client.get(edit_url(sheet)).content.decode()

    legends = re.findall(r"<legend>(.*?)</legend>", html)
    assert legends == [
        "Kop",
        "Inleiding",
        "Het project",
        "Meerwaarde en citaten",
        "Resultaten en lessen",
        "Bronnen",
    ]
    assert (
        '<p class="field__help" id="id_lessons_helptext">Eén opsomming per regel; een streepje '
        "of bolletje vooraan mag, hoeft niet.</p>" in html
    )
    assert f'name="opened_at" value="{sheet.updated_at.isoformat()}"' in html


# --- someone else saved first --------------------------------------------------------------------


def test_save_over_a_newer_version_is_refused_with_a_message(client, sheet):
    first = ProgrammeManagerFactory(username="ingrid", first_name="Ingrid", last_name="Talsma")
    second = ProgrammeManagerFactory()
    client.force_login(second)
    opened = form_data(sheet)  # the second editor opens the form …
    update_factsheet(factsheet=sheet, by=first, lessons="Ingrids les.")  # … the first saves

    response = client.post(edit_url(sheet), {**opened, "lessons": "Mijn les."})

    assert response.status_code == 200
    assert errors(response) == [
        "Dit feitenblad is gewijzigd sinds u het formulier opende (door Ingrid Talsma). Uw "
        "wijzigingen zijn niet opgeslagen; ze staan hieronder nog. Vergelijk ze met de nieuwe "
        "versie en sla opnieuw op als u die wilt vervangen."
    ]
    sheet.refresh_from_db()
    assert sheet.lessons == "Ingrids les."
    assert [entry.actor for entry in entries_for(sheet)] == [first]
    form = response.context["form"]
    assert form["lessons"].value() == "Mijn les."
    assert form["opened_at"].value() == sheet.updated_at.isoformat()

    # Saving again, having seen the newer version, replaces it.
    client.post(
        edit_url(sheet), {**opened, "lessons": "Mijn les.", "opened_at": form["opened_at"].value()}
    )

    sheet.refresh_from_db()
    assert (sheet.lessons, sheet.updated_by) == ("Mijn les.", second)


# --- a programme's first factsheet ---------------------------------------------------------------


def new_url(programme):
    return reverse("reports:factsheet-new", kwargs={"programme": programme.slug})


@pytest.fixture
def familiehuis():
    umbrella = UmbrellaProgrammeFactory(name="Leefbaarheidsprogramma 2020-2023")
    return ProgrammeFactory(
        slug="experiment-familiehuis",
        name="Experiment Familiehuis",
        umbrella=umbrella,
        lead_organisation=OrganisationFactory(name="Stichting De Hoven"),
    )


def test_programme_manager_makes_a_factsheet_prefilled_from_the_programme(client, familiehuis):
    manager = ProgrammeManagerFactory()
    client.force_login(manager)
    assert client.get(new_url(familiehuis)).status_code == 200

    response = client.post(new_url(familiehuis))

    factsheet = Factsheet.objects.get(programme=familiehuis)
    assert response.status_code == 302
    assert response["Location"] == edit_url(factsheet)
    assert (factsheet.kind, factsheet.title, factsheet.subtitle, factsheet.part_of) == (
        FactsheetKind.highlight,
        "Experiment Familiehuis",
        "Stichting De Hoven",
        "Onderdeel van het Leefbaarheidsprogramma 2020-2023",
    )
    assert factsheet.intro.startswith(
        "Dit feitenblad is onderdeel van de terugblik op het Leefbaarheidsprogramma 2020-2023. "
    )
    assert factsheet.intro.endswith("In dit kader wordt Experiment Familiehuis uitgelicht.")
    assert factsheet.updated_by == manager
    entry = entries_for(factsheet).get()
    assert (entry.actor, entry.action, entry.object_id) == (
        manager,
        AuditAction.create,
        str(factsheet.pk),
    )
    assert entry.changes == {
        "kind": [None, "uitgelicht"],
        "title": [None, "Experiment Familiehuis"],
        "subtitle": [None, "Stichting De Hoven"],
        "part_of": [None, "Onderdeel van het Leefbaarheidsprogramma 2020-2023"],
        "intro": [None, factsheet.intro],
    }


def test_programme_without_umbrella_gets_no_intro(client):
    programme = ProgrammeFactory(name="Losse pilot", umbrella=None)

    factsheet = create_factsheet(programme=programme, by=ProgrammeManagerFactory())

    assert (factsheet.title, factsheet.part_of, factsheet.intro) == ("Losse pilot", "", "")


def test_new_factsheet_for_a_programme_that_has_one_opens_the_existing_one(client, sheet):
    client.force_login(ProgrammeManagerFactory())

    response = client.post(new_url(sheet.programme))

    assert response["Location"] == edit_url(sheet)
    assert Factsheet.objects.count() == 1
    assert not entries_for(sheet).exists()


@pytest.mark.parametrize(
    ("roles", "member", "status"),
    [
        ([Role.coordinator], True, 302),
        ([Role.coordinator], False, 404),
        ([Role.reviewer], False, 403),
        ([Role.administrator], False, 403),
    ],
)
def test_who_may_make_a_factsheet(client, familiehuis, roles, member, status):
    user = UserFactory(roles=roles, programmes=[familiehuis] if member else [])
    client.force_login(user)

    assert client.post(new_url(familiehuis)).status_code == status
    assert Factsheet.objects.filter(programme=familiehuis).exists() == (status == 302)


def test_unknown_programme_is_not_found(client):
    client.force_login(ProgrammeManagerFactory())

    assert client.get("/reports/nieuw/bestaat-niet/").status_code == 404


# --- the programme page --------------------------------------------------------------------------


def factsheet_block(client, programme):
    html = client.get(programme.get_absolute_url()).content.decode()
    block = re.search(r'<section class="dashboard-section" aria-labelledby="factsheet-title">'
                      r"(.*?)</section>", html, re.S)  # fmt: skip
    if block is None:
        return None
    return [
        " ".join(unescape(re.sub(r"<[^>]+>", " ", item)).split())
        for item in re.findall(r"<(?:a|button)\b[^>]*>(.*?)</(?:a|button)>", block.group(1))
    ]


def test_programme_page_offers_view_edit_and_generate_to_the_programme_manager(client, sheet):
    client.force_login(ProgrammeManagerFactory())

    assert factsheet_block(client, sheet.programme) == [
        "Feitenblad bekijken",
        "Feitenblad bewerken",
        "Genereer PDF",
    ]


def test_programme_page_offers_no_edit_button_to_a_reviewer(client, sheet):
    client.force_login(ReviewerFactory())

    assert factsheet_block(client, sheet.programme) == ["Feitenblad bekijken", "Genereer PDF"]


def test_programme_page_offers_to_make_the_missing_factsheet(client, familiehuis):
    client.force_login(ProgrammeManagerFactory())
    assert factsheet_block(client, familiehuis) == ["Feitenblad maken"]

    client.force_login(ReviewerFactory())
    assert factsheet_block(client, familiehuis) is None
