"""Guidance cases (案例指导): an officer or the head of the body proposes one of its closed or
archived cases with its key points; a supervisor (司法局) reviews it and publishes it or not.
The public sees only published guidance cases, with the party's name masked."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from core.audit import record_event
from core.exceptions import DomainError, InvalidState, NotPermitted
from core.models import Role, User
from core.permissions import is_office, is_supervisor
from core.workdays import local_today

from .models import Case, GuidanceCase
from .permissions import can_act_for_body
from .workflow import CaseStatus

G = GuidanceCase.Status
PROPOSABLE_STATES = (CaseStatus.CLOSED, CaseStatus.ARCHIVED)
GUIDANCE_COLUMNS = ("id", "title", "status", "published_on", "created_at", "case__id", "case__number",
                    "case__title", "case__key_area", "case__status", "case__body__name", "case__body__short_name")


# ================================================================== permissions
def can_propose(user) -> bool:
    return user.is_authenticated and bool({Role.STAFF, Role.HEAD} & set(user.roles)) and user.department_id is not None


def can_decide_guidance(user) -> bool:
    return is_supervisor(user)


def can_view_guidance_pages(user) -> bool:
    return is_supervisor(user) or is_office(user) or can_propose(user)


# ================================================================== services
@transaction.atomic
def guidance_propose(*, actor: User, case_id: int, title: str, key_points: str) -> GuidanceCase:
    """推荐指导案例: a closed or archived case of the actor's body (a rejected proposal may be proposed again)."""
    case = Case.objects.visible_to(actor).select_for_update(of=("self",)).get(pk=case_id)
    if not can_act_for_body(actor, case.body_id):
        raise PermissionDenied
    if case.status not in PROPOSABLE_STATES:
        raise InvalidState(_("只有已结案或已归档的案件可以推荐为指导案例。"))
    title, key_points = (title or "").strip(), (key_points or "").strip()
    if not title:
        raise DomainError(_("请填写指导案例标题。"), code="title_required")
    if not key_points:
        raise DomainError(_("请填写裁判要点。"), code="key_points_required")
    guidance = GuidanceCase.objects.select_for_update().filter(case=case).first()
    if guidance is not None and guidance.status != G.REJECTED:
        raise InvalidState(_("该案件已推荐为指导案例。"))
    if guidance is None:
        guidance = GuidanceCase(case=case)
    guidance.title, guidance.key_points, guidance.status = title, key_points, G.PROPOSED
    guidance.proposed_by, guidance.reviewed_by, guidance.published_on = actor, None, None
    guidance.save()
    record_event(actor=actor, event_type="procedure", obj=case, action="guidance_propose",
                 action_label=_("推荐指导案例"), target_state=guidance.status,
                 details={"guidance": guidance.pk, "title": title})
    return guidance


@transaction.atomic
def guidance_decide(*, actor: User, guidance_id: int, publish: bool, note: str = "") -> GuidanceCase:
    """A supervisor reviews a proposal: publish it (published today) or reject it."""
    if not can_decide_guidance(actor):
        raise NotPermitted(_("指导案例由司法行政机关（监督人员）审核发布。"))
    guidance = GuidanceCase.objects.select_for_update().select_related("case").get(pk=guidance_id)
    if guidance.status != G.PROPOSED:
        raise InvalidState(_("该指导案例已审核。"))
    source = guidance.status
    guidance.status = G.PUBLISHED if publish else G.REJECTED
    guidance.reviewed_by = actor
    guidance.published_on = local_today() if publish else None
    guidance.save()
    record_event(actor=actor, event_type="publicity" if publish else "procedure", obj=guidance.case,
                 action="guidance_publish" if publish else "guidance_reject",
                 action_label=_("发布指导案例") if publish else _("不予采用指导案例"),
                 source_state=source, target_state=guidance.status, reason=note,
                 details={"guidance": guidance.pk})
    return guidance


# ================================================================== selectors
def _staff_scope(user: User) -> Q:
    if is_supervisor(user) or is_office(user):
        return Q()
    if can_propose(user):
        return Q(case__body_id=user.department_id)
    raise PermissionDenied


def guidance_list_for_user(*, user: User, status: str = "") -> QuerySet[GuidanceCase]:
    """Supervisors and the office: every proposal; officers of a body: their body's."""
    queryset = GuidanceCase.objects.filter(_staff_scope(user))
    if status in G.values:
        queryset = queryset.filter(status=status)
    return (queryset.select_related("case", "case__body").only(*GUIDANCE_COLUMNS)
            .order_by("status", "-published_on", "-id"))


def guidance_get_for_user(*, user: User, guidance_id: int) -> GuidanceCase:
    return (GuidanceCase.objects.filter(_staff_scope(user))
            .select_related("case", "case__body", "proposed_by", "reviewed_by").get(pk=guidance_id))


def proposable_cases(*, user: User) -> QuerySet[Case]:
    """The actor's body's closed or archived cases not yet proposed (or whose proposal was rejected)."""
    if not can_propose(user):
        return Case.objects.none()
    return (Case.objects.filter(body_id=user.department_id, status__in=PROPOSABLE_STATES)
            .exclude(guidance__status__in=(G.PROPOSED, G.PUBLISHED))
            .only("id", "number", "title").order_by("-closed_on", "-id"))


def guidance_public() -> QuerySet[GuidanceCase]:
    return (GuidanceCase.objects.filter(status=G.PUBLISHED, published_on__isnull=False)
            .select_related("case", "case__body").only(*GUIDANCE_COLUMNS, "case__party_name", "case__party_type", "case__party_aliases",
                                                       "case__outcome", "case__decided_on")
            .order_by("-published_on", "-id"))
