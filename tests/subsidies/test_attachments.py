"""Attachments: the type is decided by the content, not the name; files are kept privately under
a random name and downloaded only by those who may see the application's documents."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from regioportal.models import AuditAction, AuditEntry
from subsidies import files, registration
from subsidies.enums import AttachmentKind
from subsidies.models import Attachment
from tests.factories import (
    ApplicationFactory,
    ReviewerFactory,
    ReviewFactory,
    SubsidyOfficerFactory,
)
from tests.subsidies.application_data import (
    DOCM_MAIN,
    docx_bytes,
    image_bytes,
    pdf_bytes,
    tender_for,
    tender_scheme,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


# --- the type by content ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "content_type"),
    [
        ("projectplan.pdf", pdf_bytes, "application/pdf"),
        (
            "projectplan.docx",
            docx_bytes,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "begroting.xlsx",
            xlsx_bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("foto.png", lambda: image_bytes("PNG"), "image/png"),
        ("foto.jpg", lambda: image_bytes("JPEG"), "image/jpeg"),
    ],
)
def test_real_files_of_the_allowed_types_are_accepted(name, make, content_type):
    content = make()

    checked = files.check_upload(upload(name, content))

    assert (
        checked.file_type.content_type,
        checked.size,
        checked.sha256,
        checked.original_name,
    ) == (
        content_type,
        len(content),
        hashlib.sha256(content).hexdigest(),
        name,
    )


def test_the_type_the_browser_claims_is_ignored():
    checked = files.check_upload(upload("plan.pdf", pdf_bytes(), content_type="text/html"))

    assert checked.file_type == files.PDF


REFUSED = (
    "%(name)s is geen bestand van een toegestaan type. Toegestaan zijn: PDF, Word (DOCX), "
    "Excel (XLSX), PNG, JPEG (het type wordt aan de inhoud bepaald, niet aan de naam)."
)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        # A Windows program and a web page, named as a PDF.
        ("projectplan.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64),
        ("projectplan.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        # A PNG signature with no image behind it.
        ("foto.png", b"\x89PNG\r\n\x1a\n" + b"niet echt een plaatje" * 4),
        # A macro-enabled Word document, and a DOCX with a VBA project in it.
        (
            "plan.docx",
            docx_bytes(main_type=DOCM_MAIN, extra_parts=[("word/vbaProject.bin", b"\0")]),
        ),
        ("plan.docx", docx_bytes(extra_parts=[("word/vbaProject.bin", b"\x00\x01")])),
        # A DOCX carrying a program next to its own parts.
        ("plan.docx", docx_bytes(extra_parts=[("payload/setup.exe", b"MZ\x90\x00")])),
        # An embedded OLE object, which can wrap any program.
        ("plan.docx", docx_bytes(extra_parts=[("word/embeddings/oleObject1.bin", b"\xd0\xcf")])),
        # A plain ZIP archive, and a text file.
        ("archief.docx", b"PK\x03\x04" + b"\x00" * 40),
        ("begroting.xlsx", b"Post;Bedrag\nVerbouwing;80000\n"),
    ],
)
def test_files_of_other_types_are_refused_whatever_their_name(name, content):
    with pytest.raises(ValidationError) as error:
        files.check_upload(upload(name, content))

    assert error.value.messages == [REFUSED % {"name": name}]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as error:
        files.check_upload(upload("leeg.pdf", b""))

    assert error.value.messages == ["leeg.pdf is leeg."]


def test_a_file_over_the_maximum_size_is_refused(settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    content = pdf_bytes() + b"%" + b"x" * 1024

    with pytest.raises(ValidationError) as error:
        files.check_upload(upload("groot.pdf", content))

    assert error.value.messages == [
        "groot.pdf is groter dan 1,0\xa0KB, het maximum voor een bijlage."
    ]


def test_a_path_in_the_uploaded_name_is_dropped():
    checked = files.check_upload(upload("C:\\Users\\jan\\plan.pdf", pdf_bytes()))

    assert checked.original_name == "plan.pdf"


# --- storing ------------------------------------------------------------------------------------


@pytest.fixture
def officer():
    return SubsidyOfficerFactory()


@pytest.fixture
def application(officer):
    scheme = tender_scheme(handlers=[officer])
    return ApplicationFactory(reference="ZV-2024-007", tender=tender_for(scheme))


def test_an_attachment_is_stored_privately_under_a_random_name(application, officer):
    content = pdf_bytes()

    attachment = registration.add_attachment(
        application, upload("Projectplan De Klinker.pdf", content), "projectplan", by=officer
    )

    attachment.refresh_from_db()
    stored = Path(attachment.file.path)
    assert attachment.file.name.startswith("applications/ZV-2024-007/")
    assert attachment.file.name.endswith(".pdf")
    assert "Klinker" not in attachment.file.name
    assert stored.is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert stored.read_bytes() == content
    assert (
        attachment.original_name,
        attachment.kind,
        attachment.content_type,
        attachment.size,
        attachment.sha256,
        attachment.uploaded_by,
    ) == (
        "Projectplan De Klinker.pdf",
        AttachmentKind.project_plan,
        "application/pdf",
        len(content),
        hashlib.sha256(content).hexdigest(),
        officer,
    )
    with pytest.raises(ValueError, match="not accessible via a URL"):
        attachment.file.url  # noqa: B018 - private media has no URL


def test_adding_an_attachment_is_audited_on_the_application(application, officer):
    registration.add_attachment(
        application, upload("plan.pdf", pdf_bytes()), "projectplan", by=officer
    )

    entry = AuditEntry.objects.get(object_id=str(application.pk))
    assert (entry.actor, entry.action, entry.changes) == (
        officer,
        AuditAction.update,
        {"attachments": [None, "plan.pdf (Projectplan)"]},
    )


def test_a_refused_file_stores_nothing(application, officer):
    folder = Path(settings.PRIVATE_MEDIA_ROOT) / "applications" / application.reference
    before = set(folder.iterdir()) if folder.exists() else set()

    with pytest.raises(ValidationError):
        registration.add_attachment(
            application, upload("plan.pdf", b"<html></html>"), "projectplan", by=officer
        )

    assert Attachment.objects.count() == 0
    assert (set(folder.iterdir()) if folder.exists() else set()) == before


def test_an_officer_of_another_scheme_cannot_add_an_attachment(application):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        registration.add_attachment(
            application, upload("plan.pdf", pdf_bytes()), "projectplan", by=SubsidyOfficerFactory()
        )


def test_the_attachment_page_adds_several_files_at_once(client, application, officer):
    client.force_login(officer)

    response = client.post(
        reverse("subsidies:application-attachments", args=[application.reference]),
        {
            "kind": "overig",
            "files": [upload("a.pdf", pdf_bytes()), upload("b.xlsx", xlsx_bytes())],
        },
    )

    assert response.status_code == 302
    assert sorted(application.attachments.values_list("original_name", "content_type")) == [
        ("a.pdf", "application/pdf"),
        ("b.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ]


def test_the_attachment_page_names_a_refused_file_and_stores_none(client, application, officer):
    client.force_login(officer)

    response = client.post(
        reverse("subsidies:application-attachments", args=[application.reference]),
        {"kind": "overig", "files": [upload("a.pdf", pdf_bytes()), upload("b.pdf", b"MZ\x90")]},
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {"files": [REFUSED % {"name": "b.pdf"}]}
    assert application.attachments.count() == 0


# --- downloading --------------------------------------------------------------------------------


@pytest.fixture
def attachment(application, officer):
    return registration.add_attachment(
        application, upload("Projectplan.pdf", pdf_bytes()), "projectplan", by=officer
    )


def download(client, user, attachment, reference=None):
    client.force_login(user)
    return client.get(
        reverse(
            "subsidies:attachment-download",
            args=[reference or attachment.application.reference, attachment.pk],
        )
    )


def test_the_handling_officer_downloads_the_file_as_an_attachment(client, officer, attachment):
    response = download(client, officer, attachment)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert (
        response["Content-Type"],
        response["Content-Disposition"],
        response["Cache-Control"],
        response["X-Content-Type-Options"],
    ) == (
        "application/pdf",
        'attachment; filename="Projectplan.pdf"',
        "private, no-store",
        "nosniff",
    )


def test_a_download_is_audited(client, officer, attachment):
    download(client, officer, attachment)

    entry = AuditEntry.objects.get(
        object_id=str(attachment.application_id), action=AuditAction.view
    )
    assert (entry.actor, entry.changes) == (officer, {"attachments": [None, "Projectplan.pdf"]})


def test_a_pdf_uploaded_under_another_extension_downloads_as_a_pdf(client, application, officer):
    attachment = registration.add_attachment(
        application, upload("begroting.docx", pdf_bytes()), "begroting", by=officer
    )

    response = download(client, officer, attachment)

    assert response["Content-Disposition"] == 'attachment; filename="begroting.pdf"'


@pytest.mark.parametrize(
    ("conflict", "status"),
    [(False, 200), (None, 404), (True, 404)],
    ids=["declared-no-conflict", "not-declared", "conflicted"],
)
def test_a_reviewer_downloads_only_after_declaring_no_conflict(
    client, attachment, conflict, status
):
    review = ReviewFactory(application=attachment.application, conflict_of_interest=conflict)

    assert download(client, review.reviewer, attachment).status_code == status


def test_an_officer_of_another_scheme_and_another_reviewer_get_not_found(client, attachment):
    assert download(client, SubsidyOfficerFactory(), attachment).status_code == 404
    assert download(client, ReviewerFactory(), attachment).status_code == 404


def test_an_attachment_is_not_found_through_another_application(client, officer, attachment):
    other = ApplicationFactory(reference="ZV-2024-008", tender=attachment.application.tender)

    assert download(client, officer, attachment, reference=other.reference).status_code == 404


def test_a_file_missing_from_storage_is_not_found(client, officer, attachment):
    attachment.file.storage.delete(attachment.file.name)

    assert download(client, officer, attachment).status_code == 404


def test_uploads_kept_in_a_temporary_file_are_checked_and_stored_too(
    client, application, officer, settings
):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every upload goes to a temporary file
    client.force_login(officer)

    response = client.post(
        reverse("subsidies:application-attachments", args=[application.reference]),
        {
            "kind": "overig",
            "files": [
                upload("plan.docx", docx_bytes()),
                upload("foto.png", image_bytes("PNG")),
                upload("foto.jpg", image_bytes("JPEG")),
            ],
        },
    )

    assert response.status_code == 302
    stored = {a.original_name: a for a in application.attachments.all()}
    assert {name: a.content_type for name, a in stored.items()} == {
        "plan.docx": files.DOCX.content_type,
        "foto.png": "image/png",
        "foto.jpg": "image/jpeg",
    }
    assert stored["foto.png"].file.read() == image_bytes("PNG")
