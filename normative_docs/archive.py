"""规范性文件案卷: what the archive package of a normative document holds (``core.archive``).
A document is filed as a whole once it is published (and in every state after that)."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.archive import ArchiveSource, register_archive_source

from .procedures import PROCEDURE_FIELDS
from .selectors import document_get_for_user
from .workflow import PUBLISHED_STATES, DocumentStatus, Procedure


def _detail_labels(record) -> dict:
    fields = PROCEDURE_FIELDS.get(getattr(record, "kind", ""), ())
    return {key: label for key, label, _kind, _required in fields}


SOURCE = ArchiveSource(
    kind="normative_document",
    label="行政规范性文件",
    get_for_user=lambda user, pk: document_get_for_user(user=user, document_id=pk),
    is_archived=lambda document: document.status in PUBLISHED_STATES,
    not_archived_message=_("规范性文件公布后方可下载案卷。"),
    states=dict(DocumentStatus.choices),
    value_labels={"required_procedures": dict(Procedure.choices)},
    detail_labels=_detail_labels,
    related=lambda document: [
        (_("起草程序记录"), document.procedures.order_by("round", "id")),
        (_("备案审查记录"), document.filings.order_by("id")),
    ],
)

register_archive_source(SOURCE)
