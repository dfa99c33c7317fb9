"""The PDF's columns (reports.layout): every part of a sheet in exactly one place and in order,
columns that fit their page, and estimates that agree with what WeasyPrint lays out, so that
the stylesheet and the estimate cannot drift apart unnoticed."""

import gc
import types

import pytest

from reports import layout, rendering, tasks
from reports.content import factsheet_context, pdf_pages
from reports.models import Factsheet
from tests.pdfs import pdf_text

from .conftest import write

SENTENCE = (
    "De provincie werkt samen met gemeenten en maatschappelijke organisaties aan de "
    "leefbaarheid van dorpen en wijken, met aandacht voor wie het minder makkelijk heeft."
)
WORDS = SENTENCE.split()


def text(words, start=0):
    return " ".join(WORDS[(start + n) % len(WORDS)] for n in range(words))


def section(heading, *items):
    return {"kind": "section", "heading": heading, "items": list(items)}


def paragraphs(*lengths):
    return [{"kind": "p", "text": text(length, n)} for n, length in enumerate(lengths)]


def bullets(*lengths):
    return {"kind": "list", "items": [text(length, n) for n, length in enumerate(lengths)]}


SHEET = {"kind": "uitgelicht", "label": "Uitgelicht:", "title": "Een lang feitenblad"}
BLOCKS = [
    section("Wat is het?", *paragraphs(60, 140, 30, 220)),
    section("In het kort", {"kind": "facts", "rows": [{"label": "Penvoerder", "value": "X"}]}),
    section("Waar staan we nu?", *paragraphs(90, 180)),
    {"kind": "quote", "text": text(40), "speaker": "Iemand, projectleider"},
    section("De provincie creëert meerwaarde door:", bullets(20, 45, 80, 15, 60)),
    section("Wat hebben we geleerd?", bullets(*range(10, 200, 12))),
    {"kind": "quote", "text": text(25), "speaker": ""},
    section("Het vervolg", *paragraphs(150, 150, 150)),
    {"kind": "source", "items": paragraphs(30)},
]
BLOCKS[1]["box"] = True


def entries(item):
    if item["kind"] == "facts":
        return [row["value"] for row in item["rows"]]
    return item["items"] if item["kind"] == "list" else [item["text"]]


def flow(pages):
    """Every (block heading, item text) in the columns' reading order, the parts of a split
    paragraph or list item joined again."""
    found = []
    for page in pages:
        for column in (page["left"], page["right"]):
            for block in column:
                if block["kind"] == "quote":
                    found.append(("quote", block["text"]))
                    continue
                for item in block["items"]:
                    for number, entry in enumerate(entries(item)):
                        continued = item.get("continued") and number == 0
                        if continued and found:
                            found[-1] = (found[-1][0], f"{found[-1][1]} {entry}")
                        else:
                            found.append((item["kind"], entry))
    return found


def test_every_paragraph_and_list_item_is_in_one_place_in_order():
    pages = layout.split_pages(SHEET, BLOCKS)

    expected = []
    for block in BLOCKS:
        if block["kind"] == "quote":
            expected.append(("quote", block["text"]))
            continue
        for item in block["items"]:
            expected += [(item["kind"], entry) for entry in entries(item)]
    found = flow(pages)
    assert len(pages) >= 3
    # The box and the quotes may move down past the text after them, never up and never out.
    assert sorted(found) == sorted(expected)
    assert [entry for entry in found if entry[0] != "quote" and entry[1] != "X"] == [
        entry for entry in expected if entry[0] != "quote" and entry[1] != "X"
    ]


def test_columns_fit_their_page_and_never_end_with_a_heading():
    pages = layout.split_pages(SHEET, BLOCKS)

    header = layout.header_height(SHEET)
    for number, page in enumerate(pages):
        capacity = layout.PAGE_HEIGHT - layout.SAFETY - (header if number == 0 else 0)
        assert max(page["heights"]) <= capacity
        for column in (page["left"], page["right"]):
            last = column[-1]
            assert last["kind"] != "section" or last["items"], "a heading alone"
            assert last["kind"] != "section" or last["items"][-1]["kind"] not in ("h3", "h4")
    left, right = pages[-1]["heights"]
    assert right <= left  # the last page is balanced, the left column the taller one


def test_a_split_section_repeats_no_heading_and_a_split_item_no_bullet():
    pages = layout.split_pages(SHEET, BLOCKS)

    parts = [block for page in pages for side in ("left", "right") for block in page[side]]
    continued = [part for part in parts if part.get("continued")]
    assert continued
    assert all(not part["heading"] for part in continued)
    assert any(item.get("continued") for part in continued for item in part["items"])


def test_lines_are_counted_as_weasyprint_breaks_them():
    # "Oost-Groningen" may break after its hyphen.
    def width(words):
        return layout.pt(9) * layout._width(words, "regular") / layout.WIDTH_MARGIN

    hyphen = width("Woon- en Oost-") + 0.1
    assert layout.line_starts([("Woon- en Oost-Groningen", "regular")], hyphen, 9) == [0, 14]
    # A no-break space holds "€" to its amount: the second line starts at the "€".
    amount = width("€\xa0700.000") + 0.1
    assert layout.line_starts([("Ruim €\xa0700.000", "regular")], amount, 9) == [0, 5]
    assert layout.line_count([("", "regular")], 50, 9) == 0


# --- against WeasyPrint -------------------------------------------------------------------------


def rendered_columns(document):
    """Per page, the height in mm of the content of each column as WeasyPrint laid it out."""
    px = 25.4 / 96
    pages = []
    for page in document.pages:
        cells = []

        def walk(box, cells=cells):
            element = getattr(box, "element", None)
            classes = (element.get("class") or "").split() if element is not None else []
            if "fs-col" in classes and type(box).__name__ == "TableCellBox":
                children = [child for child in box.children if hasattr(child, "margin_height")]
                bottom = max(
                    (c.position_y + c.margin_height() - c.margin_bottom for c in children),
                    default=box.content_box_y(),
                )
                cells.append((bottom - box.content_box_y()) * px)
                return
            for child in getattr(box, "children", []):
                walk(child)

        walk(page._page_box)
        pages.append(cells)
    return pages


@pytest.mark.django_db
def test_the_estimate_agrees_with_weasyprint_on_every_seed_factsheet(demo):
    for factsheet in Factsheet.objects.select_related("programme", "umbrella"):
        context = factsheet_context(factsheet)
        estimated = pdf_pages(context["sheet"])
        document = rendering._factsheet_document(factsheet, context)

        assert len(document.pages) == len(estimated), factsheet
        for page, laid_out in zip(estimated, rendered_columns(document), strict=True):
            for estimate, actual in zip(page["heights"], laid_out, strict=True):
                # Never short (a column would run over its page), at most a line or two long.
                assert -0.5 <= estimate - actual <= 10, (factsheet, page["heights"], laid_out)


@pytest.mark.django_db
def test_a_longer_factsheet_takes_more_pages_and_keeps_all_its_text(demo, tmp_path):
    factsheet = Factsheet.objects.get(programme__slug="van-waarde")
    lessons = [f"Les {n}: {text(35, n)}." for n in range(1, 25)]
    factsheet.lessons = "\n".join(lessons)
    factsheet.next_steps = "\n\n".join(text(120, n) for n in range(4))

    rendered = rendering.render_factsheet(factsheet)

    sheet = factsheet_context(factsheet)["sheet"]
    pdf = pdf_text(write(tmp_path, rendered.data))
    assert rendered.page_count == len(pdf_pages(sheet)) >= 3
    # (Where a lesson goes on in the next column, pdftotext may read another column between.)
    words = pdf.split()
    for lesson in lessons:
        label, _sep, rest = lesson.partition(": ")
        assert f"{label}:" in pdf
        assert words.count(rest.split()[-1]) >= 1
    assert len(words) >= sum(len(lesson.split()) for lesson in lessons)
    assert f"Pagina {rendered.page_count} van {rendered.page_count}" in pdf


@pytest.mark.django_db
def test_the_preview_shows_whole_sections_in_one_column(client, demo):
    from tests.factories import ProgrammeManagerFactory

    factsheet = Factsheet.objects.get(programme__slug="experiment-familiehuis")
    client.force_login(ProgrammeManagerFactory())

    html = client.get(factsheet.get_absolute_url()).content.decode()

    assert 'class="fs-body"' in html
    assert "fs-page" not in html
    assert "fs-continued" not in html and "fs-section--continued" not in html
    for lesson in factsheet.lessons.splitlines():
        assert html.count(lesson.strip().replace("'", "&#x27;")) == 1


# --- a warm worker ----------------------------------------------------------------------------


def worker(*queues):
    consume_from = {name: object() for name in queues}
    return types.SimpleNamespace(
        app=types.SimpleNamespace(amqp=types.SimpleNamespace(queues=types.SimpleNamespace(
            consume_from=consume_from
        )))
    )  # fmt: skip


def test_only_a_worker_on_the_pdf_queue_preloads_the_renderer(monkeypatch):
    calls = []
    monkeypatch.setattr(tasks, "_renders_pdfs", False)
    monkeypatch.setattr(rendering, "preload", lambda: calls.append("preload"))
    monkeypatch.setattr(rendering, "warm_up", lambda: calls.append("warm_up"))
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))

    tasks._preload_pdf_renderer(sender=worker("celery"))
    tasks._warm_up_pdf_renderer()
    assert calls == []

    tasks._preload_pdf_renderer(sender=worker("celery", "pdf"))
    tasks._warm_up_pdf_renderer()
    assert calls == ["preload", "freeze", "warm_up"]


def test_warming_up_renders_a_small_sheet():
    rendering.warm_up()

    assert all(layout.advances(face) for face in layout.FONT_FILES)
