"""Realistic Huzhou demo content, built through the real services so that the
audit trail tells the same story as the data. Dates are replayed with
time-machine so that the 2025 and 2026 catalogs carry their real-world dates."""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import User
from reviews import services as review_services
from reviews.models import ReviewTask

from . import services
from .models import CatalogItem, Decision
from .workflow import DecisionStatus as S
from .workflow import MeetingOutcome, MeetingType, Procedure

P = Procedure
#: a real one-page PDF (uploads are parsed, core.upload_checks)
PDF = (
    b'%PDF-1.3\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<\n/Producer (pypdf)\n>>\nendobj\n2 0 obj\n<<\n/Type /Pages\n/Count 1\n/Ki'
    b'ds [ 4 0 R ]\n>>\nendobj\n3 0 obj\n<<\n/Type /Catalog\n/Pages 2 0 R\n>>\nendobj\n4 0 obj\n<<\n/Type /'
    b'Page\n/Resources <<\n>>\n/MediaBox [ 0.0 0.0 595 842 ]\n/Parent 2 0 R\n>>\nendobj\nxref\n0 5\n00000'
    b'00000 65535 f \n0000000015 00000 n \n0000000054 00000 n \n0000000113 00000 n \n0000000162 0000'
    b'0 n \ntrailer\n<<\n/Size 5\n/Root 3 0 R\n/Info 1 0 R\n>>\nstartxref\n256\n%%EOF\n'
)


@contextmanager
def on(day: str):
    import time_machine

    with time_machine.travel(dt.datetime.fromisoformat(f"{day}T10:00:00+08:00"), tick=False):
        yield


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


CATALOG_2025 = [
    ("湖州市养老服务体系建设“十五五”规划", "明确2026—2030年养老服务设施布局、居家社区养老和医养结合目标任务。", "hz-civil",
     "《中华人民共和国老年人权益保障法》《浙江省社会养老服务促进条例》", [P.PUBLIC_COMMENT, P.EXPERT_ARGUMENTATION, P.RISK_ASSESSMENT],
     "2025-11-30", "planning", ""),
    ("湖州市中心城区公共停车收费标准调整", "按区域、时段实行差别化停车收费，引导错峰停车。", "hz-drc",
     "《中华人民共和国价格法》《浙江省定价目录》", [P.PUBLIC_COMMENT, P.HEARING, P.RISK_ASSESSMENT, P.FAIR_COMPETITION],
     "2025-09-30", "public_policy", ""),
    ("太湖溇港生态保护与修复实施方案", "开展溇港水系连通、岸线生态修复和水环境综合治理。", "hz-eco",
     "《中华人民共和国长江保护法》《太湖流域管理条例》", [P.PUBLIC_COMMENT, P.EXPERT_ARGUMENTATION, P.RISK_ASSESSMENT],
     "2025-12-31", "resources", ""),
    ("湖州市国土空间总体规划（2021—2035年）实施细则", "落实三区三线管控，明确中心城区用地布局。", "hz-nrp",
     "《中华人民共和国土地管理法》《中华人民共和国城乡规划法》", [P.PUBLIC_COMMENT, P.EXPERT_ARGUMENTATION],
     "2025-10-31", "planning", ""),
    ("湖州市区义务教育阶段学校布局调整", "优化中心城区中小学布点，新建、改扩建学校12所。", "hz-education",
     "《中华人民共和国义务教育法》", [P.PUBLIC_COMMENT, P.RISK_ASSESSMENT], "2025-12-31", "public_policy", ""),
    ("城市应急物资储备库选址与建设", "建设市级应急物资储备库。", "hz-drc",
     "《中华人民共和国突发事件应对法》", [P.EXPERT_ARGUMENTATION, P.RISK_ASSESSMENT], "2025-12-31", "construction",
     "涉及国家秘密（《中华人民共和国保守国家秘密法》第十三条），依法不予公开"),
]

CATALOG_2026 = [
    ("湖州市促进民营经济高质量发展若干政策", "在融资支持、要素保障、政务服务等方面出台支持措施。", "hz-drc",
     "《中华人民共和国民营经济促进法》《优化营商环境条例》", [P.PUBLIC_COMMENT, P.EXPERT_ARGUMENTATION, P.FAIR_COMPETITION],
     "2026-10-31", "public_policy", ""),
    ("湖州市区公共交通票价调整方案", "调整市区公交基础票价，完善老年人、学生优惠政策。", "hz-transport",
     "《中华人民共和国价格法》《政府制定价格听证办法》", [P.PUBLIC_COMMENT, P.HEARING, P.RISK_ASSESSMENT],
     "2026-09-30", "public_policy", ""),
    ("南太湖新区综合交通枢纽建设", "建设集高铁、城际、公交于一体的综合交通枢纽。", "hz-transport",
     "《中华人民共和国政府投资条例》", [P.PUBLIC_COMMENT, P.EXPERT_ARGUMENTATION, P.RISK_ASSESSMENT],
     "2026-12-31", "construction", ""),
    ("湖州市生活垃圾分类管理实施办法", "明确分类标准、投放管理和激励措施。", "hz-housing",
     "《中华人民共和国固体废物污染环境防治法》《浙江省生活垃圾管理条例》", [P.PUBLIC_COMMENT, P.RISK_ASSESSMENT],
     "2026-08-31", "resources", ""),
    ("湖州市存量低效工业用地再开发实施意见", "推进低效用地腾退和再开发，提高土地利用效率。", "hz-nrp",
     "《中华人民共和国土地管理法》", [P.PUBLIC_COMMENT, P.EXPERT_ARGUMENTATION, P.RISK_ASSESSMENT, P.FAIR_COMPETITION],
     "2026-11-30", "resources", ""),
    ("湖州市基层医疗卫生服务能力提升三年行动", "推进乡镇卫生院标准化建设和家庭医生签约服务。", "hz-health",
     "《中华人民共和国基本医疗卫生与健康促进法》", [P.PUBLIC_COMMENT, P.EXPERT_ARGUMENTATION], "2026-12-31", "public_policy", ""),
    ("湖州市数字经济产业园区规划", "规划建设数字经济产业园区，明确招商政策。", "hz-drc",
     "《浙江省数字经济促进条例》", [P.PUBLIC_COMMENT, P.EXPERT_ARGUMENTATION, P.FAIR_COMPETITION], "2026-12-31", "planning", ""),
    ("市级粮食储备轮换与应急保障方案", "调整市级储备粮规模与轮换机制。", "hz-drc",
     "《粮食流通管理条例》", [P.EXPERT_ARGUMENTATION, P.RISK_ASSESSMENT], "2026-12-31", "other",
     "涉及国家秘密（《中华人民共和国保守国家秘密法》第十三条），依法不予公开"),
]

DETAILS = {
    P.PUBLIC_COMMENT: lambda start: {
        "opened_on": start, "closes_on": (dt.date.fromisoformat(start) + dt.timedelta(days=30)).isoformat(),
        "channel": "湖州市人民政府门户网站“意见征集”栏目、信函", "comment_count": 46,
        "adoption_summary": "共收到意见46条，采纳21条，部分采纳9条，未采纳16条（已逐条说明理由）。"},
    P.HEARING: lambda start: {
        "held_on": (dt.date.fromisoformat(start) + dt.timedelta(days=40)).isoformat(),
        "materials_sent_on": (dt.date.fromisoformat(start) + dt.timedelta(days=31)).isoformat(),
        "selection_method": "公开报名、随机抽取，并在门户网站公布名单", "participants": "消费者代表7名、经营者代表3名、专家2名、人大代表和政协委员各1名",
        "record_signed": True},
    P.EXPERT_ARGUMENTATION: lambda start: {
        "experts": "陈教授，浙江大学公共管理学院\n沈研究员，湖州师范学院\n吴律师，浙江湖州某律师事务所",
        "opinions_summary": "方案总体可行，建议细化分阶段实施目标和绩效指标。", "dissent": "吴律师认为部分条款应进一步明确适用范围。",
        "opinions_signed": True, "no_direct_interest": True},
    P.RISK_ASSESSMENT: lambda start: {
        "assessor": "湖州市社会稳定风险评估中心", "level": "medium", "risk_points": "部分群众对费用调整存在疑虑；实施初期可能引发集中咨询。",
        "mitigation": "分步实施、加强政策解读、设置过渡期。", "contingency": "设立咨询热线和现场接待点，建立舆情快速响应机制。"},
    P.FAIR_COMPETITION: lambda start: {
        "reviewer": "湖州市市场监督管理局", "conclusion": "经审查，未发现排除、限制竞争的内容。"},
}


def _user(username: str) -> User:
    return User.objects.get(username=username)


def build_catalog(year: int, rows, *, office: User, collect_on: str, consent_on: str, publish_on: str,
                  document_number: str) -> dict[str, CatalogItem]:
    items = {}
    with on(collect_on):
        for name, content, dept, basis, procedures, planned, category, withheld in rows:
            proposer = User.objects.filter(department__code=dept, roles__contains=["staff"]).first() \
                or _demo_staff_for(dept)
            items[name] = services.catalog_item_propose(actor=proposer, year=year, data={
                "name": name, "content": content, "legal_basis": basis, "required_procedures": list(procedures),
                "planned_completion": dt.date.fromisoformat(planned), "category": category,
                "disclosure": "withheld" if withheld else "public", "withheld_reason": withheld,
            })
    with on(consent_on):
        services.catalog_compile(actor=office, year=year, included_ids=[i.pk for i in items.values()],
                                 note="经汇总审核，全部列入年度目录。")
        services.catalog_record_party_consent(actor=office, year=year, consent_on=dt.date.fromisoformat(consent_on),
                                              note="经中共湖州市委常委会会议同意")
    with on(publish_on):
        services.catalog_publish(actor=office, year=year, document_number=document_number)
    return {k: CatalogItem.objects.get(pk=v.pk) for k, v in items.items()}


def _demo_staff_for(code: str) -> User:
    """Departments other than the demo accounts' get a named clerk so that every proposal has a proposer."""
    from core.models import Department, Role

    department = Department.objects.get(code=code)
    user, _created = User.objects.get_or_create(
        username=f"clerk_{code.replace('-', '_')}",
        defaults={"full_name": f"{department.short_name}承办人", "department": department, "roles": [Role.STAFF]},
    )
    if _created:
        user.set_unusable_password()
        user.save()
    return user


def carry(item: CatalogItem, target: str, *, start: str, office: User, reviewer: User, title: str = "",
          summary: str = "") -> Decision:
    """Carry a decision for a catalog item through the services to ``target``, day by day from ``start``."""
    staff = User.objects.filter(department=item.lead_department, roles__contains=["staff"]).order_by("id").first()
    day = dt.date.fromisoformat(start)

    def step(days: int = 0):
        nonlocal day
        day += dt.timedelta(days=days)
        return on(day.isoformat())

    with step():
        decision = services.decision_create(actor=staff, data={
            "catalog_item": item, "title": title or item.name, "summary": summary or item.content,
            "draft_text": f"{item.name}\n\n第一条 为了{item.content.rstrip('。')}，根据{item.legal_basis}等规定，结合本市实际，制定本方案。\n第二条 ……",
            "explanation": "起草过程中开展了实地调研，征求了相关部门和区县意见。",
        })
    if target == S.DRAFTING:
        return decision
    with step(3):
        services.decision_start_procedures(actor=staff, decision_id=decision.pk)
    if target == S.CONSULTING:
        return decision
    for kind in decision.required_procedures:
        with step(2):
            services.decision_record_procedure(actor=staff, decision_id=decision.pk, kind=kind,
                                               details=DETAILS[kind]((day - dt.timedelta(days=45)).isoformat()),
                                               files=[pdf(f"{Procedure(kind).label}.pdf")])
    with step(2):
        services.decision_submit_for_legality_review(actor=staff, decision_id=decision.pk,
                                                     note="报送决策草案、起草说明、法律依据及程序履行情况。")
    if target == S.LEGALITY_REVIEW:
        return decision
    task = ReviewTask.objects.get(object_id=decision.pk, status=ReviewTask.Status.OPEN)
    with step(1):
        review_services.review_task_claim(task_id=task.pk, actor=reviewer)
    failed = target == S.LEGALITY_FAILED
    with step(10):
        review_services.review_task_decide(
            task_id=task.pk, actor=reviewer, outcome="failed" if failed else "passed",
            early_reason="市政府常务会议已排期，报送材料齐全，经审查机构负责人同意提前出具审查意见。",
            opinion="草案部分条款设定了法律法规未规定的义务，不符合合法性要求。" if failed else "经审查，决策事项符合法定权限，履行了法定程序，内容合法。",
            checklist={k: {"answer": "no" if failed and k == "content" else "yes", "note": ""}
                       for k in ("authority", "procedure", "content")})
    if target in (S.READY_FOR_DISCUSSION, S.LEGALITY_FAILED):
        return decision
    outcome = {S.DEFERRED: MeetingOutcome.DEFERRED, S.REJECTED: MeetingOutcome.REJECTED}.get(target, MeetingOutcome.ADOPTED)
    with step(7):
        services.decision_record_meeting(actor=office, decision_id=decision.pk, data={
            "meeting_type": MeetingType.EXECUTIVE, "session_name": f"市政府第{40 + decision.pk}次常务会议",
            "held_on": day, "attendees": "市长、常务副市长、副市长、秘书长",
            "observers": "市民代表2名、行业专家1名、湖州日报记者1名、利害关系人代表1名",
            "member_views": "常务副市长：同意。\n副市长（分管）：同意，建议加强宣传解读。\n秘书长：同意。",
            "head_name": "市长", "outcome": outcome,
            "dissent": "一名副市长建议暂缓实施收费调整部分。" if outcome != MeetingOutcome.ADOPTED else "",
        })
    if target in (S.DECIDED, S.DEFERRED, S.REJECTED):
        return decision
    with step(3):
        services.decision_record_party_report(actor=office, decision_id=decision.pk, reported_on=day,
                                              note="已向中共湖州市委请示报告并获同意。")
    with step(5):
        services.decision_publish(actor=office, decision_id=decision.pk, channel="湖州市人民政府门户网站、《湖州市人民政府公报》",
                                  document_number=f"湖政发〔{day.year}〕{decision.pk + 10}号")
    with step(60):
        services.decision_report_execution(actor=staff, decision_id=decision.pk, reported_on=day,
                                           progress="各项任务按计划推进，已完成年度目标的60%。", problems="个别区县配套资金尚未到位。")
    if target == S.EXECUTING:
        return decision
    if target == S.SUSPENDED:
        with step(10):
            services.decision_suspend(actor=office, decision_id=decision.pk,
                                      reason="上位政策调整，经市长决定暂停执行，待评估后再行决定。")
    elif target == S.POST_EVALUATION:
        with step(10):
            services.decision_start_post_evaluation(actor=office, decision_id=decision.pk,
                                                    trigger="public_comments", evaluator="浙江某大学第三方评估中心",
                                                    reason="实施后收到较多市民意见。")
    elif target in (S.COMPLETED, S.ARCHIVED):
        with step(30):
            services.decision_complete_execution(actor=staff, decision_id=decision.pk, completed_on=day,
                                                 note="各项任务全部完成。")
        if target == S.ARCHIVED:
            with step(10):
                services.decision_archive(actor=staff, decision_id=decision.pk, note="全过程材料已整理归档。")
    elif target == S.TERMINATED:
        with step(10):
            services.decision_suspend(actor=office, decision_id=decision.pk, reason="实施条件发生重大变化。")
        with step(20):
            services.decision_terminate(actor=office, decision_id=decision.pk, reason="经市政府常务会议研究，决定停止执行。")
    return decision


def load(*, office: User, reviewer: User) -> None:
    c2025 = build_catalog(2025, CATALOG_2025, office=office, collect_on="2025-01-10", consent_on="2025-03-05",
                          publish_on="2025-03-13", document_number="湖政办发〔2025〕6号")
    c2026 = build_catalog(2026, CATALOG_2026, office=office, collect_on="2026-01-12", consent_on="2026-03-20",
                          publish_on="2026-03-28", document_number="湖政办发〔2026〕9号")
    staff = _user("demo_staff")
    staff2 = _user("demo_staff2")
    # Adjustments during the year (D6).
    with on("2025-06-16"):
        adjustment = services.catalog_adjustment_propose(
            actor=staff, year=2025, kind="withdraw", reason="上级部署调整，该事项改由省级统筹实施。",
            item_id=c2025["城市应急物资储备库选址与建设"].pk)
        services.catalog_adjustment_decide(actor=office, adjustment_id=adjustment.pk, approve=True)
        adjustment = services.catalog_adjustment_propose(
            actor=staff2, year=2025, kind="change", reason="规划审批进度调整。",
            item_id=c2025["湖州市国土空间总体规划（2021—2035年）实施细则"].pk,
            data={"planned_completion": dt.date(2025, 12, 31)})
        services.catalog_adjustment_decide(actor=office, adjustment_id=adjustment.pk, approve=True)
    with on("2026-07-08"):
        adjustment = services.catalog_adjustment_propose(
            actor=staff, year=2026, kind="add", reason="落实省委省政府关于扩大有效投资的部署，新增事项。", data={
                "name": "湖州市扩大有效投资专项行动方案", "content": "明确重大项目清单和要素保障措施。",
                "legal_basis": "《中华人民共和国政府投资条例》", "required_procedures": [P.PUBLIC_COMMENT, P.EXPERT_ARGUMENTATION],
                "planned_completion": dt.date(2026, 12, 31), "category": "public_policy"})
        services.catalog_adjustment_decide(actor=office, adjustment_id=adjustment.pk, approve=True)

    plan = [
        (c2025, "湖州市养老服务体系建设“十五五”规划", S.COMPLETED, "2025-04-01"),
        (c2025, "湖州市中心城区公共停车收费标准调整", S.TERMINATED, "2025-04-08"),
        (c2025, "太湖溇港生态保护与修复实施方案", S.ARCHIVED, "2025-04-15"),
        (c2025, "湖州市国土空间总体规划（2021—2035年）实施细则", S.POST_EVALUATION, "2025-05-06"),
        (c2025, "湖州市区义务教育阶段学校布局调整", S.REJECTED, "2025-06-03"),
        (c2026, "湖州市促进民营经济高质量发展若干政策", S.EXECUTING, "2026-04-07"),
        (c2026, "湖州市区公共交通票价调整方案", S.SUSPENDED, "2026-04-20"),
        (c2026, "南太湖新区综合交通枢纽建设", S.DECIDED, "2026-07-06"),
        (c2026, "湖州市生活垃圾分类管理实施办法", S.DEFERRED, "2026-07-13"),
        (c2026, "湖州市基层医疗卫生服务能力提升三年行动", S.LEGALITY_FAILED, "2026-08-03"),
        (c2026, "市级粮食储备轮换与应急保障方案", S.READY_FOR_DISCUSSION, "2026-09-01"),
        (c2026, "湖州市数字经济产业园区规划", S.CONSULTING, "2026-10-12"),
        (c2026, "湖州市存量低效工业用地再开发实施意见", S.LEGALITY_REVIEW, "2026-11-02"),
    ]
    for catalog_items, name, target, start in plan:
        carry(catalog_items[name], target, start=start, office=office, reviewer=reviewer)
    extra = CatalogItem.objects.get(name="湖州市扩大有效投资专项行动方案")
    carry(extra, S.DRAFTING, start="2026-11-16", office=office, reviewer=reviewer)
    load_outside_catalog()
    load_running_deadlines()


def load_running_deadlines() -> None:
    """A comment period and a hearing running now, so that the R3/R4 clocks can be seen."""
    consulting = Decision.objects.get(title="湖州市数字经济产业园区规划")
    staff = User.objects.get(pk=consulting.created_by_id)
    with on("2026-11-20"):
        services.decision_open_public_comment(
            actor=staff, decision_id=consulting.pk, opened_on=dt.date(2026, 11, 20), closes_on=dt.date(2026, 12, 21),
            channel="湖州市人民政府网站“意见征集”栏目、《湖州日报》")
        services.decision_schedule_hearing(actor=staff, decision_id=consulting.pk, held_on=dt.date(2026, 12, 15),
                                           note="邀请园区企业、周边居民代表参加。")


def load_outside_catalog() -> None:
    """Decisions of other departments and in the remaining states, so that every state can be seen."""
    staff2 = _user("demo_staff2")
    with on("2026-02-02"):
        services.decision_create(actor=staff2, data={
            "title": "湖州市地质灾害防治应急处置方案", "summary": "完善地质灾害隐患点监测预警和应急处置机制。",
            "draft_text": "第一条 为了有效防治地质灾害……", "category": "other", "year": 2026,
            "required_procedures": [P.EXPERT_ARGUMENTATION, P.RISK_ASSESSMENT],
            "outside_catalog_reason": "根据省政府紧急部署于年中启动，年初未列入目录。"})
