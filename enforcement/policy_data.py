"""The enforcement rows of the policy table (loaded by a data migration)."""
from __future__ import annotations

#: (code, name, length, unit, kind, warn_before, source, effective_from)
POLICIES = [
    ("enforcement.case_decision", "行政处罚案件办理期限", 90, "calendar_days", "statutory", 10,
     "《中华人民共和国行政处罚法》第六十条（自立案之日起九十日内作出决定）", "2021-07-15"),
    ("enforcement.case_day60", "行政处罚案件办理提示（第60日）", 60, "calendar_days", "advisory", 0,
     "本市案件办理节点提示（立案后第60日）", "2021-07-15"),
    ("enforcement.preservation", "先行登记保存证据处理期限", 7, "working_days", "statutory", 2,
     "《中华人民共和国行政处罚法》第五十六条、第八十五条（七日内及时作出处理决定）", "2021-07-15"),
    ("enforcement.seizure", "查封、扣押期限", 30, "calendar_days", "statutory", 5,
     "《中华人民共和国行政强制法》第二十五条（不得超过三十日；经批准可延长三十日）", "2012-01-01"),
    ("enforcement.hearing_request", "听证申请期限", 5, "working_days", "statutory", 1,
     "《中华人民共和国行政处罚法》第六十四条第（一）项、第八十五条（告知后五日内提出）", "2021-07-15"),
    ("enforcement.hearing_notice", "听证通知期限（听证会前）", 7, "calendar_days", "statutory", 2,
     "《中华人民共和国行政处罚法》第六十四条第（二）项（举行听证的七日前通知）", "2021-07-15"),
    ("enforcement.service", "行政处罚决定书送达期限", 7, "working_days", "statutory", 2,
     "《中华人民共和国行政处罚法》第六十一条、第八十五条（七日内送达）", "2021-07-15"),
    ("enforcement.publicity_penalty", "行政处罚决定公开期限", 7, "working_days", "statutory", 2,
     "国办发〔2018〕118号（行政许可、行政处罚决定自作出之日起7个工作日内公开）", "2019-01-01"),
    ("enforcement.publicity_other", "其他执法决定公开期限", 20, "working_days", "statutory", 5,
     "国办发〔2018〕118号（其他执法决定自作出之日起20个工作日内公开）", "2019-01-01"),
    ("enforcement.publicity_period", "行政处罚结果公示期", 365, "calendar_days", "advisory", 0,
     "浙江省行政处罚结果信息网上公开暂行办法（公示期一般为一年）", "2019-01-01"),
    ("enforcement.payment", "罚款缴纳期限", 15, "calendar_days", "statutory", 3,
     "《中华人民共和国行政处罚法》第六十七条（收到决定书之日起十五日内缴纳）", "2021-07-15"),
    ("enforcement.legality_review_min", "法制审核最短时间", 1, "working_days", "advisory", 0,
     "本市重大执法决定法制审核办法（保证必要的审核时间）", "2019-01-01"),
    ("enforcement.legality_review", "法制审核期限", 10, "working_days", "advisory", 3,
     "《市场监督管理行政处罚程序规定》（法制审核一般十个工作日内完成）；本市参照执行", "2019-01-01"),
    ("enforcement.withdrawal", "撤销、变更决定的公开撤回期限", 3, "working_days", "statutory", 1,
     "《中华人民共和国行政处罚法》第四十八条、第八十五条（三日内撤回原公开信息并说明理由）", "2021-07-15"),
    ("enforcement.first_violation_period", "首违不罚：初次违法的认定期间", 24, "months", "statutory", 0,
     "《中华人民共和国行政处罚法》第三十三条第一款（初次违法且危害后果轻微并及时改正的，可以不予行政处罚）；"
     "本市首违不罚清单以立案前二年内无同类违法行为为初次违法，可调整", "2021-07-15"),
]

#: Record kinds for which an audio-video record is required, loaded into ``AudioVideoRule``
#: (国办发〔2018〕118号: 查封扣押财产、强制拆除等直接涉及人身自由、生命健康、重大财产权益的现场执法活动).
AUDIO_VIDEO_RULES = [
    ("seizure", "国办发〔2018〕118号（查封扣押财产等现场执法活动全程音像记录）"),
    ("preservation", "国办发〔2018〕118号；本市全过程记录清单（先行登记保存证据）"),
]

#: body code -> (procedures, remedies, inspection list, powers [(name, basis)]) published before enforcement.
BODY_PROFILES = {
    "hz-amr": (
        "立案—调查取证（两名以上执法人员，出示执法证件）—告知（陈述、申辩、听证权利）—法制审核（重大案件）—决定—送达—执行—结案。",
        "对行政处罚决定不服的，可以自收到决定书之日起六十日内申请行政复议，或者六个月内提起行政诉讼。",
        "食品生产经营监督检查；特种设备安全监督检查；产品质量监督抽查；价格行为检查。",
        [("对生产经营不符合食品安全标准的食品的行政处罚", "《中华人民共和国食品安全法》第一百二十四条"),
         ("对虚假广告的行政处罚", "《中华人民共和国广告法》第五十五条")],
    ),
    "hz-eco": (
        "立案—调查取证—告知—听证（依申请）—法制审核—决定—送达—执行—结案。",
        "对行政处罚决定不服的，可以自收到决定书之日起六十日内申请行政复议，或者六个月内提起行政诉讼。",
        "排污单位监督检查；建设项目环境保护“三同时”检查。",
        [("对超标排放污染物的行政处罚", "《中华人民共和国大气污染防治法》第九十九条；《中华人民共和国水污染防治法》第八十三条")],
    ),
}
