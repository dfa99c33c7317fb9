"""Attachments of an application: what may be uploaded and how it is kept.

The type of a file is decided by its content, never by its name or by the type the browser
claims: a PDF starts with ``%PDF-``; PNG and JPEG have their signatures and must open as an
image; DOCX and XLSX are ZIP packages with ``[Content_Types].xml`` that declares a Word
document or an Excel workbook, with nothing else in them (no macros, no ActiveX controls, no
embedded OLE objects that could carry a program). Anything else is refused with a Dutch
message, as is a file larger than ``settings.ATTACHMENT_MAX_BYTES``.

Files are kept in the default (private) storage under ``applications/<reference>/`` with a
random name; the storage has no URL (settings.MEDIA_URL is None), so the only way to a file
is the permission-checked download view (subsidies.views_applications).
"""

import hashlib
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from .models import Attachment


@dataclass(frozen=True)
class FileType:
    name: str
    content_type: str
    extensions: tuple[str, ...]

    @property
    def extension(self):
        return self.extensions[0]


PDF = FileType("PDF", "application/pdf", (".pdf",))
DOCX = FileType(
    "Word (DOCX)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = FileType(
    "Excel (XLSX)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
)
PNG = FileType("PNG", "image/png", (".png",))
JPEG = FileType("JPEG", "image/jpeg", (".jpg", ".jpeg"))
FILE_TYPES = (PDF, DOCX, XLSX, PNG, JPEG)

# The main part an Office package declares in [Content_Types].xml, and the top-level folders
# such a package consists of. A macro-enabled or template variant declares another main part.
OFFICE_PACKAGES = {
    DOCX: (
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "word/",
    ),
    XLSX: (b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "xl/"),
}
PACKAGE_PARTS = ("[Content_Types].xml", "_rels/", "docProps/", "customXml/")
# Parts that hold code: VBA macros, ActiveX controls, embedded OLE objects (which can wrap
# any program). Lower case; matched anywhere in a part's name.
ACTIVE_PARTS = ("vbaproject", "vbadata", "activex", "oleobject")
# A package is read, never unpacked; these bounds keep reading its index and content types
# cheap (and refuse a "zip bomb" that would hurt whoever opens it later).
MAX_PACKAGE_PARTS = 5000
MAX_PACKAGE_BYTES = 250 * 1024 * 1024
MAX_CONTENT_TYPES_BYTES = 1024 * 1024

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
ZIP_SIGNATURE = b"PK\x03\x04"
CHUNK = 64 * 1024


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed :func:`check_upload`."""

    file_type: FileType
    size: int
    sha256: str
    original_name: str


def allowed_types_text():
    return ", ".join(file_type.name for file_type in FILE_TYPES)


def check_upload(upload):
    """The type, size, SHA-256 and a clean original name of ``upload`` (a Django
    UploadedFile), or a ValidationError with a Dutch message. Leaves the file at its start."""
    name = clean_name(getattr(upload, "name", "") or "")
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise _too_large(name, limit)
    digest, size = hashlib.sha256(), 0
    upload.seek(0)
    head = b""
    for chunk in iter(lambda: upload.read(CHUNK), b""):
        if not head:
            head = chunk[:16]
        digest.update(chunk)
        size += len(chunk)
        if size > limit:
            upload.seek(0)
            raise _too_large(name, limit)
    upload.seek(0)
    if size == 0:
        raise ValidationError(_("%(name)s is leeg.") % {"name": name}, code="empty")
    try:
        file_type = _detect(head, upload)
    finally:
        upload.seek(0)
    if file_type is None:
        raise ValidationError(
            _(
                "%(name)s is geen bestand van een toegestaan type. Toegestaan zijn: %(types)s "
                "(het type wordt aan de inhoud bepaald, niet aan de naam)."
            )
            % {"name": name, "types": allowed_types_text()},
            code="file_type",
        )
    return CheckedFile(
        file_type=file_type, size=size, sha256=digest.hexdigest(), original_name=name
    )


def _too_large(name, limit):
    return ValidationError(
        _("%(name)s is groter dan %(limit)s, het maximum voor een bijlage.")
        % {"name": name, "limit": filesizeformat(limit)},
        code="file_size",
    )


def _detect(head, upload):
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(PNG_SIGNATURE):
        return PNG if _is_image(upload, "PNG") else None
    if head.startswith(JPEG_SIGNATURE):
        return JPEG if _is_image(upload, "JPEG") else None
    if head.startswith(ZIP_SIGNATURE):
        return _office_package(upload)
    return None


def _is_image(upload, expected_format):
    try:
        with Image.open(upload) as image:
            if image.format != expected_format:
                return False
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False
    return True


def _office_package(upload):
    """DOCX or XLSX when the ZIP package is one of them and holds nothing but its own parts;
    otherwise None."""
    try:
        with zipfile.ZipFile(upload) as package:
            infos = package.infolist()
            if len(infos) > MAX_PACKAGE_PARTS:
                return None
            if sum(info.file_size for info in infos) > MAX_PACKAGE_BYTES:
                return None
            names = [info.filename for info in infos]
            if any(info.flag_bits & 0x1 for info in infos):  # encrypted parts
                return None
            if any(part in name.lower() for name in names for part in ACTIVE_PARTS):
                return None
            try:
                info = package.getinfo("[Content_Types].xml")
            except KeyError:
                return None
            if info.file_size > MAX_CONTENT_TYPES_BYTES:
                return None
            content_types = package.read(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return None
    for file_type, (main_part, folder) in OFFICE_PACKAGES.items():
        if main_part in content_types and all(
            name.startswith((*PACKAGE_PARTS, folder)) for name in names
        ):
            return file_type
    return None


def clean_name(name):
    """The file name as the user knows it, without a path, control characters or more than
    200 characters (keeping the extension)."""
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > 200:
        suffix = PurePosixPath(name).suffix[:20]
        name = name[: 200 - len(suffix)] + suffix
    return name or _("bijlage")


def download_name(attachment):
    """The name a download gets: the uploaded name, with the extension of the type its
    content has (a PDF uploaded as "plan.docx" downloads as "plan.pdf")."""
    file_type = next((t for t in FILE_TYPES if t.content_type == attachment.content_type), None)
    name = attachment.original_name or _("bijlage")
    if file_type is None:
        return name
    path = PurePosixPath(name)
    if path.suffix.lower() in file_type.extensions:
        return name
    stem = path.stem if path.suffix else name
    return f"{stem}{file_type.extension}"


def store(application, upload, kind, checked, *, by):
    """Save ``upload`` (already :func:`check_upload`-ed into ``checked``) as an Attachment of
    ``application`` under a random name. The caller audits it."""
    attachment = Attachment(
        application=application,
        kind=kind,
        original_name=checked.original_name,
        content_type=checked.file_type.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by if by is not None and by.is_authenticated else None,
    )
    upload.seek(0)
    attachment.file.save(
        f"{secrets.token_hex(16)}{checked.file_type.extension}", upload, save=False
    )
    attachment.save(force_insert=True)
    return attachment
