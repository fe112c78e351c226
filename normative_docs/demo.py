"""Demo normative documents of 市发展改革委 (demo_staff drafts and acts for the issuer; demo_reviewer,
at 市司法局, reviews legality in the shared queue and the filings), built through the real services
with the dates replayed, so that the audit trail, the clocks and the lists tell the same story:

- 湖发改规〔2024〕1号, a 暂行办法 published 2024-06 whose two years ended 2026-06: 失效;
- 湖发改规〔2024〕2号, published 2024-12 for five years, filed on time and passed;
- a 2025 document, amended in the 2025 clean-up and replaced by a new version in 2026 (立改废),
  whose new version is filed but not yet checked past the formal-check period;
- a 2026 document filed and under correction (纠正), its report overdue;
- a 2026 document published and not filed although its filing period has passed;
- one in legality review in the shared queue now, one with its public comment open now;
- a review suggestion (审查建议) from a company about a published document.
"""
from __future__ import annotations

import datetime as dt
import secrets

from core.models import User
from core.workdays import is_workday
from decisions.demo import on, pdf
from reviews import services as review_services
from reviews.checklist import checklist_for
from reviews.models import ReviewTask

from . import cleanup, services, suggestions
from . import filing as filing_services
from .models import FilingRecord, NormativeDocument
from .workflow import Procedure

CHANNEL = "湖州市人民政府门户网站“规范性文件”专栏、《湖州市人民政府公报》"
#: how far to carry a document: the published document is then filed separately
COMMENT_OPEN, LEGALITY_REVIEW, PUBLISHED = "comment_open", "legality_review", "published"


def _checklist(problem: str = "") -> dict:
    answers = {key: {"answer": "yes", "note": ""} for key, _label, _basis in checklist_for("normative_document")}
    if problem:
        answers["rights_duties"] = {"answer": "no", "note": problem}
    return answers


def _day(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _workday(day: dt.date) -> dt.date:
    """Offices act on working days: the day itself, or the next working day."""
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day


class Carrier:
    """Carries one document day by day through the services, as demo_staff and demo_reviewer would."""

    def __init__(self, staff: User, reviewer: User):
        self.staff, self.reviewer = staff, reviewer

    def propose(self, day: str, *, title: str, reason: str, body: str, business: bool) -> NormativeDocument:
        with on(day):
            return services.document_propose(actor=self.staff, data={
                "title": title, "reason": reason, "body": body, "business_related": business,
                "explanation": "起草依据：相关法律法规和省有关规定。主要内容：适用范围、职责分工、管理措施和监督保障。"
                               "起草过程中开展了调研，征求了相关部门、区县和社会公众意见。",
                "interpretation": f"《{title}》政策解读：明确了适用范围、主要措施和办理流程。"})

    def carry(self, document: NormativeDocument, start: str, target: str, *, comment_days: int = 0,
              publish_on: str = "", effective_after: int = 0) -> NormativeDocument:
        """From 动议 (proposed) to ``target``; ``publish_on`` dates the publication."""
        day = _day(start)
        pk, staff = document.pk, self.staff

        def step(days: int):
            nonlocal day
            day = _workday(day + dt.timedelta(days=days))
            return on(day.isoformat())

        with step(0):
            services.document_start_drafting(actor=staff, document_id=pk, note="列入年度制定计划，开始起草。")
        with step(3):
            services.document_start_procedures(actor=staff, document_id=pk)
        document = NormativeDocument.objects.get(pk=pk)
        comment_days = comment_days or (31 if document.business_related else 14)
        with step(4):
            opened, closes = day, day + dt.timedelta(days=comment_days)
            services.document_open_public_comment(actor=staff, document_id=pk, opened_on=opened, closes_on=closes,
                                                  channel="湖州市人民政府门户网站“意见征集”栏目")
        if target == COMMENT_OPEN:
            return NormativeDocument.objects.get(pk=pk)
        details = {
            Procedure.RESEARCH: {"summary": "赴吴兴区、南浔区、德清县实地调研，召开部门和企业座谈会2次。"},
            Procedure.PUBLIC_COMMENT: {
                "opened_on": opened.isoformat(), "closes_on": closes.isoformat(),
                "channel": "湖州市人民政府门户网站“意见征集”栏目", "comment_count": 12,
                "adoption_summary": "共收到意见12条，采纳7条，部分采纳2条，未采纳3条（已说明理由）。",
                "enterprises_heard": document.business_related},
            Procedure.FAIR_COMPETITION: {"reviewer": "湖州市市场监督管理局", "conclusion": "经审查，未发现排除、限制竞争的内容。"},
        }
        with step(comment_days + 1):
            for kind in document.required_procedures:
                services.document_record_procedure(actor=staff, document_id=pk, kind=kind, details=details[kind],
                                                   files=[pdf(f"{Procedure(kind).label}.pdf")])
        with step(2):
            services.document_submit_for_legality_review(actor=staff, document_id=pk,
                                                         note="报送送审稿、起草说明、制定依据及征求意见情况。")
        if target == LEGALITY_REVIEW:
            return NormativeDocument.objects.get(pk=pk)
        task = ReviewTask.objects.get(object_id=pk, kind=ReviewTask.Kind.NORMATIVE_DOCUMENT,
                                      status=ReviewTask.Status.OPEN)
        with step(1):
            review_services.review_task_claim(task_id=task.pk, actor=self.reviewer)
        with step(8):
            review_services.review_task_decide(task_id=task.pk, actor=self.reviewer, outcome="passed",
                                               early_reason="报送材料齐全，经审查机构负责人同意提前出具审核意见。",
                                               opinion="经审核，制定主体合法，内容不违反上位法规定，程序符合要求。",
                                               checklist=_checklist())
        with step(7):
            services.document_deliberate(actor=staff, document_id=pk, held_on=day, outcome="adopted",
                                         meeting="市发展改革委主任办公会议")
        publish_day = _day(publish_on)
        with on(min(publish_day, max(day, _workday(publish_day - dt.timedelta(days=3)))).isoformat()):
            services.document_register(actor=staff, document_id=pk)
        with on(publish_day.isoformat()):
            services.document_publish(actor=staff, document_id=pk, published_on=publish_day,
                                      effective_on=publish_day + dt.timedelta(days=effective_after), channel=CHANNEL,
                                      # recorded only when publication comes 20 working days after the meeting (N11)
                                      late_reason="审议后按意见修改文本并会签相关部门，延后公布。")
        return NormativeDocument.objects.get(pk=pk)

    # ------------------------------------------------------------ filing
    def file(self, document: NormativeDocument, day: str) -> FilingRecord:
        with on(day):
            return filing_services.filing_submit(
                actor=self.staff, document_id=document.pk, files=[pdf("备案报告及正式文本.pdf")],
                report=f"现将《{document.title}》（{document.number}）报送备案，附正式文本、起草说明、"
                       "征求意见及采纳情况、合法性审核意见。",
                late_reason="备案材料需补充征求意见采纳情况，延后报送。")  # recorded only when late (rule N17)

    def accept(self, filing: FilingRecord, day: str) -> FilingRecord:
        with on(day):
            return filing_services.filing_check(actor=self.reviewer, filing_id=filing.pk, result="accept")

    def review(self, filing: FilingRecord, day: str, *, problem: str = "") -> FilingRecord:
        with on(day):
            return filing_services.filing_review(
                actor=self.reviewer, filing_id=filing.pk, outcome="correction" if problem else "passed",
                checklist=_checklist(problem),
                opinion=f"经审查，{problem}建议予以纠正。" if problem else "经审查，该文件符合备案审查要求，予以通过。")


def load(*, staff: User, reviewer: User) -> None:
    c = Carrier(staff, reviewer)
    # 1. 暂行办法 of 2024: two years, ended 2026-06-02; filed late in January 2025.
    provisional = c.propose("2024-03-04", title="湖州市价格监测工作暂行办法", business=False,
                            reason="落实《浙江省价格监测规定》，规范本市价格监测工作，需制定配套办法。",
                            body="第一条 为了规范价格监测工作，根据《浙江省价格监测规定》，结合本市实际，制定本办法。\n"
                                 "第二条 本办法适用于本市行政区域内的价格监测活动。\n第三条 市发展改革部门负责全市价格监测工作。")
    c.carry(provisional, "2024-03-04", PUBLISHED, publish_on="2024-06-03")
    c.review(c.accept(c.file(provisional, "2025-01-06"), "2025-01-07"), "2025-01-20")

    # 2. 2024, five years, filed on time and passed; a company's review suggestion in 2026.
    investment = c.propose("2024-08-05", title="湖州市政府投资项目管理办法", business=True,
                           reason="《政府投资条例》实施后，本市政府投资项目审批和监管规定需要统一规范。",
                           body="第一条 为了规范政府投资行为，提高政府投资效益，根据《政府投资条例》，制定本办法。\n"
                                "第二条 本办法所称政府投资，是指在本市行政区域内使用预算安排的资金进行的固定资产投资建设活动。\n"
                                "第三条 政府投资项目实行项目库管理。")
    c.carry(investment, "2024-08-05", PUBLISHED, publish_on="2024-12-10", effective_after=31)
    c.review(c.accept(c.file(investment, "2025-01-06"), "2025-01-07"), "2025-01-20")
    with on("2026-03-16"):
        suggestions.suggestion_submit(
            document_id=investment.pk, name="湖州某建设工程有限公司", contact="0572-2000000",
            client_key=f"demo-{secrets.token_hex(8)}",  # the demo is not rate-limited with earlier runs
            content="第十二条关于代建单位须在本市注册的规定，可能限制外地企业参与竞争，建议审查。")

    # 3. 2025, amended in the 2025 clean-up, re-published as a new version in 2026.
    grain = c.propose("2025-01-13", title="湖州市粮食应急保障管理办法", business=False,
                      reason="完善市级粮食应急保障体系，明确应急供应网点和启动程序。",
                      body="第一条 为了保障粮食应急供应，根据《粮食流通管理条例》，制定本办法。\n"
                           "第二条 市发展改革部门负责粮食应急保障的组织协调。\n第三条 应急供应网点由区县确定。")
    c.carry(grain, "2025-01-13", PUBLISHED, publish_on="2025-04-21", comment_days=21)  # over the Spring Festival
    c.review(c.accept(c.file(grain, "2025-05-06"), "2025-05-07"), "2025-05-26")
    with on("2025-12-15"):
        round_ = cleanup.cleanup_start(actor=staff, issuer_id=staff.department_id)
        notes = {grain.pk: ("amend", "《中华人民共和国粮食安全保障法》施行，应急保障条款需相应修改。")}
        for entry in round_.entries.all():
            result, note = notes.get(entry.document_id, ("valid", ""))
            cleanup.cleanup_set_result(actor=staff, entry_id=entry.pk, result=result, note=note)
    with on("2025-12-22"):
        cleanup.cleanup_publish(actor=staff, round_id=round_.pk)

    # 4. 2026, filed and under correction; the issuer's report is overdue.
    storage = c.propose("2026-04-13", title="湖州市新型储能项目建设管理办法", business=True,
                        reason="规范新型储能项目备案、建设和并网管理，促进产业健康发展。",
                        body="第一条 为了规范新型储能项目建设管理，制定本办法。\n第二条 新型储能项目实行备案管理。\n"
                             "第三条 项目单位应当在备案前取得所在区县出具的安全评估意见。")
    c.carry(storage, "2026-04-13", PUBLISHED, publish_on="2026-08-03", effective_after=31)
    filing = c.accept(c.file(storage, "2026-08-20"), "2026-08-21")
    c.review(filing, "2026-09-15", problem="第三条要求项目备案前取得安全评估意见，属于无上位法依据增设的前置条件，")

    # 5. 2026, published and not filed although the filing period ended on 2026-10-18.
    inspection = c.propose("2026-05-11", title="湖州市重点建设项目稽察办法", business=False,
                           reason="加强重点建设项目全过程监管，规范稽察工作。",
                           body="第一条 为了加强重点建设项目监督管理，制定本办法。\n第二条 稽察工作坚持依法、公正、实效的原则。")
    c.carry(inspection, "2026-05-11", PUBLISHED, publish_on="2026-09-18")

    # 3 (continued). The new version of the grain measures, registered after the two above.
    with on("2026-07-06"):
        new_grain = services.document_start_new_version(actor=staff, document_id=grain.pk)
        services.document_update_draft(actor=staff, document_id=new_grain.pk, version=new_grain.version, data={
            "body": "第一条 为了保障粮食应急供应，根据《中华人民共和国粮食安全保障法》《粮食流通管理条例》，制定本办法。\n"
                    "第二条 市发展改革部门负责粮食应急保障的组织协调，市商务、交通运输部门按职责配合。\n"
                    "第三条 应急供应网点由区县确定，每个乡镇（街道）至少设立1个。"})
    c.carry(new_grain, "2026-07-06", PUBLISHED, publish_on="2026-10-09")
    c.file(new_grain, "2026-11-05")  # on time; the formal check (three working days) is overdue

    # 6. In legality review in the shared queue now; 7. public comment open now.
    energy = c.propose("2026-09-07", title="湖州市固定资产投资项目节能审查实施办法", business=True,
                       reason="落实国家《固定资产投资项目节能审查办法》，细化本市节能审查权限和程序。",
                       body="第一条 为了加强固定资产投资项目节能管理，制定本办法。\n第二条 节能审查意见是项目开工建设的依据。")
    c.carry(energy, "2026-10-09", LEGALITY_REVIEW)
    low_altitude = c.propose("2026-11-02", title="湖州市低空经济产业发展扶持办法", business=True,
                             reason="培育低空经济新业态，统一全市扶持政策标准。",
                             body="第一条 为了促进低空经济产业高质量发展，制定本办法。\n第二条 对符合条件的低空经济企业给予资金扶持。")
    c.carry(low_altitude, "2026-11-09", COMMENT_OPEN)

    # The 暂行办法 expires by itself on its day (the daily job does this; here it is replayed).
    with on("2026-06-03"):
        services.documents_expire_due()

