"""执法案卷: what the archive package of an enforcement case holds (``core.archive``).
Personal data appear as on the staff pages; the full data only through the audited reveal."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.archive import ArchiveSource, register_archive_source

from . import masking
from .selectors import case_get_for_user
from .workflow import CaseStatus, EnforcementWay, PenaltyType

_MASKS = {
    "party_id_number": lambda value: masking.mask_id(value, staff=True),
    "party_phone": masking.mask_phone,
    "party_address": masking.mask_address,
}


def _mask(name: str, value):
    if not isinstance(value, str) or not value:
        return value
    return _MASKS.get(name, masking.mask_text)(value)


SOURCE = ArchiveSource(
    kind="enforcement_case",
    label="行政执法案件",
    get_for_user=lambda user, pk: case_get_for_user(user=user, case_id=pk),
    is_archived=lambda case: case.status == CaseStatus.ARCHIVED,
    not_archived_message=_("案件归档后方可下载案卷。"),
    states=dict(CaseStatus.choices),
    related=lambda case: [
        (_("全过程记录"), case.records.order_by("happened_at", "id")),
        (_("回避申请"), case.recusals.order_by("id")),
    ],
    mask=_mask,
    value_labels={"ways": dict(EnforcementWay.choices), "penalty_types": dict(PenaltyType.choices),
                  "proposed_penalty_types": dict(PenaltyType.choices)},
)

register_archive_source(SOURCE)
