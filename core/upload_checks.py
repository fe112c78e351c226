"""What an uploaded file must be beyond its first bytes (issue 13, point 6; ASVS 5.2).

* PDF: parsed (pypdf); refused when it cannot be parsed, when it carries JavaScript, launch or
  other actions that run on opening, embedded files, rich media or XFA forms, or HTML/SVG/XML in
  its first kilobyte (a polyglot that a browser would render).
* DOCX/XLSX: opened as zip; refused over ``HUZHOU_UPLOAD_MAX_UNPACKED`` bytes unpacked or a
  compression ratio above ``HUZHOU_UPLOAD_MAX_RATIO`` (counted while unpacking, not from the
  headers, which can lie), more than 2,000 entries, paths leaving the archive, macros or ActiveX,
  or without the document part its extension promises.
* PNG/JPG: decoded completely (Pillow) with a pixel limit; the decoded format must be the
  extension's.
* The name: no control or direction characters, and no dangerous extension hidden before the last
  one (``evil.html.pdf``).

``inspect_upload`` raises ``DomainError`` with a Chinese message; nothing has been written by then.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePosixPath

from django.conf import settings
from django.utils.translation import gettext as _

from .exceptions import DomainError
from .input_guard import FORBIDDEN

#: Extensions that a browser or a desktop runs; never allowed anywhere in a name.
DANGEROUS_EXTENSIONS = {"html", "htm", "xhtml", "shtml", "svg", "xml", "js", "mjs", "exe", "dll", "com", "bat",
                        "cmd", "sh", "ps1", "vbs", "hta", "scr", "msi", "jar", "php", "jsp", "asp", "aspx", "lnk"}
#: PDF names that make a reader act on opening or carry other content.
PDF_FORBIDDEN = ("/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA",
                 "/OpenAction", "/AA", "/SubmitForm", "/ImportData", "/GoToE")
_PDF_RAW = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA|OpenAction|AA|SubmitForm|ImportData"
                      rb"|GoToE)(?![A-Za-z0-9])")
_POLYGLOT = re.compile(rb"<\s*(html|script|svg|\?xml|body|iframe)", re.IGNORECASE)
OFFICE_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
MAX_ZIP_ENTRIES = 2000
MAX_IMAGE_PIXELS = 50_000_000


def _refuse(message: str, code: str = "attachment_unsafe") -> None:
    raise DomainError(message, code=code)


def check_name(name: str) -> None:
    if FORBIDDEN.search(name or ""):
        _refuse(_("文件名含有控制字符或文字方向控制符。"), "attachment_name")
    parts = (name or "").lower().split(".")[1:]
    if any(part.strip() in DANGEROUS_EXTENSIONS for part in parts):
        _refuse(_("文件名含有可执行或网页类型的扩展名（如 .html、.exe），请改名后重新上传。"), "attachment_name")


def _unescape_pdf_names(data: bytes) -> bytes:
    """PDF names may spell letters as #xx (/J#61vaScript)."""
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), data)


def check_pdf(data: bytes) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if _POLYGLOT.search(data[:1024]):
        _refuse(_("PDF 文件中含有网页代码，已拒绝。"))
    if _PDF_RAW.search(_unescape_pdf_names(data)):
        _refuse(_("PDF 文件含有脚本、自动执行的动作或嵌入文件，已拒绝。"))
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if len(reader.pages) < 1:
            raise ValueError("no page")
        # names inside compressed object streams: walk every object the cross-reference table lists
        for number in range(1, int(reader.trailer.get("/Size", 0))):
            try:
                obj = reader.get_object(number)
            except Exception:  # a free or broken entry is not a finding
                continue
            if _has_forbidden_key(obj):
                _refuse(_("PDF 文件含有脚本、自动执行的动作或嵌入文件，已拒绝。"))
    except DomainError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        _refuse(_("PDF 文件已损坏或不是有效的 PDF，无法打开。"), "attachment_invalid")


def _has_forbidden_key(obj) -> bool:
    from pypdf.generic import DictionaryObject, NameObject

    if isinstance(obj, DictionaryObject):
        if any(key in PDF_FORBIDDEN for key in obj.keys()):
            return True
        action = obj.get("/S")
        return isinstance(action, NameObject) and action in ("/JavaScript", "/Launch", "/ImportData", "/SubmitForm")
    return False


def check_office(data: bytes, extension: str) -> None:
    limit = settings.HUZHOU_UPLOAD_MAX_UNPACKED
    ratio = settings.HUZHOU_UPLOAD_MAX_RATIO
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        _refuse(_("文件已损坏，无法作为 Office 文档打开。"), "attachment_invalid")
    if len(entries) > MAX_ZIP_ENTRIES:
        _refuse(_("Office 文档包含的部件过多，已拒绝。"))
    names = {entry.filename for entry in entries}
    if OFFICE_PARTS[extension] not in names or "[Content_Types].xml" not in names:
        _refuse(_("文件内容与扩展名不符。"), "attachment_mismatch")
    unpacked = 0
    ceiling = min(limit, max(len(data), 1) * ratio)
    for entry in entries:
        path = PurePosixPath(entry.filename)
        if path.is_absolute() or ".." in path.parts:
            _refuse(_("Office 文档中含有非法路径，已拒绝。"))
        lowered = entry.filename.lower()
        if lowered.endswith("vbaproject.bin") or "/activex/" in lowered or lowered.endswith(".bin") and "embeddings" in lowered:
            _refuse(_("Office 文档含有宏、ActiveX 控件或嵌入程序，已拒绝。"))
        try:
            with archive.open(entry) as member:
                while chunk := member.read(1 << 16):
                    unpacked += len(chunk)
                    if unpacked > ceiling:
                        _refuse(_("Office 文档解压后过大（压缩炸弹），已拒绝。"), "attachment_bomb")
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
            _refuse(_("文件已损坏，无法作为 Office 文档打开。"), "attachment_invalid")


def check_image(data: bytes, extension: str) -> None:
    from PIL import Image

    expected = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG"}[extension]
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != expected:
                _refuse(_("文件内容与扩展名不符。"), "attachment_mismatch")
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                _refuse(_("图片尺寸过大，已拒绝。"), "attachment_bomb")
            image.load()  # decodes every pixel: a truncated or crafted file fails here
    except DomainError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        _refuse(_("图片已损坏，无法解码。"), "attachment_invalid")


def inspect_upload(*, name: str, extension: str, data: bytes) -> None:
    check_name(name)
    if extension == "pdf":
        check_pdf(data)
    elif extension in OFFICE_PARTS:
        check_office(data, extension)
    elif extension in ("png", "jpg", "jpeg"):
        check_image(data, extension)
