"""Real files and a registered-application setup for the tests of the application pages
(registration, attachments, access). Files are made the way their programs make them: a PDF
with a cross-reference table, a DOCX package written with zipfile, an XLSX by openpyxl, PNG
and JPEG by Pillow."""

import datetime
import io
import zipfile
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from subsidies.enums import AllocationMethod, Channel

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# "Today" in these tests: a Tuesday in the tender round of tender_for().
NOW = datetime.datetime(2024, 4, 2, 10, 30, tzinfo=AMSTERDAM)
TODAY = NOW.date()


def pdf_bytes(text="Projectplan"):
    """A one-page PDF 1.4 with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def docx_bytes(*, main_type=DOCX_MAIN, extra_parts=()):
    """A minimal Word package: content types, relationships and a document with one line."""
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{main_type}"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>Projectplan dorpshuis</w:t></w:r></w:p></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", content_types)
        package.writestr("_rels/.rels", rels)
        package.writestr("word/document.xml", document)
        for name, content in extra_parts:
            package.writestr(name, content)
    return buffer.getvalue()


def xlsx_bytes():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Begroting"
    sheet.append(["Post", "Bedrag"])
    sheet.append(["Verbouwing", 80000])
    sheet.append(["Inrichting", 20000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def image_bytes(image_format):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 102, 153)).save(buffer, format=image_format)
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def tender_for(scheme, **fields):
    """A tender round of ``scheme`` that is open on TODAY."""
    from tests.factories import TenderFactory

    return TenderFactory(
        scheme=scheme,
        opens_at=datetime.datetime(2024, 3, 1, 9, 0, tzinfo=AMSTERDAM),
        closes_at=datetime.datetime(2024, 4, 30, 17, 0, tzinfo=AMSTERDAM),
        **fields,
    )


def tender_scheme(handlers=(), **fields):
    from tests.factories import SchemeFactory

    defaults = {
        "code": "ZV",
        "name": "Subsidieregeling Zorg & Voorzieningen",
        "allocation_method": AllocationMethod.tender,
        "min_amount": Decimal("10000"),
        "max_amount": Decimal("250000"),
    }
    return SchemeFactory(handlers=list(handlers), **{**defaults, **fields})


def registration_data(applicant, **changes):
    """``data`` for register_application, received TODAY by post."""
    return {
        "applicant": applicant,
        "contact_name": "Jan Hof",
        "contact_email": "jan.hof@example.nl",
        "contact_phone": "050-1234567",
        "title": "Dorpshuis De Klinker",
        "summary": "Verbouwing van het dorpshuis tot zorgsteunpunt.",
        "requested_amount": Decimal("60000"),
        "co_financing": Decimal("40000"),
        "de_minimis_declared": False,
        "channel": Channel.post,
        "received_on": TODAY,
        **changes,
    }


BUDGET = [
    {"description": "Verbouwing", "amount": Decimal("80000")},
    {"description": "Inrichting", "amount": Decimal("20000")},
]
