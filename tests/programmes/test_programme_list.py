"""The programme list: only the programmes the user may see, filtered, sorted, exported."""

import csv
import io

import pytest
from django.urls import reverse

from programmes.enums import ProgrammeStatus
from tests.factories import CoordinatorFactory, ProgrammeFactory, ProgrammeManagerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programmes():
    return {
        "klei": ProgrammeFactory(
            name="Klei Impuls", slug="klei-impuls", status=ProgrammeStatus.pilot
        ),
        "koers": ProgrammeFactory(name="Op Koers", slug="op-koers", status=ProgrammeStatus.running),
        "waarde": ProgrammeFactory(
            name="Van Waarde", slug="van-waarde", status=ProgrammeStatus.finished
        ),
    }


def names(response):
    return [row.record.name for row in response.context["table"].page.object_list]


def test_coordinator_sees_only_their_programmes(client, programmes):
    client.force_login(CoordinatorFactory(programmes=[programmes["koers"], programmes["klei"]]))
    assert names(client.get(reverse("programmes:list"))) == ["Klei Impuls", "Op Koers"]


def test_programme_manager_filters_on_status_and_sorts_by_name_descending(client, programmes):
    client.force_login(ProgrammeManagerFactory())
    response = client.get(reverse("programmes:list"), {"status": "", "sort": "-name"})
    assert names(response) == ["Van Waarde", "Op Koers", "Klei Impuls"]
    response = client.get(reverse("programmes:list"), {"status": ProgrammeStatus.pilot})
    assert names(response) == ["Klei Impuls"]


def test_csv_export_holds_the_filtered_programmes(client, programmes):
    client.force_login(ProgrammeManagerFactory())
    response = client.get(reverse("programmes:list"), {"q": "koers", "export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Programma", "Status"]
    assert [row[:2] for row in rows[1:]] == [["Op Koers", "Lopend"]]


def test_programme_list_takes_a_fixed_number_of_queries(
    client, programmes, django_assert_num_queries
):
    client.force_login(ProgrammeManagerFactory())
    url = reverse("programmes:list")
    client.get(url)
    ProgrammeFactory.create_batch(5)
    # user, count, page (the session, roles and option lists come from caches)
    with django_assert_num_queries(3):
        client.get(url)
