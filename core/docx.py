"""A minimal Word document (.docx) written with the standard library: the published text of a
document as 原文下载, without python-docx. Three parts make a valid package: the content types, the
package relationship to the main part, and ``word/document.xml`` with one paragraph per line."""
from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape

#: characters XML 1.0 does not allow (control characters other than tab, LF and CR)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '</Types>')

_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/>'
    '</Relationships>')

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _paragraph(text: str, *, centered: bool = False, bold: bool = False, size: int = 0) -> str:
    """One paragraph; ``size`` in half-points (32 = 三号 16 pt)."""
    props = '<w:pPr><w:jc w:val="center"/></w:pPr>' if centered else ""
    run = '<w:rFonts w:eastAsia="宋体"/>' + ("<w:b/>" if bold else "") + (f'<w:sz w:val="{size}"/>' if size else "")
    text = escape(_NOT_XML.sub("", text))
    return f'<w:p>{props}<w:r><w:rPr>{run}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def document_docx(*, title: str, number: str, body: str) -> bytes:
    """The title (bold, centred), the 文号 under it (centred), then the body, one paragraph a line."""
    paragraphs = [_paragraph(title, centered=True, bold=True, size=36)]
    if number:
        paragraphs.append(_paragraph(number, centered=True))
    paragraphs.append(_paragraph(""))
    paragraphs += [_paragraph(line) for line in body.splitlines()]
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W}"><w:body>'
                + "".join(paragraphs) + "</w:body></w:document>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _RELS)
        package.writestr("word/document.xml", document)
    return buffer.getvalue()
