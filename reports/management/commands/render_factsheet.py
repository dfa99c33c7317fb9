"""Render one factsheet to a PDF file, synchronously, through the same function as the worker:
``python manage.py render_factsheet op-koers --output op-koers.pdf``. A programme slug renders
that programme's factsheet (from its data alone when it has no narrative yet); the slug of an
umbrella programme renders the overview."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programmes.models import Programme, UmbrellaProgramme
from reports.models import Factsheet, FactsheetKind
from reports.rendering import render_factsheet


def factsheet_for_slug(slug):
    """The factsheet of the programme or umbrella programme with this slug; an unsaved one
    (no narrative) for a programme that has none yet. None when the slug is unknown."""
    programme = Programme.objects.filter(slug=slug).first()
    if programme is not None:
        return Factsheet.objects.filter(programme=programme).first() or Factsheet(
            kind=FactsheetKind.highlight, programme=programme
        )
    umbrella = UmbrellaProgramme.objects.filter(slug=slug).first()
    if umbrella is not None:
        return Factsheet.objects.filter(umbrella=umbrella).first() or Factsheet(
            kind=FactsheetKind.overview, umbrella=umbrella
        )
    return None


class Command(BaseCommand):
    help = "Maak het feitenblad van een programma of overkoepelend programma als PDF."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="slug van het programma of overkoepelende programma")
        parser.add_argument("--output", "-o", required=True, help="pad van het PDF-bestand")

    def handle(self, *args, slug, output, **options):
        factsheet = factsheet_for_slug(slug)
        if factsheet is None:
            raise CommandError(
                f"Er is geen programma of overkoepelend programma met de slug ‘{slug}’."
            )
        rendered = render_factsheet(factsheet)
        path = Path(output)
        try:
            path.write_bytes(rendered.data)
        except OSError as error:
            raise CommandError(f"Kan het bestand {path} niet schrijven: {error}") from error
        self.stdout.write(
            f"{path}: {rendered.page_count} pagina('s), {len(rendered.data)} bytes, "
            f"sha256 {rendered.sha256}, inhoudshash {rendered.content_hash}"
        )
