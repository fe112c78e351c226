"""factory_boy factories. Objects in a later state are built by calling the
same services the product uses (see ``decision_in_state``)."""
from __future__ import annotations

import datetime as dt
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.models import Department, Role, User
from decisions import services
from decisions.models import Catalog, CatalogItem, Decision
from decisions.workflow import (
    DecisionCategory,
    DecisionStatus,
    MeetingOutcome,
    MeetingType,
    Procedure,
)

#: a real one-page PDF (uploads are parsed, core.upload_checks)
PDF_BYTES = (
    b'%PDF-1.3\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<\n/Producer (pypdf)\n>>\nendobj\n2 0 obj\n<<\n/Type /Pages\n/Count 1\n/Ki'
    b'ds [ 4 0 R ]\n>>\nendobj\n3 0 obj\n<<\n/Type /Catalog\n/Pages 2 0 R\n>>\nendobj\n4 0 obj\n<<\n/Type /'
    b'Page\n/Resources <<\n>>\n/MediaBox [ 0.0 0.0 595 842 ]\n/Parent 2 0 R\n>>\nendobj\nxref\n0 5\n00000'
    b'00000 65535 f \n0000000015 00000 n \n0000000054 00000 n \n0000000113 00000 n \n0000000162 0000'
    b'0 n \ntrailer\n<<\n/Size 5\n/Root 3 0 R\n/Info 1 0 R\n>>\nstartxref\n256\n%%EOF\n'
)


def pdf_file(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def department(code: str) -> Department:
    return Department.objects.get(code=code)


#: Given with every review the builders conclude on the day of submission (before the earliest
#: date, rules D19-early, N8-early, E8-early); recorded only when the conclusion is early.
EARLY_REASON = "事项紧急，报送材料齐全，经审查机构负责人同意提前作出结论。"

#: Every test user's password.
PASSWORD = "Test-Passw0rd!"

class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    department = factory.LazyFunction(lambda: department("hz-drc"))
    roles = factory.LazyFunction(lambda: [Role.STAFF])
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


def staff(code: str = "hz-drc", **kwargs) -> User:
    return UserFactory(department=department(code), roles=[Role.STAFF], **kwargs)


def reviewer(code: str = "hz-justice", **kwargs) -> User:
    return UserFactory(department=department(code), roles=[Role.REVIEWER], **kwargs)


def reviewer_for(unit: Department, **kwargs) -> User:
    """A reviewer of the review unit that reviews ``unit``'s work (市司法局, a district's 司法局, a 司法所)."""
    from core.bodies import review_unit_for

    return UserFactory(department=review_unit_for(unit), roles=[Role.REVIEWER], **kwargs)


def office(**kwargs) -> User:
    return UserFactory(department=department("hz-office"), roles=[Role.OFFICE], **kwargs)


def supervisor(**kwargs) -> User:
    return UserFactory(department=department("hz-justice"), roles=[Role.SUPERVISOR], **kwargs)


class CatalogFactory(factory.django.DjangoModelFactory):
    """The city government's catalog unless another ``body`` is given."""

    class Meta:
        model = Catalog
        django_get_or_create = ("body", "year")

    body = factory.LazyFunction(lambda: department("huzhou"))
    year = 2026
    decision_body = factory.LazyAttribute(lambda o: o.body.name)


class CatalogItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogItem

    catalog = factory.SubFactory(CatalogFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"湖州市重大事项{n}")
    content = "制定实施方案，明确目标任务和保障措施。"
    lead_department = factory.LazyFunction(lambda: department("hz-drc"))
    legal_basis = "《重大行政决策程序暂行条例》"
    required_procedures = factory.LazyFunction(lambda: [Procedure.PUBLIC_COMMENT, Procedure.RISK_ASSESSMENT])
    planned_completion = dt.date(2026, 12, 31)
    category = DecisionCategory.PUBLIC_POLICY
    status = CatalogItem.Status.INCLUDED
    proposed_by = factory.LazyAttribute(lambda o: staff(o.lead_department.code))


class DecisionFactory(factory.django.DjangoModelFactory):
    """A decision in DRAFTING with content, outside the catalog unless told."""

    class Meta:
        model = Decision

    title = factory.Sequence(lambda n: f"湖州市公共政策决策事项{n}")
    summary = "明确目标任务、工作措施和保障机制。"
    draft_text = "第一条 为了……制定本办法。"
    year = 2026
    department = factory.LazyFunction(lambda: department("hz-drc"))
    outside_catalog_reason = "上级部署的临时性重大事项，年初未能列入目录。"
    category = DecisionCategory.PUBLIC_POLICY
    required_procedures = factory.LazyFunction(lambda: [Procedure.PUBLIC_COMMENT])
    created_by = factory.LazyAttribute(lambda o: staff(o.department.code))


PUBLIC_COMMENT_DETAILS = {
    "opened_on": "2026-03-02", "closes_on": "2026-04-01", "channel": "湖州市人民政府网站",
    "comment_count": "12", "adoption_summary": "采纳8条，部分采纳2条，未采纳2条并说明理由。",
}
PROCEDURE_DETAILS = {
    Procedure.PUBLIC_COMMENT: PUBLIC_COMMENT_DETAILS,
    Procedure.HEARING: {"held_on": "2026-04-20", "materials_sent_on": "2026-04-10", "selection_method": "公开报名、随机抽取",
                        "participants": "市民代表5名、企业代表3名", "record_signed": True},
    Procedure.EXPERT_ARGUMENTATION: {"experts": "王教授，浙江大学\n李研究员，湖州师范学院", "opinions_summary": "方案可行。",
                                     "opinions_signed": True, "no_direct_interest": True},
    Procedure.RISK_ASSESSMENT: {"assessor": "湖州市社会稳定风险评估中心", "level": "low", "risk_points": "群众对收费调整存在疑虑。",
                                "mitigation": "加强政策解读。", "contingency": "设立咨询热线。"},
    Procedure.FAIR_COMPETITION: {"reviewer": "市市场监管局", "conclusion": "未发现排除、限制竞争的内容。"},
}

STEPS = [
    DecisionStatus.DRAFTING, DecisionStatus.CONSULTING, DecisionStatus.LEGALITY_REVIEW,
    DecisionStatus.READY_FOR_DISCUSSION, DecisionStatus.DECIDED, DecisionStatus.EXECUTING,
]


def meeting_data(outcome: str = MeetingOutcome.ADOPTED, held_on: dt.date | None = None) -> dict:
    return {
        "meeting_type": MeetingType.EXECUTIVE, "session_name": "市政府第30次常务会议",
        "held_on": held_on or timezone.localdate(), "attendees": "市长、副市长、秘书长",
        "observers": "市民代表2名、专家1名、媒体记者1名", "member_views": "副市长甲：同意。\n副市长乙：同意，建议加强宣传。",
        "head_name": "市长", "outcome": outcome, "dissent": "",
    }


def decision_body_actor(decision: Decision) -> User:
    """Who acts for the decision's body: the 政府办 for the city government, the body's head otherwise."""
    from decisions.permissions import decision_body_of

    body = decision_body_of(decision)
    if body is None or body.kind == Department.Kind.CITY:
        return office()
    return UserFactory(department=body, roles=[Role.STAFF, Role.HEAD])


def decision_in_state(target: str, *, staff_user: User | None = None, reviewer_user: User | None = None,
                      office_user: User | None = None, **kwargs) -> Decision:
    """Build a decision and carry it through the real services to ``target``."""
    staff_user = staff_user or staff()
    decision = DecisionFactory(department=staff_user.department, created_by=staff_user, **kwargs)
    if target == DecisionStatus.DRAFTING:
        return decision
    services.decision_start_procedures(actor=staff_user, decision_id=decision.pk)
    if target == DecisionStatus.CONSULTING:
        return Decision.objects.get(pk=decision.pk)
    for kind in decision.required_procedures:
        services.decision_record_procedure(actor=staff_user, decision_id=decision.pk, kind=kind,
                                           details=PROCEDURE_DETAILS[kind], files=[pdf_file()])
    services.decision_submit_for_legality_review(actor=staff_user, decision_id=decision.pk)
    if target == DecisionStatus.LEGALITY_REVIEW:
        return Decision.objects.get(pk=decision.pk)
    from reviews import services as review_services
    from reviews.models import ReviewTask

    reviewer_user = reviewer_user or reviewer_for(decision.department)
    task = ReviewTask.objects.get(object_id=decision.pk, status=ReviewTask.Status.OPEN)
    review_services.review_task_claim(task_id=task.pk, actor=reviewer_user)
    outcome = {DecisionStatus.LEGALITY_FAILED: "failed"}.get(target, "passed")
    review_services.review_task_decide(task_id=task.pk, actor=reviewer_user, outcome=outcome,
                                       opinion="经审查，符合法定权限和程序。", checklist=full_checklist(),
                                       early_reason=EARLY_REASON)
    if target in (DecisionStatus.READY_FOR_DISCUSSION, DecisionStatus.LEGALITY_FAILED):
        return Decision.objects.get(pk=decision.pk)
    office_user = office_user or decision_body_actor(decision)
    outcome = {DecisionStatus.DEFERRED: MeetingOutcome.DEFERRED,
               DecisionStatus.REJECTED: MeetingOutcome.REJECTED}.get(target, MeetingOutcome.ADOPTED)
    services.decision_record_meeting(actor=office_user, decision_id=decision.pk, data=meeting_data(outcome))
    if target in (DecisionStatus.DECIDED, DecisionStatus.DEFERRED, DecisionStatus.REJECTED):
        return Decision.objects.get(pk=decision.pk)
    services.decision_record_party_report(actor=office_user, decision_id=decision.pk,
                                          reported_on=timezone.localdate(), note="已向市委常委会报告。")
    services.decision_publish(actor=office_user, decision_id=decision.pk, channel="湖州市人民政府网站")
    if target == DecisionStatus.EXECUTING:
        return Decision.objects.get(pk=decision.pk)
    if target == DecisionStatus.SUSPENDED:
        services.decision_suspend(actor=office_user, decision_id=decision.pk, reason="情况紧急，行政首长决定暂停执行。")
    elif target == DecisionStatus.POST_EVALUATION:
        services.decision_start_post_evaluation(actor=office_user, decision_id=decision.pk,
                                                trigger="body_deems_necessary", evaluator="第三方评估机构甲")
    elif target in (DecisionStatus.COMPLETED, DecisionStatus.ARCHIVED):
        services.decision_complete_execution(actor=staff_user, decision_id=decision.pk,
                                             completed_on=timezone.localdate())
        if target == DecisionStatus.ARCHIVED:
            services.decision_archive(actor=staff_user, decision_id=decision.pk)
    elif target == DecisionStatus.TERMINATED:
        services.decision_suspend(actor=office_user, decision_id=decision.pk, reason="暂停执行。")
        services.decision_terminate(actor=office_user, decision_id=decision.pk, reason="经集体讨论决定停止执行。")
    return Decision.objects.get(pk=decision.pk)


def full_checklist(answer: str = "yes") -> dict:
    return {key: {"answer": answer, "note": ""} for key in ("authority", "procedure", "content")}


def io_bytes(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


# ================================================================== normative documents
NORMATIVE_PROCEDURE_DETAILS = {
    "research": {"summary": "赴三个区县调研，召开企业座谈会2次。"},
    "evaluation": {"summary": "必要性、可行性、合法性、合理性评估结论为可行。"},
    "argumentation": {"experts": "湖州师范学院法学院", "summary": "论证意见：同意出台。"},
    "public_comment": {"opened_on": "2026-03-02", "closes_on": "2026-04-01", "channel": "湖州市人民政府网站",
                       "comment_count": "9", "adoption_summary": "采纳6条，未采纳3条并说明理由。",
                       "enterprises_heard": True},
    "fair_competition": {"reviewer": "市市场监管局", "conclusion": "未发现排除、限制竞争的内容。"},
}


def normative_head(code: str = "hz-drc", **kwargs) -> User:
    """A department head: acts for the issuer (deliberation, numbering, publication, filing)."""
    return UserFactory(department=department(code), roles=[Role.STAFF, Role.HEAD], **kwargs)


def filing_reviewer(code: str = "hz-justice", **kwargs) -> User:
    return UserFactory(department=department(code), roles=[Role.REVIEWER], **kwargs)


def normative_document_in_state(target: str, *, staff_user: User | None = None, head_user: User | None = None,
                                reviewer_user: User | None = None, title: str = "湖州市促进科技创新若干措施",
                                business_related: bool = True, **data):
    """Build a normative document and carry it through the real services to ``target``."""
    from normative_docs import services as nd
    from normative_docs.models import NormativeDocument
    from normative_docs.workflow import DocumentStatus as N
    from reviews import services as review_services
    from reviews.models import ReviewTask

    staff_user = staff_user or staff()
    document = nd.document_propose(actor=staff_user, data={
        "title": title, "reason": "落实省政府部署，规范相关管理。", "business_related": business_related,
        "body": "第一条 为了……，制定本办法。\n第二条 本办法适用于本市行政区域。", "explanation": "起草依据和主要内容说明。",
        **data})
    if target == N.PROPOSED:
        return document
    nd.document_start_drafting(actor=staff_user, document_id=document.pk)
    if target == N.DRAFTING:
        return NormativeDocument.objects.get(pk=document.pk)
    nd.document_start_procedures(actor=staff_user, document_id=document.pk)
    if target == N.CONSULTING:
        return NormativeDocument.objects.get(pk=document.pk)
    for kind in NormativeDocument.objects.get(pk=document.pk).required_procedures:
        nd.document_record_procedure(actor=staff_user, document_id=document.pk, kind=kind,
                                     details=NORMATIVE_PROCEDURE_DETAILS[kind], files=[pdf_file()])
    nd.document_submit_for_legality_review(actor=staff_user, document_id=document.pk)
    if target == N.LEGALITY_REVIEW:
        return NormativeDocument.objects.get(pk=document.pk)
    reviewer_user = reviewer_user or reviewer_for(staff_user.department)
    task = ReviewTask.objects.get(object_id=document.pk, kind="normative_document", status=ReviewTask.Status.OPEN)
    review_services.review_task_claim(task_id=task.pk, actor=reviewer_user)
    outcome = "failed" if target == N.LEGALITY_FAILED else "passed"
    review_services.review_task_decide(task_id=task.pk, actor=reviewer_user, outcome=outcome,
                                       opinion="经审核，符合法定权限和程序。", checklist=normative_checklist(),
                                       early_reason=EARLY_REASON)
    if target in (N.READY_FOR_DELIBERATION, N.LEGALITY_FAILED):
        return NormativeDocument.objects.get(pk=document.pk)
    head_user = head_user or normative_head(staff_user.department.code)
    nd.document_deliberate(actor=head_user, document_id=document.pk, held_on=timezone.localdate(),
                           meeting="局长办公会议", outcome="rejected" if target == N.NOT_ADOPTED else "adopted")
    if target in (N.DELIBERATED, N.NOT_ADOPTED):
        return NormativeDocument.objects.get(pk=document.pk)
    nd.document_register(actor=head_user, document_id=document.pk)
    if target == N.REGISTERED:
        return NormativeDocument.objects.get(pk=document.pk)
    today = timezone.localdate()
    nd.document_publish(actor=head_user, document_id=document.pk, published_on=today,
                        effective_on=today + dt.timedelta(days=30), channel="湖州市人民政府网站")
    if target == N.PUBLISHED:
        return NormativeDocument.objects.get(pk=document.pk)
    if target == N.REPEALED:
        nd.document_repeal(actor=head_user, document_id=document.pk, reason="上位法修改，废止本文件。")
    return NormativeDocument.objects.get(pk=document.pk)


def normative_checklist(answer: str = "yes") -> dict:
    from reviews.checklist import checklist_for

    return {key: {"answer": answer, "note": ""} for key, _label, _basis in checklist_for("normative_document")}


# ================================================================== enforcement
def valid_resident_id(seed: int = 1) -> str:
    """A valid 18-character resident ID (GB 11643 check character) for tests."""
    from enforcement.masking import id_check_character

    first17 = f"330502{1980 + seed % 30:04d}{(seed % 12) + 1:02d}{(seed % 28) + 1:02d}{seed % 1000:03d}"
    return first17 + id_check_character(first17)


def enforcement_officer(code: str = "hz-amr", *, head: bool = False, legal_qualification: bool = False,
                        valid_until: dt.date | None = None, **kwargs) -> User:
    """A staff member (or head) of an enforcement body with a certificate valid until ``valid_until``."""
    from enforcement.models import OfficerCertificate

    roles = [Role.STAFF, Role.HEAD] if head else [Role.STAFF]
    user = UserFactory(department=department(code), roles=roles, **kwargs)
    OfficerCertificate.objects.create(user=user, body=user.department, number=f"33050{user.pk:06d}",
                                      valid_from=dt.date(2020, 1, 1), valid_until=valid_until or dt.date(2030, 12, 31),
                                      legal_qualification=legal_qualification)
    return user


def legal_reviewer(code: str = "hz-justice", **kwargs) -> User:
    """A reviewer with the legal qualification needed for 法制审核."""
    from enforcement.models import OfficerCertificate

    user = UserFactory(department=department(code), roles=[Role.REVIEWER], **kwargs)
    OfficerCertificate.objects.create(user=user, body=user.department, number=f"FZ{user.pk:06d}",
                                      valid_from=dt.date(2020, 1, 1), valid_until=dt.date(2030, 12, 31),
                                      legal_qualification=True)
    return user


CASE_CLUE = {
    "title": "销售超过保质期食品案", "clue_source": "群众投诉（12315）", "key_area": "food_drug", "kind": "specialised",
    "ways": ["reasoned"], "party_type": "person", "party_name": "张三", "party_phone": "13812345678",
    "party_address": "浙江省湖州市吴兴区爱山街道人民路88号", "facts": "当事人在其经营的超市销售超过保质期的食品。",
}


def case_in_state(target: str, *, officer: User | None = None, colleague: User | None = None,
                  head_user: User | None = None, reviewer_user: User | None = None, fine: str = "5000",
                  penalty_types=("fine",), seed: int = 1, **data):
    """Build an enforcement case and carry it through the real services to ``target``."""
    from decimal import Decimal

    from enforcement import services as es
    from enforcement.models import Case
    from enforcement.workflow import CaseStatus as C
    from reviews import services as review_services
    from reviews.models import ReviewTask

    officer = officer or enforcement_officer()
    colleague = colleague or enforcement_officer(officer.department.code)
    head_user = head_user or enforcement_officer(officer.department.code, head=True)
    case = es.case_register_clue(actor=officer, data={**CASE_CLUE, "party_id_number": valid_resident_id(seed), **data})
    if target == C.CLUE:
        return case
    es.case_open(actor=head_user, case_id=case.pk, officer_ids=[officer.pk, colleague.pk])
    if target == C.INVESTIGATING:
        return Case.objects.get(pk=case.pk)
    es.case_notify(actor=officer, case_id=case.pk, facts=CASE_CLUE["facts"], penalty_types=list(penalty_types),
                   fine=Decimal(fine), basis="《中华人民共和国食品安全法》第一百二十四条")
    if target == C.NOTIFIED:
        return Case.objects.get(pk=case.pk)
    if target in (C.LEGAL_REVIEW, C.READY_TO_DECIDE) or Decimal(fine) > 10000:
        es.case_submit_for_legal_review(actor=officer, case_id=case.pk)
        if target == C.LEGAL_REVIEW:
            return Case.objects.get(pk=case.pk)
        reviewer_user = reviewer_user or legal_reviewer()
        task = ReviewTask.objects.get(object_id=case.pk, kind="enforcement", status=ReviewTask.Status.OPEN)
        review_services.review_task_claim(task_id=task.pk, actor=reviewer_user)
        from reviews.checklist import checklist_for

        review_services.review_task_decide(task_id=task.pk, actor=reviewer_user, outcome="passed",
                                           opinion="事实清楚，证据充分，适用依据正确，程序合法。",
                                           checklist={k: {"answer": "yes", "note": ""} for k, _l, _b in checklist_for("enforcement")},
                                           early_reason=EARLY_REASON)
        if target == C.READY_TO_DECIDE:
            return Case.objects.get(pk=case.pk)
    es.case_decide(actor=head_user, case_id=case.pk, outcome="penalty", decision_number="湖市监罚〔2026〕12号",
                   penalty_types=list(penalty_types), fine=Decimal(fine))
    if target == C.DECIDED:
        return Case.objects.get(pk=case.pk)
    es.case_serve(actor=officer, case_id=case.pk, served_on=timezone.localdate())
    if target == C.SERVED:
        return Case.objects.get(pk=case.pk)
    if Decimal(fine) > 0:
        es.case_record_payment(actor=officer, case_id=case.pk, paid_on=timezone.localdate(), amount=Decimal(fine))
    es.case_close(actor=head_user, case_id=case.pk)
    if target == C.ARCHIVED:
        es.case_archive(actor=officer, case_id=case.pk)
    return Case.objects.get(pk=case.pk)


def first_violation_facts(case, actor: User) -> dict:
    """What 首违不罚 needs besides the ground (rule E21): the minor harm and the correction stated,
    with an entry of the case's full-process record as evidence (added here by ``actor``)."""
    from enforcement import services as es

    entry = es.case_add_record(actor=actor, case_id=case.pk, kind="evidence", happened_at=timezone.now(),
                               place="当事人经营场所", summary="现场检查，当事人已当场改正并作出书面承诺。",
                               officer_ids=list(case.officers.values_list("pk", flat=True)))
    return {"harm_statement": "涉案商品货值较小，尚未售出，未造成危害后果。",
            "correction_statement": "当事人已当场下架涉案商品并作出书面承诺。", "evidence_record_ids": [entry.pk]}
