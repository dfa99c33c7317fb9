"""STUB (H9's worktree only): the contract of H8's reports.rendering, replaced at merge.
Renders a small real WeasyPrint PDF with the factsheet's title."""

import hashlib
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join

from .content import content_hash


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    sha256: str
    content_hash: str
    page_count: int


def render_pdf(*, template_name, context, title, lang="nl"):
    from weasyprint import HTML

    html = format_html(
        '<html lang="{}"><head><title>{}</title></head><body><h1>{}</h1></body></html>',
        lang,
        title,
        title,
    )
    return HTML(string=str(html)).write_pdf(pdf_variant="pdf/ua-1")


def _rendered(html, hash_):
    from weasyprint import HTML

    document = HTML(string=str(html)).render()
    data = document.write_pdf(pdf_variant="pdf/ua-1")
    return RenderedPdf(
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        content_hash=hash_,
        page_count=len(document.pages),
    )


def render_factsheet(factsheet):
    html = format_html(
        '<html lang="nl"><head><title>{}</title></head><body><h1>{}</h1></body></html>',
        factsheet.title,
        factsheet.title,
    )
    return _rendered(html, content_hash(factsheet))


def render_combined(factsheets, *, on_progress=None):
    factsheets = list(factsheets)
    for done, _factsheet in enumerate(factsheets, start=1):
        if on_progress:
            on_progress(done, len(factsheets))
    body = format_html_join(
        "", '<h1 style="page-break-before: always">{}</h1>', ((f.title,) for f in factsheets)
    )
    html = format_html(
        '<html lang="nl"><head><title>Terugblik</title></head><body>{}</body></html>', body
    )
    combined = hashlib.sha256("".join(content_hash(f) for f in factsheets).encode()).hexdigest()
    return _rendered(html, combined)
