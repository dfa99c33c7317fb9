"""Factsheets rendered with the real WeasyPrint: text, fonts, PDF/UA, bookmarks, and the URL
fetcher that keeps the renderer off the disk and the network."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image
from pypdf import PdfReader

from programmes.models import Programme
from reports.models import Factsheet, FactsheetKind
from reports.rendering import (
    RefusedURL,
    media_url,
    portal_url_fetcher,
    render_combined,
    render_factsheet,
    render_pdf,
    static_url,
)
from tests.pdfs import pdf_fonts, pdf_info, pdf_text, poppler

from .conftest import write

pytestmark = pytest.mark.django_db

OUR_FONTS = {
    "Regioportal-Sans",
    "Regioportal-Sans-Bold",
    "Regioportal-Sans-Semi-Bold",
    "Regioportal-Sans-Ultra-Bold",
    "Regioportal-Sans-Italic",
    "Regioportal-Symbols",
}


def op_koers_sheet():
    return Factsheet(kind=FactsheetKind.highlight, programme=Programme.objects.get(slug="op-koers"))


def structure_elements(reader):
    """Every element of the PDF's structure tree as (type, dictionary)."""
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for item in node:
                walk(item)
            return
        if not hasattr(node, "get"):
            return
        if "/S" in node:
            found.append((node["/S"], node))
        kids = node.get("/K")
        if kids is not None:
            walk(kids)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_op_koers_without_narrative_shows_its_figures_from_the_data(demo, tmp_path):
    rendered = render_factsheet(op_koers_sheet())
    path = write(tmp_path, rendered.data)

    text = pdf_text(path)
    assert text.startswith("UITGELICHT: OP KOERS")
    assert "WAT IS OP KOERS?" in text
    assert "WAT ZIJN DE RESULTATEN?" in text
    assert {"232", "23%", "40%", "27%"} <= set(text.split())  # the key figures
    assert "deelnemers gestart" in text
    assert "Van de 232 gestarte deelnemers is 23% betaald aan het werk." in text
    assert "40% heeft een stap gezet naar werkervaring, scholing of participatie." in text
    assert "27% is nog bezig." in text
    assert "Betaald werk 53 23% Een stap verder 93 40% Nog bezig 63 27%" in text  # the table
    assert "Opgesteld door Sociaal Planbureau Groningen, onderdeel van CMO STAMM" in text
    assert "Pagina 1 van 1" in text
    assert rendered.page_count == 1
    assert pdf_info(path)["Page size"] == "595.276 x 841.89 pts (A4)"


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        (
            "experiment-familiehuis",
            [
                "UITGELICHT: EXPERIMENT FAMILIEHUIS",
                "WAT IS HET EXPERIMENT FAMILIEHUIS?",
                "DE PROVINCIE CREËERT MEERWAARDE DOOR:",
                "de projectmedewerker met een aanjagende rol te financieren;",
                "WAT HEBBEN WE GELEERD?",
                "HET VERVOLG",
                "“DAT IS DE MEERWAARDE, DAT ER IEMAND IS OM HET PROCES AAN TE JAGEN",
            ],
        ),
        (
            "rwlp-kwetsbare-panden",
            [
                "Onderdeel van de Krimpagenda 2020-2030",
                "WAT IS DE AANPAK KWETSBARE PANDEN?",
                "In 2021: € 700.000 subsidie via Transitiefonds Particuliere Woningvoorraad",
                "In 2023: € 100.000 subsidie",
                "€ 800.000",
                "Sinds de start van het project zijn ruim 80 casussen opgelost.",
                "Dit feitenblad is gebaseerd op een interview met Peter Hesseling",
            ],
        ),
        (
            "van-waarde",
            [
                "UITGELICHT: REGIONAAL ARRANGEMENT ‘VAN WAARDE’",
                "Provinciale impuls in Het Hogeland",
                "Aanleiding. In Het Hogeland",
                "Start. 1 december 2021",
                "WAT ZIJN DE RESULTATEN?",
                "“ER IS ECHT SPRAKE VAN EEN VLIEGWIELEFFECT",
                "Dit feitenblad is gebaseerd op een interview met Ageeth Oskam",
            ],
        ),
    ],
)
def test_highlighted_seed_factsheets_render_their_seed_texts(demo, tmp_path, slug, expected):
    rendered = render_factsheet(Factsheet.objects.get(programme__slug=slug))

    text = pdf_text(write(tmp_path, rendered.data))
    for fragment in expected:
        assert fragment in text
    assert rendered.page_count == 2


def test_overview_reproduces_the_terugblik_figures_from_the_data(overview, tmp_path):
    text = pdf_text(write(tmp_path, render_factsheet(overview).data))

    for fragment in [
        "VERBETEREN VAN BREDE WELVAART IN DE PROVINCIE GRONINGEN",
        "PROGRAMMALIJNEN",
        "PROVINCIEBREDE AANPAK",
        "€ 7 miljoen",
        "€ 4 miljoen",
        "RESULTATEN",
        "Er zijn in 10 tenders 42 subsidieaanvragen ingediend, waarvan 31 zijn gehonoreerd.",
        "Het totaalbudget bedroeg € 2,7 mln. Dit is volledig besteed.",
        "In totaal zijn 8 aanvragen gehonoreerd: 2 in 2021, 1 in 2022 en 5 in 2023.",
        "In 2022 is 1 project gehonoreerd: € 750.000 voor Tocamaheerd.",
        "In 2023 zijn 2 projecten gehonoreerd: € 747.000 voor Makerswierde en € 729.000 voor "
        "Makeport Mercurius.",
        "Er is jaarlijks subsidie verstrekt ter hoogte van ruim € 160.000 aan Stichting Leergeld, "
        "Jeugdfonds Sport en Cultuur, Voedselbanken Groningen en Kledingbank Maxima.",
        "Van Waarde! Van opgroeien naar opbloeien, gemeente Het Hogeland.",
        "Aanpak sterke dorpen en wijken: Eemsdelta, gemeente Eemsdelta.",
        "6 regionale arrangementen",
    ]:
        assert fragment in text


def test_pdf_is_tagged_pdf_ua_with_embedded_portal_fonts_and_alt_texts(demo, tmp_path):
    rendered = render_factsheet(Factsheet.objects.get(programme__slug="rwlp-kwetsbare-panden"))
    path = write(tmp_path, rendered.data)
    reader = PdfReader(io.BytesIO(rendered.data))

    assert pdf_info(path)["Tagged"] == "yes"
    assert pdf_info(path)["Title"] == (
        "Uitgelicht: Regionaal Woon- en Leefbaarheidsplan – aanpak kwetsbare panden"
    )
    assert {name for name, _embedded in pdf_fonts(path)} <= OUR_FONTS
    assert {embedded for _name, embedded in pdf_fonts(path)} == {"yes"}
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"' in xmp
    assert 'pdfuaid:part="1"' in xmp
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    elements = structure_elements(reader)
    assert {"/H1", "/H2", "/P", "/L", "/Table"} <= {kind for kind, _node in elements}
    figures = [node for kind, node in elements if kind == "/Figure"]
    assert len(figures) == 1
    assert [str(node["/Alt"]) for node in figures] == [
        "Verleende subsidie per jaar: 2021: €\xa0700.000; 2023: €\xa0100.000"
    ]


def test_every_stream_is_deflated_and_decodes(demo, tmp_path):
    # reports.rendering deflates the streams itself (at zlib's default level, not pydyf's 9).
    rendered = render_factsheet(Factsheet.objects.get(programme__slug="van-waarde"))
    reader = PdfReader(io.BytesIO(rendered.data))

    streams = []
    for number in range(1, reader.trailer["/Size"]):
        obj = reader.get_object(number)
        if obj is not None and hasattr(obj, "get_data"):
            streams.append(obj)
    fonts = [s for s in streams if "/Length1" in s or s.get("/Subtype") == "/OpenType"]
    assert len(streams) > 10
    assert fonts
    for stream in streams:
        assert stream["/Filter"] == "/FlateDecode"
        assert stream.get_data()
    # The decoded pages carry the text: poppler reads it as before.
    assert "WAT ZIJN DE RESULTATEN?" in pdf_text(write(tmp_path, rendered.data))


def test_first_page_is_not_blank(demo, tmp_path):
    path = write(tmp_path, render_factsheet(op_koers_sheet()).data)

    poppler("pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", path, tmp_path / "page")
    image = Image.open(tmp_path / "page-1.png").convert("RGB")

    assert len(image.getcolors(maxcolors=1 << 20)) > 10


def test_combined_pdf_has_a_bookmark_per_factsheet_and_reports_progress(demo, tmp_path):
    sheets = list(Factsheet.objects.order_by("pk"))
    progress = []

    rendered = render_combined(
        sheets, on_progress=lambda done, total: progress.append((done, total))
    )

    reader = PdfReader(io.BytesIO(rendered.data))
    # One top-level bookmark per factsheet (its sections are nested under it).
    assert [item.title for item in reader.outline if not isinstance(item, list)] == [
        "Uitgelicht: Experiment Familiehuis",
        "Uitgelicht: Regionaal Woon- en Leefbaarheidsplan – aanpak kwetsbare panden",
        "Uitgelicht: Regionaal arrangement ‘Van Waarde’",
        "Verbeteren van brede welvaart in de provincie Groningen",
    ]
    assert progress == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert rendered.page_count == len(reader.pages) == 8
    assert pdf_info(write(tmp_path, rendered.data))["Tagged"] == "yes"


def test_render_pdf_is_general_a_template_and_a_context(tmp_path, settings):
    data = render_pdf(
        template_name="reports/factsheet_pdf.html",
        context={
            "sheets": [{"sheet": {"kind": "uitgelicht", "title": "Beschikking", "label": ""}}]
        },
        title="Beschikking SUB-1",
        lang="en",
    )
    path = write(tmp_path, data)

    assert pdf_info(path)["Title"] == "Beschikking SUB-1"
    assert PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"] == "en"
    assert pdf_text(path).startswith("BESCHIKKING")


# --- the URL fetcher ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.org/logo.png",
        "https://example.org/style.css",
        "ftp://example.org/file",
        "https://regioportal.invalid/etc/passwd",
        "https://regioportal.invalid/static/../../regioportal/settings.py",
        "https://regioportal.invalid/static/%2e%2e/%2e%2e/regioportal/settings.py",
        "https://regioportal.invalid/static/css/nothing-here.css",
        "https://regioportal.invalid/media/../../etc/passwd",
        "https://regioportal.invalid/media/factsheets/missing.pdf",
        "https://user@regioportal.invalid/static/css/fonts.css",
        "javascript:alert(1)",
    ],
)
def test_fetcher_refuses_anything_but_portal_files_and_data_urls(url):
    with pytest.raises(RefusedURL):
        portal_url_fetcher().fetch(url)


def test_fetcher_reads_static_files_private_media_and_data_urls(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    name = default_storage.save("logos/provincie.svg", ContentFile(b"<svg/>"))

    css = portal_url_fetcher().fetch(static_url("css/fonts.css"))
    media = portal_url_fetcher().fetch(media_url(name))
    data = portal_url_fetcher().fetch("data:text/plain;base64,aGFsbG8=")

    assert b"Regioportal Sans" in css.read()
    assert css.content_type == "text/css"
    assert media.read() == b"<svg/>"
    assert data.read() == b"hallo"


def test_a_remote_image_stops_the_rendering():
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    html = weasyprint.HTML(
        string='<p>Logo <img src="https://example.org/logo.png" alt="logo"></p>',
        base_url="https://regioportal.invalid/",
        url_fetcher=portal_url_fetcher(),
    )

    with pytest.raises(FatalURLFetchingError):
        html.write_pdf()
