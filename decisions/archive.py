"""决策档案: what the archive package of a decision holds (``core.archive``)."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.archive import ArchiveSource, register_archive_source

from .procedures import PROCEDURE_FIELDS
from .selectors import decision_get_for_user
from .workflow import DecisionStatus, Procedure


def _detail_labels(record) -> dict:
    return {key: label for key, label, _kind, _required in PROCEDURE_FIELDS.get(getattr(record, "kind", ""), ())}


SOURCE = ArchiveSource(
    kind="decision",
    label="重大行政决策",
    get_for_user=lambda user, pk: decision_get_for_user(user=user, decision_id=pk),
    is_archived=lambda decision: decision.status == DecisionStatus.ARCHIVED,
    not_archived_message=_("决策归档后方可下载决策档案。"),
    states=dict(DecisionStatus.choices),
    value_labels={"required_procedures": dict(Procedure.choices)},
    detail_labels=_detail_labels,
    related=lambda decision: [
        (_("法定程序记录"), decision.procedure_records.order_by("round", "id")),
        (_("集体讨论记录"), decision.meeting_records.order_by("id")),
        (_("执行情况报告"), decision.execution_reports.order_by("id")),
        (_("决策后评估"), decision.post_evaluations.order_by("id")),
    ],
)

register_archive_source(SOURCE)
