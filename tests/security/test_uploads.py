"""Uploads checked beyond the first bytes (issue 13, point 6), starting with the report's three:
a PDF header with <script> inside, evil.html.pdf, and a 1 MB .docx that unpacks to 1 GB."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.exceptions import DomainError
from core.models import Attachment
from core.services import attachment_validate
from decisions.workflow import DecisionStatus, Procedure
from tests import factories
from tests.api_support import api


def _pdf(extra: bytes = b"") -> bytes:
    """A PDF whose catalog carries ``extra`` (e.g. an /OpenAction) as an attacker writes it."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue().replace(b"/Type /Catalog", b"/Type /Catalog" + extra, 1)


def _pdf_with_a_link() -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer._root_object[NameObject("/URI")] = DictionaryObject(
        {NameObject("/Base"): TextStringObject("https://www.huzhou.gov.cn/")})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdf_with_javascript() -> bytes:
    return _pdf(b" /Names << /JavaScript << /Names [(x) << /S /JavaScript /JS (app.alert(1)) >>] >> >>")


def _pdf_with_attachment() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_attachment("payload.exe", b"MZ\x90\x00")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _office(extension: str, parts: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr({"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}[extension], b"<document/>")
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def _image(fmt: str, size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(out, fmt)
    return out.getvalue()


def _refused(name: str, data: bytes) -> str:
    with pytest.raises(DomainError) as raised:
        attachment_validate(name=name, data=data)
    return raised.value.message


# ---------------------------------------------------------------- the report's three
def test_a_pdf_header_with_a_script_inside_is_refused():
    assert _refused("evidence.pdf", b"%PDF-1.4\n<script>alert(document.cookie)</script>\n%%EOF\n") in (
        "PDF 文件中含有网页代码，已拒绝。", "PDF 文件已损坏或不是有效的 PDF，无法打开。")


def test_a_dangerous_extension_before_the_last_is_refused():
    assert _refused("evil.html.pdf", factories.PDF_BYTES) == \
        "文件名含有可执行或网页类型的扩展名（如 .html、.exe），请改名后重新上传。"


def test_a_docx_that_unpacks_to_a_gigabyte_is_refused_without_unpacking_it():
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<document/>")
        with archive.open("word/media/zeros.bin", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _megabyte in range(1024):
                member.write(block)
    data = bomb.getvalue()
    assert len(data) < 2 * 1024 * 1024
    assert _refused("report.docx", data) == "Office 文档解压后过大（压缩炸弹），已拒绝。"


# ---------------------------------------------------------------- PDF
@pytest.mark.parametrize(("make", "what"), [
    (_pdf_with_javascript, "JavaScript"),
    (_pdf_with_attachment, "an embedded file"),
    (lambda: _pdf(b" /OpenAction << /S /Launch /F (cmd.exe) >>"), "a launch action"),
    (lambda: _pdf(b" /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"), "escaped names"),
    (lambda: _pdf(b" /AcroForm << /XFA 5 0 R >>"), "an XFA form"),
])
def test_a_pdf_that_acts_on_opening_or_carries_files_is_refused(make, what):
    assert _refused("evidence.pdf", make()) == "PDF 文件含有脚本、自动执行的动作或嵌入文件，已拒绝。", what


def test_a_broken_pdf_is_refused():
    assert _refused("evidence.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 50) == "PDF 文件已损坏或不是有效的 PDF，无法打开。"


def test_a_plain_pdf_with_links_is_accepted():
    assert attachment_validate(name="意见书.pdf", data=_pdf_with_a_link()) == "application/pdf"


# ---------------------------------------------------------------- Office
def test_a_plain_docx_and_xlsx_are_accepted():
    assert attachment_validate(name="说明.docx", data=_office("docx", {"word/styles.xml": b"<styles/>"})).endswith(
        "wordprocessingml.document")
    assert attachment_validate(name="统计.xlsx", data=_office("xlsx", {})).endswith("spreadsheetml.sheet")


@pytest.mark.parametrize(("parts", "message"), [
    ({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}, "Office 文档含有宏、ActiveX 控件或嵌入程序，已拒绝。"),
    ({"word/activeX/activeX1.xml": b"<ax/>"}, "Office 文档含有宏、ActiveX 控件或嵌入程序，已拒绝。"),
    ({"../../etc/cron.d/x": b"* * * * * root sh"}, "Office 文档中含有非法路径，已拒绝。"),
])
def test_a_docx_with_macros_activex_or_escaping_paths_is_refused(parts, message):
    assert _refused("说明.docx", _office("docx", parts)) == message


def test_a_highly_compressed_docx_over_the_ratio_is_refused(settings):
    settings.HUZHOU_UPLOAD_MAX_RATIO = 100
    data = _office("docx", {"word/padding.xml": b"a" * (5 * 1024 * 1024)})
    assert _refused("说明.docx", data) == "Office 文档解压后过大（压缩炸弹），已拒绝。"


def test_a_zip_that_is_not_the_office_file_its_extension_says_is_refused():
    data = _office("xlsx", {})  # a workbook named .docx
    assert _refused("说明.docx", data) == "文件内容与扩展名不符。"


# ---------------------------------------------------------------- images
def test_images_are_decoded_and_must_be_what_their_extension_says():
    assert attachment_validate(name="现场.png", data=_image("PNG")) == "image/png"
    assert attachment_validate(name="现场.jpg", data=_image("JPEG")) == "image/jpeg"
    assert _refused("现场.png", _image("PNG")[:60]) == "图片已损坏，无法解码。"


# ---------------------------------------------------------------- names
@pytest.mark.parametrize("name", ["invoice\u202efdp.exe.pdf", "a\x00b.pdf", "setup.exe.pdf", "x.svg.png"])
def test_names_with_control_characters_or_hidden_extensions_are_refused(name):
    assert _refused(name, factories.PDF_BYTES).startswith("文件名含有")


# ---------------------------------------------------------------- nothing on disk
def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.django_db
def test_a_refused_upload_through_the_api_leaves_nothing_on_disk(settings, staff_user):
    decision = factories.decision_in_state(DecisionStatus.CONSULTING, staff_user=staff_user)
    files = [SimpleUploadedFile("意见.pdf", _pdf_with_javascript(), content_type="application/pdf")]
    response = api(staff_user).post(f"/api/v1/decisions/{decision.pk}/procedures/", {
        "kind": Procedure.PUBLIC_COMMENT, "details": json.dumps(factories.PUBLIC_COMMENT_DETAILS), "files": files},
        format="multipart")
    assert response.status_code == 400
    assert response.json()["message"] == "PDF 文件含有脚本、自动执行的动作或嵌入文件，已拒绝。"
    assert not Attachment.objects.filter(original_name="意见.pdf").exists()
    assert _files(Path(settings.PRIVATE_MEDIA_ROOT)) == []
