"""The policy table as first loaded (a data migration reads this list). Each row
is one number of the law with its source; administrators change them in the
admin, and a change applies to clocks started afterwards."""
from __future__ import annotations

#: (code, name, length, unit, kind, warn_before, source, effective_from)
INITIAL_POLICIES = [
    ("decision.catalog_item_planned", "目录事项计划完成提醒", 30, "calendar_days", "advisory", 30,
     "《湖州市人民政府重大行政决策程序规定》；目录计划完成时间前30日提醒承办单位", "2019-09-01"),
    ("decision.public_comment", "决策草案公开征求意见期限", 30, "calendar_days", "statutory", 3,
     "《重大行政决策程序暂行条例》第十五条（一般不少于30日）", "2019-09-01"),
    ("decision.hearing_materials", "听证材料送达期限（听证会前）", 7, "calendar_days", "statutory", 3,
     "《重大行政决策程序暂行条例》第十七条（听证会7日前送达）", "2019-09-01"),
    ("decision.legality_review_min", "合法性审查最短时间", 7, "working_days", "statutory", 0,
     "《重大行政决策程序暂行条例》第二十六条（一般不少于7个工作日）", "2019-09-01"),
    ("decision.legality_review", "合法性审查办结期限", 15, "working_days", "advisory", 10,
     "本市合法性审查服务承诺（报送后第5个工作日提醒审查人员）", "2019-09-01"),
    ("decision.publication", "决策公布期限", 20, "working_days", "statutory", 5,
     "《政府信息公开条例》第二十六条（信息形成之日起20个工作日内公开）；《重大行政决策程序暂行条例》第三十二条", "2019-09-01"),
    ("decision.execution_report", "决策执行情况报告周期", 90, "calendar_days", "advisory", 10,
     "《重大行政决策程序暂行条例》第三十四条（跟踪决策实施情况）；本市按季度报告", "2019-09-01"),
]
