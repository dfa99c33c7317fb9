"""The figures of seed 004 (the Leefbaarheid terugblik) computed from the demo's applications,
on the scheme pages and the umbrella page: Zorg & Voorzieningen 10 tenders, 42 applications,
31 granted; Transitiefonds € 2,7 mln spent, 8 granted (2 in 2021, 1 in 2022, 5 in 2023);
Pilot Economische Vitaliteit Tocamaheerd € 750.000 (2022), Makerswierde € 747.000 and Makeport
Mercurius € 729.000 (2023). Counts follow applications_visible_to."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from subsidies.figures import scheme_figures, scheme_results
from subsidies.models import Application, Scheme
from subsidies.selectors import applications_visible_to
from tests.factories import (
    ApplicationFactory,
    CoordinatorFactory,
    ReviewerFactory,
    SchemeFactory,
    SubsidyOfficerFactory,
    TenderFactory,
)

pytestmark = pytest.mark.django_db

UMBRELLA = "leefbaarheidsprogramma-2020-2023"


@pytest.fixture
def demo():
    call_command("load_demo", force=True, verbosity=0)
    return {user.username: user for user in get_user_model().objects.all()}


def figures_of(code, user=None):
    applications = Application.objects.all() if user is None else applications_visible_to(user)
    [figures] = scheme_figures(Scheme.objects.filter(code=code), applications)
    return figures


def text(html):
    """The page's text, tags removed, whitespace collapsed, non-breaking spaces plain."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("\xa0", " ").split())


def figure(html, code, name):
    section = html[html.index(f'data-scheme="{code}"') :]
    match = re.search(rf'data-figure="{name}">([^<]*)<', section)
    return match.group(1).replace("\xa0", " ")


# --- computed from the rows -------------------------------------------------------------------


def test_zorg_en_voorzieningen_10_tenders_42_applications_31_granted(demo):
    figures = figures_of("ZV", demo["behandelaar"])

    assert (figures.tender_count, figures.application_count, figures.granted_count) == (
        10,
        42,
        31,
    )
    assert scheme_results(figures) == [
        "Er zijn in 10 tenders 42 subsidieaanvragen ingediend, waarvan 31 zijn gehonoreerd."
    ]


def test_transitiefonds_2_7_million_spent_by_8_grants_2_1_and_5_per_year(demo):
    figures = figures_of("TPW", demo["behandelaar"])

    assert (figures.granted_count, figures.granted_amount, figures.budget_spent) == (
        8,
        Decimal("2700000.00"),
        True,
    )
    assert [(row.year, row.granted_count) for row in figures.per_year] == [
        (2021, 2),
        (2022, 1),
        (2023, 5),
    ]
    assert scheme_results(figures) == [
        "Het totaalbudget bedroeg €\xa02,7\xa0mln. Dit is volledig besteed.",
        "In totaal zijn 8 aanvragen gehonoreerd: 2 in 2021, 1 in 2022 en 5 in 2023.",
    ]


def test_pilot_economische_vitaliteit_grants_per_year(demo):
    figures = figures_of("PEV", demo["programmamanager"])

    assert [
        (row.year, [(grant.applicant, grant.amount) for grant in row.grants])
        for row in figures.per_year
    ] == [
        (2022, [("Tocamaheerd", Decimal("750000.00"))]),
        (
            2023,
            [("Makerswierde", Decimal("747000.00")), ("Makeport Mercurius", Decimal("729000.00"))],
        ),
    ]
    assert scheme_results(figures) == [
        "In 2022 is 1 project gehonoreerd: €\xa0750.000 voor Tocamaheerd.",
        "In 2023 zijn 2 projecten gehonoreerd: €\xa0747.000 voor Makerswierde en €\xa0729.000 "
        "voor Makeport Mercurius.",
    ]


def test_figures_count_only_what_the_user_may_see(demo):
    stranger = SubsidyOfficerFactory()

    figures = figures_of("ZV", stranger)

    assert (figures.tender_count, figures.application_count, figures.granted_count) == (10, 0, 0)


def test_a_grant_the_user_may_see_twice_counts_once():
    """An officer who also reviews an application of a scheme with two handlers matches the
    visibility filter through both; the figures count the application once."""
    user = SubsidyOfficerFactory(roles=["Subsidiebehandelaar", "Beoordelaar"])
    scheme = SchemeFactory(code="DUO", handlers=[user, SubsidyOfficerFactory()])
    application = ApplicationFactory(
        tender=TenderFactory(scheme=scheme),
        status="verleend",
        granted_amount=Decimal("50000"),
    )
    application.reviews.create(reviewer=user, conflict_of_interest=False)

    figures = figures_of("DUO", user)

    assert (figures.application_count, figures.granted_count, figures.granted_amount) == (
        1,
        1,
        Decimal("50000.00"),
    )


def test_scheme_figures_take_two_queries_for_any_number_of_schemes(demo, django_assert_num_queries):
    applications = applications_visible_to(demo["programmamanager"])  # reads the roles

    with django_assert_num_queries(2):
        figures = scheme_figures(Scheme.objects.order_by("code"), applications)

    assert [(f.scheme.code, f.application_count, f.granted_count) for f in figures] == [
        ("PEV", 3, 3),
        ("SA", 21, 17),
        ("TPW", 8, 8),
        ("ZV", 42, 31),
    ]


# --- on the pages -----------------------------------------------------------------------------


def test_scheme_pages_show_the_seed_figures(client, demo):
    client.force_login(demo["behandelaar"])

    zv = client.get(reverse("subsidies:scheme-detail", args=["ZV"])).content.decode()
    tpw = client.get(reverse("subsidies:scheme-detail", args=["TPW"])).content.decode()
    pev = client.get(reverse("subsidies:scheme-detail", args=["PEV"])).content.decode()

    assert [figure(zv, "ZV", name) for name in ("tenders", "applications", "granted")] == [
        "10",
        "42",
        "31",
    ]
    assert (figure(tpw, "TPW", "amount"), figure(tpw, "TPW", "granted")) == ("€ 2,7 mln", "8")
    assert "In totaal zijn 8 aanvragen gehonoreerd: 2 in 2021, 1 in 2022 en 5 in 2023." in text(tpw)
    assert "2022 1 € 750.000 Tocamaheerd: € 750.000" in text(pev)
    assert "2023 2 € 1.476.000 Makerswierde: € 747.000 Makeport Mercurius: € 729.000" in text(pev)


def test_umbrella_page_shows_the_figures_of_its_schemes(client, demo):
    client.force_login(demo["programmamanager"])

    response = client.get(reverse("programmes:umbrella-detail", args=[UMBRELLA]))

    html = response.content.decode()
    assert [f.scheme.code for f in response.context["scheme_figures"]] == ["ZV", "SA", "TPW", "PEV"]
    assert [figure(html, "ZV", name) for name in ("tenders", "applications", "granted")] == [
        "10",
        "42",
        "31",
    ]
    assert figure(html, "TPW", "amount") == "€ 2,7 mln"
    page = text(html)
    assert "In totaal zijn 8 aanvragen gehonoreerd: 2 in 2021, 1 in 2022 en 5 in 2023." in page
    assert "In 2022 is 1 project gehonoreerd: € 750.000 voor Tocamaheerd." in page
    assert (
        "In 2023 zijn 2 projecten gehonoreerd: € 747.000 voor Makerswierde en € 729.000 voor "
        "Makeport Mercurius."
    ) in page


def test_umbrella_page_for_a_reviewer_shows_no_scheme_figures(client, demo):
    client.force_login(demo["beoordelaar"])

    response = client.get(reverse("programmes:umbrella-detail", args=[UMBRELLA]))

    assert response.status_code == 200
    assert response.context["scheme_figures"] == []
    assert 'data-scheme="' not in response.content.decode()


@pytest.mark.parametrize("factory", [CoordinatorFactory])
def test_umbrella_page_is_not_for_coordinators(client, demo, factory):
    client.force_login(factory())

    response = client.get(reverse("programmes:umbrella-detail", args=[UMBRELLA]))

    assert response.status_code == 404


def test_umbrella_page_takes_a_fixed_number_of_queries(client, demo, django_assert_num_queries):
    client.force_login(demo["programmamanager"])
    url = reverse("programmes:umbrella-detail", args=[UMBRELLA])
    client.get(url)  # the user's roles are cached between requests

    # user, umbrella, lines, their programmes, scheme figures (2), factsheet
    with django_assert_num_queries(7):
        client.get(url)


def test_a_reviewer_sees_no_figures_of_applications_not_assigned(demo):
    reviewer = ReviewerFactory()

    figures = figures_of("ZV", reviewer)

    assert (figures.application_count, figures.granted_count) == (0, 0)


def test_the_programme_page_links_to_its_umbrella_for_provincial_staff(client, demo):
    def umbrella_link(user, slug):
        client.force_login(user)
        html = client.get(reverse("programmes:detail", args=[slug])).content.decode()
        return re.findall(r'href="(/programmes/kader/[^"]+)"', html)

    assert umbrella_link(demo["programmamanager"], "van-waarde") == [
        reverse("programmes:umbrella-detail", args=[UMBRELLA])
    ]
    assert umbrella_link(demo["coordinator"], "op-koers") == []
