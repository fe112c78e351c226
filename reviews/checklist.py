"""Checklists of the legality review, per kind of reviewed object. Each item
cites its basis; a review cannot pass with an item unanswered or failed."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ANSWER_CHOICES = (("yes", _("符合")), ("no", _("不符合")), ("na", _("不适用")))

CHECKLISTS = {
    "decision": (
        ("authority", _("决策事项是否符合决策机关的法定权限"), "《重大行政决策程序暂行条例》第二十七条第（一）项"),
        ("procedure", _("决策草案的形成是否履行相关法定程序"), "《重大行政决策程序暂行条例》第二十七条第（二）项"),
        ("content", _("决策草案内容是否符合有关法律、法规、规章和国家政策的规定"), "《重大行政决策程序暂行条例》第二十七条第（三）项"),
    ),
    # N2 and N19: the legality review of a normative document and the filing review use the same points.
    "normative_document": (
        ("authority", _("制定主体合法，未超越法定职权（不越权）"), "《浙江省行政规范性文件管理办法》第三条；《法规规章备案审查条例》第十条"),
        ("no_licensing", _("未违法设定行政许可"), "《中华人民共和国行政许可法》第十七条"),
        ("no_penalty", _("未违法设定行政处罚"), "《中华人民共和国行政处罚法》第十六条"),
        ("no_compulsion", _("未违法设定行政强制措施"), "《中华人民共和国行政强制法》第十条"),
        ("no_fees", _("未违法设定行政事业性收费"), "《浙江省行政规范性文件管理办法》第五条"),
        ("rights_duties", _("没有无法律、法规依据减损公民、法人和其他组织合法权益或者增加其义务"), "《浙江省行政规范性文件管理办法》第五条；《优化营商环境条例》第六十四条"),
        ("higher_law", _("不与上位法相抵触"), "《法规规章备案审查条例》第十条第（二）项"),
        ("consistency", _("与本级、上级现行文件协调一致"), "《法规规章备案审查条例》第十条第（三）项"),
        ("competition", _("不含排除、限制竞争的内容"), "《公平竞争审查条例》；《优化营商环境条例》第六十三条"),
        ("procedure", _("已履行调研、征求意见、公平竞争审查、集体审议等法定程序"), "《浙江省行政规范性文件管理办法》；《法规规章备案审查条例》第十条第（五）项"),
    ),
    # 重大执法决定法制审核 (行政处罚法第五十八条; 国办发〔2018〕118号).
    "enforcement": (
        ("subject", _("执法主体合法，执法人员具有执法资格"), "《中华人民共和国行政处罚法》第四十二条；国办发〔2018〕118号"),
        ("authority", _("案件属于本机关管辖，未超越法定职权"), "《中华人民共和国行政处罚法》第二十二条至第二十五条"),
        ("facts", _("案件事实清楚，证据合法充分"), "《中华人民共和国行政处罚法》第四十条、第四十六条"),
        ("law", _("适用法律、法规、规章准确"), "《中华人民共和国行政处罚法》第五十八条"),
        ("procedure", _("程序合法（告知、陈述申辩、听证等）"), "《中华人民共和国行政处罚法》第四十四条、第六十三条、第六十四条"),
        ("discretion", _("行政裁量适当，符合裁量基准"), "《中华人民共和国行政处罚法》第三十四条"),
        ("transfer", _("违法行为不涉嫌犯罪，无须移送司法机关"), "《中华人民共和国行政处罚法》第二十七条"),
    ),
}


def checklist_for(kind: str):
    return CHECKLISTS[kind]
