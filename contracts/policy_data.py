"""The numbers of the contract lifecycle in the policy table (a data migration loads them).
浙政办发〔2013〕37号 requires prior legality review, filing and clean-up but gives no time
limits (domain.md §9: [U]); each number below is therefore a local rule, marked as such."""
from __future__ import annotations

LOCAL = "本地规则（浙政办发〔2013〕37号未规定期限）"

#: (code, name, length, unit, kind, warn_before, source, effective_from)
POLICIES = [
    ("contract.legality_review_min", "合同合法性审查最短时间", 0, "working_days", "advisory", 0,
     f"{LOCAL}：不设最短审查时间", "2013-06-01"),
    ("contract.legality_review", "合同合法性审查办结期限", 7, "working_days", "advisory", 2,
     f"{LOCAL}；《关于规范行政机关合同管理的意见》（浙政办发〔2013〕37号）要求签订前进行合法性审查", "2013-06-01"),
    ("contract.milestone", "合同履行节点提醒", 0, "calendar_days", "advisory", 7,
     f"{LOCAL}：履行节点前7日提醒承办单位", "2013-06-01"),
    ("contract.expiry", "合同期限届满提醒", 0, "calendar_days", "advisory", 30,
     f"{LOCAL}：合同期限届满前30日提醒承办单位", "2013-06-01"),
    ("contract.filing", "合同签订后备案期限", 30, "calendar_days", "advisory", 5,
     f"{LOCAL}；浙政办发〔2013〕37号要求建立合同备案制度", "2013-06-01"),
]
