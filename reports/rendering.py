"""HTML to PDF with WeasyPrint: tagged PDF/UA-1, A4, the portal's own fonts, no network.

``render_pdf`` is general (factsheets now, the subsidy decision letters next): a template and a
context in, PDF bytes out. ``render_factsheet`` and ``render_combined`` add the factsheet's
content hash and page count, which the pipeline stores next to the file.

Resources are fetched only through ``PortalURLFetcher``: the portal's static files (found by
the staticfiles finders, or in the collected static storage), private media read from the
default storage, and ``data:`` URLs. Everything else (``file://``, remote URLs, other schemes)
is refused and stops the rendering, so nothing a template or a text contains can make a worker
read the disk or the network.
"""

import atexit
import contextlib
import functools
import gc
import hashlib
import mimetypes
import posixpath
import zlib
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from . import layout
from .content import content_hash, factsheet_context, pdf_pages

# The portal's own files are addressed under this origin while rendering. ".invalid" is
# reserved (RFC 2606) and never resolves: should a URL ever escape the fetcher, it goes nowhere.
PORTAL_ORIGIN = "https://regioportal.invalid"
STATIC_PREFIX = "/static/"
MEDIA_PREFIX = "/media/"
BASE_URL = f"{PORTAL_ORIGIN}/"
STYLESHEET = "css/factsheet.css"
PDF_VARIANT = "pdf/ua-1"


class RefusedURL(ValueError):
    """A resource the PDF renderer may not fetch."""


def _import_weasyprint():
    # Imported on first use: loading WeasyPrint (and Pango) takes a while and only the PDF
    # worker and a few requests need it.
    import weasyprint  # noqa: PLC0415
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: PLC0415

    return weasyprint, FontConfiguration, URLFetcher, URLFetcherResponse


def _clean_path(path, url):
    name = unquote(path)
    parts = name.split("/")
    if not name or name.startswith("/") or "\\" in name or ".." in parts or "" in parts:
        raise RefusedURL(f"Refused to fetch {url!r}: not a plain file name.")
    return posixpath.normpath(name)


def _open_static(name, url):
    found = finders.find(name)
    if found:
        with open(found, "rb") as file:
            return file.read()
    if staticfiles_storage.exists(name):
        with staticfiles_storage.open(name) as file:
            return file.read()
    raise RefusedURL(f"Refused to fetch {url!r}: no such static file.")


def _open_media(name, url):
    if not default_storage.exists(name):
        raise RefusedURL(f"Refused to fetch {url!r}: no such file in the private media.")
    with default_storage.open(name) as file:
        return file.read()


@functools.cache
def portal_url_fetcher():
    """The one URL fetcher of every rendering (a WeasyPrint ``URLFetcher`` subclass)."""
    _weasyprint, _fonts, URLFetcher, URLFetcherResponse = _import_weasyprint()

    class PortalURLFetcher(URLFetcher):
        def __init__(self):
            # fail_on_errors: a refused or missing resource stops the rendering instead of
            # silently leaving a hole in the PDF.
            super().__init__(allowed_protocols={"data", "https"}, fail_on_errors=True)

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if f"{parts.scheme}://{parts.netloc}" != PORTAL_ORIGIN or parts.query:
                raise RefusedURL(
                    f"Refused to fetch {url!r}: a PDF may only use the portal's own static "
                    "files, private media and data: URLs."
                )
            if parts.path.startswith(STATIC_PREFIX):
                name = _clean_path(parts.path.removeprefix(STATIC_PREFIX), url)
                body = _open_static(name, url)
            elif parts.path.startswith(MEDIA_PREFIX):
                name = _clean_path(parts.path.removeprefix(MEDIA_PREFIX), url)
                body = _open_media(name, url)
            else:
                raise RefusedURL(f"Refused to fetch {url!r}: not a static or media file.")
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return PortalURLFetcher()


def static_url(name):
    """The URL of a static file for a template rendered to PDF."""
    return f"{PORTAL_ORIGIN}{STATIC_PREFIX}{name}"


def media_url(name):
    """The URL of a private media file (default storage) for a template rendered to PDF."""
    return f"{PORTAL_ORIGIN}{MEDIA_PREFIX}{name}"


# Parsed once per process and reused by every rendering: parsing the stylesheet and loading
# the @font-face files into a FontConfiguration costs more than laying out a two-page sheet,
# and a Celery worker renders many. The objects are not changed by rendering.
@functools.cache
def _fonts_and_stylesheet(stylesheet):
    weasyprint, FontConfiguration, _fetcher, _response = _import_weasyprint()
    font_config = FontConfiguration()
    css = weasyprint.CSS(
        url=static_url(stylesheet), url_fetcher=portal_url_fetcher(), font_config=font_config
    )
    return font_config, css


# Released before the interpreter tears its modules down: FontConfiguration.__del__ needs them.
atexit.register(_fonts_and_stylesheet.cache_clear)


@contextlib.contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector while WeasyPrint works; collect the young
    generations once at the end.

    Laying out and writing a factsheet allocates some hundred thousand short-lived objects.
    With the collector on they set off hundreds of collections per render, now and then a full
    one that walks the whole heap of the process (Django, WeasyPrint, the fonts): measured, a
    sixth of the time of a factsheet. Reference counting frees nearly all of it anyway; the one
    collection at the end frees the rest (about 4 ms instead of 15 to 25)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(1)


# pydyf deflates every stream at zlib's level 9. At zlib's default level a factsheet's pages,
# fonts and structure are written 4 ms faster (30 instead of 34 ms, median of 31 interleaved
# writes of the same laid-out factsheet) for a file 1 % larger (37.9 instead of 37.5 kB).
DEFLATE_LEVEL = 6


def _deflate_streams(document, pdf):
    """WeasyPrint finisher (``write_pdf(finisher=…)``, called before the file is written):
    deflate the streams pydyf would compress, at DEFLATE_LEVEL instead of 9. Only pydyf's
    object stream of the small objects keeps level 9."""
    import pydyf  # noqa: PLC0415 - loaded with WeasyPrint

    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and obj.compress:
            # The bytes pydyf would compress: the stream's items joined as Stream.data does.
            data = b"\n".join(pydyf._to_bytes(item) for item in obj.stream)  # noqa: SLF001
            obj.stream = [zlib.compress(data, DEFLATE_LEVEL)]
            obj.extra["Filter"] = "/FlateDecode"
            obj.compress = False


def _write(document):
    return document.write_pdf(pdf_variant=PDF_VARIANT, finisher=_deflate_streams)


def _document(*, template_name, context, title, lang, stylesheet=STYLESHEET):
    weasyprint, *_rest = _import_weasyprint()
    font_config, css = _fonts_and_stylesheet(stylesheet)
    with translation.override(lang):
        html = render_to_string(
            template_name, {**context, "pdf_title": title, "pdf_lang": lang, "for_pdf": True}
        )
    return weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=portal_url_fetcher()).render(
        font_config=font_config, stylesheets=[css], pdf_variant=PDF_VARIANT
    )


def render_pdf(*, template_name, context, title, lang="nl", stylesheet=STYLESHEET):
    """``template_name`` rendered with ``context`` as a tagged PDF (PDF/UA-1) in A4: ``lang``
    on the document and ``title`` in its metadata. The template extends
    ``reports/pdf_base.html``; ``stylesheet`` is a static file that imports ``fonts.css``."""
    with _collector_paused():
        return _write(
            _document(
                template_name=template_name,
                context=context,
                title=title,
                lang=lang,
                stylesheet=stylesheet,
            )
        )


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    sha256: str
    content_hash: str
    page_count: int


def _rendered(document, content):
    data = _write(document)
    return RenderedPdf(
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        content_hash=content,
        page_count=len(document.pages),
    )


def render_job_pdf(
    *, template_name, context, title, content_hash, lang="nl", stylesheet=STYLESHEET
):
    """Like :func:`render_pdf`, as the :class:`RenderedPdf` a job stores (reports.services.
    store_pdf): the bytes with their SHA-256, page count and the given ``content_hash``."""
    with _collector_paused():
        document = _document(
            template_name=template_name,
            context=context,
            title=title,
            lang=lang,
            stylesheet=stylesheet,
        )
        return _rendered(document, content_hash)


def pdf_title(factsheet, sheet):
    return f"{sheet['label']} {sheet['title']}".strip() if sheet.get("label") else sheet["title"]


def _factsheet_document(factsheet, context):
    # The sheet with its PDF columns (reports.layout), which only the PDF needs.
    sheet = {**context["sheet"], "pages": pdf_pages(context["sheet"])}
    return _document(
        template_name="reports/factsheet_pdf.html",
        context={**context, "sheet": sheet, "sheets": [{**context, "sheet": sheet}]},
        title=pdf_title(factsheet, sheet),
        lang="nl",
    )


def render_factsheet(factsheet):
    """One factsheet as a PDF, with the hash of the content and figures it shows."""
    context = factsheet_context(factsheet)
    with _collector_paused():
        return _rendered(_factsheet_document(factsheet, context), content_hash(factsheet, context))


def render_combined(factsheets, *, on_progress=None, title=None):
    """The factsheets in one PDF, each starting on a new page with its own bookmark and page
    numbers. Each is laid out on its own (``on_progress(done, total)`` after each), then the
    pages are joined into one document."""
    factsheets = list(factsheets)
    documents, hashes = [], []
    for done, factsheet in enumerate(factsheets, start=1):
        context = factsheet_context(factsheet)
        with _collector_paused():
            documents.append(_factsheet_document(factsheet, context))
        hashes.append(content_hash(factsheet, context))
        if on_progress is not None:
            on_progress(done, len(factsheets))
    combined = documents[0].copy([page for document in documents for page in document.pages])
    with translation.override("nl"):
        combined.metadata.title = title or _("Feitenbladen")
    with _collector_paused():
        return _rendered(combined, hashlib.sha256("".join(hashes).encode()).hexdigest())


# Warming a worker up ---------------------------------------------------------------------------

# A small sheet in every face and size of the real ones, so that Pango and HarfBuzz load the
# fonts and fill their caches (see warm_up).
_WARM_UP_BLOCK = {
    "kind": "section",
    "heading": "Opwarmen",
    "items": [
        {"kind": "p", "lead": "Aanleiding.", "text": "Een korte alinea."},
        {"kind": "list", "items": ["Een opsomming."]},
    ],
}
_WARM_UP_SHEET = {
    "kind": "uitgelicht",
    "label": "Uitgelicht:",
    "title": "Opwarmen",
    "subtitle": "Een ondertitel",
    "intro": ["Een inleiding."],
    "key_figures": [{"value": "1", "label": "kerncijfer"}],
    "pages": [
        {
            "left": [_WARM_UP_BLOCK],
            "right": [{"kind": "quote", "text": "Een citaat.", "speaker": "Iemand"}],
        }
    ],
}


def preload():
    """What a PDF worker's main process loads once, before it forks its pool processes, so
    that each of them shares it instead of loading it again: WeasyPrint and the advance widths
    of the fonts (reports.layout). Nothing that holds native state (Pango, fontconfig): each
    pool process makes its own (warm_up)."""
    _import_weasyprint()
    for face in layout.FONT_FILES:
        layout.advances(face)


def warm_up():
    """Make a new pool process of the PDF worker ready to render at full speed: parse the
    stylesheet and load the fonts (once per process), and render a small sheet once, which
    fills Pango's, HarfBuzz's and WeasyPrint's own caches. Its first factsheet then takes as
    long as every later one instead of several times as long."""
    preload()
    render_pdf(
        template_name="reports/factsheet_pdf.html",
        context={"sheets": [{"sheet": _WARM_UP_SHEET}]},
        title="Opwarmen",
    )
