import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from pledges.documents import document_filename
from pledges.models import Pledge
from pledges.validators import validate_pdf_content
from tests import factories


def minimal_pdf():
    """A small but complete PDF (header, one page, xref, trailer)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


# --- PDF ----------------------------------------------------------------------------------


def test_real_pdf_is_accepted():
    validate_pdf_content(SimpleUploadedFile("lofte.pdf", minimal_pdf()))


@pytest.mark.parametrize(
    "content",
    [
        b"<html><script>alert(1)</script></html>",
        b"GIF89a" + b"\x00" * 100,
        b"MZ\x90\x00" + b"\x00" * 100,
        b"",
        minimal_pdf()[:-40],  # truncated upload: no trailer
        b"%PDF-1.7\n<html>%%EOF",  # a header and a marker, but no cross-reference
        b"  " + minimal_pdf(),  # polyglot-style junk before the header
    ],
)
def test_fake_or_broken_pdf_is_refused_whatever_its_name(content):
    with pytest.raises(ValidationError) as error:
        validate_pdf_content(SimpleUploadedFile("lofte.pdf", content))
    assert "inte en giltig PDF" in str(error.value)


def test_model_validation_refuses_a_renamed_html_file(db):
    pledge = factories.PledgeFactory.build(
        municipality=factories.MunicipalityFactory(), police_area=None
    )
    pledge.document = SimpleUploadedFile("lofte.pdf", b"<html>hej</html>")
    with pytest.raises(ValidationError) as error:
        pledge.full_clean()
    assert "document" in error.value.message_dict


def test_pdf_size_limit_is_20_mb(db):
    big = SimpleUploadedFile("lofte.pdf", minimal_pdf())
    big.size = 20 * 1024 * 1024 + 1
    pledge = factories.PledgeFactory.build(
        municipality=factories.MunicipalityFactory(), police_area=None
    )
    pledge.document = big
    with pytest.raises(ValidationError) as error:
        pledge.full_clean()
    assert "högst 20 MB" in str(error.value)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def pledge_with_document(**kwargs):
    pledge = factories.PledgeFactory(**kwargs)
    pledge.document.save("Löfte <script>.pdf", SimpleUploadedFile("x.pdf", minimal_pdf()))
    return pledge


def test_published_document_is_served_as_a_safe_download(client, db, media):
    pledge = pledge_with_document(slug="2025-2026")
    response = client.get(f"/dokument/{pledge.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    expected = f"medborgarlofte-{pledge.municipality.slug}-2025-2026.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'
    assert b"".join(response.streaming_content) == minimal_pdf()


@pytest.mark.parametrize(
    "changes",
    [
        {"status": Pledge.Status.DRAFT},
        {"published_at": None},
    ],
)
def test_draft_document_is_404(client, db, media, changes):
    pledge = pledge_with_document(**changes)
    assert client.get(f"/dokument/{pledge.pk}/").status_code == 404


def test_archived_or_missing_document_is_404(client, db, media):
    pledge = pledge_with_document()
    Pledge.objects.filter(pk=pledge.pk).update(archived_at="2026-01-01T00:00Z")
    assert client.get(f"/dokument/{pledge.pk}/").status_code == 404
    without = factories.PledgeFactory()
    assert client.get(f"/dokument/{without.pk}/").status_code == 404
    assert client.get("/dokument/999999/").status_code == 404


def test_document_filename_is_sanitised(db):
    pledge = factories.PledgeFactory.build(
        municipality=factories.MunicipalityFactory.build(slug="a/../b"), slug='x";\r\nevil'
    )
    name = document_filename(pledge)
    assert name == "medborgarlofte-a-..-b-x-evil.pdf"
    assert all(c.isalnum() or c in "._-" for c in name)


def test_document_download_query_count(client, db, media, django_assert_num_queries):
    pledge = pledge_with_document()
    with django_assert_num_queries(1):
        response = client.get(f"/dokument/{pledge.pk}/")
    assert response.status_code == 200
    response.close()
