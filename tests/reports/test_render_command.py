from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.pdfs import pdf_text

pytestmark = pytest.mark.django_db


def test_render_factsheet_writes_the_programme_factsheet(demo, tmp_path):
    output = tmp_path / "op-koers.pdf"
    out = StringIO()

    call_command("render_factsheet", "op-koers", output=str(output), stdout=out)

    assert "WAT ZIJN DE RESULTATEN?" in pdf_text(output)
    assert "23%" in pdf_text(output)
    assert out.getvalue().startswith(f"{output}: 1 pagina('s)")


def test_render_factsheet_renders_the_overview_for_the_umbrella_slug(demo, tmp_path):
    output = tmp_path / "terugblik.pdf"

    call_command(
        "render_factsheet",
        "leefbaarheidsprogramma-2020-2023",
        output=str(output),
        stdout=StringIO(),
    )

    assert "PROGRAMMALIJNEN" in pdf_text(output)


def test_render_factsheet_unknown_slug_is_a_dutch_error(db, tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("render_factsheet", "bestaat-niet", output=str(tmp_path / "x.pdf"))

    assert str(error.value) == (
        "Er is geen programma of overkoepelend programma met de slug ‘bestaat-niet’."
    )
