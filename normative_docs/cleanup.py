"""The 2-yearly clean-up (全面清理, N13): the issuer marks every document still in force as
still valid, to amend, to repeal or expired, and publishes the lists. Publishing applies the
repeals and expiries and starts the clock of the next clean-up (R15)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from core.audit import record_event
from core.exceptions import Conflict, DomainError, InvalidState, TransitionBlocked
from core.models import Department, Role, User
from core.permissions import is_office
from core.workdays import local_today
from deadlines import services as deadline_services
from deadlines.engine import add_months
from deadlines.models import LegalClock

from . import reminders
from .models import CleanupEntry, CleanupRound, NormativeDocument
from .services import document_expire, document_repeal
from .workflow import CleanupResult, DocumentStatus

S = DocumentStatus
R = CleanupResult
#: results that must say why (the basis of the amendment, repeal or expiry)
NOTE_REQUIRED = (R.AMEND, R.REPEAL, R.EXPIRED)
GOVERNMENT_KINDS = (Department.Kind.CITY, Department.Kind.DISTRICT, Department.Kind.TOWNSHIP)


# ---------------------------------------------------------------- permissions and reads
def can_manage_cleanup(user, issuer: Department) -> bool:
    """The issuer's head (or its office), or the government office for a people's government —
    the same people who act for the issuer on a document (``can_act_as_issuer``)."""
    if not user.is_authenticated:
        return False
    if issuer.kind in GOVERNMENT_KINDS and is_office(user):
        return True
    return user.department_id == issuer.pk and bool({Role.HEAD, Role.OFFICE} & set(user.roles))


def issuers_managed_by(user) -> QuerySet[Department]:
    """The issuers for which ``user`` may start a clean-up."""
    if not user.is_authenticated:
        return Department.objects.none()
    condition = Q(pk__in=[])
    if is_office(user):
        condition |= Q(kind__in=GOVERNMENT_KINDS)
    if {Role.HEAD, Role.OFFICE} & set(user.roles) and user.department_id:
        condition |= Q(pk=user.department_id)
    return Department.objects.filter(condition).order_by("sort_order", "id")


def cleanup_list() -> QuerySet[CleanupRound]:
    """Every round, with its entry counts (readable by anyone logged in)."""
    return (CleanupRound.objects.select_related("issuer", "started_by")
            .annotate(entry_count=Count("entries"), open_count=Count("entries", filter=Q(entries__result="")))
            .order_by("-started_on", "-id"))


def cleanup_get(*, round_id: int) -> tuple[CleanupRound, list[CleanupEntry]]:
    round_ = CleanupRound.objects.select_related("issuer", "started_by").get(pk=round_id)
    entries = list(round_.entries.select_related("document").order_by("document__published_on", "document_id"))
    return round_, entries


# ---------------------------------------------------------------- services
def _lock_round(round_id: int) -> CleanupRound:
    return CleanupRound.objects.select_for_update().select_related("issuer").get(pk=round_id)


def _event(round_: CleanupRound, *, actor, action: str, label: str, reason: str = "", **details) -> None:
    record_event(actor=actor, event_type="cleanup", obj=round_, action=action, action_label=label, reason=reason,
                 details={"issuer": round_.issuer_id, **details})


@transaction.atomic
def cleanup_start(*, actor: User, issuer_id: int, title: str = "") -> CleanupRound:
    """Start a round with an entry for every document of the issuer in force (status published)."""
    issuer = Department.objects.select_for_update().get(pk=issuer_id)
    if not can_manage_cleanup(actor, issuer):
        raise PermissionDenied
    if CleanupRound.objects.filter(issuer=issuer, published_on__isnull=True).exists():
        raise Conflict(_("%(issuer)s已有尚未公布结果的清理，请先完成并公布。") % {"issuer": issuer})
    today = local_today()
    round_ = CleanupRound.objects.create(
        issuer=issuer, started_on=today, started_by=actor,
        title=(title or "").strip() or _("%(issuer)s%(year)s年行政规范性文件全面清理") % {"issuer": issuer,
                                                                                        "year": today.year})
    documents = list(NormativeDocument.objects.filter(issuer=issuer, status=S.PUBLISHED).values_list("pk", flat=True))
    CleanupEntry.objects.bulk_create([CleanupEntry(round=round_, document_id=pk) for pk in documents])
    _event(round_, actor=actor, action="cleanup_start", label=_("启动全面清理"), documents=len(documents))
    return round_


@transaction.atomic
def cleanup_set_result(*, actor: User, entry_id: int, result: str, note: str = "") -> CleanupEntry:
    """Mark one document: still valid, to amend, to repeal or expired (the last three with reasons)."""
    entry = CleanupEntry.objects.select_related("document").get(pk=entry_id)
    round_ = _lock_round(entry.round_id)
    if not can_manage_cleanup(actor, round_.issuer):
        raise PermissionDenied
    if round_.published_on:
        raise InvalidState(_("清理结果已公布，不能修改。"))
    if result not in R.values:
        raise DomainError(_("请选择清理结果。"), code="invalid_result")
    note = (note or "").strip()
    if result in NOTE_REQUIRED and not note:
        raise DomainError(_("清理结果为“%(result)s”的，请填写说明（理由和依据）。") % {"result": R(result).label},
                          code="note_required")
    before = entry.result
    entry.result, entry.note = result, note
    entry.save(update_fields=["result", "note"])
    _event(round_, actor=actor, action="cleanup_result", label=_("填写清理结果：%(doc)s") % {"doc": entry.document},
           reason=note, document=entry.document_id, before=before, result=result)
    return entry


@transaction.atomic
def cleanup_publish(*, actor: User, round_id: int) -> CleanupRound:
    """Publish the lists: refused while a document has no result. Repeals and expiries take
    effect today; the clock of the next clean-up (R15) starts from today."""
    round_ = _lock_round(round_id)
    if not can_manage_cleanup(actor, round_.issuer):
        raise PermissionDenied
    if round_.published_on:
        raise InvalidState(_("清理结果已公布。"))
    entries = list(round_.entries.select_related("document").order_by("document_id"))
    gaps = [_("“%(doc)s”尚未填写清理结果") % {"doc": e.document} for e in entries if not e.result]
    if gaps:
        raise TransitionBlocked(_("尚有%(n)s件文件未填写清理结果，不能公布。") % {"n": len(gaps)}, details=gaps)
    today = local_today()
    applied = {"repealed": [], "expired": []}
    for entry in entries:
        if entry.result == R.REPEAL:
            if entry.document.status in (S.PUBLISHED, S.AMENDED):
                document_repeal(actor=actor, document_id=entry.document_id, on=today,
                                reason=_("经全面清理宣布废止：%(note)s") % {"note": entry.note})
                applied["repealed"].append(entry.document_id)
        elif entry.result == R.EXPIRED:
            document = NormativeDocument.objects.select_for_update().get(pk=entry.document_id)
            if document.status == S.PUBLISHED:
                document_expire(document, actor=actor, on=today, label=_("经全面清理宣布失效"), reason=entry.note,
                                details={"cleanup": round_.pk})
                applied["expired"].append(document.pk)
    round_.published_on = today
    round_.save(update_fields=["published_on", "updated_at"])
    _stop_previous_cleanup_clocks(round_, actor=actor)
    months = deadline_services.policy_in_force(reminders.CLEANUP, today).length
    deadline_services.clock_start(subject=round_, rule=reminders.CLEANUP, actor=actor, started_on=today,
                                  fixed_due_on=add_months(today, months), department=round_.issuer,
                                  label=_("下一次全面清理：%(issuer)s") % {"issuer": round_.issuer})
    counts = {result: sum(1 for e in entries if e.result == result) for result in R.values}
    _event(round_, actor=actor, action="cleanup_publish", label=_("公布清理结果"), counts=counts, **applied)
    return round_


def _stop_previous_cleanup_clocks(round_: CleanupRound, *, actor) -> None:
    """This round is the clean-up that the issuer's running R15 clock was waiting for."""
    previous = (LegalClock.objects.filter(rule=reminders.CLEANUP, department=round_.issuer,
                                          status__in=(LegalClock.Status.RUNNING, LegalClock.Status.PAUSED))
                .values_list("object_id", flat=True))
    for older in CleanupRound.objects.filter(pk__in=list(previous)):
        deadline_services.clock_stop(subject=older, rule=reminders.CLEANUP, actor=actor,
                                     note=_("已公布新一轮清理结果"))
