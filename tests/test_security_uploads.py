"""Uploaded löfte PDFs, replayed attacks: a PDF with /OpenAction JavaScript and a PDF/HTML
polyglot were stored, and a replaced document stayed on disk."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from pledges.models import Pledge
from pledges.validators import validate_pdf_content
from tests import factories
from tests.test_uploads import minimal_pdf


def pdf(build=None):
    """A one-page PDF written by pypdf, changed by `build(writer)` first."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if build:
        build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def javascript_action():
    return DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hej')"),
        }
    )


def open_action_javascript(writer):
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(javascript_action())


def page_additional_action(writer):
    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): writer._add_object(javascript_action())}
    )


def launch_action(writer):
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}
    )


def embedded_file(writer):
    writer.add_attachment("program.exe", b"MZ\x90\x00")


def document_javascript(writer):
    # A document-level script in the name tree, run when the file opens.
    names = ArrayObject([TextStringObject("hej"), writer._add_object(javascript_action())])
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): DictionaryObject({NameObject("/Names"): names})}
    )


def refused(content):
    with pytest.raises(ValidationError) as error:
        validate_pdf_content(SimpleUploadedFile("lofte.pdf", content))
    return error.value


@pytest.mark.parametrize(
    "build",
    [
        open_action_javascript,
        page_additional_action,
        launch_action,
        embedded_file,
        document_javascript,
    ],
)
def test_pdfs_with_active_content_are_refused(build):
    error = refused(pdf(build))
    assert error.code == "active_pdf"
    assert "skript" in str(error.messages[0])


def test_a_pdf_html_polyglot_is_refused():
    content = pdf()
    # Valid header and trailer, parses as a PDF, and renders as a page in a browser.
    polyglot = content.replace(b"%PDF-1.3\n", b"%PDF-1.3\n%<html><script>alert(1)</script>\n", 1)
    assert polyglot != content
    assert refused(polyglot).code == "active_pdf"


def test_a_header_and_trailer_without_a_parsable_body_is_refused():
    fake = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\nstartxref\n9\n%%EOF\n"
    assert refused(fake).code == "invalid_pdf"


def test_ordinary_pdfs_are_accepted_even_with_an_open_at_page_destination():
    validate_pdf_content(SimpleUploadedFile("lofte.pdf", minimal_pdf()))
    validate_pdf_content(SimpleUploadedFile("lofte.pdf", pdf()))

    def fit_first_page(writer):
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(
            ArrayObject([writer.pages[0].indirect_reference, NameObject("/Fit")])
        )

    validate_pdf_content(SimpleUploadedFile("lofte.pdf", pdf(fit_first_page)))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.django_db(transaction=True)
def test_a_replaced_document_is_removed_from_storage(media):
    pledge = factories.PledgeFactory(municipality=factories.MunicipalityFactory())
    pledge.document.save("lofte.pdf", ContentFile(pdf()))
    first = pledge.document.name
    assert (media / first).exists()
    pledge = Pledge.objects.get(pk=pledge.pk)
    pledge.document.save("nytt.pdf", ContentFile(pdf()))
    assert (media / pledge.document.name).exists()
    assert not (media / first).exists()


@pytest.mark.django_db(transaction=True)
def test_a_cleared_or_deleted_document_is_removed_from_storage(media):
    pledge = factories.PledgeFactory(municipality=factories.MunicipalityFactory())
    pledge.document.save("lofte.pdf", ContentFile(pdf()))
    name = pledge.document.name
    pledge = Pledge.objects.get(pk=pledge.pk)
    pledge.document = ""
    pledge.save()
    assert not (media / name).exists()

    other = factories.PledgeFactory(municipality=factories.MunicipalityFactory())
    other.document.save("annat.pdf", ContentFile(pdf()))
    name = other.document.name
    Pledge.objects.get(pk=other.pk).delete()
    assert not (media / name).exists()


@pytest.mark.django_db(transaction=True)
def test_a_document_another_pledge_uses_is_kept(media):
    first = factories.PledgeFactory(municipality=factories.MunicipalityFactory())
    first.document.save("lofte.pdf", ContentFile(pdf()))
    second = factories.PledgeFactory(municipality=factories.MunicipalityFactory())
    Pledge.objects.filter(pk=second.pk).update(document=first.document.name)
    Pledge.objects.get(pk=second.pk).delete()
    assert (media / first.document.name).exists()


# --- Scripts written so that a byte scan does not see them --------------------------------


def link_annotation(uri):
    """A page with a link whose /URI action carries `uri` (a PDF string object)."""

    def build(writer):
        action = DictionaryObject({NameObject("/S"): NameObject("/URI"), NameObject("/URI"): uri})
        annotation = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
                NameObject("/A"): action,
            }
        )
        writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])

    return build


def test_a_javascript_link_written_as_a_hex_string_is_refused():
    # pypdf writes a ByteStringObject as <6a6176...>: no "javascript:" in the file's bytes.
    content = pdf(link_annotation(ByteStringObject(b"javascript:app.alert(1)")))
    assert b"javascript:" not in content.lower()
    assert b"<6a617661736372697074" in content
    assert refused(content).code == "active_pdf"


def test_a_javascript_link_written_with_octal_escapes_is_refused():
    placeholder = b"(" + b"x" * 40 + b")"
    content = pdf(link_annotation(TextStringObject("x" * 40)))
    assert placeholder in content
    # The same length, so the cross-reference offsets stay right.
    octal = b"(\\152ava\\163cript:app.alert\\(1\\))".ljust(len(placeholder))
    content = content.replace(placeholder, octal)
    assert b"javascript:" not in content.lower()
    assert refused(content).code == "active_pdf"


def test_an_ordinary_web_link_is_accepted():
    validate_pdf_content(
        SimpleUploadedFile(
            "lofte.pdf", pdf(link_annotation(TextStringObject("https://polisen.se/")))
        )
    )


def test_an_unreferenced_javascript_object_is_refused():
    def orphan(writer):
        writer._add_object(javascript_action())  # in the file, referred to by nothing

    assert refused(pdf(orphan)).code == "active_pdf"


def test_a_javascript_name_written_with_escapes_is_refused():
    content = pdf(open_action_javascript)
    escaped = content.replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ")
    assert b"/JavaScript" not in escaped
    assert refused(escaped).code == "active_pdf"
