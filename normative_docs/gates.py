"""The rules of administrative normative documents (domain.md §3) in the rulebook: what is
refused, what needs a recorded reason, what is a computed deadline; the service that enforces
each and the test that pins it (``manage.py rules_matrix``)."""
from __future__ import annotations

from django.utils.translation import gettext_noop as N_

from core.rulebook import Kind, Rule, register

T = "tests/normative_docs/test_gates.py::"

register(
    Rule("N4", "N4", N_("涉企规范性文件征求意见一般不少于30日；少于的须说明理由"),
         N_("《优化营商环境条例》第六十二条"), Kind.REASON, "normative_docs.services.document_open_public_comment",
         T + "test_a_short_comment_period_of_a_business_document_names_thirty_days_and_article_62",
         policies=("normative.public_comment_business",), reason_field="short_period_reason",
         message=N_("征求意见期限一般不少于%(minimum)s；少于%(minimum)s的，须说明理由"),
         error_code="prerequisites_missing"),
    Rule("N5", "N5", N_("其他对权利义务有重大影响的规范性文件征求意见一般不少于7个工作日；少于的须说明理由"),
         N_("《法治政府建设示范指标体系》第24项"), Kind.REASON, "normative_docs.services.document_open_public_comment",
         T + "test_a_short_comment_period_of_another_document_names_seven_working_days",
         policies=("normative.public_comment",), reason_field="short_period_reason",
         message=N_("征求意见期限一般不少于%(minimum)s；少于%(minimum)s的，须说明理由"),
         error_code="prerequisites_missing"),
    Rule("N14", "N14", N_("规范性文件有效期不超过5年，暂行、试行的不超过2年"),
         N_("《浙江省行政规范性文件管理办法》"), Kind.REFUSED, "normative_docs.services.document_publish",
         T + "test_a_validity_longer_than_the_policy_is_refused_naming_the_limit",
         policies=("normative.validity", "normative.validity_provisional"),
         message=N_("%(kind)s规范性文件有效期不得超过%(limit)s（自施行之日起，至迟到%(longest)s）"),
         error_code="validity_too_long"),
    Rule("N14-provisional", "N14", N_("暂行、试行的规范性文件须载明有效期，不得不设有效期"),
         N_("《浙江省行政规范性文件管理办法》"), Kind.REFUSED, "normative_docs.services.document_publish",
         T + "test_a_provisional_document_without_a_validity_period_is_refused",
         policies=("normative.validity_provisional",),
         message=N_("暂行、试行的规范性文件须载明有效期，且不得超过%(limit)s，不能不设有效期"),
         error_code="validity_required"),
    Rule("N14-none", "N14", N_("其他规范性文件不设有效期的，须说明理由"),
         N_("《浙江省行政规范性文件管理办法》"), Kind.REASON, "normative_docs.services.document_publish",
         T + "test_a_document_without_a_validity_period_records_the_reason",
         policies=("normative.validity",), reason_field="no_validity_reason",
         message=N_("规范性文件有效期一般不超过%(limit)s；不设有效期的，须说明理由"),
         error_code="reason_required"),
    Rule("N17", "N17", N_("公布之日起30日内报送备案；逾期报送须说明理由"),
         N_("浙江省人大常委会公告第83号"), Kind.REASON, "normative_docs.filing.filing_submit",
         T + "test_filing_after_thirty_days_needs_a_late_reason_shown_in_the_filing_queue",
         policies=("normative.filing",), reason_field="late_reason",
         message=N_("规范性文件应当自公布之日起%(period)s内报送备案（%(due)s到期），已逾期%(days_late)s日；逾期报送须说明理由"),
         error_code="late_reason_required"),
    Rule("N18", "N18", N_("乡镇（街道）规范性文件公布之日起15日内报送备案；逾期报送须说明理由"),
         N_("《湖州市乡镇（街道）行政规范性文件备案审查规定》第四条"), Kind.REASON, "normative_docs.filing.filing_submit",
         T + "test_a_township_filing_after_fifteen_days_needs_a_late_reason",
         policies=("normative.filing_township",), reason_field="late_reason",
         message=N_("乡镇（街道）规范性文件应当自公布之日起%(period)s内报送备案（%(due)s到期），已逾期%(days_late)s日；"
                    "逾期报送须说明理由"),
         error_code="late_reason_required"),
    Rule("N-number", "N9 / N22", N_("统一编号：同一文号（规范化后）只能属于一件文件；历史文件登记的文号不再由本平台编号"),
         N_("国办发〔2018〕37号（统一登记、统一编号、统一印发）"), Kind.REFUSED,
         "normative_docs.historical.historical_register",
         "tests/normative_docs/test_historical.py::test_a_number_already_held_is_refused_in_any_bracket_style",
         message=N_("文号“%(number)s”已由《%(title)s》使用，同一文号不得重复登记或编号"),
         error_code="number_taken"),
)
