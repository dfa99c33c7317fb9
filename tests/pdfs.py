"""Reading PDFs the portal made, with poppler-utils (installed by `make test`).

Text is compared after whitespace normalisation: where a line breaks is layout, not content,
so an assertion never depends on how a title happens to wrap."""

import shutil
import subprocess


def poppler(tool, *args):
    """Run a poppler-utils tool (pdftotext, pdfinfo, pdffonts) on a file we wrote; its output."""
    command = [shutil.which(tool), *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603


def pdf_text(path):
    """All text of the PDF on one line, runs of whitespace (line and page breaks) as one space."""
    return " ".join(poppler("pdftotext", path, "-").split())


def pdf_info(path):
    lines = poppler("pdfinfo", path).splitlines()
    return {key: value.strip() for key, value in (line.split(":", 1) for line in lines)}


def pdf_fonts(path):
    """``{(font name without subset prefix, embedded)}`` of every font the PDF uses."""
    rows = poppler("pdffonts", path).splitlines()[2:]  # two header lines
    fonts = set()
    for row in rows:
        name, *_rest = row.split()
        embedded = row[-21:].split()[0]  # columns: emb sub uni object ID
        fonts.add((name.split("+", 1)[-1], embedded))
    return fonts
