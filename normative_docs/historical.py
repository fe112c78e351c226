"""历史文件登记: documents issued before the portal, registered by the filing body with their
文号 exactly as printed, issuer, dates, validity, 时效性 (有效/失效/废止), full text and files.

A registered document is an ordinary published ``NormativeDocument`` (``origin`` historical):
the library, the unified search and the 立改废 relations see it like any other, marked as
registered. Its number is taken: the portal's numbering skips it (``services.document_register``)
and no second document may hold the same number in normal form (``document_number_unique``).
Validity is recorded as printed — the policy table's 5/2-year limits bind the documents the
portal publishes (rules N14), not the history it records."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core.audit import record_event
from core.disclosure import register_published
from core.exceptions import DomainError, NotPermitted
from core.models import Department, User
from core.rulebook import records_refusals, refuse
from core.services import attachment_add
from core.workdays import local_today

from .models import DocumentRelation, NormativeDocument
from .permissions import can_register_historical, filing_body_for
from .selectors import PUBLIC_ATTACHMENT_PURPOSE
from .services import _apply_relations, start_expiry_clocks
from .workflow import (
    HISTORICAL_STATES,
    DocumentType,
    Origin,
    PublicStatus,
    RelationKind,
    normalize_number,
    number_query,
)

#: 时效性 as people write it, and as the API's codes.
STATUS_WORDS = {"有效": PublicStatus.VALID, "失效": PublicStatus.EXPIRED, "废止": PublicStatus.REPEALED,
                **{str(status): status for status in HISTORICAL_STATES}}
#: The document type read from the title when none is given (the last matching word wins).
TYPE_WORDS = (("通知", DocumentType.NOTICE), ("意见", DocumentType.OPINIONS), ("决定", DocumentType.DECISION),
              ("规定", DocumentType.REGULATION), ("细则", DocumentType.RULES), ("办法", DocumentType.MEASURES))


def issuer_named(name: str) -> Department:
    """The body of that name (or short name); a clear error for a name we do not know."""
    name = (name or "").strip()
    issuer = Department.objects.filter(Q(name=name) | Q(short_name=name)).order_by("id").first() if name else None
    if issuer is None:
        raise DomainError(_("未找到制定机关“%(name)s”：请填写单位名录中的机关全称。") % {"name": name},
                          code="issuer_unknown")
    return issuer


def number_holder(number: str) -> NormativeDocument | None:
    """The document that holds ``number`` (in normal form), registered or numbered by the portal."""
    normal = normalize_number(number)
    return NormativeDocument.objects.filter(number_normalized=normal).first() if normal else None


def _type_from_title(title: str) -> str:
    found = [kind for word, kind in TYPE_WORDS if word in title]
    return found[-1] if found else DocumentType.OTHER


def _check_dates(*, signed_on: dt.date, published_on: dt.date, effective_on: dt.date,
                 valid_until: dt.date | None, status: str, ended_on: dt.date | None, today: dt.date) -> None:
    if published_on > today:
        raise DomainError(_("公布日期不能晚于今天：尚未公布的文件请通过本平台制发。"), code="date_in_future")
    if signed_on > published_on:
        raise DomainError(_("成文日期不能晚于公布日期。"), code="signed_after_published")
    if valid_until is not None and valid_until < effective_on:
        raise DomainError(_("有效期截止日期不能早于施行日期。"), code="valid_until_before_effective")
    if status == PublicStatus.VALID and valid_until is not None and valid_until < today:
        raise DomainError(_("有效期已于%(day)s届满，时效性应为“失效”。") % {"day": f"{valid_until:%Y年%-m月%-d日}"},
                          code="status_inconsistent")
    if status != PublicStatus.VALID and ended_on is None:
        raise DomainError(_("请填写失效或废止日期。"), code="ended_on_required")
    if ended_on is not None and (ended_on < effective_on or ended_on > today):
        raise DomainError(_("失效或废止日期应在施行日期之后、且不晚于今天。"), code="invalid_ended_on")


def _relations(raw) -> list[tuple[NormativeDocument, str]]:
    """``[{"number": …, "kind": replaces|amends|repeals}]``: earlier documents this one changed."""
    pairs = []
    for item in raw or ():
        kind, number = item.get("kind"), (item.get("number") or "").strip()
        if kind not in RelationKind.values:
            raise DomainError(_("请选择立改废关系类型。"), code="invalid_relation")
        query = number_query(number)
        older = (NormativeDocument.objects.public().filter(query.condition()).first()
                 if query is not None and query.number else None)
        if older is None:
            raise DomainError(_("文号“%(number)s”不是已公布或已登记的文件，无法建立立改废关系。") % {"number": number},
                              code="invalid_older")
        pairs.append((older, kind))
    return pairs


@records_refusals
@transaction.atomic
def historical_register(*, actor: User, document_number: str, title: str, issuer: str, signed_on: dt.date,
                        published_on: dt.date, text: str, effective_on: dt.date | None = None,
                        valid_until: dt.date | None = None, status: str = PublicStatus.VALID,
                        ended_on: dt.date | None = None, doc_type: str = "", interpretation: str = "",
                        publication_channel: str = "", relations=(), files=()) -> NormativeDocument:
    """Register one document issued before the portal, with its 文号 exactly as printed."""
    number, title, text = (document_number or "").strip(), (title or "").strip(), (text or "").strip()
    for value, message, code in ((number, _("请填写文号（按原件填写）。"), "number_required"),
                                 (title, _("请填写文件名称。"), "title_required"),
                                 (text, _("请填写文件全文。"), "text_required")):
        if not value:
            raise DomainError(message, code=code)
    body = issuer_named(issuer)
    if not can_register_historical(actor, body):
        raise NotPermitted(_("历史文件由%(issuer)s的备案审查机关登记。") % {"issuer": body.name})
    state = STATUS_WORDS.get(str(status).strip())
    if state is None:
        raise DomainError(_("时效性只能是有效、失效或废止。"), code="invalid_status")
    if doc_type and doc_type not in DocumentType.values:
        raise DomainError(_("请选择文种。"), code="invalid_doc_type")
    today = local_today()
    effective_on = effective_on or published_on
    if state == PublicStatus.EXPIRED and ended_on is None and valid_until is not None:
        ended_on = valid_until + dt.timedelta(days=1)
    _check_dates(signed_on=signed_on, published_on=published_on, effective_on=effective_on, valid_until=valid_until,
                 status=state, ended_on=ended_on, today=today)
    holder = number_holder(number)
    if holder is not None:
        refuse("N-number", obj=holder, actor=actor, number=number, title=holder.title)
    changes = _relations(relations)
    document = NormativeDocument(
        title=title, doc_type=doc_type or _type_from_title(title), issuer=body, drafting_department=body,
        filing_body=filing_body_for(body), reason=_("历史文件登记：本平台上线前制发的文件。"), body=text,
        interpretation=interpretation, number=number, signed_on=signed_on, published_on=published_on,
        publication_channel=publication_channel, effective_on=effective_on, valid_until=valid_until,
        ended_on=ended_on if state != PublicStatus.VALID else None, status=HISTORICAL_STATES[state],
        origin=Origin.HISTORICAL, legality_passed=True, created_by=actor, required_procedures=[])
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError as error:  # the same number registered at the same moment
        raise DomainError(_("文号“%(number)s”已被使用：同一文号不得重复登记或编号。") % {"number": number},
                          code="number_taken") from error
    record_event(actor=actor, event_type="transition", obj=document, action="register_historical",
                 action_label=_("历史文件登记"), target_state=document.status,
                 details={"number": number, "issuer": body.name, "signed_on": signed_on, "published_on": published_on,
                          "effective_on": effective_on, "valid_until": valid_until, "status": str(state),
                          "ended_on": document.ended_on})
    for uploaded in files:
        attachment_add(subject=document, uploaded_file=uploaded, actor=actor, purpose=PUBLIC_ATTACHMENT_PURPOSE,
                       audit_obj=document)
    register_published(document, actor=actor)  # 索引号 of the 政府信息公开 catalogue
    for older, kind in changes:
        DocumentRelation.objects.create(newer=document, older=older, kind=kind)
        record_event(actor=actor, event_type="edit", obj=document, action="relation", action_label=_("设置立改废关系"),
                     details={"older": older.pk, "kind": kind})
    if state == PublicStatus.VALID:
        _apply_relations(document, actor=actor)
        if valid_until is not None:
            start_expiry_clocks(document, actor=actor, started_on=today)  # the policy in force now
    return document


def historical_input(data: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of ``historical_register`` from a form's or a serializer's data."""
    keys = ("document_number", "title", "issuer", "signed_on", "published_on", "text", "effective_on", "valid_until",
            "status", "ended_on", "doc_type", "interpretation", "publication_channel", "relations", "files")
    return {key: data[key] for key in keys if data.get(key) not in (None, "")}
