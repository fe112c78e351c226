"""Filing review (备案审查): 有件必备、有备必审、有错必纠.

The issuer files a published document with its filing body; the filing body's reviewers
check the form (≤3 working days: registered, incomplete → supplement within 5 working
days, or out of scope → returned with reasons), then review it against the same
checklist as the legality review, and either pass it or request a correction, about
which the issuer reports within 30 days."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import record_event
from core.exceptions import DomainError, InvalidState, NotPermitted
from core.models import User
from core.rulebook import records_refusals
from core.services import attachment_add
from core.workdays import local_today
from deadlines import services as deadline_services
from reviews.services import validate_checklist

from . import reminders
from .models import FilingRecord, NormativeDocument
from .permissions import can_act_as_issuer, can_handle_filing
from .services import document_repeal
from .workflow import CorrectionOutcome, DocumentStatus, FilingStatus

F = FilingStatus
FILING_CLOCKS = (reminders.FILING, reminders.FILING_TOWNSHIP)
#: The rule of the rulebook that a late filing answers to, by filing clock.
LATE_GATES = {reminders.FILING: "N17", reminders.FILING_TOWNSHIP: "N18"}


def _event(filing: FilingRecord, *, actor, action: str, label: str, source: str, reason: str = "", **details):
    record_event(actor=actor, event_type="filing", obj=filing.document, action=action, action_label=label,
                 source_state=source, target_state=filing.status, reason=reason,
                 details={"filing": filing.pk, **details})


def _lock_filing(filing_id: int) -> FilingRecord:
    return FilingRecord.objects.select_for_update().select_related("document", "document__issuer").get(pk=filing_id)


@records_refusals(subject=(NormativeDocument, "document_id"))
@transaction.atomic
def filing_submit(*, actor: User, document_id: int, report: str, files=(), late_reason: str = "") -> FilingRecord:
    """报送备案: the report and the document's materials; after the filing clock's due date (30 days,
    15 for townships and streets) only with a reason, shown wherever the late filing is (N17, N18)."""
    document = NormativeDocument.objects.visible_to(actor).select_for_update(of=("self",)).get(pk=document_id)
    if not can_act_as_issuer(actor, document):
        raise PermissionDenied
    if document.status not in (DocumentStatus.PUBLISHED, DocumentStatus.AMENDED):
        raise InvalidState(_("文件公布后方可报送备案。"))
    if document.filings.exclude(status=F.RETURNED).exists():
        raise InvalidState(_("该文件已报送备案。"))
    if not (report or "").strip():
        raise DomainError(_("请填写备案报告（制定依据、起草说明、征求意见、公平竞争审查和合法性审核情况）。"),
                          code="report_required")
    if not files:
        raise DomainError(_("请上传备案材料（文件正式文本、起草说明等）。"), code="files_required")
    today = local_today()
    clock = next((c for c in (deadline_services.open_clock(document, r) for r in FILING_CLOCKS) if c), None)
    on_time = clock is None or clock.due_on is None or today <= clock.due_on
    late = deadline_services.late_reason(document, clock.rule, gate=LATE_GATES[clock.rule], actor=actor,
                                         reason=late_reason) if clock is not None else ""
    filing = FilingRecord.objects.create(document=document, filing_body=document.filing_body, submitted_on=today,
                                         submitted_by=actor, filing_report=report, on_time=on_time, late_reason=late)
    for uploaded in files:
        attachment_add(subject=filing, uploaded_file=uploaded, actor=actor, purpose="filing", audit_obj=document)
    for rule in FILING_CLOCKS:
        deadline_services.clock_stop(subject=document, rule=rule, actor=actor, note=_("已报送备案"))
    deadline_services.clock_start(subject=filing, rule=reminders.FORMAL_CHECK, actor=actor,
                                  department=document.filing_body, label=_("备案形式审查：%(doc)s") % {"doc": document})
    _event(filing, actor=actor, action="filing_submit", label=_("报送备案"), source="", reason=late, on_time=on_time)
    return filing


@transaction.atomic
def filing_check(*, actor: User, filing_id: int, result: str, note: str = "") -> FilingRecord:
    """形式审查 within 3 working days: ``accept`` (登记), ``incomplete`` (补正) or ``out_of_scope`` (退回)."""
    filing = _lock_filing(filing_id)
    if not can_handle_filing(actor, filing):
        raise NotPermitted(_("只有备案审查机关的审查人员可以办理。"))
    if filing.status != F.SUBMITTED:
        raise InvalidState(_("只有已报送、待形式审查的备案可以登记。"))
    moves = {"accept": F.UNDER_REVIEW, "incomplete": F.INCOMPLETE, "out_of_scope": F.RETURNED}
    if result not in moves:
        raise DomainError(_("请选择形式审查结果。"), code="invalid_result")
    if result != "accept" and not note.strip():
        raise DomainError(_("材料不全或不予登记的，须写明理由。"), code="note_required")
    source = filing.status
    filing.status, filing.checked_on, filing.check_note = moves[result], local_today(), note
    if result == "accept":
        filing.reviewer = actor
    filing.save()
    deadline_services.clock_stop(subject=filing, rule=reminders.FORMAL_CHECK, actor=actor, note=filing.get_status_display())
    document = filing.document
    if result == "accept":
        deadline_services.clock_start(subject=filing, rule=reminders.FILING_REVIEW, actor=actor, assignee=actor,
                                      department=filing.filing_body, label=_("备案审查：%(doc)s") % {"doc": document})
    elif result == "incomplete":
        deadline_services.clock_start(subject=filing, rule=reminders.SUPPLEMENT, actor=actor, department=document.issuer,
                                      label=_("补正备案材料：%(doc)s") % {"doc": document})
    labels = {"accept": _("备案登记"), "incomplete": _("备案材料不全，通知补正"), "out_of_scope": _("不属于备案范围，退回")}
    _event(filing, actor=actor, action=f"filing_check_{result}", label=labels[result], source=source, reason=note)
    return filing


@transaction.atomic
def filing_supplement(*, actor: User, filing_id: int, note: str, files=()) -> FilingRecord:
    filing = _lock_filing(filing_id)
    if not can_act_as_issuer(actor, filing.document):
        raise PermissionDenied
    if filing.status != F.INCOMPLETE:
        raise InvalidState(_("只有待补正的备案可以补充报送材料。"))
    if not files:
        raise DomainError(_("请上传补正材料。"), code="files_required")
    for uploaded in files:
        attachment_add(subject=filing, uploaded_file=uploaded, actor=actor, purpose="supplement",
                       audit_obj=filing.document)
    source = filing.status
    filing.status = F.SUBMITTED
    filing.save(update_fields=["status", "updated_at"])
    deadline_services.clock_stop(subject=filing, rule=reminders.SUPPLEMENT, actor=actor, note=_("已补正"))
    deadline_services.clock_start(subject=filing, rule=reminders.FORMAL_CHECK, actor=actor,
                                  department=filing.filing_body,
                                  label=_("备案形式审查：%(doc)s") % {"doc": filing.document})
    _event(filing, actor=actor, action="filing_supplement", label=_("补正备案材料"), source=source, reason=note)
    return filing


@transaction.atomic
def filing_review(*, actor: User, filing_id: int, outcome: str, opinion: str, checklist: dict) -> FilingRecord:
    """审查: ``passed`` or ``correction`` (纠正), with the checklist answered item by item."""
    filing = _lock_filing(filing_id)
    if not can_handle_filing(actor, filing):
        raise NotPermitted(_("只有备案审查机关的审查人员可以办理。"))
    if filing.status != F.UNDER_REVIEW:
        raise InvalidState(_("只有已登记的备案可以作出审查结论。"))
    if outcome not in ("passed", "correction"):
        raise DomainError(_("请选择审查结论。"), code="invalid_outcome")
    if not opinion.strip():
        raise DomainError(_("请填写审查意见。"), code="opinion_required")
    errors = validate_checklist("normative_document", checklist, "passed" if outcome == "passed" else "failed")
    if errors:
        raise DomainError(errors[0], details=errors, code="checklist_incomplete")
    if outcome == "correction" and not any((a or {}).get("answer") == "no" for a in checklist.values()):
        raise DomainError(_("提出纠正意见的，须至少指出一项不符合的审查要点。"), code="checklist_no_problem")
    source = filing.status
    filing.status = F.PASSED if outcome == "passed" else F.CORRECTION_REQUESTED
    filing.checklist, filing.review_opinion, filing.reviewed_on, filing.reviewer = checklist, opinion, local_today(), actor
    filing.save()
    deadline_services.clock_stop(subject=filing, rule=reminders.FILING_REVIEW, actor=actor, note=filing.get_status_display())
    if outcome == "correction":
        deadline_services.clock_start(subject=filing, rule=reminders.CORRECTION_REPORT, actor=actor,
                                      department=filing.document.issuer,
                                      label=_("报告纠正情况：%(doc)s") % {"doc": filing.document})
    _event(filing, actor=actor, action=f"filing_review_{outcome}",
           label=_("备案审查通过") if outcome == "passed" else _("提出纠正意见"), source=source, reason=opinion,
           checklist=checklist)
    return filing


@transaction.atomic
def filing_report_correction(*, actor: User, filing_id: int, outcome: str, report: str) -> FilingRecord:
    """The issuer reports how it handled the correction: amended, repealed, or kept with reasons."""
    filing = _lock_filing(filing_id)
    if not can_act_as_issuer(actor, filing.document):
        raise PermissionDenied
    if filing.status != F.CORRECTION_REQUESTED:
        raise InvalidState(_("只有已提出纠正意见的备案可以报告纠正情况。"))
    if outcome not in CorrectionOutcome.values:
        raise DomainError(_("请选择纠正结果。"), code="invalid_outcome")
    if not report.strip():
        raise DomainError(_("请填写纠正情况报告。"), code="report_required")
    if outcome == CorrectionOutcome.AMENDED and not filing.document.changed_by.exists():
        raise DomainError(_("修改的，请先起草修改文件并在其中关联本文件（立改废关系），再报告纠正情况。"),
                          code="amendment_missing")
    source = filing.status
    filing.status, filing.correction_outcome = F.CORRECTED, outcome
    filing.correction_report, filing.corrected_on = report, local_today()
    filing.save()
    deadline_services.clock_stop(subject=filing, rule=reminders.CORRECTION_REPORT, actor=actor, note=_("已报告"))
    if outcome == CorrectionOutcome.REPEALED and filing.document.status == DocumentStatus.PUBLISHED:
        document_repeal(actor=actor, document_id=filing.document_id, reason=_("根据备案审查纠正意见废止。"))
    _event(filing, actor=actor, action="filing_corrected", label=_("报告纠正情况"), source=source, reason=report,
           outcome=outcome)
    return filing
