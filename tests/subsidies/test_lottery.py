"""The recorded lottery at a tender's cut-off: the seed's hash is committed before the draw,
the record holds everything needed to re-run it, and re-running gives the same order."""

import hashlib
import threading
from decimal import Decimal
from itertools import permutations

import pytest
from django.db import connection

from regioportal.audit import entries_for
from subsidies.lottery import (
    ALGORITHM,
    commit_lottery,
    draw,
    draw_lottery,
    perform_draw,
    seed_hash,
    verify,
)
from subsidies.models import Application, Lottery
from subsidies.transitions import TransitionError
from tests.factories import SubsidyOfficerFactory
from tests.subsidies.scoring import scheme_with_criteria, scored_application, tender_for


@pytest.fixture
def officer(db):
    return SubsidyOfficerFactory(username="ruben")


@pytest.fixture
def tied_tender(officer):
    """Ceiling € 25.000: A (9 points) fits, then B, C and D tie on 8 with € 15.000 left."""
    scheme = scheme_with_criteria((1, 10, 0), handlers=[officer])
    tender = tender_for(scheme, ceiling="25000")
    scored_application(tender, [9], reference="ZV-2024-0001")
    scored_application(tender, [8], reference="ZV-2024-0002", requested="12000")
    scored_application(tender, [8], reference="ZV-2024-0003", requested="9000")
    scored_application(tender, [8], reference="ZV-2024-0004")
    return tender


TIED = ["ZV-2024-0002", "ZV-2024-0003", "ZV-2024-0004"]


# --- the pure draw --------------------------------------------------------------------------


def by_digest(seed, references):
    """The published method, written out again: ascending SHA-256 of seed + reference."""
    return sorted(references, key=lambda r: hashlib.sha256(f"{seed}{r}".encode()).hexdigest())


def test_the_draw_orders_by_the_sha256_of_seed_and_reference():
    seed = "a3" * 32

    assert draw(seed, TIED) == by_digest(seed, TIED)


def test_the_draw_does_not_depend_on_the_order_it_is_given():
    seed = "0f" * 32

    assert draw(seed, TIED) == draw(seed, list(reversed(TIED))) == draw(seed, sorted(TIED))


def test_over_many_seeds_every_order_comes_up():
    orders = {tuple(draw(f"{number:064x}", TIED)) for number in range(600)}

    assert orders == set(permutations(TIED))


# --- the recorded lottery -------------------------------------------------------------------


def test_a_lottery_records_the_tie_the_seed_and_its_hash_and_the_order(tied_tender, officer):
    lottery = draw_lottery(tied_tender, by=officer)

    assert len(lottery.seed) == 64
    assert lottery.seed_sha256 == hashlib.sha256(lottery.seed.encode()).hexdigest()
    titles = dict(Application.objects.values_list("reference", "title"))
    assert lottery.tied == [
        {"reference": r, "title": titles[r], "score": "8.00", "amount": amount}
        for r, amount in zip(TIED, ["12000.00", "9000.00", "10000.00"], strict=True)
    ]
    assert (
        lottery.remaining_budget,
        lottery.drawn_by,
        lottery.algorithm,
        lottery.drawn_at >= lottery.committed_at,
    ) == (Decimal("15000.00"), officer, ALGORITHM, True)
    assert lottery.order == by_digest(lottery.seed, TIED)


def test_re_running_the_recorded_lottery_gives_the_same_order(tied_tender, officer):
    lottery = draw_lottery(tied_tender, by=officer)
    stored = Lottery.objects.get(pk=lottery.pk)

    assert verify(stored) is True
    assert draw(stored.seed, [t["reference"] for t in stored.tied]) == stored.order
    assert seed_hash(stored.seed) == stored.seed_sha256


def test_a_record_with_another_order_or_seed_does_not_verify(tied_tender, officer):
    lottery = draw_lottery(tied_tender, by=officer)

    lottery.order = list(reversed(lottery.order))
    assert verify(lottery) is False
    lottery.order = draw(lottery.seed, TIED)
    lottery.seed = "0" * 64
    assert verify(lottery) is False


def test_the_tied_applications_get_their_lottery_numbers_audited(tied_tender, officer):
    lottery = draw_lottery(tied_tender, by=officer)

    numbers = dict(
        Application.objects.filter(reference__in=TIED).values_list("reference", "lottery_number")
    )
    assert numbers == {reference: lottery.order.index(reference) + 1 for reference in TIED}
    first = Application.objects.get(reference=lottery.order[0])
    (entry,) = entries_for(first)
    assert (entry.changes, entry.reason) == (
        {"lottery_number": [None, 1]},
        f"Loting {lottery.pk}, startwaarde {lottery.seed}",
    )


def test_without_a_tie_at_the_cut_off_there_is_no_lottery(officer):
    scheme = scheme_with_criteria((1, 10, 0), handlers=[officer])
    tender = tender_for(scheme, ceiling="100000")
    scored_application(tender, [8])
    scored_application(tender, [8])

    with pytest.raises(TransitionError) as error:
        draw_lottery(tender, by=officer)

    assert error.value.message == (
        "Er is geen gelijke stand op de grens van het plafond: een loting is niet nodig."
    )
    assert Lottery.objects.count() == 0


def test_a_drawn_tie_needs_no_second_lottery(tied_tender, officer):
    draw_lottery(tied_tender, by=officer)

    with pytest.raises(TransitionError):
        draw_lottery(tied_tender, by=officer)


def test_the_draw_takes_only_the_committed_seed(tied_tender, officer):
    lottery, seed = commit_lottery(tied_tender, by=officer)

    with pytest.raises(ValueError, match="does not match"):
        perform_draw(lottery, "f" * 64, by=officer)

    assert perform_draw(lottery, seed, by=officer).order == draw(seed, TIED)
    with pytest.raises(TransitionError) as error:
        perform_draw(lottery, seed, by=officer)
    assert error.value.message == "Deze loting is al getrokken."


def test_a_tie_that_changed_after_the_commit_is_not_drawn(tied_tender, officer):
    lottery, seed = commit_lottery(tied_tender, by=officer)
    scored_application(tied_tender, [8], reference="ZV-2024-0005")

    with pytest.raises(TransitionError):
        perform_draw(lottery, seed, by=officer)

    lottery.refresh_from_db()
    assert (lottery.seed, lottery.order, lottery.drawn_at) == ("", [], None)


@pytest.mark.django_db(transaction=True)
def test_the_hash_is_committed_before_the_draw(officer):
    scheme = scheme_with_criteria((1, 10, 0), handlers=[officer])
    tender = tender_for(scheme, ceiling="15000")
    scored_application(tender, [8], reference="ZV-2024-0002")
    scored_application(tender, [8], reference="ZV-2024-0003")

    lottery, seed = commit_lottery(tender, by=officer)

    # What another connection sees before the draw: the hash, no seed, no order.
    seen = {}

    def look():
        try:
            seen["row"] = Lottery.objects.values_list("seed_sha256", "seed", "order").get(
                pk=lottery.pk
            )
        finally:
            connection.close()

    thread = threading.Thread(target=look)
    thread.start()
    thread.join()
    assert seen["row"] == (seed_hash(seed), "", [])

    drawn = perform_draw(lottery, seed, by=officer)
    assert drawn.order == draw(seed, ["ZV-2024-0002", "ZV-2024-0003"])
