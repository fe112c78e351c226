"""The rules of major administrative decisions (domain.md §2, 国务院令第713号) in the rulebook:
what is refused, what needs a recorded reason, what is a computed deadline; the service that
enforces each and the test that pins it (``manage.py rules_matrix``)."""
from __future__ import annotations

from django.utils.translation import gettext_noop

from core.rulebook import Kind, Rule, register
from reviews.models import ReviewTask
from reviews.services import register_review_early_rule

S = "decisions.services."
W = "tests/decisions/test_workflow.py::"
SV = "tests/decisions/test_services.py::"
G = "tests/decisions/test_gates.py::"


def rule(code, summary, article, kind, service, test, **kwargs) -> Rule:
    service = service if "." in service else S + service
    return Rule(code, kwargs.pop("source", code), summary, article, kind, service, test, **kwargs)


register(
    rule("D1", gettext_noop("重大行政决策事项限于五类（重大公共政策和措施、重大规划、资源与生态环境政策、重大公共建设项目、其他重大事项）"),
         gettext_noop("《重大行政决策程序暂行条例》第三条第一款"), Kind.REFUSED, "decision_create",
         SV + "test_a_decision_outside_the_catalog_needs_a_category"),
    rule("D2", gettext_noop("目录外决策须说明理由（说明属于重大行政决策事项，而非宏观调控、政府立法、突发事件应急处置）"),
         gettext_noop("《重大行政决策程序暂行条例》第三条第二款"), Kind.REASON, "decision_create", SV + "test_a_decision_outside_the_catalog_needs_a_reason",
         reason_field="outside_catalog_reason",
         note=gettext_noop("平台无法识别被排除的事项；目录外决策须写明理由，由监督人员审阅。")),
    rule("D3", gettext_noop("部门、乡镇的重大行政决策同样履行法定程序（参照适用）"), gettext_noop("《重大行政决策程序暂行条例》第四十二条"), Kind.REFUSED,
         "decision_submit_for_legality_review", W + "test_submit_with_two_missing_procedures_names_both"),
    rule("D4", gettext_noop("决策事项目录经同级党委同意后公布"), gettext_noop("《重大行政决策程序暂行条例》第三条第三款"), Kind.REFUSED, "catalog_publish",
         "tests/decisions/test_catalog.py::test_publishing_without_party_consent_is_refused"),
    rule("D5", gettext_noop("年度决策事项目录于第一季度公布（3月31日前）"), gettext_noop("湖州市依法行政工作要求（年度目录第一季度公布）"),
         Kind.DEADLINE, "catalog_publish",
         "tests/decisions/test_catalog.py::test_a_catalog_published_just_after_midnight_on_1_april_is_late"),
    rule("D10", gettext_noop("决策由承办单位提出并承办（审查人员、监督人员不能创建决策）"), gettext_noop("《重大行政决策程序暂行条例》第十条、第十一条"), Kind.REFUSED,
         "decision_create", "tests/decisions/test_api.py::test_create_by_a_reviewer_is_forbidden"),
    rule("D11", gettext_noop("起草决策草案后方可履行法定程序"), gettext_noop("《重大行政决策程序暂行条例》第十二条"), Kind.REFUSED, "decision_start_procedures",
         W + "test_starting_procedures_with_an_empty_draft_is_blocked"),
    rule("D12", gettext_noop("目录要求的公众参与未完成并留存证据的，不得提交合法性审查"), gettext_noop("《重大行政决策程序暂行条例》第十四条"), Kind.REFUSED,
         "decision_submit_for_legality_review",
         W + "test_submit_with_a_missing_required_procedure_names_the_procedure_and_article"),
    rule("D13", gettext_noop("征求意见期限一般不少于30日；少于的须说明理由"), gettext_noop("《重大行政决策程序暂行条例》第十五条"), Kind.REASON,
         "decision_open_public_comment", G + "test_a_short_comment_period_needs_a_reason_recorded_in_the_audit_trail",
         policies=("decision.public_comment",), reason_field="short_period_reason",
         message=gettext_noop("征求意见期限一般不少于%(days)s日；少于%(days)s日的，须说明理由"),
         error_code="prerequisites_missing"),
    rule("D14", gettext_noop("听证材料于听证会7日前送达；听证笔录由参加人确认签字"), gettext_noop("《重大行政决策程序暂行条例》第十六条、第十七条"), Kind.REFUSED,
         "decision_record_procedure", SV + "test_hearing_materials_sent_less_than_7_days_before_are_refused",
         policies=("decision.hearing_materials",)),
    rule("D15", gettext_noop("公众意见须归纳整理并说明采纳情况，随草案提交"), gettext_noop("《重大行政决策程序暂行条例》第十八条、第二十九条"), Kind.REFUSED,
         "decision_record_procedure", G + "test_a_public_comment_record_needs_the_adoption_summary"),
    rule("D16", gettext_noop("专家论证意见须由专家签字，专家与决策事项无直接利害关系"), gettext_noop("《重大行政决策程序暂行条例》第十九条至第二十一条"), Kind.REFUSED,
         "decision_record_procedure", G + "test_expert_opinions_must_be_signed_by_experts_without_a_direct_interest"),
    rule("D17", gettext_noop("风险评估须载明风险点、防范化解措施和处置预案"), gettext_noop("《重大行政决策程序暂行条例》第二十二条至第二十四条"), Kind.REFUSED,
         "decision_record_procedure", G + "test_a_risk_assessment_needs_risk_points_mitigation_and_contingency"),
    rule("D18", gettext_noop("未经合法性审查或者经审查不合法的，不得提交集体讨论"), gettext_noop("《重大行政决策程序暂行条例》第二十五条"), Kind.REFUSED,
         "decision_record_meeting", W + "test_a_meeting_before_the_legality_review_passed_is_refused_citing_article_25"),
    rule("D19", gettext_noop("合法性审查时间一般不少于7个工作日（最早结论日期）；服务承诺15个工作日办结"), gettext_noop("《重大行政决策程序暂行条例》第二十六条"),
         Kind.DEADLINE, "decision_submit_for_legality_review",
         "tests/decisions/test_reminders.py::test_submitting_for_review_starts_a_15_working_day_clock_with_the_earliest"
         "_date_at_7", policies=("decision.legality_review_min", "decision.legality_review")),
    rule("D19-early", gettext_noop("合法性审查在最早结论日期（报送后第7个工作日）前作出通过或不通过结论的，须说明理由"), gettext_noop("《重大行政决策程序暂行条例》第二十六条"),
         Kind.REASON, "reviews.services.review_task_decide", G + "test_a_review_concluded_before_its_earliest_date_needs_"
         "early_reason", policies=("decision.legality_review_min",), reason_field="early_reason", source="D19",
         message=gettext_noop("合法性审查时间一般不少于%(days)s个工作日（%(submitted)s报送，最早于%(earliest)s作出结论）；"
                    "提前作出结论须说明理由"), error_code="early_reason_required"),
    Rule("D20", "D20", gettext_noop("合法性审查逐项审查决策权限、程序和内容，每一要点须有结论"), gettext_noop("《重大行政决策程序暂行条例》第二十七条、第二十八条"),
         Kind.REFUSED, "reviews.services.review_task_decide",
         "tests/reviews/test_review_queue.py::test_an_unanswered_checklist_item_is_refused_naming_the_item_and_its_basis"),
    rule("D21", gettext_noop("提请讨论的草案须内容完整，关联目录或说明理由，法定程序均已完成"), gettext_noop("《重大行政决策程序暂行条例》第二十九条"), Kind.REFUSED,
         "decision_submit_for_legality_review", W + "test_submit_with_an_empty_draft_is_blocked"),
    rule("D22", gettext_noop("集体讨论记录组成人员意见，行政首长最后发表意见并作出决定"), gettext_noop("《重大行政决策程序暂行条例》第三十条"), Kind.REFUSED,
         "decision_record_meeting", SV + "test_a_meeting_without_member_views_is_refused"),
    rule("D23", gettext_noop("决策出台前向同级党委请示报告"), gettext_noop("《重大行政决策程序暂行条例》第三十一条"), Kind.REFUSED, "decision_publish",
         W + "test_publish_without_the_party_report_is_blocked"),
    rule("D24", gettext_noop("决策作出之日起20个工作日内公布；逾期公布须说明理由"), gettext_noop("《政府信息公开条例》第二十六条；"
                                                                  "《重大行政决策程序暂行条例》第三十二条"),
         Kind.REASON, "decision_publish", G + "test_publishing_after_twenty_working_days_needs_a_late_reason",
         policies=("decision.publication",), reason_field="late_reason",
         message=gettext_noop("决策应当自作出之日起%(period)s内公布（%(due)s到期），已逾期%(days_late)s日；逾期公布须说明理由"),
         error_code="late_reason_required"),
    rule("D25", gettext_noop("决策过程全程记录：每一法定程序须留存证据材料"), gettext_noop("《重大行政决策程序暂行条例》第三十三条"), Kind.REFUSED,
         "decision_record_procedure", SV + "test_a_procedure_record_without_evidence_files_is_refused"),
    rule("D26", gettext_noop("执行单位定期报告执行情况（按季度）"), gettext_noop("《重大行政决策程序暂行条例》第三十四条、第三十五条"), Kind.DEADLINE,
         "decision_publish", "tests/decisions/test_reminders.py::test_publishing_stops_the_publication_clock_and_starts_"
         "the_quarterly_execution_report", policies=("decision.execution_report",)),
    rule("D27", gettext_noop("决策后评估须依据法定情形启动"), gettext_noop("《重大行政决策程序暂行条例》第三十六条"), Kind.REFUSED, "decision_start_post_evaluation",
         SV + "test_a_post_evaluation_needs_one_of_the_three_legal_triggers"),
    rule("D27-evaluator", gettext_noop("决策后评估不得由参与决策前评估的机构承担"), gettext_noop("《重大行政决策程序暂行条例》第三十六条"), Kind.REFUSED,
         "decision_start_post_evaluation", SV + "test_a_post_evaluation_by_the_pre_decision_risk_assessor_is_refused",
         source="D27"),
    rule("D28", gettext_noop("暂停、恢复、调整、停止执行决策须由决策机关作出并说明理由"), gettext_noop("《重大行政决策程序暂行条例》第三十七条"), Kind.REASON,
         "decision_suspend", SV + "test_suspension_without_a_reason_is_refused", reason_field="reason"),
    rule("D28-repeat", gettext_noop("决策作重大调整的，重新履行法定程序"), gettext_noop("《重大行政决策程序暂行条例》第三十七条"), Kind.REFUSED,
         "decision_submit_for_legality_review", W + "test_after_an_adjustment_the_procedures_must_be_recorded_again",
         source="D28"),
    Rule("D29", "D29", gettext_noop("决策过程记录不可篡改，支持责任倒查（审计记录只增不改）"), gettext_noop("《重大行政决策程序暂行条例》第三十八条至第四十一条"),
         Kind.REFUSED, "core.audit.record_event", "tests/core/test_audit.py::test_the_database_refuses_to_change_audit_rows"),
)
register_review_early_rule(ReviewTask.Kind.DECISION, "D19-early")
