"""Dutch names on the participants list: the tussenvoegsel stored apart, sorting on the
achternaam, and a search that ignores case and accents (issue 6, section 8)."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from participants import names
from participants.models import Participant
from tests.factories import (
    CoordinatorFactory,
    EnrolmentFactory,
    ParticipantFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return ProgrammeFactory(slug="op-koers", name="Op Koers")


@pytest.fixture
def coordinator_client(client, programme):
    client.force_login(CoordinatorFactory(programmes=[programme]))
    return client


def enrol(programme, first_name, last_name, surname_prefix="", reference=None):
    participant = ParticipantFactory(
        first_name=first_name,
        surname_prefix=surname_prefix,
        last_name=last_name,
        **({"reference": reference} if reference else {}),
    )
    EnrolmentFactory(programme=programme, participant=participant)
    return participant


@pytest.fixture
def people(programme):
    return [
        enrol(programme, "Eva", "Boer", "de", reference="D-00000011"),
        enrol(programme, "Anna", "Veen", "van der", reference="D-00000012"),
        enrol(programme, "Céline", "Jansen", reference="D-00000013"),
        enrol(programme, "Bram", "Boersma", reference="D-00000014"),
        enrol(programme, "Lotte", "Vries", "de", reference="D-00000015"),
        enrol(programme, "Test", "XSS-test", reference="D-00000016"),
        enrol(programme, "daan", "achterberg", reference="D-00000017"),
    ]


def listed(client, **params):
    response = client.get(reverse("participants:list"), {"status": "", **params})
    assert response.status_code == 200
    return [
        names.list_name(
            row.record["participant__first_name"],
            row.record["participant__surname_prefix"],
            row.record["participant__last_name"],
        )
        for row in response.context["table"].page.object_list
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("de Boer", ["Boer, Eva de"]),
        ("De  BOER", ["Boer, Eva de"]),
        ("van der Veen", ["Veen, Anna van der"]),
        ("veen", ["Veen, Anna van der"]),
        ("boer", ["Boer, Eva de", "Boersma, Bram"]),
        ("celine", ["Jansen, Céline"]),
        ("CÉLINE jansen", ["Jansen, Céline"]),
        ("eva de boer", ["Boer, Eva de"]),
        ("Boer, Eva", ["Boer, Eva de"]),
        ("d-00000013", ["Jansen, Céline"]),
        ("oer", []),  # word starts only, not the middle of a name
    ],
)
def test_search_finds_dutch_names_ignoring_case_accents_and_prefix(
    coordinator_client, people, query, expected
):
    assert listed(coordinator_client, q=query) == expected


def test_list_sorts_on_the_achternaam_ignoring_case_and_the_tussenvoegsel(
    coordinator_client, people
):
    assert listed(coordinator_client) == [
        "achterberg, daan",
        "Boer, Eva de",
        "Boersma, Bram",
        "Jansen, Céline",
        "Veen, Anna van der",
        "Vries, Lotte de",
        "XSS-test, Test",
    ]
    assert listed(coordinator_client, sort="-name")[0] == "XSS-test, Test"


def test_list_and_page_write_the_name_the_dutch_way(coordinator_client, people):
    eva = people[0]
    html = coordinator_client.get(reverse("participants:list"), {"q": "de boer"}).content
    assert f'?inschrijving={eva.enrolments.get().pk}">Boer, Eva de</a>' in html.decode()
    page = coordinator_client.get(eva.get_absolute_url()).content.decode()
    assert "<h1>Eva de Boer</h1>" in " ".join(page.split()).replace("> ", ">").replace(" <", "<")


def test_sort_name_follows_every_change_of_the_name(programme):
    participant = enrol(programme, "Eva", "Boer", "de")
    assert participant.sort_name == "boer eva de"
    participant.first_name = "Éva"
    participant.save(update_fields=["first_name"])
    participant.refresh_from_db()
    assert participant.sort_name == "boer eva de"
    participant.last_name = "Vries"
    participant.surname_prefix = ""
    participant.save()
    assert Participant.objects.get(pk=participant.pk).sort_name == "vries eva"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("de Boer", ("de", "Boer")),
        ("van der Veen", ("van der", "Veen")),
        ("Van den Berg", ("van den", "Berg")),
        ("in 't Veld", ("in 't", "Veld")),
        ("in \u2019t Veld", ("in 't", "Veld")),
        ("ter Horst", ("ter", "Horst")),
        ("op de Beek", ("op de", "Beek")),
        ("Boer", ("", "Boer")),
        ("Van", ("", "Van")),
        ("Denekamp", ("", "Denekamp")),
        ("  de   Jong ", ("de", "Jong")),
    ],
)
def test_split_surname_knows_the_dutch_prefixes(typed, expected):
    assert names.split_surname(typed) == expected


def test_the_data_migration_splits_prefixes_out_of_existing_last_names(programme):
    # Rows as they were before the tussenvoegsel existed (written around save()).
    eva = enrol(programme, "Eva", "x")
    jan = enrol(programme, "Jan", "x")
    Participant.objects.filter(pk=eva.pk).update(last_name="van der Veen", sort_name="")
    Participant.objects.filter(pk=jan.pk).update(last_name="Bakker", sort_name="")
    migration = importlib.import_module(
        "participants.migrations.0004_split_surname_prefixes_close_end_dates"
    )

    migration.split_names(apps, None)

    assert list(
        Participant.objects.order_by("pk").values_list("surname_prefix", "last_name", "sort_name")
    ) == [("van der", "Veen", "veen eva van der"), ("", "Bakker", "bakker jan")]


def test_intake_form_takes_the_tussenvoegsel_and_finds_a_duplicate_without_accents(
    client, programme
):
    coordinator = CoordinatorFactory(programmes=[programme])
    client.force_login(coordinator)
    data = {
        "programme": programme.pk,
        "first_name": "Céline",
        "surname_prefix": "Van Der",
        "last_name": "Veen",
        "birth_year": "2001",
        "start_date": "2024-09-02",
        "consent_date": "2024-09-02",
        "consent_purpose": "Begeleiding",
    }
    assert client.post(reverse("participants:intake"), data).status_code == 302
    created = Participant.objects.get()
    assert (created.first_name, created.surname_prefix, created.last_name) == (
        "Céline",
        "van der",
        "Veen",
    )
    assert created.full_name == "Céline van der Veen"

    again = client.post(
        reverse("participants:intake"),
        {**data, "first_name": "celine", "surname_prefix": "", "last_name": "van der veen"},
    )

    assert again.status_code == 200
    assert [p.pk for p in again.context["duplicates"]] == [created.pk]


def test_list_rows_and_filter_options_escape_what_users_typed(client, programme):
    coach = CoordinatorFactory(programmes=[programme], first_name="<b>Coach</b>", last_name="&amp;")
    participant = ParticipantFactory(first_name="<script>x</script>", last_name='"Boer"')
    EnrolmentFactory(programme=programme, participant=participant, coach=coach)
    client.force_login(coach)

    html = client.get(reverse("participants:list"), {"status": ""}).content.decode()

    assert "<script>x</script>" not in html
    assert "&quot;Boer&quot;, &lt;script&gt;x&lt;/script&gt;</a>" in html
    assert "<td>&lt;b&gt;Coach&lt;/b&gt; &amp;amp;</td>" in html
    assert ">&lt;b&gt;Coach&lt;/b&gt; &amp;amp;</option>" in html


def test_anonymisation_clears_the_tussenvoegsel_and_the_sort_name(programme):
    from participants.services import anonymise_participant

    eva = enrol(programme, "Eva", "Boer", "de")
    anonymise_participant(participant=eva, by=None, reason="Verzoek")
    eva.refresh_from_db()
    assert (eva.first_name, eva.surname_prefix, eva.last_name, eva.sort_name) == (
        "Geanonimiseerd",
        "",
        "",
        "geanonimiseerd",
    )


def test_a_search_adds_no_query_to_the_list(client, programme, people, django_assert_num_queries):
    client.force_login(CoordinatorFactory(programmes=[programme]))
    url = reverse("participants:list")
    client.get(url, {"status": "", "q": "van der veen"})
    with django_assert_num_queries(2):  # as test_workspace's list without a search
        response = client.get(url, {"status": "", "q": "van der veen"})
    assert len(response.context["table"].page.object_list) == 1
