"""Tenders in the browser: the tender page (ceiling, reserve, requested and granted, counts by
status, the applications in ranking order), creating and changing a tender, and changing its
ceiling with a reason under a row lock, audited."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from regioportal.models import AuditAction, AuditEntry
from subsidies import schemes
from subsidies.enums import ApplicationStatus
from subsidies.models import Tender
from tests.factories import (
    AdministratorFactory,
    ApplicationFactory,
    CoordinatorFactory,
    ProgrammeManagerFactory,
    ReviewerFactory,
    SchemeFactory,
    SubsidyOfficerFactory,
    TenderFactory,
)

pytestmark = pytest.mark.django_db

GRANTED = ApplicationStatus.granted


def moment(*args):
    return timezone.make_aware(datetime.datetime(*args))


@pytest.fixture
def officer():
    return SubsidyOfficerFactory()


@pytest.fixture
def tender(officer):
    scheme = SchemeFactory(code="ZV", handlers=[officer])
    return TenderFactory(
        scheme=scheme,
        name="2023 – ronde 2",
        ceiling=Decimal("400000"),
        reserve=Decimal("25000"),
        opens_at=moment(2023, 5, 1, 9, 0),
        closes_at=moment(2023, 6, 12, 17, 0),
    )


def grant(tender, amount, **fields):
    application = ApplicationFactory(
        tender=tender,
        status=GRANTED,
        requested_amount=amount,
        granted_amount=amount,
        **fields,
    )
    Tender.objects.filter(pk=tender.pk).update(granted_total=tender.granted_total + amount)
    tender.refresh_from_db()
    return application


def entries(obj):
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        ).order_by("id")
    )


def errors(response):
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def tender_data(**changes):
    return {
        "name": "2024 – ronde 1",
        "opens_at": "2024-03-01T09:00",
        "closes_at": "2024-04-30T17:00",
        "ceiling": "500000",
        "reserve": "0",
        **changes,
    }


# --- the tender page --------------------------------------------------------------------------


def test_tender_page_shows_requested_granted_ceiling_and_counts_by_status(client, tender):
    grant(tender, Decimal("150000"), rank=1, score_total=Decimal("41"))
    grant(tender, Decimal("120000"), rank=2, score_total=Decimal("38"))
    ApplicationFactory(
        tender=tender,
        requested_amount=Decimal("140000"),
        status=ApplicationStatus.rejected,
        rank=3,
        score_total=Decimal("30"),
    )
    ApplicationFactory(tender=tender, requested_amount=Decimal("60000"))
    client.force_login(ProgrammeManagerFactory())

    response = client.get(reverse("subsidies:tender-detail", args=[tender.pk]))

    context = response.context
    assert (context["requested"], context["remaining"], context["available"]) == (
        Decimal("470000.00"),
        Decimal("130000.00"),
        Decimal("105000.00"),
    )
    counts = {row["status"].value: row["count"] for row in context["status_rows"] if row["count"]}
    assert counts == {"ontvangen": 1, "verleend": 2, "afgewezen": 1}
    granted = next(row for row in context["status_rows"] if row["status"] == GRANTED)
    assert granted["granted"] == Decimal("270000.00")
    assert [a.rank for a in context["applications"]] == [1, 2, 3, None]
    html = response.content.decode()
    assert 'data-figure="ceiling">€\xa0400.000<' in html
    assert 'data-figure="granted">€\xa0270.000<' in html
    assert "68% van het plafond verleend" in html


def test_tender_page_counts_only_the_applications_the_user_may_see(client, tender):
    reviewer = ReviewerFactory(roles=["Beoordelaar", "Subsidiebehandelaar"])
    ApplicationFactory(tender=tender)
    client.force_login(reviewer)

    response = client.get(reverse("subsidies:tender-detail", args=[tender.pk]))

    assert response.context["application_count"] == 0
    assert response.context["applications"] == []


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
def test_tender_page_is_for_officers_programme_managers_and_administrators(
    client, tender, factory, status
):
    client.force_login(factory())

    response = client.get(reverse("subsidies:tender-detail", args=[tender.pk]))

    assert response.status_code == status


def test_a_missing_tender_is_not_found(client, tender):
    client.force_login(AdministratorFactory())

    response = client.get(reverse("subsidies:tender-detail", args=[987654321]))

    assert response.status_code == 404


def test_tender_page_links_to_the_ranking_only_when_that_page_exists(client, tender):
    client.force_login(ProgrammeManagerFactory())

    response = client.get(reverse("subsidies:tender-detail", args=[tender.pk]))

    try:
        expected = reverse("subsidies:tender-ranking", kwargs={"pk": tender.pk})
    except Exception:  # noqa: BLE001 - the ranking page is another part of the journey
        expected = None
    assert response.context["ranking_url"] == expected


@pytest.mark.parametrize("extra", [0, 6])
def test_tender_page_takes_a_fixed_number_of_queries(
    client, tender, officer, extra, django_assert_num_queries
):
    for _number in range(extra):
        grant(tender, Decimal("1000"))
    schemes.change_ceiling(tender, new_ceiling=Decimal("450000"), reason="GS-besluit", by=officer)
    client.force_login(officer)
    url = reverse("subsidies:tender-detail", args=[tender.pk])
    client.get(url)  # the user's roles are cached between requests

    # user, tender, counts by status, applications, ceiling changes, handled schemes
    with django_assert_num_queries(6):
        response = client.get(url)

    assert len(response.context["applications"]) == extra


# --- creating and changing a tender -----------------------------------------------------------


def test_officer_creates_a_tender_in_a_scheme_they_handle_and_it_is_audited(
    client, tender, officer
):
    client.force_login(officer)

    response = client.post(
        reverse("subsidies:tender-create", args=["ZV"]),
        tender_data(ceiling="€ 1.250.000", reserve="50.000"),
    )

    created = Tender.objects.get(name="2024 – ronde 1")
    assert response.status_code == 302
    assert response["Location"] == reverse("subsidies:tender-detail", args=[created.pk])
    assert (created.scheme, created.ceiling, created.reserve, created.granted_total) == (
        tender.scheme,
        Decimal("1250000.00"),
        Decimal("50000.00"),
        Decimal("0.00"),
    )
    assert created.opens_at == moment(2024, 3, 1, 9, 0)
    [entry] = entries(created)
    assert entry.action == AuditAction.create
    assert entry.changes["ceiling"] == [None, "1250000.00"]
    assert entry.changes["opens_at"] == [None, "2024-03-01T08:00:00+00:00"]


@pytest.mark.parametrize(
    ("factory", "status"),
    [
        (SubsidyOfficerFactory, 403),  # does not handle the scheme
        (ProgrammeManagerFactory, 403),
        (AdministratorFactory, 302),
        (ReviewerFactory, 404),
        (CoordinatorFactory, 404),
    ],
)
def test_who_may_create_a_tender(client, tender, factory, status):
    client.force_login(factory())

    response = client.post(reverse("subsidies:tender-create", args=["ZV"]), tender_data())

    assert response.status_code == status
    assert Tender.objects.filter(name="2024 – ronde 1").exists() is (status == 302)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"closes_at": "2024-03-01T09:00"},
            {"closes_at": ["De tender moet sluiten na het moment waarop hij opent."]},
        ),
        ({"ceiling": "0"}, {"ceiling": ["Het subsidieplafond moet groter zijn dan € 0."]}),
        ({"ceiling": "-5"}, {"ceiling": ["Het bedrag kan niet negatief zijn."]}),
        (
            {"reserve": "600000"},
            {"reserve": ["De reserve is groter dan het subsidieplafond (€\xa0500.000)."]},
        ),
        (
            {"name": "2023 – ronde 2"},
            {"name": ["Deze regeling heeft al een tender met deze naam."]},
        ),
        (
            {"opens_at": "0001-01-01T00:00"},
            {"opens_at": ["Vul een moment tussen 2000 en 2100 in."]},
        ),
        (
            {"opens_at": "31-02-2024 09:00", "ceiling": ""},
            {
                "opens_at": ["Vul een datum en tijd in, bijvoorbeeld 01-03-2024 09:00."],
                "ceiling": ["Vul een bedrag in."],
            },
        ),
    ],
)
def test_invalid_tenders_are_refused_with_a_dutch_message(
    client, tender, officer, changes, expected
):
    client.force_login(officer)

    response = client.post(reverse("subsidies:tender-create", args=["ZV"]), tender_data(**changes))

    assert response.status_code == 200
    assert errors(response) == expected
    assert Tender.objects.count() == 1


@pytest.mark.parametrize(
    "value", ["x", "-1", "99999999999999999999", "9999-12-31", "\x00", "<script>", "9" * 3000]
)
def test_junk_in_the_tender_forms_is_a_form_error(client, tender, officer, value):
    client.force_login(officer)
    urls = [
        (reverse("subsidies:tender-create", args=["ZV"]), tender_data()),
        (reverse("subsidies:tender-edit", args=[tender.pk]), tender_data()),
        (
            reverse("subsidies:tender-raise-ceiling", args=[tender.pk]),
            {"new_ceiling": "500000", "reason": "GS-besluit"},
        ),
    ]

    for url, data in urls:
        for name in data:
            response = client.post(url, {**data, name: value})
            assert response.status_code in (200, 302), (url, name)
        assert client.post(url, dict.fromkeys(data, value)).status_code == 200


def test_editing_a_tender_audits_old_and_new_values_and_leaves_the_ceiling_alone(
    client, tender, officer
):
    client.force_login(officer)

    form = client.get(reverse("subsidies:tender-edit", args=[tender.pk])).context["form"]
    response = client.post(
        reverse("subsidies:tender-edit", args=[tender.pk]),
        {
            "name": "2023 – ronde 2",
            "opens_at": "2023-05-01T09:00",
            "closes_at": "2023-06-19T17:00",
            "reserve": "25000",
            "ceiling": "9000000",
        },
    )

    assert "ceiling" not in form.fields
    assert form["opens_at"].value().strftime("%H:%M") == "09:00"  # local time in the form
    assert response.status_code == 302
    tender.refresh_from_db()
    assert (tender.ceiling, tender.closes_at) == (Decimal("400000.00"), moment(2023, 6, 19, 17))
    [entry] = entries(tender)
    assert entry.changes == {
        "closes_at": ["2023-06-12T15:00:00+00:00", "2023-06-19T15:00:00+00:00"]
    }


def test_a_reserve_grows_only_within_what_is_not_yet_granted(client, tender, officer):
    grant(tender, Decimal("360000"))
    client.force_login(officer)
    url = reverse("subsidies:tender-edit", args=[tender.pk])
    data = {
        "name": tender.name,
        "opens_at": "2023-05-01T09:00",
        "closes_at": "2023-06-12T17:00",
    }

    grown = client.post(url, {**data, "reserve": "50000"})
    shrunk = client.post(url, {**data, "reserve": "10000"})

    assert errors(grown) == {
        "reserve": [
            "Er is al €\xa0360.000 verleend van het plafond van €\xa0400.000: de reserve kan niet "
            "hoger worden dan €\xa040.000."
        ]
    }
    assert shrunk.status_code == 302
    tender.refresh_from_db()
    assert tender.reserve == Decimal("10000.00")


# --- the ceiling ------------------------------------------------------------------------------


def test_raising_the_ceiling_records_old_and_new_ceiling_with_the_reason(client, tender, officer):
    client.force_login(officer)

    response = client.post(
        reverse("subsidies:tender-raise-ceiling", args=[tender.pk]),
        {"new_ceiling": "450.000", "reason": "Besluit GS 12 september 2023: extra middelen."},
    )

    assert response.status_code == 302
    tender.refresh_from_db()
    assert tender.ceiling == Decimal("450000.00")
    [entry] = entries(tender)
    assert (entry.actor, entry.action, entry.changes, entry.reason) == (
        officer,
        AuditAction.update,
        {"ceiling": ["400000.00", "450000.00"]},
        "Besluit GS 12 september 2023: extra middelen.",
    )
    page = client.get(reverse("subsidies:tender-detail", args=[tender.pk]))
    assert [e.pk for e in page.context["ceiling_changes"]] == [entry.pk]
    assert "Besluit GS 12 september 2023: extra middelen." in page.content.decode()


def test_the_ceiling_cannot_go_below_what_is_granted_or_the_reserve(client, tender, officer):
    grant(tender, Decimal("300000"))
    client.force_login(officer)
    url = reverse("subsidies:tender-raise-ceiling", args=[tender.pk])

    below_granted = client.post(url, {"new_ceiling": "299999,99", "reason": "Bezuiniging"})
    without_reason = client.post(url, {"new_ceiling": "500000", "reason": "  "})
    zero = client.post(url, {"new_ceiling": "0", "reason": "Nul"})

    assert errors(below_granted) == {
        "new_ceiling": [
            "Er is al €\xa0300.000 verleend: het plafond kan niet lager worden dan dat bedrag."
        ]
    }
    assert errors(without_reason) == {"reason": ["Geef de reden van de wijziging van het plafond."]}
    assert errors(zero) == {"new_ceiling": ["Het subsidieplafond moet groter zijn dan € 0."]}
    with pytest.raises(ValidationError) as error:
        schemes.change_ceiling(
            TenderFactory(scheme=tender.scheme, ceiling=100, reserve=50),
            new_ceiling=Decimal(40),
            reason="Te laag",
            by=officer,
        )
    assert error.value.message_dict == {
        "new_ceiling": ["Het plafond kan niet lager worden dan de reserve voor bezwaar (€\xa050)."]
    }
    tender.refresh_from_db()
    assert tender.ceiling == Decimal("400000.00")
    assert entries(tender) == []


def test_the_same_ceiling_again_changes_and_records_nothing(tender, officer):
    schemes.change_ceiling(tender, new_ceiling=Decimal("400000"), reason="Gelijk", by=officer)

    assert entries(tender) == []


@pytest.mark.parametrize(
    ("factory", "status"),
    [
        (SubsidyOfficerFactory, 403),  # does not handle the scheme
        (ProgrammeManagerFactory, 403),
        (AdministratorFactory, 302),
        (ReviewerFactory, 404),
        (CoordinatorFactory, 404),
    ],
)
def test_who_may_change_the_ceiling(client, tender, factory, status):
    client.force_login(factory())

    response = client.post(
        reverse("subsidies:tender-raise-ceiling", args=[tender.pk]),
        {"new_ceiling": "500000", "reason": "GS-besluit"},
    )

    assert response.status_code == status
    tender.refresh_from_db()
    assert tender.ceiling == (Decimal("500000.00") if status == 302 else Decimal("400000.00"))


def test_change_ceiling_checks_the_rule_itself(tender):
    with pytest.raises(PermissionDenied):
        schemes.change_ceiling(
            tender, new_ceiling=Decimal(1), reason="x", by=ProgrammeManagerFactory()
        )


@pytest.mark.django_db(transaction=True)
def test_a_ceiling_change_waits_for_a_grant_that_holds_the_tender_lock():
    """A grant locks the tender row and raises the granted total; a ceiling lowered at the same
    moment must see that total, not the one from before, and refuse."""
    officer = SubsidyOfficerFactory()
    tender = TenderFactory(scheme=SchemeFactory(handlers=[officer]), ceiling=Decimal("100000"))
    locked, release = threading.Event(), threading.Event()
    outcome = {}

    def grant_in_another_transaction():
        try:
            with transaction.atomic():
                row = Tender.objects.select_for_update().get(pk=tender.pk)
                row.granted_total = Decimal("90000")
                row.save(update_fields=["granted_total"])
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    granting = threading.Thread(target=grant_in_another_transaction)
    granting.start()
    locked.wait(10)

    def lower_ceiling():
        try:
            schemes.change_ceiling(
                tender, new_ceiling=Decimal("80000"), reason="Bezuiniging", by=officer
            )
            outcome["result"] = "changed"
        except ValidationError as error:
            outcome["result"] = error.message_dict["new_ceiling"][0]
        finally:
            connection.close()

    lowering = threading.Thread(target=lower_ceiling)
    lowering.start()
    lowering.join(0.5)
    still_waiting = lowering.is_alive()
    release.set()
    granting.join(10)
    lowering.join(10)

    assert still_waiting is True
    assert outcome["result"] == (
        "Er is al €\xa090.000 verleend: het plafond kan niet lager worden dan dat bedrag."
    )
    tender.refresh_from_db()
    assert (tender.ceiling, tender.granted_total) == (Decimal("100000.00"), Decimal("90000.00"))
