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
}


def checklist_for(kind: str):
    return CHECKLISTS[kind]
