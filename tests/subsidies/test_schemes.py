"""Subsidy schemes in the browser: the list and a scheme's page for the roles that work with
subsidies, and creating and changing schemes with their criteria (Beheerder, or a
Subsidiebehandelaar who handles the scheme), validated in Dutch and audited."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from regioportal.models import AuditAction, AuditEntry
from subsidies import schemes
from subsidies.enums import AllocationMethod, ApplicationStatus
from subsidies.models import Criterion, Scheme
from tests.factories import (
    AdministratorFactory,
    ApplicationFactory,
    CoordinatorFactory,
    CriterionFactory,
    ProgrammeLineFactory,
    ProgrammeManagerFactory,
    ReviewerFactory,
    ReviewFactory,
    SchemeFactory,
    SubsidyOfficerFactory,
    TenderFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return SubsidyOfficerFactory(first_name="Ruben", last_name="Zuidema")


@pytest.fixture
def scheme(officer):
    scheme = SchemeFactory(
        code="ZV",
        name="Subsidieregeling Zorg & Voorzieningen",
        description="Voorzieningen en zorg versterken.",
        handlers=[officer],
        min_amount=Decimal("10000"),
        max_amount=Decimal("250000"),
        decision_weeks=10,
    )
    CriterionFactory(scheme=scheme, name="Bijdrage aan zorg", weight=3, min_points=5, order=1)
    CriterionFactory(scheme=scheme, name="Samenwerking", weight=2, min_points=4, order=2)
    return scheme


def entries(obj):
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        ).order_by("id")
    )


def scheme_data(**changes):
    data = {
        "code": "SA",
        "name": "Sociale Agenda",
        "description": "",
        "line": "",
        "allocation_method": AllocationMethod.tender,
        "decision_weeks": "8",
        "completion_weeks": "2",
        "min_amount": "",
        "max_amount": "",
        "budget": "",
        "min_total_score": "",
        "is_active": "on",
        "criteria-TOTAL_FORMS": "2",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "50",
        "criteria-0-name": "Bereik",
        "criteria-0-description": "",
        "criteria-0-weight": "2",
        "criteria-0-max_points": "10",
        "criteria-0-min_points": "4",
        "criteria-1-name": "",
        "criteria-1-description": "",
        "criteria-1-weight": "1",
        "criteria-1-max_points": "10",
        "criteria-1-min_points": "0",
    }
    data.update(changes)
    return data


def edit_data(scheme, **changes):
    """The edit form as the page fills it in for ``scheme``, with ``changes``."""
    criteria = list(scheme.criteria.order_by("order", "id"))
    data = scheme_data(
        code=scheme.code,
        name=scheme.name,
        description=scheme.description,
        allocation_method=scheme.allocation_method,
        decision_weeks=str(scheme.decision_weeks),
        min_amount=str(scheme.min_amount or ""),
        max_amount=str(scheme.max_amount or ""),
        **{
            "criteria-TOTAL_FORMS": str(len(criteria) + 1),
            "criteria-INITIAL_FORMS": str(len(criteria)),
        },
    )
    for index, criterion in enumerate(criteria):
        data.update(
            {
                f"criteria-{index}-id": str(criterion.pk),
                f"criteria-{index}-name": criterion.name,
                f"criteria-{index}-description": criterion.description,
                f"criteria-{index}-weight": str(criterion.weight),
                f"criteria-{index}-max_points": str(criterion.max_points),
                f"criteria-{index}-min_points": str(criterion.min_points),
            }
        )
    extra = len(criteria)
    data.update(
        {
            f"criteria-{extra}-name": "",
            f"criteria-{extra}-description": "",
            f"criteria-{extra}-weight": "1",
            f"criteria-{extra}-max_points": "10",
            f"criteria-{extra}-min_points": "0",
        }
    )
    for key in ("criteria-1-name",) if extra > 1 else ():
        data.setdefault(key, "")
    data.update(changes)
    return data


def form_errors(response):
    form, formset = response.context["form"], response.context["formset"]
    return {
        "form": {name: list(errors) for name, errors in form.errors.items()},
        "criteria": list(formset.non_form_errors()),
        "rows": [dict(errors) for errors in formset.errors if errors],
    }


# --- who sees the pages -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("factory", "status"),
    [
        (SubsidyOfficerFactory, 200),
        (ProgrammeManagerFactory, 200),
        (AdministratorFactory, 200),
        (ReviewerFactory, 404),
        (CoordinatorFactory, 404),
    ],
)
def test_scheme_list_and_page_are_for_officers_programme_managers_and_administrators(
    client, scheme, factory, status
):
    client.force_login(factory())

    list_response = client.get(reverse("subsidies:scheme-list"))
    page_response = client.get(reverse("subsidies:scheme-detail", args=["ZV"]))

    assert (list_response.status_code, page_response.status_code) == (status, status)


def test_anonymous_visitor_is_sent_to_the_login_page(client, scheme):
    response = client.get(reverse("subsidies:scheme-detail", args=["ZV"]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("code", ["BESTAAT-NIET", "zv\x00", "%27;--", "x" * 40])
def test_a_code_that_is_no_scheme_is_not_found(client, scheme, code):
    client.force_login(ProgrammeManagerFactory())

    response = client.get(f"/subsidies/regelingen/{code}/")

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("factory", "can_edit"),
    [
        (ProgrammeManagerFactory, False),
        (AdministratorFactory, True),
        (SubsidyOfficerFactory, False),  # an officer who does not handle the scheme
    ],
)
def test_only_the_administrator_and_the_schemes_officers_may_edit(
    client, scheme, officer, factory, can_edit
):
    user = factory()
    client.force_login(user)

    page = client.get(reverse("subsidies:scheme-detail", args=["ZV"]))
    form = client.get(reverse("subsidies:scheme-edit", args=["ZV"]))
    post = client.post(reverse("subsidies:scheme-edit", args=["ZV"]), edit_data(scheme, name="X"))

    assert page.context["can_edit"] is can_edit
    assert form.status_code == (200 if can_edit else 403)
    assert post.status_code == (302 if can_edit else 403)
    scheme.refresh_from_db()
    assert scheme.name == ("X" if can_edit else "Subsidieregeling Zorg & Voorzieningen")


def test_the_schemes_own_officer_may_edit_it(client, scheme, officer):
    client.force_login(officer)

    page = client.get(reverse("subsidies:scheme-detail", args=["ZV"]))

    assert (page.context["can_edit"], page.context["can_add_tender"]) == (True, True)
    assert page.context["partial_view"] is False


@pytest.mark.parametrize("factory", [ProgrammeManagerFactory, ReviewerFactory, CoordinatorFactory])
def test_only_administrators_and_officers_may_create_a_scheme(client, factory):
    client.force_login(factory())

    response = client.post(reverse("subsidies:scheme-create"), scheme_data())

    assert response.status_code in (403, 404)
    assert not Scheme.objects.filter(code="SA").exists()


def test_domain_functions_check_their_rules_themselves(scheme):
    manager = ProgrammeManagerFactory()

    with pytest.raises(PermissionDenied):
        schemes.create_scheme(by=manager, data={"code": "X", "name": "X"})
    with pytest.raises(PermissionDenied):
        schemes.update_scheme(scheme, by=SubsidyOfficerFactory(), data={"name": "Y"})
    with pytest.raises(PermissionDenied):
        schemes.set_handlers(scheme, [], by=scheme.handlers.get())


# --- the list ---------------------------------------------------------------------------------


def list_rows(response):
    return [
        (row.record.code, row.record.application_count, row.record.granted_count)
        for row in response.context["table"].page.object_list
    ]


def test_list_counts_only_the_applications_the_officer_may_see(client, scheme, officer):
    other = SchemeFactory(code="PEV", name="Pilot Economische Vitaliteit")
    tender = TenderFactory(scheme=scheme)
    ApplicationFactory(tender=tender)
    ApplicationFactory(
        tender=tender, status=ApplicationStatus.granted, granted_amount=Decimal("40000")
    )
    ApplicationFactory(tender=None, scheme=other)
    client.force_login(officer)

    response = client.get(reverse("subsidies:scheme-list"))

    assert list_rows(response) == [("PEV", 0, 0), ("ZV", 2, 1)]


def test_list_filters_on_text_and_allocation_method_and_exports_the_filtered_rows(client, scheme):
    SchemeFactory(code="TPW", name="Transitiefonds", allocation_method=AllocationMethod.first_come)
    client.force_login(ProgrammeManagerFactory())
    url = reverse("subsidies:scheme-list")

    by_text = client.get(url, {"q": "zorg"})
    by_method = client.get(url, {"allocation_method": AllocationMethod.first_come})
    export = client.get(url, {"allocation_method": AllocationMethod.first_come, "export": "csv"})

    assert [row[0] for row in list_rows(by_text)] == ["ZV"]
    assert [row[0] for row in list_rows(by_method)] == ["TPW"]
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Regeling", "Code", "Programmalijn"]
    assert [row[:2] for row in rows[1:]] == [["Transitiefonds", "TPW"]]


@pytest.mark.parametrize(
    "query",
    [
        {"q": "\x00"},
        {"line": "x"},
        {"line": "-1"},
        {"allocation_method": "<script>"},
        {"is_active": "misschien"},
        {"sort": "drop table"},
        {"page": "99999999999999999999"},
        {"export": "pdf"},
    ],
)
def test_junk_in_the_list_parameters_is_no_server_error(client, scheme, query):
    client.force_login(ProgrammeManagerFactory())

    response = client.get(reverse("subsidies:scheme-list"), query)

    assert response.status_code in (200, 404)


@pytest.mark.parametrize("extra", [0, 6])
def test_scheme_list_takes_a_fixed_number_of_queries(
    client, scheme, officer, extra, django_assert_num_queries
):
    for _number in range(extra):
        other = SchemeFactory(handlers=[officer])
        ApplicationFactory(tender=TenderFactory(scheme=other))
    client.force_login(officer)
    url = reverse("subsidies:scheme-list")
    client.get(url)  # the filter's option lists are kept a minute per process

    # user, count, rows
    with django_assert_num_queries(3):
        response = client.get(url)

    assert len(response.context["table"].page.object_list) == 1 + extra


# --- the scheme page --------------------------------------------------------------------------


def test_scheme_page_shows_criteria_terms_and_tenders(client, scheme):
    tender = TenderFactory(scheme=scheme, name="2023 – ronde 1", ceiling=Decimal("300000"))
    ApplicationFactory(tender=tender, requested_amount=Decimal("120000"))
    ApplicationFactory(
        tender=tender,
        requested_amount=Decimal("80000"),
        status=ApplicationStatus.granted,
        granted_amount=Decimal("80000"),
    )
    tender.granted_total = Decimal("80000")
    tender.save()
    client.force_login(ProgrammeManagerFactory())

    response = client.get(reverse("subsidies:scheme-detail", args=["ZV"]))

    assert [(c.name, c.weight, c.min_points) for c in response.context["criteria"]] == [
        ("Bijdrage aan zorg", Decimal("3.00"), 5),
        ("Samenwerking", Decimal("2.00"), 4),
    ]
    assert response.context["total_weight"] == Decimal("5.00")
    assert response.context["highest_score"] == Decimal("50.00")
    [row] = response.context["tenders"]
    assert (row.application_count, row.requested, row.granted_total, row.remaining) == (
        2,
        Decimal("200000.00"),
        Decimal("80000.00"),
        Decimal("220000.00"),
    )
    html = response.content.decode()
    assert "10 weken" in html
    assert "€\xa010.000 tot en met €\xa0250.000" in html
    assert "Tender (rangschikking)" in html


def test_an_officer_who_does_not_handle_the_scheme_is_told_the_counts_are_partial(client, scheme):
    client.force_login(SubsidyOfficerFactory())

    response = client.get(reverse("subsidies:scheme-detail", args=["ZV"]))

    assert response.context["partial_view"] is True
    assert "U behandelt deze regeling niet" in response.content.decode()


@pytest.mark.parametrize("extra", [0, 5])
def test_scheme_page_takes_a_fixed_number_of_queries(
    client, scheme, officer, extra, django_assert_num_queries
):
    for _number in range(extra):
        tender = TenderFactory(scheme=scheme)
        ApplicationFactory(
            tender=tender, status=ApplicationStatus.granted, granted_amount=Decimal("1000")
        )
        CriterionFactory(scheme=scheme)
    client.force_login(officer)
    url = reverse("subsidies:scheme-detail", args=["ZV"])
    client.get(url)  # the user's roles are cached between requests

    # user, scheme, criteria, figures (2), tenders, handlers, the officer's handled schemes
    with django_assert_num_queries(8):
        response = client.get(url)

    assert len(response.context["tenders"]) == extra


# --- creating a scheme ------------------------------------------------------------------------


def test_officer_creates_a_scheme_with_criteria_handles_it_and_it_is_audited(client, officer):
    client.force_login(officer)

    response = client.post(
        reverse("subsidies:scheme-create"),
        scheme_data(
            code=" sa ",
            **{
                "criteria-1-name": "Samenwerking",
                "criteria-1-weight": "1,5",
                "criteria-1-min_points": "3",
            },
        ),
    )

    scheme = Scheme.objects.get(code="SA")
    assert response.status_code == 302
    assert response["Location"] == reverse("subsidies:scheme-detail", args=["SA"])
    assert list(scheme.handlers.all()) == [officer]
    criteria = [
        (c.name, c.weight, c.max_points, c.min_points, c.order) for c in scheme.criteria.all()
    ]
    assert criteria == [
        ("Bereik", Decimal("2.00"), 10, 4, 1),
        ("Samenwerking", Decimal("1.50"), 10, 3, 2),
    ]
    [entry] = entries(scheme)
    assert entry.action == AuditAction.create
    assert entry.actor == officer
    assert entry.changes["code"] == [None, "SA"]
    assert entry.changes["criterion:Samenwerking"] == [
        None,
        {"description": "", "weight": "1.50", "max_points": 10, "min_points": 3},
    ]
    assert entry.changes["handlers"] == [[], [officer.username]]


def test_administrator_chooses_the_handlers_among_subsidy_officers(client, officer):
    administrator = AdministratorFactory()
    client.force_login(administrator)
    reviewer = ReviewerFactory()

    form = client.get(reverse("subsidies:scheme-create")).context["form"]
    refused = client.post(
        reverse("subsidies:scheme-create"), scheme_data(handlers=[str(reviewer.pk)])
    )
    created = client.post(
        reverse("subsidies:scheme-create"), scheme_data(handlers=[str(officer.pk)])
    )

    assert list(form.fields["handlers"].queryset) == [officer]
    assert form_errors(refused)["form"] == {"handlers": ["Kies behandelaars uit de lijst."]}
    assert created.status_code == 302
    assert list(Scheme.objects.get(code="SA").handlers.all()) == [officer]


def test_an_officer_cannot_choose_handlers_even_in_a_crafted_post(client, officer):
    other = SubsidyOfficerFactory()
    client.force_login(officer)

    form = client.get(reverse("subsidies:scheme-create")).context["form"]
    client.post(reverse("subsidies:scheme-create"), scheme_data(handlers=[str(other.pk)]))

    assert "handlers" not in form.fields
    assert list(Scheme.objects.get(code="SA").handlers.all()) == [officer]


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"code": "ZV"},
            {"form": {"code": ["Er is al een regeling met deze code."]}},
        ),
        (
            {"code": "Z V/1"},
            {
                "form": {
                    "code": [
                        "Gebruik voor de code hoofdletters, cijfers en koppeltekens, "
                        "bijvoorbeeld ZV of PEV-2."
                    ]
                }
            },
        ),
        (
            {"min_amount": "50000", "max_amount": "10000"},
            {"form": {"max_amount": ["Het maximumbedrag is lager dan het minimumbedrag."]}},
        ),
        (
            {"min_amount": "-1"},
            {"form": {"min_amount": ["Het bedrag kan niet negatief zijn."]}},
        ),
        (
            {"decision_weeks": "0", "budget": "veel"},
            {
                "form": {
                    "decision_weeks": ["De beslistermijn is ten minste 1 week."],
                    "budget": ["Vul een bedrag in euro’s in, bijvoorbeeld 12.500 of 12.500,50."],
                }
            },
        ),
        (
            {"criteria-0-weight": "0"},
            {
                "criteria": [
                    "Geef ten minste één criterium een weging groter dan 0: de weging telt op "
                    "tot nul."
                ]
            },
        ),
        (
            {"criteria-0-weight": "-2"},
            {"rows": [{"weight": ["De weging kan niet negatief zijn."]}]},
        ),
        (
            {"criteria-0-min_points": "11"},
            {"rows": [{"min_points": ["De minimumscore is hoger dan het maximum."]}]},
        ),
        (
            {"criteria-1-name": " bereik ", "criteria-1-weight": "1"},
            {"criteria": ["Twee criteria heten „bereik”; geef elk criterium een eigen naam."]},
        ),
        (
            {"criteria-0-name": "", "criteria-0-weight": "1", "criteria-0-min_points": "0"},
            {
                "criteria": [
                    "Een tender rangschikt de aanvragen op hun gewogen score: geef de regeling "
                    "ten minste één beoordelingscriterium."
                ]
            },
        ),
        (
            {"min_total_score": "25"},
            {
                "criteria": [
                    "De minimale gewogen totaalscore (25) is hoger dan de hoogst haalbare "
                    "gewogen score (20)."
                ]
            },
        ),
    ],
)
def test_invalid_schemes_are_refused_with_a_dutch_message(client, scheme, changes, errors):
    client.force_login(AdministratorFactory())

    response = client.post(reverse("subsidies:scheme-create"), scheme_data(**changes))

    assert response.status_code == 200
    assert form_errors(response) == {"form": {}, "criteria": [], "rows": [], **errors}
    assert not Scheme.objects.exclude(pk=scheme.pk).exists()


def test_a_first_come_scheme_needs_no_criteria(client, officer):
    client.force_login(officer)

    response = client.post(
        reverse("subsidies:scheme-create"),
        scheme_data(
            code="TPW",
            allocation_method=AllocationMethod.first_come,
            budget="2.700.000",
            **{"criteria-0-name": "", "criteria-0-weight": "1", "criteria-0-min_points": "0"},
        ),
    )

    scheme = Scheme.objects.get(code="TPW")
    assert response.status_code == 302
    assert (scheme.budget, scheme.criteria.count()) == (Decimal("2700000.00"), 0)


@pytest.mark.parametrize("value", ["x", "-1", "99999999999999999999", "\x00", "9" * 3000])
def test_junk_in_any_field_is_a_form_error_not_a_server_error(client, officer, value):
    client.force_login(officer)
    fields = [key for key in scheme_data() if not key.startswith("criteria-") or "-0-" in key]

    for name in fields:
        response = client.post(reverse("subsidies:scheme-create"), scheme_data(**{name: value}))
        assert response.status_code in (200, 302), name
    response = client.post(reverse("subsidies:scheme-create"), dict.fromkeys(scheme_data(), value))
    assert response.status_code == 200


# --- editing a scheme -------------------------------------------------------------------------


def test_editing_audits_old_and_new_values_of_fields_and_criteria(client, scheme, officer):
    client.force_login(officer)
    care, cooperation = scheme.criteria.order_by("order")

    response = client.post(
        reverse("subsidies:scheme-edit", args=["ZV"]),
        edit_data(
            scheme,
            decision_weeks="12",
            **{
                "criteria-1-weight": "2,5",
                "criteria-1-name": "Samenwerking en draagvlak",
                "criteria-0-DELETE": "on",
                "criteria-2-name": "Toekomstbestendigheid",
                "criteria-2-weight": "1",
            },
        ),
    )

    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.decision_weeks == 12
    assert [(c.pk, c.name, c.weight, c.order) for c in scheme.criteria.all()] == [
        (cooperation.pk, "Samenwerking en draagvlak", Decimal("2.50"), 1),
        (cooperation.pk + 1, "Toekomstbestendigheid", Decimal("1.00"), 2),
    ]
    [entry] = entries(scheme)
    assert entry.action == AuditAction.update
    assert entry.changes == {
        "decision_weeks": [10, 12],
        "criterion:Bijdrage aan zorg": [
            {"description": "", "weight": "3.00", "max_points": 10, "min_points": 5},
            None,
        ],
        "criterion:Samenwerking": ["Samenwerking", "Samenwerking en draagvlak"],
        "criterion:Samenwerking en draagvlak": [
            {"description": "", "weight": "2.00", "max_points": 10, "min_points": 4},
            {"description": "", "weight": "2.50", "max_points": 10, "min_points": 4},
        ],
        "criterion:Toekomstbestendigheid": [
            None,
            {"description": "", "weight": "1.00", "max_points": 10, "min_points": 0},
        ],
    }


def test_saving_without_changes_records_nothing(client, scheme, officer):
    client.force_login(officer)

    response = client.post(reverse("subsidies:scheme-edit", args=["ZV"]), edit_data(scheme))

    assert response.status_code == 302
    assert entries(scheme) == []


def test_two_criteria_may_swap_their_names(client, scheme, officer):
    client.force_login(officer)

    response = client.post(
        reverse("subsidies:scheme-edit", args=["ZV"]),
        edit_data(
            scheme,
            **{"criteria-0-name": "Samenwerking", "criteria-1-name": "Bijdrage aan zorg"},
        ),
    )

    assert response.status_code == 302
    assert [c.name for c in scheme.criteria.all()] == ["Samenwerking", "Bijdrage aan zorg"]


def test_a_scored_criterion_keeps_its_weight_and_points_and_cannot_be_removed(
    client, scheme, officer
):
    care = scheme.criteria.get(name="Bijdrage aan zorg")
    review = ReviewFactory(application=ApplicationFactory(tender=TenderFactory(scheme=scheme)))
    review.scores.create(criterion=care, points=7)
    client.force_login(officer)
    url = reverse("subsidies:scheme-edit", args=["ZV"])

    form = client.get(url).context["formset"].forms[0]
    changed = client.post(url, edit_data(scheme, **{"criteria-0-weight": "9"}))
    deleted = client.post(url, edit_data(scheme, **{"criteria-0-DELETE": "on"}))

    assert form.fields["weight"].disabled is True
    assert changed.status_code == 302  # the disabled field keeps its value
    assert form_errors(deleted)["criteria"] == [
        "„Bijdrage aan zorg” is al gebruikt in beoordelingen en kan niet worden verwijderd."
    ]
    care.refresh_from_db()
    assert care.weight == Decimal("3.00")
    with pytest.raises(ValidationError) as error:
        schemes.update_scheme(
            scheme,
            by=officer,
            data={},
            criteria=[
                schemes.CriterionRow(
                    criterion=care,
                    data={
                        "name": care.name,
                        "description": "",
                        "weight": Decimal(9),
                        "max_points": 10,
                        "min_points": 5,
                    },
                )
            ],
        )
    assert error.value.message_dict == {
        "criteria": [
            "„Bijdrage aan zorg” is al gebruikt in beoordelingen: de weging en de punten "
            "liggen vast."
        ]
    }


def test_a_criterion_of_another_scheme_cannot_be_edited_through_this_one(client, scheme, officer):
    foreign = CriterionFactory(scheme=SchemeFactory(handlers=[officer]), name="Vreemd")
    client.force_login(officer)

    response = client.post(
        reverse("subsidies:scheme-edit", args=["ZV"]),
        edit_data(scheme, **{"criteria-0-id": str(foreign.pk), "criteria-0-name": "Overgenomen"}),
    )

    assert response.status_code == 200
    assert form_errors(response)["rows"] == [
        {"__all__": ["Dit criterium hoort niet bij de regeling."]}
    ]
    foreign.refresh_from_db()
    assert foreign.name == "Vreemd"


def test_the_code_of_a_scheme_with_applications_is_fixed(client, scheme, officer):
    ApplicationFactory(tender=TenderFactory(scheme=scheme))
    client.force_login(officer)

    response = client.post(
        reverse("subsidies:scheme-edit", args=["ZV"]), edit_data(scheme, code="ZORG", name="Z")
    )

    scheme.refresh_from_db()
    assert response.status_code == 302
    assert (scheme.code, scheme.name) == ("ZV", "Z")
    with pytest.raises(ValidationError) as error:
        schemes.update_scheme(scheme, by=officer, data={"code": "ZORG"})
    assert error.value.message_dict == {
        "code": [
            "De regeling heeft al aanvragen met zaaknummers die met ZV beginnen: de code ligt vast."
        ]
    }


def test_administrator_changes_the_handlers_and_the_change_is_audited(client, scheme, officer):
    successor = SubsidyOfficerFactory(username="opvolger")
    client.force_login(AdministratorFactory())

    response = client.post(
        reverse("subsidies:scheme-edit", args=["ZV"]),
        edit_data(scheme, handlers=[str(successor.pk)]),
    )

    assert response.status_code == 302
    assert list(scheme.handlers.all()) == [successor]
    [entry] = entries(scheme)
    assert entry.changes == {"handlers": [[officer.username], ["opvolger"]]}


def test_junk_in_the_criteria_management_form_is_a_form_error(client, scheme, officer):
    client.force_login(officer)
    url = reverse("subsidies:scheme-edit", args=["ZV"])

    for value in ["x", "-1", "99999999999999999999", "\x00"]:
        response = client.post(url, edit_data(scheme, **{"criteria-TOTAL_FORMS": value}))
        assert response.status_code == 200
        assert form_errors(response)["criteria"] != []
    for value in ["x", "-1", "99999999999999999999"]:
        response = client.post(url, edit_data(scheme, **{"criteria-0-id": value}))
        assert response.status_code == 200
    assert Criterion.objects.filter(scheme=scheme).count() == 2


def test_scheme_line_choice_names_the_umbrella(client, officer):
    line = ProgrammeLineFactory(name="Wonen", umbrella__name="Leefbaarheidsprogramma 2020-2023")
    client.force_login(officer)

    form = client.get(reverse("subsidies:scheme-create")).context["form"]

    assert dict(form.fields["line"].choices)[line.pk] == "Leefbaarheidsprogramma 2020-2023 – Wonen"
