"""The Awb lifecycle after receipt (subsidies.lifecycle): every step, its guards (state, user,
dates, amounts), its audit entry and its idempotence."""

import datetime
import threading
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from regioportal.audit import entries_for
from regioportal.models import AuditAction
from subsidies import lifecycle
from subsidies.enums import (
    ApplicationStatus,
    DecisionOutcome,
    ObjectionOutcome,
    PaymentKind,
)
from subsidies.models import Decision, Objection, Payment
from subsidies.signals import decision_made
from subsidies.transitions import TransitionError
from tests.factories import (
    ApplicationFactory,
    ProgrammeManagerFactory,
    ReviewerFactory,
    ReviewFactory,
    SchemeFactory,
    SubsidyOfficerFactory,
    TenderFactory,
)

S = ApplicationStatus
D = datetime.date
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TODAY = D(2024, 6, 3)
REQUESTED_ON = D(2024, 4, 10)


@pytest.fixture(autouse=True)
def _today():
    """Monday 3 June 2024, noon in the Netherlands."""
    with time_machine.travel(datetime.datetime(2024, 6, 3, 12, 0, tzinfo=AMSTERDAM), tick=False):
        yield


@pytest.fixture
def officer(db):
    return SubsidyOfficerFactory(username="behandelaar.a")


@pytest.fixture
def scheme(officer):
    return SchemeFactory(handlers=[officer], decision_weeks=8, completion_weeks=2)


def make_application(scheme, **fields):
    """Received Tuesday 2 April 2024: the beslistermijn of 8 weeks ends Tuesday 28 May."""
    fields.setdefault("received_on", D(2024, 4, 2))
    fields.setdefault("decision_deadline", D(2024, 5, 28))
    return ApplicationFactory(tender=TenderFactory(scheme=scheme), **fields)


@pytest.fixture
def application(scheme):
    return make_application(scheme)


def granted(scheme, status=S.granted, **fields):
    return make_application(
        scheme,
        status=status,
        granted_amount=Decimal("40000.00"),
        decided_on=D(2024, 5, 15),
        **fields,
    )


def decision(application, outcome=DecisionOutcome.rejected, **fields):
    fields.setdefault("decided_on", D(2024, 5, 15))
    return Decision.objects.create(application=application, outcome=outcome, **fields)


def status_entries(application):
    return list(entries_for(application).filter(action=AuditAction.status).order_by("at", "id"))


@pytest.fixture
def decisions_made():
    sent = []

    def receiver(sender, decision, by, **kwargs):
        sent.append((decision.pk, by))

    decision_made.connect(receiver, weak=False, dispatch_uid="test-lifecycle")
    yield sent
    decision_made.disconnect(dispatch_uid="test-lifecycle")


# --- request_completion -------------------------------------------------------------------


def test_requesting_completion_sets_the_hersteltermijn_and_audits_the_move(application, officer):
    lifecycle.request_completion(
        application, by=officer, reason="Begroting ontbreekt.", requested_on=D(2024, 4, 10)
    )

    application.refresh_from_db()
    assert (
        application.status,
        application.incomplete_since,
        application.completion_deadline,
    ) == (S.incomplete, D(2024, 4, 10), D(2024, 4, 24))
    [entry] = status_entries(application)
    assert (entry.actor, entry.reason, entry.changes) == (
        officer,
        "Begroting ontbreekt.",
        {
            "status": ["ontvangen", "onvolledig"],
            "incomplete_since": [None, "2024-04-10"],
            "completion_deadline": [None, "2024-04-24"],
        },
    )


def test_a_hersteltermijn_ending_on_ascension_day_ends_the_next_working_day(application, officer):
    # Thursday 25 April + 2 weeks = Thursday 9 May 2024, Hemelvaartsdag.
    lifecycle.request_completion(
        application, by=officer, reason="Offerte ontbreekt.", requested_on=D(2024, 4, 25)
    )

    application.refresh_from_db()
    assert application.completion_deadline == D(2024, 5, 10)


def test_the_hersteltermijn_follows_the_scheme(officer):
    scheme = SchemeFactory(handlers=[officer], completion_weeks=4)
    application = make_application(scheme)

    lifecycle.request_completion(
        application, by=officer, reason="Offerte ontbreekt.", requested_on=D(2024, 4, 10)
    )

    application.refresh_from_db()
    assert application.completion_deadline == D(2024, 5, 8)


def test_completion_can_be_requested_during_review(scheme, officer):
    application = make_application(scheme, status=S.in_review)

    lifecycle.request_completion(
        application, by=officer, reason="Offerte ontbreekt.", requested_on=D(2024, 4, 10)
    )

    application.refresh_from_db()
    assert application.status == S.incomplete


def test_requesting_completion_twice_changes_nothing_the_second_time(application, officer):
    lifecycle.request_completion(
        application, by=officer, reason="Begroting ontbreekt.", requested_on=D(2024, 4, 10)
    )
    lifecycle.request_completion(
        application, by=officer, reason="Begroting ontbreekt.", requested_on=D(2024, 4, 12)
    )

    application.refresh_from_db()
    assert (application.incomplete_since, len(status_entries(application))) == (
        D(2024, 4, 10),
        1,
    )


def test_requesting_completion_without_saying_what_is_missing_is_refused(application, officer):
    with pytest.raises(ValidationError) as error:
        lifecycle.request_completion(application, by=officer, reason="  ")

    assert error.value.message_dict == {"reason": ["Vul in wat er aan de aanvraag ontbreekt."]}
    application.refresh_from_db()
    assert application.status == S.received


@pytest.mark.parametrize(
    ("requested_on", "message"),
    [
        (D(2024, 4, 1), "Deze datum ligt vóór de ontvangst van de aanvraag (2 april 2024)."),
        (D(2024, 6, 4), "Deze datum ligt in de toekomst."),
        (D(9999, 12, 31), "Deze datum ligt in de toekomst."),
    ],
)
def test_a_completion_request_dated_before_receipt_or_in_the_future_is_refused(
    application, officer, requested_on, message
):
    with pytest.raises(ValidationError) as error:
        lifecycle.request_completion(
            application, by=officer, reason="Begroting.", requested_on=requested_on
        )

    assert error.value.message_dict == {"requested_on": [message]}


def test_a_granted_application_cannot_be_made_incomplete(scheme, officer):
    application = granted(scheme)

    with pytest.raises(TransitionError) as error:
        lifecycle.request_completion(application, by=officer, reason="Begroting.")

    assert error.value.message == "Een aanvraag met status “Verleend” kan niet naar “Onvolledig”."


@pytest.mark.parametrize(
    "make_user",
    [
        lambda: SubsidyOfficerFactory(),  # handles another scheme
        lambda: ReviewerFactory(),
        lambda: ProgrammeManagerFactory(),
    ],
    ids=["officer-of-another-scheme", "reviewer", "programme-manager"],
)
def test_only_a_handler_of_the_scheme_may_request_completion(application, make_user):
    with pytest.raises(PermissionDenied):
        lifecycle.request_completion(application, by=make_user(), reason="Begroting.")

    application.refresh_from_db()
    assert (application.status, status_entries(application)) == (S.received, [])


# --- receive_completion -------------------------------------------------------------------


def incomplete(scheme, *, since=REQUESTED_ON, status_before=S.received, officer=None):
    application = make_application(scheme, status=status_before)
    lifecycle.request_completion(
        application, by=officer, reason="Begroting ontbreekt.", requested_on=since
    )
    application.refresh_from_db()
    return application


def test_a_completion_adds_the_suspension_to_the_beslistermijn(scheme, officer):
    application = incomplete(scheme, since=D(2024, 4, 10))

    lifecycle.receive_completion(application, by=officer, completed_on=D(2024, 4, 20))

    application.refresh_from_db()
    # Suspended 11 up to and including 20 April: 10 days; 28 May + 10 = Friday 7 June.
    assert (
        application.status,
        application.paused_days,
        application.decision_deadline,
        application.incomplete_since,
        application.completion_deadline,
    ) == (S.received, 10, D(2024, 6, 7), None, None)
    entry = status_entries(application)[-1]
    assert (entry.actor, entry.changes) == (
        officer,
        {
            "status": ["onvolledig", "ontvangen"],
            "completed_on": [None, "2024-04-20"],
            "paused_days": [0, 10],
            "decision_deadline": ["2024-05-28", "2024-06-07"],
            "incomplete_since": ["2024-04-10", None],
            "completion_deadline": ["2024-04-24", None],
        },
    )


def test_a_completion_received_the_same_day_suspends_nothing(scheme, officer):
    application = incomplete(scheme, since=D(2024, 4, 10))

    lifecycle.receive_completion(application, by=officer, completed_on=D(2024, 4, 10))

    application.refresh_from_db()
    assert (application.paused_days, application.decision_deadline) == (0, D(2024, 5, 28))


def test_an_application_completed_during_review_goes_back_to_review(scheme, officer):
    application = incomplete(scheme, status_before=S.in_review)

    lifecycle.receive_completion(application, by=officer, completed_on=D(2024, 4, 15))

    application.refresh_from_db()
    assert application.status == S.in_review


def test_two_suspensions_add_up(scheme, officer):
    application = incomplete(scheme, since=D(2024, 4, 10))
    lifecycle.receive_completion(application, by=officer, completed_on=D(2024, 4, 15))
    lifecycle.request_completion(
        application, by=officer, reason="Handtekening ontbreekt.", requested_on=D(2024, 4, 22)
    )
    lifecycle.receive_completion(application, by=officer, completed_on=D(2024, 4, 25))

    application.refresh_from_db()
    # 5 + 3 days: 28 May + 8 = Wednesday 5 June.
    assert (application.paused_days, application.decision_deadline) == (8, D(2024, 6, 5))


def test_a_late_completion_suspends_only_until_the_hersteltermijn_ended(scheme, officer):
    application = incomplete(scheme, since=D(2024, 4, 10))  # hersteltermijn to 24 April

    lifecycle.receive_completion(application, by=officer, completed_on=D(2024, 5, 1))

    application.refresh_from_db()
    # Awb 4:15(1)(a): 11 up to and including 24 April, 14 days; 28 May + 14 = 11 June.
    assert (application.paused_days, application.decision_deadline) == (14, D(2024, 6, 11))


def test_a_suspended_deadline_that_lands_on_whit_monday_moves_to_tuesday(officer):
    scheme = SchemeFactory(handlers=[officer])
    # Received Tuesday 19 March 2024: 8 weeks end Tuesday 14 May; 6 days of suspension
    # would end on Pinkstermaandag 20 May.
    application = make_application(
        scheme, received_on=D(2024, 3, 19), decision_deadline=D(2024, 5, 14)
    )
    lifecycle.request_completion(
        application, by=officer, reason="Begroting.", requested_on=D(2024, 3, 20)
    )

    lifecycle.receive_completion(application, by=officer, completed_on=D(2024, 3, 26))

    application.refresh_from_db()
    assert (application.paused_days, application.decision_deadline) == (6, D(2024, 5, 21))


def test_receiving_the_completion_twice_changes_nothing_the_second_time(scheme, officer):
    application = incomplete(scheme)
    lifecycle.receive_completion(application, by=officer, completed_on=D(2024, 4, 20))
    lifecycle.receive_completion(application, by=officer, completed_on=D(2024, 4, 22))

    application.refresh_from_db()
    assert (application.paused_days, len(status_entries(application))) == (10, 2)


def test_a_completion_before_the_request_is_refused(scheme, officer):
    application = incomplete(scheme, since=D(2024, 4, 10))

    with pytest.raises(ValidationError) as error:
        lifecycle.receive_completion(application, by=officer, completed_on=D(2024, 4, 9))

    assert error.value.message_dict == {
        "completed_on": ["De aanvulling kan niet vóór het verzoek (10 april 2024) zijn ontvangen."]
    }


def test_a_completion_for_a_granted_application_is_refused(scheme, officer):
    with pytest.raises(TransitionError) as error:
        lifecycle.receive_completion(granted(scheme), by=officer)

    assert error.value.message == (
        "Een aanvulling kan alleen worden vastgelegd voor een onvolledige aanvraag."
    )


def test_only_a_handler_may_record_a_completion(scheme):
    application = incomplete(scheme)

    with pytest.raises(PermissionDenied):
        lifecycle.receive_completion(application, by=SubsidyOfficerFactory())


# --- start_review, record_advice ----------------------------------------------------------


def test_starting_the_review_moves_a_received_application_into_review(application, officer):
    lifecycle.start_review(application, by=officer)
    lifecycle.start_review(application, by=officer)

    application.refresh_from_db()
    assert application.status == S.in_review
    [entry] = status_entries(application)
    assert (entry.actor, entry.changes) == (
        officer,
        {"status": ["ontvangen", "in_beoordeling"]},
    )


def test_an_incomplete_application_needs_its_completion_before_review(scheme, officer):
    application = incomplete(scheme)

    with pytest.raises(TransitionError) as error:
        lifecycle.start_review(application, by=officer)

    assert error.value.message == (
        "De aanvraag is onvolledig: leg eerst vast dat de aanvulling is ontvangen."
    )


def test_recording_the_advice_moves_a_reviewed_application_to_advice(scheme, officer):
    application = make_application(scheme, status=S.in_review)

    lifecycle.record_advice(application, by=officer, note="Twee positieve adviezen.")

    application.refresh_from_db()
    [entry] = status_entries(application)
    assert (application.status, entry.reason) == (S.advised, "Twee positieve adviezen.")


def test_advice_needs_a_review_first(application, officer):
    with pytest.raises(TransitionError) as error:
        lifecycle.record_advice(application, by=officer)

    assert error.value.message == "Een aanvraag met status “Ontvangen” kan niet naar “Advies”."


# --- not_consider -------------------------------------------------------------------------


def test_an_application_not_completed_in_time_is_not_considered(scheme, officer, decisions_made):
    application = incomplete(scheme, since=D(2024, 4, 10))  # hersteltermijn to 24 April

    made = lifecycle.not_consider(
        application, by=officer, decided_on=D(2024, 4, 25), motivation="Niet aangevuld."
    )

    application.refresh_from_db()
    assert (application.status, application.decided_on) == (S.not_considered, D(2024, 4, 25))
    assert (made.outcome, made.decided_on, made.decided_by, made.motivation) == (
        DecisionOutcome.not_considered,
        D(2024, 4, 25),
        officer,
        "Niet aangevuld.",
    )
    assert decisions_made == [(made.pk, officer)]
    assert status_entries(application)[-1].changes == {
        "status": ["onvolledig", "buiten_behandeling"],
        "decided_on": [None, "2024-04-25"],
    }


def test_an_application_is_not_considered_only_after_the_hersteltermijn(scheme, officer):
    application = incomplete(scheme, since=D(2024, 4, 10))

    with pytest.raises(TransitionError) as error:
        lifecycle.not_consider(application, by=officer, decided_on=D(2024, 4, 24))

    assert error.value.message == (
        "De hersteltermijn loopt tot en met 24 april 2024; pas daarna kan de aanvraag "
        "buiten behandeling worden gesteld."
    )
    assert Decision.objects.count() == 0


def test_not_considering_twice_makes_one_decision(scheme, officer, decisions_made):
    application = incomplete(scheme, since=D(2024, 4, 10))

    first = lifecycle.not_consider(application, by=officer, decided_on=D(2024, 4, 25))
    second = lifecycle.not_consider(application, by=officer, decided_on=D(2024, 4, 26))

    assert (first, Decision.objects.count(), len(decisions_made)) == (second, 1, 1)


def test_a_complete_application_cannot_be_set_aside(application, officer):
    with pytest.raises(TransitionError) as error:
        lifecycle.not_consider(application, by=officer)

    assert error.value.message == (
        "Alleen een onvolledige aanvraag kan buiten behandeling worden gesteld."
    )


def test_a_handler_who_reviewed_the_application_does_not_decide_on_it(scheme, officer):
    application = incomplete(scheme, since=D(2024, 4, 10))
    ReviewFactory(application=application, reviewer=officer)

    with pytest.raises(PermissionDenied):
        lifecycle.not_consider(application, by=officer, decided_on=D(2024, 4, 25))


# --- withdraw -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [S.received, S.incomplete, S.in_review, S.advised])
def test_an_open_application_can_be_withdrawn_at_the_applicants_request(scheme, officer, status):
    application = make_application(scheme, status=status)

    lifecycle.withdraw(
        application, by=officer, reason="Project gaat niet door.", withdrawn_on=D(2024, 5, 2)
    )

    application.refresh_from_db()
    [entry] = status_entries(application)
    assert (application.status, entry.reason, entry.changes) == (
        S.withdrawn,
        "Project gaat niet door.",
        {"status": [status.value, "ingetrokken"], "withdrawn_on": [None, "2024-05-02"]},
    )


def test_a_withdrawal_needs_a_reason(application, officer):
    with pytest.raises(ValidationError) as error:
        lifecycle.withdraw(application, by=officer, reason="")

    assert error.value.message_dict == {"reason": ["Vul de reden van de intrekking in."]}


def test_a_decided_application_cannot_be_withdrawn(scheme, officer):
    with pytest.raises(TransitionError) as error:
        lifecycle.withdraw(granted(scheme), by=officer, reason="Toch niet.")

    assert error.value.message == (
        "Over deze aanvraag is al besloten (status “Verleend”); alleen een aanvraag in "
        "behandeling kan worden ingetrokken."
    )


def test_withdrawing_twice_changes_nothing_the_second_time(application, officer):
    lifecycle.withdraw(application, by=officer, reason="Project gaat niet door.")
    lifecycle.withdraw(application, by=officer, reason="Nogmaals.")

    assert len(status_entries(application)) == 1


STEPS = {
    "request_completion": lambda a, by: lifecycle.request_completion(a, by=by, reason="Begroting."),
    "receive_completion": lambda a, by: lifecycle.receive_completion(a, by=by),
    "start_review": lambda a, by: lifecycle.start_review(a, by=by),
    "record_advice": lambda a, by: lifecycle.record_advice(a, by=by),
    "withdraw": lambda a, by: lifecycle.withdraw(a, by=by, reason="Toch niet."),
    "pay_advance": lambda a, by: lifecycle.pay_advance(a, by=by, amount=Decimal(1)),
    "receive_accountability": lambda a, by: lifecycle.receive_accountability(a, by=by),
}


@pytest.mark.parametrize("status", [S.withdrawn, S.rejected, S.not_considered, S.settled])
@pytest.mark.parametrize("step", sorted(STEPS))
def test_a_closed_application_refuses_every_step(scheme, officer, status, step):
    if (status, step) == (S.withdrawn, "withdraw"):
        pytest.skip("already where the step brings it: a no-op, tested above")
    fields = {"granted_amount": Decimal("40000.00")} if status == S.settled else {}
    application = make_application(scheme, status=status, **fields)

    with pytest.raises(TransitionError) as error:
        STEPS[step](application, officer)

    assert error.value.message == (
        f"Deze aanvraag is afgesloten (status “{status.label}”): er kan niets meer aan "
        "worden gewijzigd."
    )
    application.refresh_from_db()
    assert (application.status, Payment.objects.count(), status_entries(application)) == (
        status,
        0,
        [],
    )


# --- pay_advance --------------------------------------------------------------------------


def test_the_first_advance_moves_a_grant_to_advance_paid(scheme, officer):
    application = granted(scheme)

    payment = lifecycle.pay_advance(
        application, by=officer, amount=Decimal("32000.00"), paid_on=D(2024, 5, 29)
    )

    application.refresh_from_db()
    assert application.status == S.advance_paid
    assert (payment.kind, payment.amount, payment.paid_on) == (
        PaymentKind.advance,
        Decimal("32000.00"),
        D(2024, 5, 29),
    )
    assert status_entries(application)[-1].changes == {
        "status": ["verleend", "voorschot_betaald"],
        "advance": [None, "32000.00"],
        "paid_on": [None, "2024-05-29"],
        "paid_total": ["0.00", "32000.00"],
    }


def test_a_second_advance_keeps_the_status_and_is_audited(scheme, officer):
    application = granted(scheme)
    lifecycle.pay_advance(application, by=officer, amount=Decimal("20000"), paid_on=D(2024, 5, 29))

    lifecycle.pay_advance(application, by=officer, amount=Decimal("15000"), paid_on=D(2024, 6, 3))

    application.refresh_from_db()
    update = entries_for(application).get(action=AuditAction.update)
    assert (application.status, lifecycle.paid_total(application)) == (
        S.advance_paid,
        Decimal("35000.00"),
    )
    assert (update.actor, update.changes) == (
        officer,
        {
            "advance": [None, "15000"],
            "paid_on": [None, "2024-06-03"],
            "paid_total": ["20000.00", "35000.00"],
        },
    )


def test_advances_never_add_up_to_more_than_the_grant(scheme, officer):
    application = granted(scheme)
    lifecycle.pay_advance(application, by=officer, amount=Decimal("30000"), paid_on=D(2024, 5, 29))

    with pytest.raises(ValidationError) as error:
        lifecycle.pay_advance(application, by=officer, amount=Decimal("10000.01"))

    assert error.value.message_dict == {
        "amount": [
            "Het totaal betaalde komt dan boven het verleende bedrag (€\xa040.000). "
            "Er kan nog ten hoogste €\xa010.000 worden betaald."
        ]
    }
    assert lifecycle.paid_total(application) == Decimal("30000.00")


def test_the_full_grant_may_be_paid_in_advance(scheme, officer):
    application = granted(scheme)

    lifecycle.pay_advance(application, by=officer, amount=Decimal("40000.00"))

    assert lifecycle.paid_total(application) == Decimal("40000.00")


def test_a_repeated_advance_request_pays_once(scheme, officer):
    application = granted(scheme)

    first = lifecycle.pay_advance(application, by=officer, amount=Decimal("10000"))
    second = lifecycle.pay_advance(application, by=officer, amount=Decimal("10000"))

    assert (first, Payment.objects.count()) == (second, 1)


@pytest.mark.parametrize(
    ("amount", "paid_on", "errors"),
    [
        (Decimal(0), None, {"amount": ["Vul een bedrag groter dan nul in."]}),
        (Decimal(-5), None, {"amount": ["Vul een bedrag groter dan nul in."]}),
        (
            Decimal(100),
            D(2024, 5, 14),
            {"paid_on": ["Deze datum ligt vóór het besluit tot verlening (15 mei 2024)."]},
        ),
        (Decimal(100), D(2024, 6, 4), {"paid_on": ["Deze datum ligt in de toekomst."]}),
    ],
)
def test_an_advance_of_nothing_or_on_a_wrong_date_is_refused(
    scheme, officer, amount, paid_on, errors
):
    application = granted(scheme)

    with pytest.raises(ValidationError) as error:
        lifecycle.pay_advance(application, by=officer, amount=amount, paid_on=paid_on)

    assert error.value.message_dict == errors
    application.refresh_from_db()
    assert (application.status, Payment.objects.count()) == (S.granted, 0)


def test_no_advance_before_the_grant(application, officer):
    with pytest.raises(TransitionError) as error:
        lifecycle.pay_advance(application, by=officer, amount=Decimal(100))

    assert error.value.message == (
        "Een voorschot kan alleen worden betaald op een verleende subsidie; deze aanvraag heeft "
        "status “Ontvangen”."
    )


def test_only_a_handler_may_pay(scheme):
    with pytest.raises(PermissionDenied):
        lifecycle.pay_advance(granted(scheme), by=ReviewerFactory(), amount=Decimal(100))

    assert Payment.objects.count() == 0


# --- receive_accountability ---------------------------------------------------------------


@pytest.mark.parametrize("status", [S.granted, S.advance_paid])
def test_the_accountability_arrives_after_the_grant(scheme, officer, status):
    application = granted(scheme, status=status)

    lifecycle.receive_accountability(application, by=officer, received_on=D(2024, 6, 1))
    lifecycle.receive_accountability(application, by=officer, received_on=D(2024, 6, 1))

    application.refresh_from_db()
    [entry] = status_entries(application)
    assert (application.status, entry.changes) == (
        S.accountability,
        {
            "status": [status.value, "verantwoording"],
            "accountability_received_on": [None, "2024-06-01"],
        },
    )


def test_no_accountability_before_a_grant(application, officer):
    with pytest.raises(TransitionError) as error:
        lifecycle.receive_accountability(application, by=officer)

    assert error.value.message == (
        "Een verantwoording hoort bij een verleende subsidie; deze aanvraag heeft status "
        "“Ontvangen”."
    )


# --- settle -------------------------------------------------------------------------------


def accounted(scheme, officer, *, advance):
    application = granted(scheme)
    if advance:
        lifecycle.pay_advance(application, by=officer, amount=advance, paid_on=D(2024, 5, 20))
    lifecycle.receive_accountability(application, by=officer, received_on=D(2024, 5, 31))
    application.refresh_from_db()
    return application


def test_settling_below_what_was_paid_reclaims_the_difference(scheme, officer, decisions_made):
    application = accounted(scheme, officer, advance=Decimal("32000"))

    made = lifecycle.settle(
        application, by=officer, amount=Decimal("30000"), settled_on=D(2024, 6, 3)
    )

    application.refresh_from_db()
    assert (application.status, application.settled_amount, application.settled_on) == (
        S.settled,
        Decimal("30000.00"),
        D(2024, 6, 3),
    )
    assert (made.outcome, made.amount, made.decided_on, made.decided_by) == (
        DecisionOutcome.settled,
        Decimal("30000"),
        D(2024, 6, 3),
        officer,
    )
    assert list(Payment.objects.order_by("id").values_list("kind", "amount")) == [
        (PaymentKind.advance, Decimal("32000.00")),
        (PaymentKind.reclaim, Decimal("2000.00")),
    ]
    assert lifecycle.paid_total(application) == Decimal("30000.00")
    assert decisions_made == [(made.pk, officer)]
    assert status_entries(application)[-1].changes == {
        "status": ["verantwoording", "vastgesteld"],
        "settled_amount": [None, "30000"],
        "settled_on": [None, "2024-06-03"],
        "terugvordering": [None, "2000.00"],
    }


def test_settling_above_what_was_paid_pays_the_rest(scheme, officer):
    application = accounted(scheme, officer, advance=Decimal("32000"))

    lifecycle.settle(application, by=officer, amount=Decimal("40000"))

    assert list(Payment.objects.order_by("id").values_list("kind", "amount")) == [
        (PaymentKind.advance, Decimal("32000.00")),
        (PaymentKind.settlement, Decimal("8000.00")),
    ]


def test_settling_at_what_was_paid_makes_no_payment(scheme, officer):
    application = accounted(scheme, officer, advance=Decimal("32000"))

    lifecycle.settle(application, by=officer, amount=Decimal("32000"))

    assert Payment.objects.count() == 1


def test_settling_without_advances_pays_the_whole_amount(scheme, officer):
    application = accounted(scheme, officer, advance=None)

    lifecycle.settle(application, by=officer, amount=Decimal("25000"))

    assert list(Payment.objects.values_list("kind", "amount")) == [
        (PaymentKind.settlement, Decimal("25000.00"))
    ]


def test_settling_above_the_grant_is_refused(scheme, officer):
    application = accounted(scheme, officer, advance=None)

    with pytest.raises(ValidationError) as error:
        lifecycle.settle(application, by=officer, amount=Decimal("40000.01"))

    assert error.value.message_dict == {
        "amount": ["Het vastgestelde bedrag is hoger dan het verleende (€\xa040.000)."]
    }
    assert Decision.objects.count() == 0


def test_settling_twice_makes_one_decision(scheme, officer):
    application = accounted(scheme, officer, advance=Decimal("32000"))

    first = lifecycle.settle(application, by=officer, amount=Decimal("30000"))
    second = lifecycle.settle(application, by=officer, amount=Decimal("30000"))

    assert (first, Decision.objects.count(), Payment.objects.count()) == (second, 1, 2)


def test_settling_needs_the_accountability(scheme, officer):
    application = granted(scheme, status=S.advance_paid)

    with pytest.raises(TransitionError) as error:
        lifecycle.settle(application, by=officer, amount=Decimal(1))

    assert error.value.message == (
        "Een subsidie wordt vastgesteld na ontvangst van de verantwoording; deze aanvraag "
        "heeft status “Voorschot betaald”."
    )


def test_a_reviewer_of_the_application_does_not_settle_it(scheme, officer):
    application = accounted(scheme, officer, advance=None)
    ReviewFactory(application=application, reviewer=officer, submitted=True)

    with pytest.raises(PermissionDenied):
        lifecycle.settle(application, by=officer, amount=Decimal(1))


# --- send_decision ------------------------------------------------------------------------


def test_sending_a_decision_starts_the_bezwaartermijn(scheme, officer):
    application = make_application(scheme, status=S.rejected, decided_on=D(2024, 5, 15))
    rejection = decision(application)

    lifecycle.send_decision(rejection, by=officer, sent_on=D(2024, 5, 16))

    rejection.refresh_from_db()
    application.refresh_from_db()
    # Thursday 16 May + 6 weeks = Thursday 27 June.
    assert (rejection.sent_on, rejection.effective_on, rejection.objection_deadline) == (
        D(2024, 5, 16),
        D(2024, 5, 15),
        D(2024, 6, 27),
    )
    assert application.objection_deadline == D(2024, 6, 27)
    update = entries_for(application).get(action=AuditAction.update)
    assert (update.actor, update.changes) == (
        officer,
        {
            "decision": [None, "Afgewezen 2024-05-15"],
            "sent_on": [None, "2024-05-16"],
            "effective_on": [None, "2024-05-15"],
            "objection_deadline": [None, "2024-06-27"],
        },
    )


def test_a_bezwaartermijn_ending_on_christmas_ends_after_the_holidays(scheme, officer):
    # A decision sent on Wednesday 13 November 2024: six weeks end on Christmas Day, the
    # next day is Tweede Kerstdag, so the term ends on Friday 27 December.
    with time_machine.travel(datetime.datetime(2024, 11, 13, 12, 0, tzinfo=AMSTERDAM), tick=False):
        application = make_application(scheme, status=S.rejected, decided_on=D(2024, 11, 12))
        rejection = decision(application, decided_on=D(2024, 11, 12))
        lifecycle.send_decision(rejection, by=officer)

    rejection.refresh_from_db()
    assert (rejection.sent_on, rejection.objection_deadline) == (
        D(2024, 11, 13),
        D(2024, 12, 27),
    )


def test_an_ingangsdatum_can_be_given(scheme, officer):
    application = granted(scheme)
    grant = decision(application, outcome=DecisionOutcome.granted, amount=Decimal("40000"))

    lifecycle.send_decision(grant, by=officer, sent_on=D(2024, 5, 16), effective_on=D(2024, 1, 1))

    grant.refresh_from_db()
    assert grant.effective_on == D(2024, 1, 1)


def test_sending_a_decision_again_on_the_same_day_changes_nothing(scheme, officer):
    application = make_application(scheme, status=S.rejected, decided_on=D(2024, 5, 15))
    rejection = decision(application)
    lifecycle.send_decision(rejection, by=officer, sent_on=D(2024, 5, 16))

    lifecycle.send_decision(rejection, by=officer, sent_on=D(2024, 5, 16))

    assert entries_for(application).filter(action=AuditAction.update).count() == 1


def test_a_sent_decision_keeps_its_verzenddatum(scheme, officer):
    application = make_application(scheme, status=S.rejected, decided_on=D(2024, 5, 15))
    rejection = decision(application)
    lifecycle.send_decision(rejection, by=officer, sent_on=D(2024, 5, 16))

    with pytest.raises(TransitionError) as error:
        lifecycle.send_decision(rejection, by=officer, sent_on=D(2024, 5, 17))

    assert error.value.message == "Dit besluit is al verzonden op 16 mei 2024."


def test_a_decision_is_not_sent_before_it_was_taken(scheme, officer):
    application = make_application(scheme, status=S.rejected, decided_on=D(2024, 5, 15))

    with pytest.raises(ValidationError) as error:
        lifecycle.send_decision(decision(application), by=officer, sent_on=D(2024, 5, 14))

    assert error.value.message_dict == {
        "sent_on": [
            "Een besluit kan niet vóór de datum van het besluit (15 mei 2024) zijn verzonden."
        ]
    }


def test_only_a_handler_records_the_sending(scheme):
    application = make_application(scheme, status=S.rejected, decided_on=D(2024, 5, 15))

    with pytest.raises(PermissionDenied):
        lifecycle.send_decision(decision(application), by=ProgrammeManagerFactory())


# --- objections ---------------------------------------------------------------------------


@pytest.fixture
def sent_rejection(scheme, officer):
    application = make_application(scheme, status=S.rejected, decided_on=D(2024, 4, 10))
    rejection = decision(application, decided_on=D(2024, 4, 10))
    # Sent Thursday 11 April: the bezwaartermijn ends Thursday 23 May.
    return lifecycle.send_decision(rejection, by=officer, sent_on=D(2024, 4, 11))


def test_an_objection_within_the_term_is_registered_and_audited(sent_rejection, officer):
    objection = lifecycle.register_objection(
        sent_rejection, by=officer, received_on=D(2024, 5, 23), grounds="Score te laag."
    )

    assert (
        objection.application,
        objection.decision,
        objection.received_on,
        objection.grounds,
        objection.registered_by,
        objection.outcome,
    ) == (
        sent_rejection.application,
        sent_rejection,
        D(2024, 5, 23),
        "Score te laag.",
        officer,
        "",
    )
    created = entries_for(sent_rejection.application).get(action=AuditAction.create)
    assert (created.actor, created.reason, created.changes) == (
        officer,
        "Score te laag.",
        {"objection": [None, "2024-05-23"], "decision": [None, "Afgewezen 2024-04-10"]},
    )


def test_an_objection_after_the_term_is_refused(sent_rejection, officer):
    with pytest.raises(TransitionError) as error:
        lifecycle.register_objection(sent_rejection, by=officer, received_on=D(2024, 5, 24))

    assert error.value.message == (
        "De bezwaartermijn van dit besluit eindigde op 23 mei 2024; een later ontvangen "
        "bezwaar kan niet worden geregistreerd."
    )
    assert Objection.objects.count() == 0


def test_an_objection_against_a_decision_never_sent_is_refused(scheme, officer):
    application = make_application(scheme, status=S.rejected, decided_on=D(2024, 4, 10))

    with pytest.raises(TransitionError) as error:
        lifecycle.register_objection(decision(application), by=officer, received_on=D(2024, 4, 20))

    assert error.value.message == (
        "Dit besluit is nog niet verzonden; leg eerst de verzending vast. De bezwaartermijn "
        "begint na de verzending."
    )


def test_an_objection_before_the_decision_or_in_the_future_is_refused(sent_rejection, officer):
    with pytest.raises(ValidationError) as before:
        lifecycle.register_objection(sent_rejection, by=officer, received_on=D(2024, 4, 9))
    with pytest.raises(ValidationError) as future:
        lifecycle.register_objection(sent_rejection, by=officer, received_on=D(2024, 6, 4))

    assert (before.value.message_dict, future.value.message_dict) == (
        {"received_on": ["Het bezwaar kan niet vóór het besluit (10 april 2024) zijn ontvangen."]},
        {"received_on": ["Deze datum ligt in de toekomst."]},
    )


def test_the_same_objection_registered_twice_is_kept_once(sent_rejection, officer):
    first = lifecycle.register_objection(
        sent_rejection, by=officer, received_on=D(2024, 5, 1), grounds="Score te laag."
    )
    second = lifecycle.register_objection(
        sent_rejection, by=officer, received_on=D(2024, 5, 1), grounds="Score te laag."
    )

    assert (first, Objection.objects.count()) == (second, 1)


def test_only_a_handler_registers_an_objection(sent_rejection):
    with pytest.raises(PermissionDenied):
        lifecycle.register_objection(
            sent_rejection, by=SubsidyOfficerFactory(), received_on=D(2024, 5, 1)
        )


def test_the_outcome_of_an_objection_is_recorded_and_audited(sent_rejection, officer):
    objection = lifecycle.register_objection(
        sent_rejection, by=officer, received_on=D(2024, 5, 1), grounds="Score te laag."
    )

    lifecycle.decide_objection(
        objection,
        by=officer,
        outcome=ObjectionOutcome.well_founded,
        decided_on=D(2024, 6, 3),
        note="Criterium 2 verkeerd toegepast.",
    )

    objection.refresh_from_db()
    assert (objection.outcome, objection.decided_on) == (ObjectionOutcome.well_founded, TODAY)
    update = entries_for(sent_rejection.application).filter(action=AuditAction.update).first()
    assert (update.actor, update.reason, update.changes) == (
        officer,
        "Criterium 2 verkeerd toegepast.",
        {
            "objection": [None, "2024-05-01"],
            "objection_outcome": ["", "gegrond"],
            "objection_decided_on": [None, "2024-06-03"],
        },
    )
    # The rejection stands until the officer grants on the objection (subsidies.allocation).
    sent_rejection.application.refresh_from_db()
    assert sent_rejection.application.status == S.rejected


def test_an_objection_is_decided_once(sent_rejection, officer):
    objection = lifecycle.register_objection(sent_rejection, by=officer, received_on=D(2024, 5, 1))
    lifecycle.decide_objection(objection, by=officer, outcome=ObjectionOutcome.unfounded)
    lifecycle.decide_objection(objection, by=officer, outcome=ObjectionOutcome.unfounded)

    with pytest.raises(TransitionError) as error:
        lifecycle.decide_objection(objection, by=officer, outcome=ObjectionOutcome.well_founded)

    assert error.value.message == "Op dit bezwaar is al beslist: ongegrond."
    assert entries_for(sent_rejection.application).filter(action=AuditAction.update).count() == 2


@pytest.mark.parametrize(
    ("outcome", "decided_on", "errors"),
    [
        ("misschien", None, {"outcome": ["Kies een beslissing op het bezwaar."]}),
        (
            ObjectionOutcome.unfounded,
            D(2024, 4, 30),
            {"decided_on": ["Deze datum ligt vóór de ontvangst van het bezwaar (1 mei 2024)."]},
        ),
    ],
)
def test_a_wrong_outcome_or_date_for_an_objection_is_refused(
    sent_rejection, officer, outcome, decided_on, errors
):
    objection = lifecycle.register_objection(sent_rejection, by=officer, received_on=D(2024, 5, 1))

    with pytest.raises(ValidationError) as error:
        lifecycle.decide_objection(objection, by=officer, outcome=outcome, decided_on=decided_on)

    assert error.value.message_dict == errors


def test_a_reviewer_of_the_application_does_not_decide_the_objection(sent_rejection, officer):
    objection = lifecycle.register_objection(sent_rejection, by=officer, received_on=D(2024, 5, 1))
    ReviewFactory(application=sent_rejection.application, reviewer=officer, submitted=True)

    with pytest.raises(PermissionDenied):
        lifecycle.decide_objection(objection, by=officer, outcome=ObjectionOutcome.unfounded)


@pytest.mark.django_db(transaction=True)
def test_two_advances_paid_at_the_same_moment_never_exceed_the_grant():
    officer = SubsidyOfficerFactory()
    application = granted(SchemeFactory(handlers=[officer]))
    start = threading.Barrier(2)
    outcomes = []

    def pay(amount):
        try:
            start.wait()
            lifecycle.pay_advance(application, by=officer, amount=amount)
            outcomes.append("betaald")
        except ValidationError:
            outcomes.append("geweigerd")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=pay, args=(amount,)) for amount in (Decimal(30000), Decimal(25000))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["betaald", "geweigerd"]
    assert Payment.objects.count() == 1
    assert lifecycle.paid_total(application) in (Decimal("30000.00"), Decimal("25000.00"))
