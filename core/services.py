"""Writes of the shared machinery: attachments (the legality review queue is in ``reviews``)."""
from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import filetype
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from . import storage, upload_checks
from .audit import record_event
from .exceptions import DomainError
from .models import Attachment, User

# ---------------------------------------------------------------- attachments
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def attachment_validate(*, name: str, data: bytes) -> str:
    """Returns the MIME type, or raises with a Chinese message (size, extension and magic bytes)."""
    if not data:
        raise DomainError(_("文件为空。"), code="attachment_empty")
    if len(data) > settings.ATTACHMENT_MAX_BYTES:
        raise DomainError(_("文件超过大小限制（最大 %(mb)s MB）。") % {"mb": settings.ATTACHMENT_MAX_BYTES // 1048576},
                          code="attachment_too_large")
    upload_checks.check_name(name)
    extension = Path(name).suffix.lower().lstrip(".")
    if extension not in ALLOWED_TYPES:
        raise DomainError(_("不支持的文件类型，仅限 PDF、PNG、JPG、DOCX、XLSX。"), code="attachment_type")
    guessed = filetype.guess(data)
    if guessed is None or guessed.mime != ALLOWED_TYPES[extension]:
        raise DomainError(_("文件内容与扩展名不符。"), code="attachment_mismatch")
    upload_checks.inspect_upload(name=name, extension=extension, data=data)  # beyond the first bytes
    return guessed.mime


def attachment_add(*, subject, uploaded_file, actor: User, purpose: str = "", audit_obj=None) -> Attachment:
    """Store one uploaded file outside the served tree; must run inside the caller's transaction.
    The content is checked before anything is written; the file reaches its place only if the
    caller commits (``core.storage``)."""
    data = uploaded_file.read()
    name = Path(uploaded_file.name or "file").name[:200]
    mime = attachment_validate(name=name, data=data)
    now = timezone.now()
    relative = f"{now:%Y/%m}/{uuid.uuid4().hex}{Path(name).suffix.lower()}"
    storage.stage(relative, data)  # in place at commit; removed if the transaction rolls back
    attachment = Attachment.objects.create(
        content_type=ContentType.objects.get_for_model(type(subject)), object_id=subject.pk, purpose=purpose,
        original_name=name, stored_path=relative, content_type_name=mime, size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), uploaded_by=actor,
    )
    record_event(actor=actor, event_type="upload", obj=audit_obj or subject, action="attachment_upload",
                 action_label=_("上传附件"),
                 details={"attachment": attachment.pk, "name": name, "sha256": attachment.sha256, "size": len(data)})
    return attachment


def attachment_path(attachment: Attachment) -> Path:
    return storage.attachment_file(attachment.stored_path)
