"""Layout at common screen sizes, on the demo data: the participant page's GEGEVENS card keeps
its labels and values apart and inside the card; the participants list needs no horizontal
scrolling at 1366 pixels."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from participants.models import Participant

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Boxes that stick out of the card, and labels whose box overlaps their value's box.
CARD_PROBLEMS = """(card) => {
    const box = (element) => element.getBoundingClientRect();
    const outer = box(card);
    const problems = [];
    for (const element of card.querySelectorAll("*")) {
        const inner = box(element);
        if (inner.width === 0 && inner.height === 0) continue;
        if (inner.left < outer.left - 0.5 || inner.right > outer.right + 0.5) {
            problems.push(`${element.tagName} "${element.textContent.trim()}" sticks out`);
        }
    }
    for (const label of card.querySelectorAll("dt")) {
        const value = label.nextElementSibling;
        const a = box(label), b = box(value);
        const apart = a.right <= b.left + 0.5 || a.bottom <= b.top + 0.5;
        if (!apart) problems.push(`"${label.textContent.trim()}" runs into its value`);
    }
    return problems;
}"""


def log_in(page):
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("coordinator")
    page.get_by_label("Wachtwoord").fill("regioportal")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")


def test_participant_card_and_list_fit_at_1366_and_1920_pixels(page):
    call_command("load_demo", force=True, verbosity=0)
    # The longest e-mail address of the coordinator's participants: the hardest value to fit.
    participant = max(
        Participant.objects.filter(enrolments__programme__members__username="coordinator"),
        key=lambda p: len(p.email),
    )
    log_in(page)
    for width, height in [(1366, 768), (1920, 1080)]:
        page.set_viewport_size({"width": width, "height": height})

        page.goto(participant.get_absolute_url())
        card = page.get_by_role("region", name="Gegevens", exact=True)
        expect(card).to_contain_text(participant.email)
        assert card.evaluate(CARD_PROBLEMS) == [], width

        # The default list, and every status sorted on outcome: the longest outcome and
        # track words ("Werkervaringsplaats", "Talentontwikkeling") beside the selection
        # column, which pushed the last column behind the scrollbar at 1366 pixels.
        for url in ["/participants/", "/participants/?status=&sort=-outcome"]:
            page.goto(url)
            expect(page.locator("#select-all-rows")).to_be_visible()
            scroll = page.locator(".list-results .table-scroll")
            widths = scroll.evaluate("(element) => [element.scrollWidth, element.clientWidth]")
            assert widths[0] <= widths[1], (width, url, widths)
            last_header = page.locator(".list-results thead th").last
            expect(last_header).to_contain_text("Uitstroom")
            box = last_header.bounding_box()
            assert box["x"] + box["width"] <= width, (width, url)
